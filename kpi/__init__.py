"""KPI layer: catalogue, periods, filters, formulas (DuckDB), targets and assessment — the only place figures are computed."""

from kpi.catalogue import AVSNITT, CATALOGUE, Indicator, by_avsnitt
from kpi.compute import (
    GruppResultat,
    KpiResult,
    ackumulerad,
    catalogue_with_data,
    compute,
    indicator,
    jamforelse,
    med_jamforelse,
    per_grupp,
    serier,
    series,
    servicegrad_samtal,
)
from kpi.dimensioner import enheter, filterlistor, forvaltningar, koer, senaste_manad, tillgangliga_ar
from kpi.period import SERVICEGRAD_DEFINITIONER, Behorighetsfel, Filters, Period, buckets
from kpi.targets import EJ_BEDOMD, UPPFYLLS_DELVIS, UPPFYLLS_EJ, UPPFYLLS_HELT, assess, bedomningsregel, bedomningsregel_allman

__all__ = [
    "Behorighetsfel",
    "GruppResultat",
    "ackumulerad",
    "bedomningsregel",
    "bedomningsregel_allman",
    "jamforelse",
    "med_jamforelse",
    "per_grupp",
    "serier",
    "AVSNITT",
    "CATALOGUE",
    "EJ_BEDOMD",
    "Filters",
    "Indicator",
    "KpiResult",
    "Period",
    "SERVICEGRAD_DEFINITIONER",
    "UPPFYLLS_DELVIS",
    "UPPFYLLS_EJ",
    "UPPFYLLS_HELT",
    "assess",
    "buckets",
    "by_avsnitt",
    "catalogue_with_data",
    "compute",
    "enheter",
    "filterlistor",
    "forvaltningar",
    "indicator",
    "koer",
    "senaste_manad",
    "series",
    "servicegrad_samtal",
    "tillgangliga_ar",
]
