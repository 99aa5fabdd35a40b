"""Om indikatorerna: every indicator's definition and assessment rule, generated from the catalogue."""

import streamlit as st

import kpi
from ui import filter as filtren
from ui import sida

u = filtren.urval()
st.title("Om indikatorerna", anchor=False)
st.caption("Alla värden är kvoter av summor över perioden (Σ täljare ÷ Σ nämnare), aldrig medelvärden av månadskvoter.")
st.markdown(kpi.bedomningsregel_allman())
st.markdown(
    "**Sjukfrånvaro och små enheter.** Sjukfrånvaro är hälsouppgifter. En enhet med färre än 5 anställda visas aldrig för "
    "sig, och inga timsummor lämnas ut, bara andelar. Små enheter slås ihop till gruppen *Små enheter (sammanslagna)*, och "
    "ett urval som delar en sådan grupp visas inte, så att ingen kan räkna fram en liten enhets siffra genom att dra ett "
    "urval från ett annat."
)
katalog = sida.sid_data("om", u.period, u.filters)["katalog"]
for avsnitt in katalog["Avsnitt"].unique(maintain_order=True):
    st.subheader(avsnitt, anchor=False)
    for r in katalog.filter(katalog["Avsnitt"] == avsnitt).iter_rows(named=True):
        st.markdown(
            f"**{r['Indikator']}** (`{r['Id']}`)  \n{r['Definition']}  \n"
            f"<span class='vu-mal'>Mått: {r['Mått']} (visas i {r['Visas i']}) · {r['Riktning']} · följs upp per {r['Periodicitet']} · "
            f"källor: {r['Källor']} · filter: {r['Filter']}</span>"
            + (f"  \n<span class='vu-mal'>{r['Bedömning']}</span>" if r["Bedömning"] else "")
            + (f"  \n<span class='vu-mal'>{r['Anmärkning']}</span>" if r["Anmärkning"] else ""),
            unsafe_allow_html=True,
        )
sida.nedladdning(katalog, "Indikatorkatalog", nyckel="katalog")
