"""Drill-down: a link from an indicator (a tile, a goal's indicator row) to its detail page, keeping period and units."""

from __future__ import annotations

import streamlit as st

import kpi
from ui import inloggning
from ui.filter import GLOBALA_PARAMETRAR, URVAL_NYCKEL, periodval
from ui.sidkarta import detaljsida


def mal(indikator_id: str) -> tuple[str, str] | None:
    """(page file, title) of the indicator's detail page, None when it has none or the user may not open it."""
    ind = kpi.CATALOGUE.get(indikator_id)
    avsnitt = ind.avsnitt if ind else "Kund och medarbetare"  # a manual indicator found only in the data
    sida = detaljsida(avsnitt)
    if sida is None or not inloggning.anvandare().far_se(sida[0].removeprefix("pages/").removesuffix(".py")):
        return None
    return sida


def parametrar() -> dict[str, list[str]]:
    """The global filters as URL parameters: the units and the period of the sidebar's selection.

    In the running session the sidebar's own (bound) values carry over to the next page anyway; the link's parameters
    make the same view open in a new tab or from a copied link."""
    u = st.session_state.get(URVAL_NYCKEL)
    ut = {k: st.query_params.get_all(k) for k in GLOBALA_PARAMETRAR if st.query_params.get_all(k)}
    if u is not None:
        ut |= {k: [v] for k, v in periodval(u.period).items()}
    return ut


def lank(indikator_id: str, parametrar_: dict[str, list[str]] | None = None, bredd: int | str = "content") -> bool:
    """A page link to the indicator's detail page with the same filters; False (nothing drawn) when there is none.

    The text never names the page ('Visa detaljer'; the tooltip does): a link named like a page in the navigation would
    make 'the link Sjukfrånvaro' ambiguous for screen-reader users and for tests alike. `parametrar_`: parametrar(),
    when the caller draws many links at once; `bredd`: the link's width (a column of links)."""
    sida = mal(indikator_id)
    if sida is None:
        return False
    fil, titel = sida
    text = "Om indikatorn" if fil.endswith("om_indikatorerna.py") else "Visa detaljer"
    st.page_link(
        st.session_state.get(inloggning.SIDOBJEKT, {}).get(fil, fil),
        label=text,
        icon=":material/arrow_forward:",
        query_params=parametrar() if parametrar_ is None else parametrar_,
        help=f"Öppna sidan {titel} med samma period och enheter.",
        width=bredd,
    )
    return True
