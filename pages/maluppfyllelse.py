"""Måluppfyllelse: the city's report table for the chosen period."""

import streamlit as st

from ui import filter as filtren
from ui import sida

u = filtren.urval()
sida.rubrik("Måluppfyllelse", u)
d = sida.sid_data("maluppfyllelse", u.period, u.filters)
st.markdown(sida.maltabell_html(d["indikatorer"]), unsafe_allow_html=True)
st.caption(
    "Bedömning: Uppfylls helt när utfallet når årsmålet i indikatorns riktning, Uppfylls delvis när det missar med "
    "högst toleransen (normalt 5 % av målet), annars Uppfylls ej. Ej bedömd när utfall eller mål saknas."
)
sida.nedladdning(d["tabell"], f"Måluppfyllelse {u.period.label}", nyckel="maluppfyllelse")
