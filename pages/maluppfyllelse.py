"""Måluppfyllelse: the city's report table for the chosen period."""

import streamlit as st

import kpi
from kpi.tabell import resultatram
from ui import filter as filtren
from ui import sida

u = filtren.urval()
sida.rubrik("Måluppfyllelse", u)
d = sida.sid_data("maluppfyllelse", u.period, u.filters)
st.markdown(sida.maltabell_html(d["indikatorer"]), unsafe_allow_html=True)
st.caption(kpi.bedomningsregel_allman())
sida.nedladdning(resultatram(d["indikatorer"]), f"Måluppfyllelse {u.period.label}", nyckel="maluppfyllelse")
