"""Översikt: a tile per indicator against its target, with change against last year and data freshness."""

import streamlit as st

from kpi.format import manad
from kpi.tabell import resultatram
from ui import filter as filtren
from ui import sida

u = filtren.urval()
sida.rubrik("Översikt", u)
d = sida.sid_data("oversikt", u.period, u.filters)

farskhet = d["farskhet"].drop_nulls("senaste_manad")
korning = d["senaste_korning"]
senast = manad(farskhet["senaste_manad"].max()) if not farskhet.is_empty() else "ingen data inläst"
if korning.is_empty():
    st.caption(f"Senaste månad med data: **{senast}** · Ingen ETL-körning registrerad.")
else:
    k = korning.row(0, named=True)
    utfall = "utan anmärkning" if k["status"] == "ok" else f"{k['avvisade_filer']} fil(er) avvisades – se Datakvalitet"
    st.caption(f"Senaste månad med data: **{senast}** · Senaste inläsning: **{k['startad']:%Y-%m-%d %H:%M}** ({utfall})")

forra = {r.id: r for r in d["foregaende_ar"]}
avsnitt: dict[str, list] = {}
for r in d["indikatorer"]:
    avsnitt.setdefault(r.avsnitt or "Övrigt", []).append(r)

for namn, resultat in avsnitt.items():
    st.subheader(namn, anchor=False)
    sida.rutor(resultat, forra, lankar=True)
st.caption(
    "Förändringen jämförs med samma period föregående år (samma månader när perioden ännu inte är slut; en helårsprognos "
    "med förra årets prognos vid samma månad); procentsatser jämförs i procentenheter. Ingen pil när förändringen avrundas "
    "till noll. Utvecklingen över tid finns i diagrammen på varje områdes sida."
)
sida.nedladdning(resultatram(d["indikatorer"], forra), f"Översikt {u.period.label}", nyckel="oversikt")
