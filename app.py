"""Verksamhetsuppföljning: navigation, global filters and ETL-if-stale; pages live in pages/."""

from __future__ import annotations

import os
from pathlib import Path

# pandas first, whole: Plotly and polars import it lazily, and two sessions doing that at the same moment on a
# fresh server can get a half-initialised module ("partially initialized module 'pandas'").
import pandas  # noqa: F401
import streamlit as st

import lake
from ui import filter as filtren
from ui import sida
from ui.inlasning import sakerstall_aktuell_data
from ui.sidkarta import SIDKARTA

ROT = Path(__file__).resolve().parent


st.set_page_config(page_title="Verksamhetsuppföljning", page_icon=":material/monitoring:", layout="wide", initial_sidebar_state="expanded")
sida.stil()

raw = Path(os.environ.get("VU_RAW", lake.DEFAULT_RAW))
if not raw.is_absolute():
    raw = ROT / raw
parquet = lake.parquet_root()
if "_vu_etl_kontrollerad" not in st.session_state:
    st.session_state["_vu_etl_kontrollerad"] = True  # once per session: the check walks the raw folder
    sakerstall_aktuell_data(raw, parquet if lake.is_remote(parquet) or Path(parquet).is_absolute() else str(ROT / parquet))

sidor = {
    avsnitt: [st.Page(fil, title=titel, icon=ikon, default=fil == "pages/oversikt.py") for fil, titel, ikon in rader]
    for avsnitt, rader in SIDKARTA.items()
}
navigering = st.navigation(sidor)
dim = sida.aktuella_dimensioner()
filtren.sidopanel(dim["senaste_manad"], dim["ar"], dim["enheter"])
navigering.run()
