"""Drill-down: a link from an indicator (a tile, a goal's indicator row) to its detail page, keeping period and units."""

from __future__ import annotations

import streamlit as st

import kpi
from kpi.period import Period
from ui import inloggning
from ui.filter import GLOBALA_PARAMETRAR, periodval
from ui.sidkarta import detaljsida


def mal(indikator_id: str) -> tuple[str, str] | None:
    """(page file, title) of the indicator's detail page, None when it has none or the user may not open it."""
    ind = kpi.CATALOGUE.get(indikator_id)
    avsnitt = ind.avsnitt if ind else "Kund och medarbetare"  # a manual indicator found only in the data
    sida = detaljsida(avsnitt)
    if sida is None or not inloggning.anvandare().far_se(sida[0].removeprefix("pages/").removesuffix(".py")):
        return None
    return sida


def parametrar(period: Period | None = None) -> dict[str, list[str]]:
    """The global filters of the current URL (units, period), with the period replaced by `period` when given."""
    ut = {k: st.query_params.get_all(k) for k in GLOBALA_PARAMETRAR if st.query_params.get_all(k)}
    if period is not None:
        ut = {k: v for k, v in ut.items() if k not in ("ar", "period", "manad")} | {k: [v] for k, v in periodval(period).items()}
    return ut


def lank(indikator_id: str, period: Period | None = None, kort: bool = False) -> bool:
    """A page link to the indicator's detail page with the same filters; False (nothing drawn) when there is none.

    kort: the page's name only ('Telefoni'), for a column headed 'Detaljsida'; else 'Visa i Telefoni'."""
    sida = mal(indikator_id)
    if sida is None:
        return False
    fil, titel = sida
    om = fil.endswith("om_indikatorerna.py")
    text = titel if kort else "Om indikatorn" if om else f"Visa i {titel}"
    st.page_link(
        fil, label=text, icon=":material/arrow_forward:", query_params=parametrar(period), help=f"Öppna sidan {titel} med samma period och enheter."
    )
    return True
