"""Datakvalitet: recent ETL runs, files and rows per source, validation results, quarantined files with reasons."""

import polars as pl
import streamlit as st

from kpi.format import MANADER_KORT, Visning, tal
from kpi.tabell import Kolumn
from ui import filter as filtren
from ui import sida
from ui.inlasning import omkorning

u = filtren.urval()
st.title("Datakvalitet", anchor=False)
st.caption("Vad inläsningen (ETL) gjorde: körningar, filer per källa, valideringsregler och avvisade filer.")
d = sida.sid_data("datakvalitet", u.period, u.filters)
ANTAL = Visning("st", "st")

korningar = d["korningar"]
if korningar.is_empty():
    st.warning("Ingen ETL-körning är registrerad. Kör `python -m etl` för att läsa in underlaget.")
else:
    k = korningar.row(0, named=True)
    a, b, c, e = st.columns(4)
    a.metric(
        "Senaste inläsning",
        f"{k['startad'].day} {MANADER_KORT[k['startad'].month - 1]} {k['startad']:%H:%M}",
        help=f"Körning {k['korning_id']}, {k['startad']:%Y-%m-%d %H:%M}",
        border=True,
    )
    b.metric("Filer i senaste körningen", tal(k["filer"]), border=True)
    c.metric("Avvisade filer", tal(k["avvisade_filer"]), border=True)
    e.metric("Inlästa rader", tal(k["rader"]), border=True)

statusord = {"ok": "OK", "avvisade_filer": "Avvisade filer"}
sida.tabell(
    korningar.with_columns(pl.col("status").replace(statusord)),
    "Senaste körningar",
    [
        Kolumn("korning_id", "Körning"),
        Kolumn("startad", "Startad"),
        Kolumn("klar", "Klar"),
        Kolumn("status", "Status"),
        Kolumn("filer", "Filer", ANTAL),
        Kolumn("inlasta_filer", "Inlästa", ANTAL),
        Kolumn("avvisade_filer", "Avvisade", ANTAL),
        Kolumn("rader", "Rader", ANTAL),
    ],
    nyckel="korningar",
)

vanster, hoger = st.columns(2)
with vanster:
    sida.tabell(
        d["filer_per_kalla"],
        "Filer och rader per källa",
        [
            Kolumn("kalla", "Källa"),
            Kolumn("filer", "Filer", ANTAL),
            Kolumn("avvisade", "Avvisade", ANTAL),
            Kolumn("inlasta_rader", "Inlästa rader", ANTAL),
            Kolumn("senast", "Senast"),
        ],
        nyckel="filer",
    )
with hoger:
    sida.tabell(
        d["senaste_manader"],
        "Senaste månad per källa",
        [Kolumn("kalla", "Källa"), Kolumn("senaste_manad", "Senaste månad"), Kolumn("rader", "Rader i Parquet", ANTAL)],
        nyckel="senaste",
    )

sida.tabell(
    d["regler_per_kalla"],
    "Valideringsregler per källa",
    [
        Kolumn("kalla", "Källa"),
        Kolumn("regel", "Regel"),
        Kolumn("filer", "Filer", ANTAL),
        Kolumn("godkanda", "Godkända", ANTAL),
        Kolumn("underkanda", "Underkända", ANTAL),
        Kolumn("antal_fel", "Felaktiga rader", ANTAL),
    ],
    nyckel="regler",
)
st.caption("Varje fils senaste validering. En fil som inte ändrats sedan förra körningen valideras inte om.")
fel = d["valideringsfel"]
if fel.is_empty():
    st.success("Inga valideringsfel: alla filer klarar sina regler.")
else:
    sida.tabell(
        fel,
        "Valideringsfel",
        [
            Kolumn("kalla", "Källa"),
            Kolumn("fil", "Fil"),
            Kolumn("regel", "Regel"),
            Kolumn("kolumn", "Kolumn"),
            Kolumn("antal_fel", "Antal fel", ANTAL),
            Kolumn("exempel", "Exempel"),
            Kolumn("tidpunkt", "Tidpunkt"),
        ],
        nyckel="valideringsfel",
    )

avvisade = d["avvisade"]
st.subheader("Avvisade filer (i karantän)", anchor=False)
if avvisade.is_empty():
    st.success("Inga filer har avvisats.")
else:
    st.caption("En avvisad fil läses inte in alls; den ligger i data/quarantine med en rapport. Rätta filen och lägg den i data/raw igen.")
    sida.tabell(
        avvisade,
        "Avvisade filer",
        [
            Kolumn("fil", "Fil"),
            Kolumn("kalla", "Källa"),
            Kolumn("meddelande", "Orsak"),
            Kolumn("tidpunkt", "Tidpunkt"),
            Kolumn("korning_id", "Körning"),
        ],
        nyckel="avvisade",
        visa_titel=False,
    )

omkorning()  # the roles that may re-run the ETL (behorighet: kora_etl) get the button
