"""Sjukfrånvaro: 12-month rolling total against target, short and long, per unit; small units suppressed."""

import polars as pl
import streamlit as st

import kpi
from kpi.format import procent
from ui import charts, sida
from ui import filter as filtren

u = filtren.urval()
sida.rubrik("Sjukfrånvaro", u)
d = sida.sid_data("sjukfranvaro", u.period, u.filters)
ind = {r.id: r for r in d["indikatorer"]}

kolumner = st.columns(len(d["indikatorer"]) or 1)
for kol, r in zip(kolumner, d["indikatorer"]):
    with kol:
        sida.ruta(r)

titel = "Sjukfrånvaro, rullande 12 månader, per enhet"
rullande = d["rullande"]
mal = ind["sjukfranvaro_12m"].mal if "sjukfranvaro_12m" in ind else None
if mal is None and "sjukfranvaro" in ind:
    mal = ind["sjukfranvaro"].mal
# Downloads carry the same suppression as the screen: value null and the reason, never the hours behind it.
rullande_ut = (
    rullande.select("period", "grupp", "varde", "orsak").rename({"grupp": "enhet", "varde": "sjukfranvaro_12m_procent"})
    if not rullande.is_empty()
    else rullande
)
dolda = sorted(set(rullande.filter(pl.col("varde").is_null() & pl.col("orsak").is_not_null())["grupp"].to_list())) if not rullande.is_empty() else []
text = "Sjukfrånvarotimmar ÷ ordinarie arbetstid under de 12 månader som slutar med varje månad."
if dolda:
    text += f" Visas inte: {', '.join(dolda)} (färre än 5 anställda – små grupper kan peka ut personer)."
sida.diagram(charts.linje_mot_mal(rullande, mal=mal, titel=titel, matt="%"), rullande_ut, titel, text, nyckel="rullande")

st.subheader(f"Per enhet, {u.period.label}")
per_enhet = d["per_enhet"]
if per_enhet.is_empty():
    st.info("Det finns inga uppgifter för det här urvalet.")
else:
    namn = {i: kpi.CATALOGUE[i].namn for i in per_enhet["id"].unique().to_list() if i in kpi.CATALOGUE}
    visning = per_enhet.with_columns(
        pl.col("id").replace(namn).alias("Indikator"),
        sida.text(per_enhet, "varde", procent, "Värde"),
    ).pivot(on="Indikator", index="enhet", values="Värde")
    orsaker = per_enhet.filter(pl.col("varde").is_null()).group_by("enhet").agg(pl.col("orsak").drop_nulls().first().alias("Anmärkning"))
    visning = visning.join(orsaker, on="enhet", how="left").with_columns(pl.col("Anmärkning").fill_null("")).rename({"enhet": "Enhet"})
    st.dataframe(visning, hide_index=True)
    sida.nedladdning(per_enhet.select("enhet", "id", "namn", "varde", "mal", "orsak"), f"Sjukfrånvaro per enhet {u.period.label}", nyckel="per_enhet")

titel = "Korttidsfrånvaro (dag 1–14) och långtidsfrånvaro (dag 15–) per månad"
kort_lang = d["kort_lang"]
if not kort_lang.is_empty():
    kort_lang = kort_lang.with_columns(
        pl.col("id").replace({i: kpi.CATALOGUE[i].namn for i in ["sjukfranvaro_kort", "sjukfranvaro_lang"] if i in kpi.CATALOGUE}).alias("grupp")
    )
sida.diagram(
    charts.linje_mot_mal(kort_lang, titel=titel, matt="%"),
    kort_lang.select("period", "grupp", "varde", "orsak").rename({"grupp": "del", "varde": "procent"}) if not kort_lang.is_empty() else kort_lang,
    titel,
    "Andel av ordinarie arbetstid i månaden för urvalet.",
    nyckel="kort_lang",
)
