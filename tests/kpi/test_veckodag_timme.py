"""The telephony heatmap's service level is the catalogue formula grouped by weekday and hour."""

from __future__ import annotations

import pytest

import lake
from kpi import Filters, Period
from kpi.queries import telefoni_kartor


@pytest.mark.parametrize(
    "definition, namnare",
    [
        ("inkommande", "sum(inkommande)"),
        ("besvarade", "sum(besvarade)"),
    ],
)
def test_servicegrad_per_veckodag_och_timme_ar_kvot_av_summor(sample_lake, definition, namnare):
    con = lake.connect(sample_lake)
    period = Period(year=2026, tertial=2)
    _, karta = telefoni_kartor(con, period, Filters(servicegrad_definition=definition))
    facit = lake.query(
        con,
        f"""SELECT isodow(datum) AS d, hour(intervall_start) AS h, 100.0 * sum(besvarade_inom_25s) / {namnare} AS sg
            FROM telefoni WHERE manad BETWEEN $s AND $e GROUP BY ALL ORDER BY d, h""",
        {"s": period.start, "e": period.end},
    )
    assert karta.height == facit.height > 0
    assert karta["servicegrad"].to_list() == pytest.approx(facit["sg"].to_list())
    assert karta["dag"][0] == "måndag" and karta["tid"][0] == f"{facit['h'][0]:02d}:00"
