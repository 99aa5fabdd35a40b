"""Ekonomi: budget, actuals and result per month and year to date, forecast per unit and group, forecast movement, deviations."""

import polars as pl
import streamlit as st

import diagram
import kpi
from kpi.format import manadsspann
from kpi.queries import hittills_i_ar
from kpi.tabell import Kolumn, indikatorkolumn
from report.text import diagramslutsats
from ui import filter as filtren
from ui import sida

u = filtren.urval()
sida.rubrik("Ekonomi", u)
d = sida.sid_data("ekonomi", u.period, u.filters)
belopp = kpi.CATALOGUE["resultat"].visning  # every economy chart and table in the result's unit (tkr)
hittills = hittills_i_ar(u.period)

sida.rutor(d["indikatorer"])

per_manad = d["per_manad"]
# The months the tables and charts cover: booked months of the year up to the period's end, named exactly.
manader = manadsspann(per_manad["manad"].min(), per_manad["manad"].max()) if not per_manad.is_empty() else hittills.label
per_manad_kolumner = [
    Kolumn("manad", "Månad"),
    indikatorkolumn("intakter", "intakter"),
    indikatorkolumn("kostnader", "kostnader"),
    indikatorkolumn("resultat", "resultat"),
    indikatorkolumn("budget_resultat", "budget_resultat"),
    Kolumn("resultat_ackumulerat", "Resultat hittills i år", belopp),
    Kolumn("budget_ackumulerad", "Budgeterat resultat hittills i år", belopp),
]
vanster, hoger = st.columns(2)
with vanster:
    titel = f"Resultat per månad, utfall och budget, {manader}"
    lang = per_manad.unpivot(index="manad", on=["resultat", "budget_resultat"], variable_name="serie", value_name="kr").with_columns(
        pl.col("serie").replace({"resultat": "Utfall", "budget_resultat": "Budget"})
    )
    sida.figur(
        lambda: diagram.staplar(lang, x="manad", y="kr", farg="serie", staplade=False, titel=titel, matt=belopp),
        per_manad,
        titel,
        "Resultat = intäkter − kostnader; budget för samma bokförda månader. Belopp i tkr.",
        nyckel="resultat_manad",
        kolumner=per_manad_kolumner,
        slutsats=diagramslutsats(per_manad, [per_manad_kolumner[0], per_manad_kolumner[3], per_manad_kolumner[4]]),
    )
with hoger:
    titel = f"Ackumulerat resultat, {manader}"
    ack = per_manad.unpivot(index="manad", on=["resultat_ackumulerat", "budget_ackumulerad"], variable_name="grupp", value_name="varde").with_columns(
        pl.col("grupp").replace({"resultat_ackumulerat": "Utfall", "budget_ackumulerad": "Budget"})
    )
    sida.figur(
        lambda: diagram.linje_mot_mal(ack, x="manad", titel=titel, matt=belopp),
        per_manad,
        titel,
        "Summan från januari till och med varje bokförd månad, utfall och budget för samma månader. Belopp i tkr.",
        nyckel="resultat_ack",
        kolumner=per_manad_kolumner,
        slutsats=diagramslutsats(per_manad, [per_manad_kolumner[0], *per_manad_kolumner[5:]]),
    )

prognos = d["prognos_per_grupp"]
ansvar_kolumner = [Kolumn("ansvar", "Enhet"), Kolumn("kontogrupp", "Kontogrupp"), Kolumn("typ_text", "Typ")]
sida.tabell(
    prognos.with_columns(pl.col("typ").replace({"intakt": "Intäkt", "kostnad": "Kostnad"}).alias("typ_text")),
    f"Helårsprognos mot årsbudget {u.period.year} per enhet och kontogrupp (hela året)",
    [
        *ansvar_kolumner,
        indikatorkolumn("arsbudget_belopp", "budget", "Årsbudget (helår)"),
        indikatorkolumn("helarsprognos_belopp", "prognos", "Helårsprognos"),
        indikatorkolumn("prognosavvikelse", "avvikelse", "Avvikelse (+ = bättre)"),
    ],
    nyckel="prognos_grupp",
)
st.caption("Senaste helårsprognos per enhet t.o.m. periodens slut, jämförd med hela årets budget. Belopp i tkr.")

# One below the other: beside the forecast, the deviation bars' long names left their axis too little room at 1366 px.
with st.container():
    titel = f"Helårsprognosens resultat {u.period.year}"
    flytt = d["prognosforandring"]
    budget_ar = flytt["budget_resultat_ar"].drop_nulls()
    sida.figur(
        lambda: diagram.linje_mot_mal(
            flytt.with_columns(pl.lit("Helårsprognos").alias("grupp")), x="prognosmanad", y="resultat",
            mal=budget_ar[0] if len(budget_ar) else None, mal_etikett="Årsbudget", titel=titel, matt=belopp,
        ),
        flytt,
        titel,
        "Helårsprognosen som gällde i slutet av varje månad; streckad linje: årets budgeterade resultat. Belopp i tkr.",
        nyckel="prognos_flytt",
        kolumner=[Kolumn("prognosmanad", "Månad"), indikatorkolumn("helarsprognos_resultat", "resultat"),
                  indikatorkolumn("arsbudget_resultat", "budget_resultat_ar")],
    )  # fmt: skip

avv = d["avvikelser"].with_columns(pl.col("typ").replace({"intakt": "Intäkt", "kostnad": "Kostnad"}).alias("typ_text"))
avvikelse_kolumner = [
    *ansvar_kolumner,
    indikatorkolumn("budget_belopp", "budget", "Budget"),
    indikatorkolumn("utfall_belopp", "utfall", "Utfall"),
    indikatorkolumn("budgetavvikelse", "avvikelse", "Avvikelse (+ = bättre)"),
    indikatorkolumn("budgetavvikelse_procent", "avvikelse_procent", "Avvikelse i procent av budget"),
]
with st.container():
    titel = f"Största avvikelser mot budget, {manader}"
    topp = avv.head(10).with_columns(pl.format("{} · {}", "kontogrupp", "ansvar").alias("rad"))
    sida.figur(
        lambda: diagram.staplar(topp, x="rad", y="avvikelse", horisontell=True, titel=titel, matt=belopp, varde_etiketter=True),
        avv,
        titel,
        "Bokförda månader hittills i år; budgeten för samma månader. Positivt = bättre för resultatet (högre intäkt eller lägre kostnad).",
        nyckel="avvikelser_fig",
        kolumner=avvikelse_kolumner,
        slutsats=diagramslutsats(
            topp, [Kolumn("rad", "Kontogrupp och enhet"), indikatorkolumn("budgetavvikelse", "avvikelse", "Avvikelse mot budget")]
        ),
    )

sida.tabell(avv, f"Avvikelser mot budget, {manader} (bokförda månader)", avvikelse_kolumner, nyckel="avvikelser")
st.caption(kpi.bedomningsregel_allman())
