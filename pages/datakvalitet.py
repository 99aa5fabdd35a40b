"""Datakvalitet: recent ETL runs, files and rows per source, validation results, quarantined files with reasons."""

import polars as pl
import streamlit as st

from kpi.format import MANADER_KORT, manad, tal
from ui import filter as filtren
from ui import sida

u = filtren.urval()
st.title("Datakvalitet")
st.caption("Vad inläsningen (ETL) gjorde: körningar, filer per källa, valideringsregler och avvisade filer.")
d = sida.sid_data("datakvalitet", u.period, u.filters)

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

statusord = {"ok": "OK", "avvisade_filer": "Avvisade filer", "avbruten": "Avbruten"}
sida.tabell(
    korningar.with_columns(pl.col("status").replace(statusord)).rename(
        {
            "korning_id": "Körning",
            "startad": "Startad",
            "klar": "Klar",
            "status": "Status",
            "filer": "Filer",
            "inlasta_filer": "Inlästa",
            "avvisade_filer": "Avvisade",
            "rader": "Rader",
            "meddelande": "Meddelande",
        }
    ),
    "Senaste körningar",
    nyckel="korningar",
)

senaste = (
    d["senaste_manader"]
    .with_columns(sida.text(d["senaste_manader"], "senaste_manad", lambda m: manad(m) if m else "–", "Senaste månad"))
    .select(pl.col("kalla").alias("Källa"), "Senaste månad", pl.col("rader").alias("Rader i Parquet"))
)
filer = d["filer_per_kalla"].rename(
    {"kalla": "Källa", "filer": "Filer", "avvisade": "Avvisade", "inlasta_rader": "Inlästa rader", "senast": "Senast"}
)
vanster, hoger = st.columns(2)
with vanster:
    sida.tabell(filer, "Filer och rader per källa", nyckel="filer")
with hoger:
    sida.tabell(senaste, "Senaste månad per källa", nyckel="senaste")

regler = d["regler_per_kalla"].rename(
    {"kalla": "Källa", "regel": "Regel", "filer": "Filer", "godkanda": "Godkända", "underkanda": "Underkända", "antal_fel": "Felaktiga rader"}
)
sida.tabell(regler, "Valideringsregler per källa", nyckel="regler")
st.caption("Varje fils senaste validering. En fil som inte ändrats sedan förra körningen valideras inte om.")
fel = d["valideringsfel"]
if fel.is_empty():
    st.success("Inga valideringsfel: alla filer klarar sina regler.")
else:
    sida.tabell(
        fel.rename(
            {
                "kalla": "Källa",
                "fil": "Fil",
                "regel": "Regel",
                "kolumn": "Kolumn",
                "antal_fel": "Antal fel",
                "exempel": "Exempel",
                "tidpunkt": "Tidpunkt",
            }
        ),
        "Valideringsfel",
        nyckel="valideringsfel",
    )

avvisade = d["avvisade"].rename({"fil": "Fil", "kalla": "Källa", "meddelande": "Orsak", "tidpunkt": "Tidpunkt", "korning_id": "Körning"})
st.subheader("Avvisade filer (i karantän)")
if avvisade.is_empty():
    st.success("Inga filer har avvisats.")
else:
    st.caption("En avvisad fil läses inte in alls; den ligger i data/quarantine med en rapport. Rätta filen och lägg den i data/raw igen.")
    sida.tabell(avvisade, "Avvisade filer", nyckel="avvisade", visa_titel=False)

# Unit names and code values read in another spelling, and names the unit register does not know (etl_namn).
namn = d["namn"]
st.subheader("Enhetsnamn och kodvärden")
okanda = namn.filter(pl.col("typ") == "okand")
tolkade = namn.filter(pl.col("typ") != "okand")
if namn.is_empty():
    st.success("Alla enhetsnamn och kodvärden stod i sin vanliga stavning.")
if not okanda.is_empty():
    st.warning(
        "Några namn finns inte i enhetsregistret (data/raw/enheter/) eller bland standardens kategorier: de är inlästa som de står. "
        "Är det en felstavning, lägg namnet som alias i registret så läses filerna in på nytt."
    )
    sida.tabell(
        okanda.select(
            pl.col("kolumn").alias("Kolumn"),
            pl.col("skrivet").alias("Namn i filen"),
            pl.col("kalla").alias("Källa"),
            pl.col("fil").alias("Fil"),
            pl.col("rader").alias("Rader"),
        ),
        "Okända enheter och värden",
        nyckel="okanda_namn",
    )
if not tolkade.is_empty():
    typord = {"alias": "Alias i registret", "variant": "Annan stavning (versaler, mellanslag, tecken)", "normaliserad": "Mellanslag eller tecken"}
    sida.tabell(
        tolkade.select(
            pl.col("kolumn").alias("Kolumn"),
            pl.col("skrivet").alias("Namn i filen"),
            pl.col("tolkat").alias("Inläst som"),
            pl.col("typ").replace(typord).alias("Skäl"),
            pl.col("kalla").alias("Källa"),
            pl.col("fil").alias("Fil"),
            pl.col("rader").alias("Rader"),
        ),
        "Namn som lästs in i registrets eller standardens stavning",
        nyckel="tolkade_namn",
    )
    st.caption("Osynliga tecken i namnen visas som [U+200B] och dubbla mellanslag som ␣␣.")
