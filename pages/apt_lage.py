"""APT-läge: the meeting's slide set, one large chart at a time, with the deck and tertial report as downloads."""

from __future__ import annotations

import html
from functools import partial

import streamlit as st

import lake
from kpi.period import Period, tertial_of
from report import sets
from report.apt import (
    aktuell_bild,
    andringsnummer,
    apt_fil,
    bild_nyckel,
    bildnycklar,
    filters_nyckel,
    period_nyckel,
    rapportfil_namn,
    skarmbilder,
    skarmtabell_html,
    tertialrapport_fil,
)
from report.model import figurtabell
from report.pdf_export import malsektion_html
from report.slides import KATALOG, STANDARDSET
from ui import filter as filtren
from ui import inloggning, sida

STANDARDNAMN = "Standarduppsättning"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

u = filtren.urval()
root = lake.parquet_root()
version = sida.dataversion(root)

visa_meny = st.session_state.get("apt_visa_meny", False)
# Projector sizes from the issue: titles ≥ 40 px, takeaway and numbers ≥ 22 px, table rows ≥ 28 px; app chrome hidden unless
# asked for. The slide fills the window above the buttons (the chart stretches into what title and takeaway leave), so
# Föregående/Nästa stay on screen from 1366×768 up; a slide that still needs more room scrolls inside itself.
# (st.html with only style sheets takes no room; the !important beat Streamlit's own paragraph and heading sizes)
st.html(
    """<style>
    .apt-titel { font-size: 48px !important; font-weight: 700 !important; line-height: 1.15 !important; margin: 0 !important;
        padding: 0 !important; color: #1a1a1a; }
    .apt-urval { font-size: 24px !important; line-height: 1.3 !important; color: #444; margin: 4px 0 4px 0 !important; }
    .apt-slutsats { font-size: 30px !important; line-height: 1.3 !important; color: #1a1a1a; margin: 0 !important; }
    .apt-fotnot { font-size: 16px !important; line-height: 1.4 !important; color: #555; margin: 2px 0 0 0 !important; }
    .apt-raknare { font-size: 26px !important; text-align: center; color: #333; margin: 0 !important; }
    div[data-testid="stButton"] button p { font-size: 24px; }
    .block-container { padding-top: 1.2rem !important; padding-bottom: 1rem !important; max-width: 100% !important; }
    .st-key-apt_bild { height: calc(100vh - 110px) !important; min-height: calc(100vh - 110px) !important; flex: 0 0 auto !important;
        gap: 0.6rem !important; overflow-y: auto; overflow-x: hidden; }
    .st-key-apt_bild > [data-testid="stElementContainer"] { flex-shrink: 0 !important; }
    .st-key-apt_bild > [data-testid="stElementContainer"]:has(.stPlotlyChart) { flex: 1 1 0 !important; min-height: 0 !important;
        overflow: hidden; }
    .st-key-apt_bild .stPlotlyChart { height: 100% !important; }
    table.apt-tabell { border-collapse: collapse; width: 100%; font-size: max(28px, 3.6vh); line-height: 1.2; color: #1a1a1a; }
    table.apt-tabell th { background: #333333; color: #ffffff; text-align: left; padding: 6px 12px; font-weight: 700; }
    table.apt-tabell td { border-bottom: 1px solid #dddddd; padding: 6px 12px; vertical-align: middle; }
    table.apt-tabell .tal { text-align: right; white-space: nowrap; }
    table.apt-tabell td + td, table.apt-tabell th + th { white-space: nowrap; }
    .apt-bricka { display: inline-block; padding: 2px 12px; border-radius: 16px; font-weight: 600; white-space: nowrap; }
    .apt-mal p, .apt-mal li { font-size: 26px; line-height: 1.35; }
    .apt-mal .etikett { font-size: 22px; font-weight: 700; color: #444; margin: 10px 0 2px 0; }
    .apt-mal .vem, .apt-mal .forslagstext, .apt-mal .plan { font-size: 20px; color: #444; }
    .apt-mal .bedomning span { display: inline-block; font-size: 28px; font-weight: 700; padding: 4px 16px; }
    .apt-mal .fritext { border-left: 4px solid #bebebe; padding-left: 14px; }
    .apt-mal .saknas { font-style: italic; }
    .apt-mal table.data { border-collapse: collapse; width: 100%; font-size: 22px; margin: 6px 0 12px 0; }
    .apt-mal table.data th, .apt-mal table.data td { padding: 6px 10px; border-bottom: 1px solid #bebebe; text-align: left; vertical-align: top; }
    .apt-mal table.data thead th { background: #3c3c3c; color: #fff; }
    .apt-mal table.data tbody th { font-weight: 400; }
    .apt-mal table.data .tal { text-align: right; white-space: nowrap; }
    .apt-mal table.data td.bricka { font-weight: 700; white-space: nowrap; }
    </style>"""
    + (
        ""
        if visa_meny
        else """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
    [data-testid="stToolbar"], [data-testid="stDecoration"], footer { display: none !important; }
    </style>"""
    ),
)

# Layout order on screen: slide, buttons, then the settings; the settings run first because the slide depends on them.
bild_yta = st.container(key="apt_bild")
knapp_yta = st.container()
installningar = st.expander("Bildspel, export och meny", expanded=False)

sparade = {s.namn: s for s in sets.lista()}
namnval = [STANDARDNAMN, *sparade]


def _set_bilder(namn: str) -> list[str]:
    return list(sparade[namn].bilder if namn in sparade else STANDARDSET)


def _byt_set() -> None:
    """A newly chosen set starts from its first slide with its own charts."""
    st.session_state["apt_bilder"] = _set_bilder(st.session_state["apt_set"])
    st.session_state["apt_index"] = 0


with installningar:
    st.toggle("Visa menyn och filtren (period och enhet väljs i sidopanelen)", key="apt_visa_meny")
    st.page_link("pages/oversikt.py", label="Lämna APT-läget", icon=":material/logout:")
    set_val = st.selectbox(
        "Bildspel",
        namnval,
        key="apt_set",
        on_change=_byt_set,
        bind="query-params",
        help="Ett sparat bildspel öppnas med den period och enhet som är vald i filtren.",
    )
    if "apt_bilder" not in st.session_state:
        st.session_state["apt_bilder"] = _set_bilder(set_val)
    st.multiselect(
        "Bilder i ordning",
        list(KATALOG),
        key="apt_bilder",
        format_func=lambda i: KATALOG[i].titel,
        help="Bilderna visas i den ordning du väljer dem.",
    )
    with st.form("apt_spara", border=False):
        kol1, kol2 = st.columns([3, 1], vertical_alignment="bottom")
        namn = kol1.text_input("Spara bildspelet som", value="" if set_val == STANDARDNAMN else set_val, placeholder="t.ex. APT Enhet 2")
        if kol2.form_submit_button("Spara", width="stretch"):
            try:
                fil = sets.spara(sets.Bildspel(namn.strip(), tuple(st.session_state["apt_bilder"])))
                st.success(f"Bildspelet ”{namn.strip()}” är sparat med {len(st.session_state['apt_bilder'])} bilder ({fil.name}).")
            except ValueError as fel:
                st.error(str(fel))

valda = [i for i in st.session_state["apt_bilder"] if i in KATALOG] or list(STANDARDSET)
token = andringsnummer()  # the follow-up store's: a goal slide shows the newest analysis
# The goal follow-up becomes one slide per goal; a table slide is shown in parts of a few rows each, so its type stays
# large: every part is a screen of its own.
ids = bildnycklar(valda, root, version, period_nyckel(u.period), filters_nyckel(u.filters), token)
skarmar = skarmbilder(tuple(ids), root, version, period_nyckel(u.period), filters_nyckel(u.filters), token)
index = min(st.session_state.get("apt_index", 0), len(skarmar) - 1)


def _flytta(steg: int) -> None:
    st.session_state["apt_index"] = (index + steg) % len(skarmar)


with bild_yta:
    bild_id, del_, delar = skarmar[index]
    bild = aktuell_bild(bild_id, root, version, period_nyckel(u.period), filters_nyckel(u.filters), token)
    titel = bild.titel + (f" ({del_ + 1} av {delar})" if delar > 1 else "")
    st.html(
        f'<h1 class="apt-titel">{html.escape(titel)}</h1>'
        f'<p class="apt-urval">{html.escape(bild.period or u.period.label)} · {html.escape(u.filters.beskrivning())}</p>'
    )
    tabell = figurtabell(bild.figur) if bild.figur is not None else None
    if bild.malavsnitt is not None:  # a goal: assessment, the written analysis and its indicators (escaped HTML, as in the PDF)
        st.html(f'<div class="apt-mal">{malsektion_html(bild.malavsnitt, "apt-mal", rubrik=False)}</div>')
    elif tabell is not None:
        st.html(skarmtabell_html(tabell, del_))
    elif bild.figur is not None:
        st.plotly_chart(
            bild.figur,
            config={**sida.PLOTLY_CONFIG, "displayModeBar": False},
            theme=None,
            key=f"apt_{bild_nyckel(bild_id)}",
            height="stretch",
            alt=f"Diagram: {bild.titel}. {bild.text}",
        )
    st.html(f'<p class="apt-slutsats">{html.escape(bild.text)}</p><p class="apt-fotnot">{html.escape(bild.fotnot)}</p>')

with knapp_yta:
    # Left/Right are the buttons' own shortcuts; a presentation clicker's PageDown/PageUp press them through ui/tillganglighet.js.
    vanster, mitt, hoger = st.columns([1, 2, 1], vertical_alignment="center")
    vanster.button("◀ Föregående", on_click=_flytta, args=(-1,), width="stretch", key="apt_foregaende", shortcut="Left")
    mitt.html(f'<p class="apt-raknare">Bild {index + 1} av {len(skarmar)}</p>')
    hoger.button("Nästa ▶", on_click=_flytta, args=(1,), width="stretch", key="apt_nasta", type="primary", shortcut="Right")

with installningar:
    st.markdown("**Ladda ner** – filerna skapas när du klickar (några sekunder).")
    tertial = u.period.tertial or tertial_of(u.period.end.month)
    tertial_period = Period(u.period.year, tertial=tertial)
    set_namn = set_val if set_val != STANDARDNAMN else "APT"
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        "Bildspelet (PowerPoint)",
        data=inloggning.loggad(
            partial(apt_fil, tuple(valda), set_namn, root, version, period_nyckel(u.period), filters_nyckel(u.filters), token),
            "rapport",
            fil=rapportfil_namn(set_namn, u.period.label, "pptx"),
            period=u.period.key,
            enheter=u.filters.units or "alla",
        ),
        file_name=rapportfil_namn(set_namn, u.period.label, "pptx"),
        mime=PPTX,
        on_click="ignore",
        icon=":material/slideshow:",
        key="apt_ladda_pptx",
    )
    for kol, format, mime in ((d2, "pdf", "application/pdf"), (d3, "pptx", PPTX)):
        kol.download_button(
            f"Tertialrapport {tertial_period.label} ({'PDF' if format == 'pdf' else 'PowerPoint'})",
            data=inloggning.loggad(
                partial(tertialrapport_fil, u.period.year, tertial, format, root, version, filters_nyckel(u.filters), token),
                "rapport",
                fil=rapportfil_namn("Tertialrapport", tertial_period.label, format),
                period=tertial_period.key,
                enheter=u.filters.units or "alla",
            ),
            file_name=rapportfil_namn("Tertialrapport", tertial_period.label, format),
            mime=mime,
            on_click="ignore",
            icon=":material/description:",
            key=f"apt_tertial_{format}",
        )
