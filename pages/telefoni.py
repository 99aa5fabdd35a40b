"""Telefoni: service level and answer rate per queue against target, heatmaps, wait/handling times, Erlang C staffing."""

import polars as pl
import streamlit as st

import diagram
import kpi
from kpi.format import VECKODAGAR, Visning, manad
from kpi.queries import BORTFALL
from kpi.tabell import Kolumn, indikatorkolumn, seriekolumner
from report.text import diagramslutsats
from ui import filter as filtren
from ui import sida

dim = sida.aktuella_dimensioner()
u = filtren.ko_filter(dim["koer"], filtren.urval())
# The queues are shared by the whole operation: the heading names the queue selection, not the unit filter.
sida.rubrik("Telefoni", u, dimensioner=("ko",))
d = sida.sid_data("telefoni", u.period, u.filters)
ind = {r.id: r for r in d["indikatorer"]}
troskel = u.filters.servicegrad_troskel_s
definition = f"Servicegrad = {kpi.SERVICEGRAD_DEFINITIONER[u.filters.servicegrad_definition]} (tröskel {troskel} s)"
st.caption(
    f"{definition}. Summor över intervallen, aldrig medel av procentsatser. Köerna är gemensamma för hela verksamheten, så enhetsfiltret gäller inte här."
)


def vis(kpi_id: str):
    """How the indicator's figures read (axis, labels, target line)."""
    return kpi.CATALOGUE[kpi_id].visning


sida.rutor(d["indikatorer"])

per_ko = d["per_ko"]
vanster, hoger = st.columns(2)
for kol, kpi_id, titel, text in [
    (vanster, "servicegrad", "Servicegrad per månad och kö", definition),
    (hoger, "svarsfrekvens", "Svarsfrekvens per månad och kö", "Svarsfrekvens = besvarade samtal ÷ inkommande samtal."),
]:
    with kol:
        del_df = per_ko.filter(pl.col("id") == kpi_id)
        mal = ind[kpi_id].mal if kpi_id in ind else None  # each chart draws its own indicator's target
        sida.figur(
            lambda df=del_df, mal=mal, titel=titel, kpi_id=kpi_id: diagram.linje_mot_mal(
                df, mal=mal, titel=titel, matt=vis(kpi_id), mal_etikett="Mål"
            ),
            del_df,
            titel,
            text + (" Streckad linje: årsmålet." if mal is not None else ""),
            nyckel=kpi_id,
            kolumner=seriekolumner(kpi_id, "Kö"),
            mal=mal,
        )

dagar = [v for v in VECKODAGAR if v in set(d["inkommande_karta"]["dag"].to_list())]
vanster, hoger = st.columns(2)
with vanster:
    titel = "Inkommande samtal per dag, veckodag × timme"
    sida.figur(
        lambda: diagram.varmekarta(
            d["inkommande_karta"], x="tid", y="dag", z="inkommande_per_dag", titel=titel, matt=vis("inkommande_per_dag"), y_ordning=dagar
        ),
        d["inkommande_karta"],
        titel,
        "Genomsnittligt antal inkommande samtal per dag under perioden; mörkare = färre.",
        nyckel="karta_ink",
        kolumner=[Kolumn("dag", "Veckodag"), Kolumn("tid", "Timme"), indikatorkolumn("inkommande_per_dag", "inkommande_per_dag")],
    )
with hoger:
    titel = "Servicegrad, veckodag × timme"
    sida.figur(
        lambda: diagram.varmekarta(d["servicegrad_karta"], x="tid", y="dag", z="servicegrad", titel=titel, matt=vis("servicegrad"), y_ordning=dagar),
        d["servicegrad_karta"],
        titel,
        f"{definition}, per veckodag och timme under perioden.",
        nyckel="karta_sg",
        kolumner=[Kolumn("dag", "Veckodag"), Kolumn("tid", "Timme"), indikatorkolumn("servicegrad", "servicegrad")],
    )

tider = d["tider"].with_columns(pl.col("id").replace({i: kpi.CATALOGUE[i].namn for i in ["medel_vantetid", "medel_hanteringstid"]}).alias("grupp"))
titel = "Medelväntetid och medelhanteringstid per månad"
sida.figur(
    lambda: diagram.linje_mot_mal(tider, titel=titel, matt=vis("medel_vantetid")),
    tider,
    titel,
    "Väntetid för besvarade samtal ÷ besvarade; hanteringstid = (samtalstid + efterarbete) ÷ besvarade. Minuter:sekunder.",
    nyckel="tider",
    kolumner=[Kolumn("period", "Period"), Kolumn("grupp", "Mått"), Kolumn("varde", "Tid", vis("medel_vantetid"))],
)

st.subheader("Bemanningsbehov per timme (Erlang C)", anchor=False)
bem = d["bemanning"]
if bem.is_empty():
    st.info("Det finns inga samtal för det här urvalet.")
else:
    manaden = manad(bem["manad"][0])
    sg = vis("servicegrad")
    mal_text = sg.text(bem["mal_procent"][0])
    titel = f"Agenter som behövs för {mal_text} inom {troskel} s, {manaden}"
    sida.figur(
        lambda: diagram.linjer_och_staplar(
            bem,
            x="tid",
            staplar_y="besvarade_per_dag",
            staplar_namn="Besvarade samtal per dag (faktiskt)",
            linje_y="agenter",
            linje_namn="Agenter som behövs (Erlang C)",
            titel=titel,
            matt=vis("besvarade_per_dag"),
        ),  # fmt: skip
        bem,
        titel,
        f"Per timme i {manaden}: genomsnittligt antal inkommande samtal per dag och medelhanteringstid ger trafiken A = λ·AHT; "
        f"minsta antal agenter m med servicegrad SL({troskel} s) ≥ {mal_text} enligt Erlang C (servicegradens årsmål). "
        f"Årsarbetare = agenter ÷ (1 − bortfall {sg.text(100 * BORTFALL)}).",
        nyckel="erlang",
        slutsats=diagramslutsats(bem, [Kolumn("tid", "Timme"), Kolumn("agenter", "Agenter som behövs", Visning("st", "st"))]),
        kolumner=[
            Kolumn("tid", "Timme"),
            indikatorkolumn("inkommande_per_dag", "inkommande_per_dag"),
            indikatorkolumn("besvarade_per_dag", "besvarade_per_dag"),
            indikatorkolumn("medel_hanteringstid", "hanteringstid_s"),
            Kolumn("agenter", "Agenter som behövs", Visning("st", "st")),
            Kolumn("arsarbetare", "Årsarbetare", Visning("st", "st", 1)),
        ],
    )
st.caption(kpi.bedomningsregel_allman())
