"""Sjukfrånvaro: 12-month rolling total against target, short and long, per unit; small units suppressed."""

import polars as pl
import streamlit as st

import diagram
import kpi
from kpi.queries import SJUK_IDS
from kpi.tabell import Kolumn, indikatorkolumn, seriekolumner
from sakerhet import markdown_text
from ui import filter as filtren
from ui import sida

u = filtren.urval()
sida.rubrik("Sjukfrånvaro", u)
d = sida.sid_data("sjukfranvaro", u.period, u.filters)
ind = {r.id: r for r in d["indikatorer"]}
procent = kpi.CATALOGUE["sjukfranvaro"].visning

sida.rutor(d["indikatorer"])

titel = "Sjukfrånvaro, rullande 12 månader, per enhet"
rullande = d["rullande"]
dolda = sorted(set(rullande.filter(pl.col("varde").is_null() & pl.col("orsak").str.contains("anställda"))["grupp"].drop_nulls().to_list()))
text = "Sjukfrånvarotimmar ÷ ordinarie arbetstid under de 12 månader som slutar med varje månad."
if dolda:
    text += f" Visas inte: {markdown_text(', '.join(dolda))} (färre än 5 anställda – små grupper kan peka ut personer)."
mal = ind["sjukfranvaro_12m"].mal if "sjukfranvaro_12m" in ind else None
# Downloads carry the same suppression as the screen: value empty and the reason, never the hours behind it.
sida.figur(
    lambda: diagram.linje_mot_mal(rullande, mal=mal, titel=titel, matt=procent),
    rullande,
    titel,
    text + (" Streckad linje: årsmålet." if mal is not None else ""),
    nyckel="rullande",
    kolumner=seriekolumner("sjukfranvaro_12m", "Enhet"),
    mal=mal,
)

st.subheader(f"Per enhet, {u.period.label}", anchor=False)
per_enhet = d["per_enhet"]
if per_enhet.is_empty():
    st.info("Det finns inga uppgifter för det här urvalet.")
else:
    bred = per_enhet.pivot(on="id", index="enhet", values="varde")
    orsaker = per_enhet.filter(pl.col("varde").is_null()).group_by("enhet").agg(pl.col("orsak").drop_nulls().first().alias("orsak"))
    bred = bred.join(orsaker, on="enhet", how="left")
    ids = [i for i in SJUK_IDS if i in bred.columns]
    sida.tabell(
        bred,
        f"Sjukfrånvaro per enhet {u.period.label}",
        [Kolumn("enhet", "Enhet"), *[indikatorkolumn(i, i) for i in ids], Kolumn("orsak", "Anmärkning")],
        nyckel="per_enhet",
        visa_titel=False,
    )

titel = "Korttidsfrånvaro (dag 1–14) och långtidsfrånvaro (dag 15–) per månad"
kort_lang = d["kort_lang"].with_columns(
    pl.col("id").replace({i: kpi.CATALOGUE[i].namn for i in ["sjukfranvaro_kort", "sjukfranvaro_lang"]}).alias("grupp")
)
sida.figur(
    lambda: diagram.linje_mot_mal(kort_lang, titel=titel, matt=procent),
    kort_lang,
    titel,
    "Andel av ordinarie arbetstid i månaden för urvalet.",
    nyckel="kort_lang",
    kolumner=[Kolumn("period", "Period"), Kolumn("grupp", "Del"), Kolumn("varde", "Sjukfrånvaro", procent), Kolumn("orsak", "Anmärkning")],
)
st.caption(kpi.bedomningsregel_allman())
