"""Datakvalitet: recent ETL runs, files and rows per source, validation results, quarantined files with reasons."""

import polars as pl
import streamlit as st

from kpi.format import MANADER_KORT, Visning, tal
from kpi.fullstandighet import vantande_korlogg
from kpi.queries import med_vantande
from kpi.tabell import Kolumn
from ui import filter as filtren
from ui import inloggning, leverans, sida
from ui.inlasning import karantan_mapp, omkorning

u = filtren.urval()
st.title("Datakvalitet", anchor=False)
st.caption("Vad inläsningen (ETL) gjorde: körningar, filer per källa, valideringsregler och avvisade filer.")
# avvisade leveranser som ännu inte skrivits i körloggen (de väntar på nästa körning) visas direkt
d = med_vantande(sida.sid_data("datakvalitet", u.period, u.filters), vantande_korlogg(karantan_mapp()))
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

statusord = {"ok": "OK", "avvisade_filer": "Avvisade filer", "avbruten": "Avbruten"}
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
        Kolumn("levererad_av", "Levererad av"),
        Kolumn("meddelande", "Meddelande"),
    ],
    nyckel="korningar",
)

st.subheader("Leveranser de senaste 13 månaderna")
leverans.visa_fullstandighet(leverans.fullstandighetsdata(u), "datakvalitet")
if inloggning.anvandare().far_se("leverera_data"):
    st.page_link(leverans.LEVERERA_DATA, label="Leverera en fil som saknas", icon=":material/upload_file:")

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
            Kolumn("levererad_av", "Levererad av"),
            Kolumn("korning_id", "Körning"),
        ],
        nyckel="avvisade",
        visa_titel=False,
    )

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
        okanda,
        "Okända enheter och värden",
        [
            Kolumn("kolumn", "Kolumn"),
            Kolumn("skrivet", "Namn i filen"),
            Kolumn("kalla", "Källa"),
            Kolumn("fil", "Fil"),
            Kolumn("rader", "Rader", ANTAL),
        ],
        nyckel="okanda_namn",
    )
if not tolkade.is_empty():
    typord = {"alias": "Alias i registret", "variant": "Annan stavning (versaler, mellanslag, tecken)", "normaliserad": "Mellanslag eller tecken"}
    sida.tabell(
        tolkade.with_columns(pl.col("typ").replace(typord).alias("skal")),
        "Namn som lästs in i registrets eller standardens stavning",
        [
            Kolumn("kolumn", "Kolumn"),
            Kolumn("skrivet", "Namn i filen"),
            Kolumn("tolkat", "Inläst som"),
            Kolumn("skal", "Skäl"),
            Kolumn("kalla", "Källa"),
            Kolumn("fil", "Fil"),
            Kolumn("rader", "Rader", ANTAL),
        ],
        nyckel="tolkade_namn",
    )
    st.caption("Osynliga tecken i namnen visas som [U+200B] och dubbla mellanslag som ␣␣.")

omkorning()  # the roles that may re-run the ETL (behorighet: kora_etl) get the button
