"""Ekonomi: budget, actuals and result per month and year to date, forecast per unit and group, forecast movement, deviations."""

import polars as pl
import streamlit as st

from kpi.format import manad, tkr
from ui import charts, sida
from ui import filter as filtren

u = filtren.urval()
sida.rubrik("Ekonomi", u)
d = sida.sid_data("ekonomi", u.period, u.filters)

kolumner = st.columns(4)
for i, r in enumerate(d["indikatorer"]):
    with kolumner[i % 4]:
        sida.ruta(r, ekonomi=True)

per_manad = d["per_manad"]
vanster, hoger = st.columns(2)
with vanster:
    titel = f"Resultat per månad, utfall och budget {u.period.year}"
    lang = (
        per_manad.unpivot(index="manad", on=["resultat", "budget_resultat"], variable_name="serie", value_name="kr").with_columns(
            pl.col("serie").replace({"resultat": "Utfall", "budget_resultat": "Budget"})
        )
        if not per_manad.is_empty()
        else per_manad
    )
    sida.diagram(
        charts.staplar(lang, x="manad", y="kr", farg="serie", staplade=False, titel=titel, matt="tkr"),
        per_manad,
        titel,
        "Resultat = intäkter − kostnader. Belopp i tkr.",
        nyckel="resultat_manad",
    )
with hoger:
    titel = f"Ackumulerat resultat hittills i år {u.period.year}"
    ack = (
        per_manad.unpivot(index="manad", on=["resultat_ackumulerat", "budget_ackumulerad"], variable_name="grupp", value_name="varde").with_columns(
            pl.col("grupp").replace({"resultat_ackumulerat": "Utfall", "budget_ackumulerad": "Budget"})
        )
        if not per_manad.is_empty()
        else per_manad
    )
    sida.diagram(
        charts.linje_mot_mal(ack, x="manad", titel=titel, matt="tkr"),
        per_manad.select("manad", "resultat_ackumulerat", "budget_ackumulerad"),
        titel,
        "Summan från januari till och med varje månad. Belopp i tkr.",
        nyckel="resultat_ack",
    )

prognos = d["prognos_per_grupp"]
pm = prognos["prognosmanad"].drop_nulls()
st.subheader("Helårsprognos mot budget per enhet och kontogrupp" + (f" (prognos {manad(pm[0])})" if len(pm) else ""))
if prognos.is_empty():
    st.info("Det finns ingen prognos eller budget för det här urvalet.")
else:
    visning = prognos.select(
        pl.col("ansvar").alias("Enhet"),
        pl.col("kontogrupp").alias("Kontogrupp"),
        pl.col("typ").replace({"intakt": "Intäkt", "kostnad": "Kostnad"}).alias("Typ"),
        *[sida.text(prognos, k, tkr, n) for k, n in [("budget", "Årsbudget"), ("prognos", "Helårsprognos"), ("avvikelse", "Avvikelse (+ = bättre)")]],
    )
    st.dataframe(visning, hide_index=True)
    sida.nedladdning(prognos, "Helårsprognos per enhet och kontogrupp", nyckel="prognos_grupp")

vanster, hoger = st.columns([2, 3])
with vanster:
    titel = "Helårsprognosens resultat"
    flytt = d["prognosforandring"]
    budget_ar = flytt["budget_resultat_ar"].drop_nulls()
    sida.diagram(
        charts.linje_mot_mal(
            flytt.with_columns(pl.lit("Helårsprognos").alias("grupp")),
            x="prognosmanad",
            y="resultat",
            mal=budget_ar[0] if len(budget_ar) else None,
            mal_etikett="Årsbudget",
            titel=titel,
            matt="tkr",
        ),
        flytt,
        titel,
        "Varje punkt är helårsprognosen som lämnades i den prognosmånaden; streckad linje: årets budgeterade resultat. Belopp i tkr.",
        nyckel="prognos_flytt",
    )
with hoger:
    titel = "Största avvikelser mot budget hittills i år"
    avv = d["avvikelser"].head(10).with_columns(pl.format("{} · {}", "kontogrupp", "ansvar").alias("rad"))
    sida.diagram(
        charts.staplar(avv, x="rad", y="avvikelse", horisontell=True, titel=titel, matt="tkr", varde_etiketter=True),
        d["avvikelser"],
        titel,
        "Positivt = bättre för resultatet än budget (högre intäkt eller lägre kostnad).",
        nyckel="avvikelser_fig",
    )

st.subheader("Avvikelser mot budget hittills i år (för controller)")
avv = d["avvikelser"]
if avv.is_empty():
    st.info("Det finns inga uppgifter för det här urvalet.")
else:
    st.dataframe(
        avv.select(
            pl.col("ansvar").alias("Enhet"),
            pl.col("kontogrupp").alias("Kontogrupp"),
            pl.col("typ").replace({"intakt": "Intäkt", "kostnad": "Kostnad"}).alias("Typ"),
            *[sida.text(avv, k, tkr, n) for k, n in [("budget", "Budget"), ("utfall", "Utfall"), ("avvikelse", "Avvikelse (+ = bättre)")]],
            sida.text(avv, "avvikelse_procent", lambda x: sida.visa(x, "%"), "Avvikelse %"),
        ),
        hide_index=True,
    )
    sida.nedladdning(avv, "Avvikelser mot budget", nyckel="avvikelser")
