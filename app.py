"""Verksamhetsuppföljning: navigation, global filters and ETL-if-stale; pages live in pages/."""
from __future__ import annotations

# pandas first, whole: Plotly and polars import it lazily, and two sessions doing that at the same moment on a
# fresh server can get a half-initialised module ("partially initialized module 'pandas'").
import pandas  # noqa: F401

import os
import subprocess
import sys
from pathlib import Path

import streamlit as st

import lake
from ui import filter as filtren
from ui import sida

ROT = Path(__file__).resolve().parent


def _senaste_mtime(mapp: Path, monster: str) -> float:
    """Newest modification time among files matching the pattern (0 when none)."""
    return max((f.stat().st_mtime for f in mapp.glob(monster) if f.is_file()), default=0.0)


def behover_etl(raw: Path, parquet: str) -> bool:
    """True when the Parquet is missing or older than the raw exports (local lakes only)."""
    if lake.is_remote(parquet) or not raw.is_dir():
        return False
    raw_tid = _senaste_mtime(raw, "*/*")
    if raw_tid == 0:
        return False
    return _senaste_mtime(Path(parquet), "*/*.parquet") < raw_tid


def kor_etl(raw: Path, parquet: str) -> None:
    """Run the ETL CLI (its stable contract) and stream its lines into a visible status box."""
    karantan = os.environ.get("VU_QUARANTINE", lake.DEFAULT_QUARANTINE)
    with st.status("Läser in nya exportfiler (ETL) …", expanded=True) as status:
        st.write("Underlaget i data/raw är nyare än Parquet-filerna – läser in det först.")
        process = subprocess.Popen(
            [sys.executable, "-m", "etl", "--raw", str(raw), "--parquet", parquet, "--quarantine", karantan],
            cwd=ROT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for rad in process.stdout:
            if rad.strip():
                st.text(rad.rstrip())
        kod = process.wait()
        if kod == 0:
            status.update(label="Inläsningen är klar", state="complete", expanded=False)
        else:
            # The ETL loads every valid file and rejects the rest whole; the app still opens on what loaded.
            status.update(label="Inläsningen är klar, men några filer avvisades – se Datakvalitet", state="error", expanded=False)


st.set_page_config(page_title="Verksamhetsuppföljning", page_icon=":material/monitoring:", layout="wide", initial_sidebar_state="expanded")
sida.stil()

raw = Path(os.environ.get("VU_RAW", lake.DEFAULT_RAW))
if not raw.is_absolute():
    raw = ROT / raw
parquet = lake.parquet_root()
if "_vu_etl_kontrollerad" not in st.session_state:
    st.session_state["_vu_etl_kontrollerad"] = True  # once per session: the check walks the raw folder
    if behover_etl(raw, parquet if lake.is_remote(parquet) or Path(parquet).is_absolute() else str(ROT / parquet)):
        kor_etl(raw, parquet)

sidor = {
    "Uppföljning": [
        st.Page("pages/oversikt.py", title="Översikt", icon=":material/dashboard:", default=True),
        st.Page("pages/maluppfyllelse.py", title="Måluppfyllelse", icon=":material/flag:"),
    ],
    "Verksamhet": [
        st.Page("pages/produktivitet.py", title="Produktivitet", icon=":material/payments:"),
        st.Page("pages/telefoni.py", title="Telefoni", icon=":material/call:"),
        st.Page("pages/sjukfranvaro.py", title="Sjukfrånvaro", icon=":material/healing:"),
        st.Page("pages/ekonomi.py", title="Ekonomi", icon=":material/account_balance:"),
    ],
    "Data": [
        st.Page("pages/datakvalitet.py", title="Datakvalitet", icon=":material/fact_check:"),
        st.Page("pages/om_indikatorerna.py", title="Om indikatorerna", icon=":material/menu_book:"),
    ],
}
# Pages owned by the report engineer are registered when their files exist.
moten = [
    st.Page(fil, title=titel, icon=ikon)
    for fil, titel, ikon in [
        ("pages/apt_lage.py", "APT-läge", ":material/co_present:"),
        ("pages/tertialrapport.py", "Tertialrapport", ":material/description:"),
    ]
    if (ROT / fil).exists()
]
if moten:
    sidor = {**{k: v for k, v in sidor.items() if k != "Data"}, "Möten och rapporter": moten, "Data": sidor["Data"]}

navigering = st.navigation(sidor)
dim = sida.aktuella_dimensioner()
filtren.sidopanel(dim["senaste_manad"], dim["ar"], dim["enheter"])
navigering.run()
