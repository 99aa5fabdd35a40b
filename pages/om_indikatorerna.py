"""Om indikatorerna: every indicator's definition, generated from the catalogue."""

import streamlit as st

from ui import filter as filtren
from ui import sida

u = filtren.urval()
st.title("Om indikatorerna")
st.caption("Alla värden är kvoter av summor över perioden (Σ täljare ÷ Σ nämnare), aldrig medelvärden av månadskvoter.")
katalog = sida.sid_data("om", u.period, u.filters)["katalog"]
for avsnitt in katalog["Avsnitt"].unique(maintain_order=True):
    st.subheader(avsnitt)
    for r in katalog.filter(katalog["Avsnitt"] == avsnitt).iter_rows(named=True):
        st.markdown(
            f"**{r['Indikator']}** (`{r['Id']}`)  \n{r['Definition']}  \n"
            f"<span class='vu-mal'>Mått: {r['Mått']} · {r['Riktning']} · följs upp per {r['Periodicitet']} · "
            f"delvis inom {r['Tolerans för delvis']} · källor: {r['Källor']} · filter: {r['Filter']}</span>"
            + (f"  \n<span class='vu-mal'>{r['Anmärkning']}</span>" if r["Anmärkning"] else ""),
            unsafe_allow_html=True,
        )
sida.nedladdning(katalog, "Indikatorkatalog", nyckel="katalog")
