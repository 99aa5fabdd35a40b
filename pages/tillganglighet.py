"""Tillgänglighetsredogörelse: the accessibility statement the law requires, rendered from docs/tillganglighetsredogorelse.md."""

import streamlit as st

from ui import filter as filtren
from ui import tillganglighet

filtren.urval()
st.title("Tillgänglighetsredogörelse", anchor=False)
st.markdown(tillganglighet.redogorelse())
