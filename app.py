"""Verksamhetsuppföljning: login gate, navigation, global filters and ETL-if-stale; pages live in pages/."""

from __future__ import annotations

# pandas first, whole: Plotly and polars import it lazily, and two sessions doing that at the same moment on a
# fresh server can get a half-initialised module ("partially initialized module 'pandas'").
import pandas  # noqa: F401
import streamlit as st

from kpi.period import Behorighetsfel
from ui import filter as filtren
from ui import inloggning, kapacitet, sida, tillganglighet
from ui.inlasning import parquet_mapp, raw_mapp, sakerstall_aktuell_data


def visa() -> None:
    """One page view: page setup, login gate, ETL-if-stale, navigation, filters, then the page itself."""
    st.set_page_config(page_title=tillganglighet.TJANST, page_icon=":material/monitoring:", layout="wide", initial_sidebar_state="expanded")
    sida.stil()
    tillganglighet.forbattra()
    meny = st.sidebar.container(key="vu_meny")  # the page menu comes first in the sidebar, drawn once the user is known

    # With [auth] in secrets nothing below runs before a mapped user is signed in (login or no-access page, then stop).
    anvandare = inloggning.grind()

    if "_vu_etl_kontrollerad" not in st.session_state:
        st.session_state["_vu_etl_kontrollerad"] = True  # once per session: the check walks the raw folder
        sakerstall_aktuell_data(raw_mapp(), parquet_mapp())

    navigering, sid_id = inloggning.navigation(anvandare, meny)
    st.set_page_config(page_title=tillganglighet.sidtitel(navigering.title))
    inloggning.krav_sida(anvandare, sid_id, navigering.title)
    dim = sida.aktuella_dimensioner()
    try:
        urval = filtren.sidopanel(dim["senaste_manad"], dim["ar"], dim["enheter"], omfang=anvandare.omfang)
    except Behorighetsfel as fel:  # a hand-edited link for a unit outside the user's scope: the reason, no data
        inloggning.nekat_urval(anvandare, sid_id, fel, lambda: st.query_params.pop("enhet", None))
    inloggning.anvandarruta(anvandare)
    inloggning.sidvy(anvandare, sid_id, urval)
    navigering.run()


# In turns (ui/kapacitet.py): a Monday-morning rush gets its first pages first instead of all of them late.
with kapacitet.tur():
    visa()
