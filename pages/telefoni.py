"""Telefoni: service level and answer rate per queue against target, heatmaps, wait/handling times, Erlang C staffing."""

import polars as pl
import streamlit as st

import kpi
from kpi.format import VECKODAGAR, manad, procent
from kpi.queries import BORTFALL, SERVICEGRAD_MAL
from ui import charts, sida
from ui import filter as filtren

dim = sida.aktuella_dimensioner()
u = filtren.ko_filter(dim["koer"], filtren.urval())
sida.rubrik("Telefoni", u)
d = sida.sid_data("telefoni", u.period, u.filters)
ind = {r.id: r for r in d["indikatorer"]}
mal = ind["servicegrad"].mal if "servicegrad" in ind and ind["servicegrad"].mal is not None else SERVICEGRAD_MAL
troskel = u.filters.servicegrad_troskel_s
definition = f"Servicegrad = {kpi.SERVICEGRAD_DEFINITIONER[u.filters.servicegrad_definition]} (tröskel {troskel} s)"
st.caption(
    f"{definition}. Summor över intervallen, aldrig medel av procentsatser. Köerna är gemensamma för hela verksamheten, så enhetsfiltret gäller inte här."
)

kolumner = st.columns(len(d["indikatorer"]) or 1)
for kol, r in zip(kolumner, d["indikatorer"]):
    with kol:
        sida.ruta(r)

per_ko = d["per_ko"]
vanster, hoger = st.columns(2)
for kol, kpi_id, titel in [(vanster, "servicegrad", "Servicegrad per månad och kö"), (hoger, "svarsfrekvens", "Svarsfrekvens per månad och kö")]:
    with kol:
        del_df = per_ko.filter(pl.col("id") == kpi_id) if not per_ko.is_empty() else per_ko
        sida.diagram(
            charts.linje_mot_mal(del_df, mal=mal, titel=titel, matt="%", mal_etikett="Mål"),
            del_df.select("period", "grupp", "varde").rename({"grupp": "ko", "varde": f"{kpi_id}_procent"}) if not del_df.is_empty() else del_df,
            titel,
            definition if kpi_id == "servicegrad" else "Besvarade samtal ÷ inkommande samtal.",
            nyckel=kpi_id,
        )

dagar = [v for v in VECKODAGAR if v in set(d["inkommande_karta"]["dag"].to_list())]
vanster, hoger = st.columns(2)
with vanster:
    titel = "Inkommande samtal per dag, veckodag × timme"
    sida.diagram(
        charts.varmekarta(d["inkommande_karta"], x="tid", y="dag", z="inkommande_per_dag", titel=titel, matt="st", y_ordning=dagar),
        d["inkommande_karta"],
        titel,
        "Genomsnittligt antal inkommande samtal per dag under perioden; mörkare = färre.",
        nyckel="karta_ink",
    )
with hoger:
    titel = "Servicegrad, veckodag × timme"
    sida.diagram(
        charts.varmekarta(d["servicegrad_karta"], x="tid", y="dag", z="servicegrad", titel=titel, matt="%", y_ordning=dagar),
        d["servicegrad_karta"],
        titel,
        f"{definition}, per veckodag och timme under perioden.",
        nyckel="karta_sg",
    )

tider = (
    d["tider"].with_columns(
        pl.col("id").replace({i: kpi.CATALOGUE[i].namn for i in ["medel_vantetid", "medel_hanteringstid"] if i in kpi.CATALOGUE}).alias("grupp")
    )
    if not d["tider"].is_empty()
    else d["tider"]
)
titel = "Medelväntetid och medelhanteringstid per månad"
sida.diagram(
    charts.linje_mot_mal(tider, titel=titel, matt="s"),
    tider.select("period", "grupp", "varde").rename({"grupp": "matt", "varde": "sekunder"}) if not tider.is_empty() else tider,
    titel,
    "Väntetid för besvarade samtal ÷ besvarade; hanteringstid = (samtalstid + efterarbete) ÷ besvarade. Sekunder.",
    nyckel="tider",
)

st.subheader("Bemanningsbehov per timme (Erlang C)")
bem = d["bemanning"]
if bem.is_empty():
    st.info("Det finns inga samtal för det här urvalet.")
else:
    manaden = manad(bem["manad"][0])
    titel = f"Agenter som behövs för {procent(mal, 0)} inom {troskel} s, {manaden}"
    fig = charts.linjer_och_staplar(
        bem,
        x="tid",
        staplar_y="besvarade_per_dag",
        staplar_namn="Besvarade samtal per dag (faktiskt)",
        linje_y="agenter",
        linje_namn="Agenter som behövs (Erlang C)",
        titel=titel,
        matt="st",
    )
    sida.diagram(
        fig,
        bem,
        titel,
        f"Per timme i {manaden}: genomsnittligt antal inkommande samtal per dag och medelhanteringstid ger trafiken A = λ·AHT; "
        f"minsta antal agenter m med servicegrad SL(25 s) ≥ {procent(mal, 0)} enligt Erlang C. "
        f"Årsarbetare = agenter ÷ (1 − bortfall {procent(100 * BORTFALL, 0)}).",
        nyckel="erlang",
    )
