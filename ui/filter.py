"""Global sidebar filters (år, period, månad, enhet) bound to the URL, so a copied link opens the same view."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import streamlit as st

from kpi.format import MANADER
from kpi.period import SERVICEGRAD_DEFINITIONER, Filters, Period, tertial_of
from sakerhet import markdown_text

PERIODTYPER = ["Helår", "T1", "T2", "T3", "Månad", "Hittills i år"]
URVAL_NYCKEL = "_vu_urval"
# The URL parameters of the global filters (the keys of the bound widgets below): a link to another page carries them.
GLOBALA_PARAMETRAR = ("ar", "period", "manad", "enhet")


@dataclass(frozen=True)
class Urval:
    """What every page shows: the period and the filters, plus a readable unit text for headings."""

    period: Period
    filters: Filters

    @property
    def enhetstext(self) -> str:
        """'Alla enheter' or the chosen units (Filters owns the description)."""
        return self.filters.beskrivning(("enhet",))


def period_av(ar: int, typ: str, manad: int) -> Period:
    """The Period for a sidebar choice."""
    if typ == "Helår":
        return Period(ar)
    if typ in ("T1", "T2", "T3"):
        return Period(ar, tertial=int(typ[1]))
    if typ == "Månad":
        return Period(ar, month=manad)
    return Period(ar, month=manad, ytd=True)


def periodval(period: Period) -> dict[str, str]:
    """The sidebar's choice (URL parameters ar, period, manad) that gives this Period: the inverse of period_av."""
    if period.tertial is not None:
        typ = f"T{period.tertial}"
    elif period.month is not None:
        typ = "Hittills i år" if period.ytd else "Månad"
    else:
        typ = "Helår"
    val = {"ar": str(period.year), "period": typ}
    if period.month is not None:
        val["manad"] = str(period.month)
    return val


def sidopanel(senaste_manad: date | None, ar_med_data: list[int], enheter: list[str], omfang: tuple[str, ...] | None = None) -> Urval:
    """Draw the global filters; defaults are the latest month with data and its tertial.

    omfang is the signed-in user's units (None = all): the unit filter offers only those, and a URL asking for
    another unit raises kpi.period.Behorighetsfel before anything is drawn (app.py shows the reason, no data)."""
    if omfang is not None:
        # Read the URL before the widget: a bound multiselect silently drops values it does not offer, and a
        # hand-edited link for someone else's unit must be refused, not quietly turned into the user's own units.
        begart = tuple(st.query_params.get_all("enhet"))
        if omfang or begart:
            Filters(units=begart, omfang=omfang)
        enheter = [e for e in enheter if e in omfang]
    senaste = senaste_manad or date(date.today().year, date.today().month, 1)
    ar_med_data = sorted(ar_med_data) or [senaste.year]
    # The year after the latest data is offered too: in January the new year's targets exist before its data.
    ar_val = list(range(ar_med_data[0], max(ar_med_data[-1] + 1, date.today().year) + 1))[::-1]
    sb = st.sidebar
    sb.markdown("### Urval")
    ar = sb.selectbox("År", ar_val, index=ar_val.index(senaste.year), key="ar", bind="query-params")
    standardtyp = PERIODTYPER.index(f"T{tertial_of(senaste.month)}")
    typ = sb.selectbox("Period", PERIODTYPER, index=standardtyp, key="period", bind="query-params")
    # The month is asked for only when the period uses it: a disabled choice is noise, and its greyed label failed 4.5:1.
    manad = senaste.month
    if typ in ("Månad", "Hittills i år"):
        manad = sb.selectbox(
            "Månad",
            list(range(1, 13)),
            index=senaste.month - 1,
            format_func=lambda m: MANADER[m - 1],
            key="manad",
            bind="query-params",
            help="Perioden Månad visar den valda månaden, Hittills i år januari till och med den.",
        )
    if omfang == ():
        # A role without unit figures (dataansvarig) reaches only pages that show none (behorighet.SIDOR): no unit filter.
        filters = Filters()
    else:
        valda = sb.multiselect(
            "Enhet", enheter, default=[], key="enhet", bind="query-params", placeholder="Alla enheter" if omfang is None else "Alla mina enheter"
        )
        filters = Filters(units=tuple(v for v in valda if v in enheter), omfang=omfang)
    urval = Urval(period_av(ar, typ, manad), filters)
    sb.caption(f"Visar **{markdown_text(urval.period.label)}** · {markdown_text(urval.enhetstext)}. Adressfältets länk öppnar samma vy.")
    st.session_state[URVAL_NYCKEL] = urval
    return urval


def urval() -> Urval:
    """The selection app.py drew this run (pages call this)."""
    from streamlit.runtime.pages_manager import PagesManager

    if URVAL_NYCKEL not in st.session_state or PagesManager.uses_pages_directory:
        # A deep link as the server's very first request makes Streamlit run the page file alone (its
        # pages/-folder mode) until app.py has called st.navigation once; switch that mode off and rerun
        # so app.py draws the navigation and filters around the same page. Checked on every run, not only
        # the first: a page file run alone would skip app.py's login gate.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state[URVAL_NYCKEL]


def ko_filter(koer: list[str], u: Urval) -> Urval:
    """Telephony: queue choice and service-level definition on the page's sidebar, also bound to the URL."""
    sb = st.sidebar
    sb.markdown("### Telefoni")
    valda = sb.multiselect("Kö", koer, default=[], key="ko", bind="query-params", placeholder="Alla köer")
    definitioner = list(SERVICEGRAD_DEFINITIONER)
    definition = sb.selectbox(
        "Servicegrad räknas som",
        definitioner,
        index=0,
        format_func=lambda d: SERVICEGRAD_DEFINITIONER[d],
        key="servicegrad",
        bind="query-params",
        help="Standard är planernas egen: besvarade inom 25 s av alla inkommande samtal.",
    )
    return replace(u, filters=replace(u.filters, queues=tuple(k for k in valda if k in koer), servicegrad_definition=definition))


def forvaltning_filter(forvaltningar: list[str], u: Urval) -> Urval:
    """Productivity: förvaltning choice for the volume figures, bound to the URL."""
    sb = st.sidebar
    sb.markdown("### Volymer")
    valda = sb.multiselect("Förvaltning", forvaltningar, default=[], key="forvaltning", bind="query-params", placeholder="Alla förvaltningar")
    return replace(u, filters=replace(u.filters, forvaltningar=tuple(f for f in valda if f in forvaltningar)))
