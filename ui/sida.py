"""Shared Streamlit helpers: cached page data, tiles, status badges, charts and tables with downloads.

Nothing here decides a figure or its format: values, targets and statuses come from the KPI layer, and every number
reads through the indicator's `Visning` (kpi/format.py) and the table columns' declaration (kpi/tabell.py)."""

from __future__ import annotations

import html
import io
import logging
from collections.abc import Callable

import plotly.graph_objects as go
import polars as pl
import streamlit as st

import diagram
import lake
from kpi.format import STATUS_FARG, STATUS_ORD, STATUS_SYMBOL, manad
from kpi.period import Filters, Period
from kpi.queries import SIDOR
from kpi.tabell import Kolumn, csv_bytes, exportram, visningsram, xlsx_bytes
from report.text import diagramslutsats
from sakerhet import html_text, markdown_text
from ui import inloggning

# No Plotly toolbar: its eight buttons were tab stops with English tooltips on every chart; the numbers are in
# "Visa som tabell" and the downloads below each chart, the picture in "Bild (PNG)".
PLOTLY_CONFIG = {
    "displayModeBar": False,
    "displaylogo": False,
    "locale": "sv",
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
_LOGG = logging.getLogger("vu.export")
# Drawn blocks kept per server and kind (charts, tables, tile grids; each replayed by content): a page has up to six
# charts, so this holds the recent views of ~40 selections (a few MB per kind).
MAX_DIAGRAM = 256


def dataversion(root: str) -> str:
    """A token that changes whenever the ETL writes (see lake.dataversion)."""
    return lake.dataversion(root)


@st.cache_data(max_entries=300, show_spinner=False)
def _sid_data(*, sid: str, root: str, version: str, period: tuple, filt: tuple) -> dict:
    ar, tertial, manad_nr, ytd = period
    units, queues, forv, sg_def, sg_troskel, omfang = filt
    return SIDOR[sid](
        lake.anslutning(root, version),
        Period(ar, tertial=tertial, month=manad_nr, ytd=ytd),
        Filters(units=units, queues=queues, forvaltningar=forv, servicegrad_definition=sg_def, servicegrad_troskel_s=sg_troskel, omfang=omfang),
    )


def sid_data(sid: str, period: Period, filters: Filters) -> dict:
    """A page's data from kpi.queries.SIDOR, cached per data version, period and filters (the user's scope included)."""
    root = lake.parquet_root()
    return _sid_data(  # keywords: Streamlit looks a positional argument's name up with inspect.signature on every call
        sid=sid,
        root=root,
        version=lake.dataversion(root),
        period=(period.year, period.tertial, period.month, period.ytd),
        # omfang travels with the key, so the cached call re-checks the user's unit scope in the data layer
        filt=(filters.units, filters.queues, filters.forvaltningar, filters.servicegrad_definition, filters.servicegrad_troskel_s, filters.omfang),
    )


@st.cache_data(max_entries=50, show_spinner=False)
def dimensioner(*, root: str, version: str) -> dict:
    """Years, months, units, queues and förvaltningar present in the data (for the filters)."""
    import kpi

    return kpi.filterlistor(lake.anslutning(root, version))


def aktuella_dimensioner() -> dict:
    """Dimension lists for the current data version."""
    root = lake.parquet_root()
    return dimensioner(root=root, version=lake.dataversion(root))


# --- Layout pieces ---------------------------------------------------------------------------------------------


def rubrik(titel: str, urval, dimensioner: tuple[str, ...] = ("enhet", "forvaltning")) -> None:
    """Page title with the selection it shows (names from the data as literal text), so a screenshot explains itself."""
    st.title(titel, anchor=False)
    st.caption(f"**{markdown_text(urval.period.label)}** · {markdown_text(urval.filters.beskrivning(dimensioner))}")
    st.session_state["_vu_stampel"] = stampel(urval, dimensioner)


def stampel(urval, dimensioner: tuple[str, ...] = ("enhet", "forvaltning")) -> str:
    """What an exported picture must say about itself: period, selection and how recent the data is."""
    senaste = aktuella_dimensioner().get("senaste_manad")
    data = f"data t.o.m. {manad(senaste)}" if senaste else "ingen data inläst"
    return f"{urval.period.label} · {urval.filters.beskrivning(dimensioner)} · {data}"


# The badge's symbol is text (WCAG 1.4.3): drawn in the badge's dark text colour, never in the status colour on its own
# light tint (orange and grey reached about 2:1); the colour is carried by the border and the tint, the word says it.
SYMBOL_FARG = "#1A1A1A"


def status_bricka(status: str) -> str:
    """HTML badge: colour-blind-safe colour, symbol and word (never colour alone)."""
    farg = STATUS_FARG.get(status, STATUS_FARG["ej_bedomd"])
    return (
        f'<span class="vu-status" style="border:2px solid {farg};color:#1a1a1a;background:{farg}22;">'
        f'<span style="color:{SYMBOL_FARG};font-size:1.1em" aria-hidden="true">{STATUS_SYMBOL.get(status, "–")}</span> '
        f"{STATUS_ORD.get(status, status)}</span>"
    )


def text(df: pl.DataFrame, kolumn: str, formatera, namn: str | None = None) -> pl.Series:
    """A column formatted for people, in plain Python (polars map_elements can deadlock when sessions run in parallel)."""
    return pl.Series(namn or kolumn, [formatera(v) for v in df[kolumn].to_list()], dtype=pl.Utf8)


def ruta(resultat, forra=None, riktning: str | None = None, lank: dict | None = None) -> None:
    """A tile: value, target, assessment badge, change vs the comparable period last year; `lank`: the drill-down's URL parameters.

    No sparkline: Streamlit draws it as unnamed graphics (axe: svg-img-alt) and the trend is on each area's page,
    where every chart has its takeaway in words and a table of its numbers."""
    from ui import drill

    with st.container(border=True, key=f"vu_ruta_{resultat.id}"):
        delta_text, tecken = resultat.visning.forandring(resultat.varde, getattr(forra, "varde", None))
        farg, pil = "off", "off"
        if tecken:  # a change that rounds to zero gets neither arrow nor colour
            pil = "up" if tecken > 0 else "down"
            if riktning in ("hogre", "lagre"):
                farg = "blue" if (tecken > 0) == (riktning == "hogre") else "orange"  # Okabe–Ito pair; the arrow carries it too
        st.metric(
            resultat.namn,
            resultat.varde_text,
            delta=f"{delta_text} mot {forra.period}" if delta_text and forra is not None else None,
            delta_color=farg,
            delta_arrow=pil,
            help=_definition(resultat.id),
        )
        mal = f"Mål {html.escape(resultat.mal_text)}" if resultat.mal is not None else ""
        orsak = f'<div class="vu-orsak">{html_text(resultat.orsak)}</div>' if resultat.orsak else ""
        st.markdown(f'{status_bricka(resultat.status)} <span class="vu-mal vu-malvarde">{mal}</span>{orsak}', unsafe_allow_html=True)
        if lank is not None:
            drill.lank(resultat.id, lank)


def rutor(resultat: list, forra: dict | None = None, lankar: bool = False) -> None:
    """Tiles four to a row (stil() sets their width), so a tile's name never breaks inside a word at 1366 px.

    One wrapping row rather than st.columns per four tiles: the same grid with a fifth fewer of Översikt's elements.
    The tiles are drawn once per server for the same figures, links and role, and replayed for every later view like
    the charts (_delat_diagram): a Monday-morning rush opens Översikt twenty times at once (docs/prestanda.md).
    `lankar`: each tile leads to its indicator's detail page with the same filters (ui/drill.py)."""
    from ui import drill

    lank = drill.parametrar() if lankar else None  # the same for every tile
    forra = forra or {}
    # everything the tiles show: the figures, last year's, the links' parameters and which detail pages this role may open
    innehall = repr((resultat, [forra.get(r.id) for r in resultat], lank, [drill.mal(r.id) for r in resultat] if lankar else None))
    _delade_rutor(innehall=innehall, _resultat=resultat, _forra=forra, _lank=lank)


@st.cache_resource(max_entries=MAX_DIAGRAM, show_spinner=False)
def _delade_rutor(*, innehall: str, _resultat: list, _forra: dict, _lank: dict | None) -> None:
    """The tiles of rutor(), drawn for one content; only elements (page links are not widgets), so Streamlit can replay them."""
    import kpi

    with st.container(horizontal=True, gap="small", key=f"vu_rutor_{_resultat[0].id if _resultat else 'tom'}"):
        for r in _resultat:
            ind = kpi.CATALOGUE.get(r.id)
            ruta(r, _forra.get(r.id), riktning=ind.riktning if ind else None, lank=_lank)


def maltabell_html(resultat: list) -> str:
    """The city's table Indikator | Periodens utfall | Årsmål | KF:s årsmål | Period | Bedömning, large and badged."""
    rader = "".join(
        f"<tr><td>{html.escape(r.namn)}</td><td class='tal'>{html.escape(r.varde_text)}</td>"
        f"<td class='tal'>{html.escape(r.mal_text)}</td>"
        f"<td class='tal'>{html.escape(r.text(r.kf_mal))}</td><td class='tal'>{html.escape(r.period)}</td><td>{status_bricka(r.status)}"
        + (f"<div class='vu-orsak'>{html.escape(r.orsak)}</div>" if r.orsak else "")
        + "</td></tr>"
        for r in resultat
    )
    huvud = "".join(f"<th scope='col'>{k}</th>" for k in ["Indikator", "Periodens utfall", "Årsmål", "KF:s årsmål", "Period", "Bedömning"])
    return f"<table class='vu-tabell'><thead><tr>{huvud}</tr></thead><tbody>{rader}</tbody></table>"


def _definition(kpi_id: str) -> str | None:
    """The catalogue's one-line definition and assessment rule, shown as the tile's tooltip."""
    import kpi

    ind = kpi.CATALOGUE.get(kpi_id)
    return f"{ind.definition}. {kpi.bedomningsregel(ind)}" if ind else None


def _filnamn(namn: str) -> str:
    """A safe ASCII-ish file name from a Swedish title."""
    import re

    t = namn.lower().translate(str.maketrans("åäöé", "aaoe"))
    return re.sub(r"[^a-z0-9]+", "_", t).strip("_") or "data"


def _felfil(format: str, titel: str, fel: Exception) -> bytes:
    """A file of the asked-for type that says in Swedish why the export failed (Streamlit itself only says it in English)."""
    _LOGG.exception("Export av %s som %s misslyckades", titel, format, exc_info=fel)
    meddelande = f"Filen ”{titel}” kunde inte skapas. Försök igen; om felet kvarstår, kontakta systemförvaltningen."
    if format == "csv":
        return csv_bytes(pl.DataFrame({"Fel": [meddelande]}))
    if format == "xlsx":
        return xlsx_bytes(pl.DataFrame({"Fel": [meddelande]}), "Fel")
    from PIL import Image, ImageDraw

    bild = Image.new("RGB", (1200, 200), "white")
    ImageDraw.Draw(bild).text((20, 80), meddelande, fill="black")
    ut = io.BytesIO()
    bild.save(ut, format="PNG")
    return ut.getvalue()


def _tryggt(format: str, titel: str, bygg):
    """A deferred download that never shows Streamlit's English failure: an error becomes a Swedish file."""

    def data() -> bytes:
        try:
            return bygg()
        except Exception as fel:  # noqa: BLE001 — any failure must reach the user in Swedish
            return _felfil(format, titel, fel)

    return data


def nedladdning(df: pl.DataFrame, titel: str, fig: go.Figure | None = None, nyckel: str | None = None, kolumner: list[Kolumn] | None = None) -> None:
    """Download buttons in a row: CSV and Excel of the data as displayed (headers with units, numbers rounded as shown), PNG of the chart.

    Visible buttons rather than a menu: one Tab each, nothing that opens and leaves focus behind. Files are built only
    when clicked; a picture carries its period, selection and data date."""
    bas = _filnamn(titel)
    nyckel = nyckel or bas

    def ut() -> pl.DataFrame:  # built on click, like the files: most views download nothing
        return exportram(df, kolumner) if kolumner else df

    stampeltext = st.session_state.get("_vu_stampel", "")
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key=f"vu_ned_{nyckel}"):
        st.markdown('<span class="vu-nedetikett">Ladda ner</span>', unsafe_allow_html=True, width="content")
        st.download_button(
            "CSV",
            data=inloggning.loggad(_tryggt("csv", titel, lambda: csv_bytes(ut())), "nedladdning", fil=f"{bas}.csv", titel=titel),
            file_name=f"{bas}.csv",
            mime="text/csv",
            key=f"csv_{nyckel}",
            on_click="ignore",
            icon=":material/download:",
            help=f"{titel}: siffrorna som CSV (semikolon, decimalkomma)",
        )
        st.download_button(
            "Excel",
            data=inloggning.loggad(_tryggt("xlsx", titel, lambda: xlsx_bytes(ut(), titel)), "nedladdning", fil=f"{bas}.xlsx", titel=titel),
            file_name=f"{bas}.xlsx",
            key=f"xlsx_{nyckel}",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
            icon=":material/download:",
            help=f"{titel}: siffrorna som Excel-fil",
        )
        if fig is not None:
            # serialised only on click: building the JSON on every render would double each chart's cost
            st.download_button(
                "Bild (PNG)",
                data=inloggning.loggad(
                    _tryggt("png", titel, lambda: diagram.png_fran_json(diagram.stampla(fig, stampeltext).to_json())),
                    "nedladdning",
                    fil=f"{bas}.png",
                    titel=titel,
                ),
                file_name=f"{bas}.png",
                mime="image/png",
                key=f"png_{nyckel}",
                on_click="ignore",
                icon=":material/download:",
                help=f"{titel}: diagrammet som bild, med period, urval och datum",
            )


def tabell_html(df: pl.DataFrame, kolumner: list[Kolumn], titel: str) -> str:
    """The numbers behind a chart as a real HTML table (header cells, caption), exactly as `visningsram` writes them."""
    visad = visningsram(df, kolumner)
    hoger = [k.visning is not None for k in kolumner if k.rubrik in visad.columns]
    huvud = "".join(f"<th scope='col'{' class=tal' if h else ''}>{html.escape(k)}</th>" for k, h in zip(visad.columns, hoger))
    rader = "".join(
        "<tr>" + "".join(f"<td{' class=tal' if h else ''}>{html.escape(str(v or ''))}</td>" for v, h in zip(rad, hoger)) + "</tr>"
        for rad in visad.iter_rows()
    )
    return (
        f"<table class='vu-tabell vu-siffertabell'><caption class='vu-dold'>{html.escape(titel)}</caption>"
        f"<thead><tr>{huvud}</tr></thead><tbody>{rader}</tbody></table>"
    )


def innehallsnyckel(df: pl.DataFrame) -> tuple:
    """A key for a frame's exact content (columns, types and every row in order), cheap next to building a figure."""
    return (tuple(df.columns), tuple(str(t) for t in df.dtypes), hash(tuple(df.hash_rows(seed=0).to_list())))


@st.cache_resource(max_entries=MAX_DIAGRAM, show_spinner=False)
def _delat_diagram(
    *,
    nyckel: str | None,
    titel: str,
    mal: float | None,
    slutsats: str | None,
    bildtext: str | None,
    kolumnnyckel: str,
    innehall: tuple,
    _bygg,
    _data,
    _kolumner,
) -> go.Figure:
    """A chart, its takeaway, caption and table, built and drawn once per server for the same content and declaration.

    Every session showing it shares the figure (read-only, for the PNG download), and Streamlit replays the elements
    drawn here from the cache: a repeated view neither rebuilds the figure nor turns it into JSON again, which was a
    fifth of a chart page's CPU (docs/prestanda.md). Only elements, no widgets: a cached function cannot hold those."""
    fig = _bygg()
    text = slutsats or (diagramslutsats(_data, _kolumner, mal) if _kolumner else "")
    st.plotly_chart(
        diagram.for_skarm(fig), config=PLOTLY_CONFIG, theme=None, key=f"fig_{nyckel}" if nyckel else None, alt=f"Diagram: {titel}. {text}".strip()
    )
    if text:
        st.html(f'<p class="vu-slutsats">{html.escape(text)}</p>')
    if bildtext:
        st.caption(bildtext)
    if _kolumner:
        with st.expander("Visa som tabell"):
            st.html(tabell_html(_data, _kolumner, titel))
    return fig


def figur(
    bygg: Callable[[], go.Figure],
    data: pl.DataFrame,
    titel: str,
    bildtext: str | None = None,
    nyckel: str | None = None,
    kolumner: list[Kolumn] | None = None,
    mal: float | None = None,
    slutsats: str | None = None,
) -> None:
    """A chart under its heading, with its takeaway in words, its method caption, its numbers as a table and its downloads.

    The heading is HTML (it wraps at any width; a Plotly title is cut off and collides with the legend); the takeaway
    (report.text.diagramslutsats from the data and the column declaration, or `slutsats`) is the chart's accessible
    description and is shown under it; "Visa som tabell" shows the same numbers the downloads hold.

    `bygg` builds the figure (`lambda: diagram.…(data, …)`) from `data`, `titel` and `mal` only: the built chart is
    shared by every session that shows the same content (cached per server, keyed by that content), so a room
    opening the same view builds it once. Building a Plotly figure is most of a page view's CPU (docs/prestanda.md)."""
    st.html(f'<h3 class="vu-diagramrubrik">{html.escape(titel)}</h3>')
    if data.is_empty():
        st.info("Det finns inga uppgifter för det här urvalet.")
        return
    fig = _delat_diagram(  # keywords, as in sid_data
        nyckel=nyckel,
        titel=titel,
        mal=mal,
        slutsats=slutsats,
        bildtext=bildtext,
        kolumnnyckel=repr(kolumner),
        innehall=innehallsnyckel(data),
        _bygg=bygg,
        _data=data,
        _kolumner=kolumner,
    )
    nedladdning(data, titel, fig, nyckel, kolumner)


def tabell(df: pl.DataFrame, titel: str, kolumner: list[Kolumn], nyckel: str | None = None, visa_titel: bool = True, **kwargs) -> None:
    """A table under a heading as the page shows it, with the same table as CSV/Excel; empty tables say so in Swedish."""
    if visa_titel:
        st.subheader(titel, anchor=False)
    if df.is_empty():
        st.info("Det finns inga uppgifter för det här urvalet.")
        return
    _delad_tabell(
        kolumnnyckel=repr(kolumner), innehall=innehallsnyckel(df), alternativ=repr(sorted(kwargs.items())), _df=df, _kolumner=kolumner, _kwargs=kwargs
    )
    nedladdning(df, titel, None, nyckel, kolumner)


@st.cache_resource(max_entries=MAX_DIAGRAM, show_spinner=False)
def _delad_tabell(*, kolumnnyckel: str, innehall: tuple, alternativ: str, _df: pl.DataFrame, _kolumner: list[Kolumn], _kwargs: dict) -> None:
    """A table drawn once per server for the same content and columns; Streamlit replays it for every later view, as
    for the charts (_delat_diagram): formatting every cell and building the Arrow table was a quarter of Datakvalitet's CPU."""
    # numbers are shown as Swedish text ('1 150', '−276 tkr'), right-aligned like numbers
    hoger = {k.rubrik: st.column_config.TextColumn(k.rubrik, alignment="right") for k in _kolumner if k.visning}
    # as Arrow: Streamlit would otherwise go polars → pandas → Arrow
    st.dataframe(visningsram(_df, _kolumner).to_arrow(), hide_index=True, column_config=hoger, **_kwargs)


def stil() -> None:
    """Calm, projector-friendly type sizes shared by every page, visible keyboard focus and text that keeps 4.5:1.

    st.html with only a style sheet goes to Streamlit's event container and takes no room on the page."""
    st.html(
        """<style>
        .vu-status { display:inline-block; padding:2px 10px; border-radius:12px; font-weight:600; font-size:0.95rem; }
        .vu-mal { color:#444; margin-left:0.5rem; font-size:0.95rem; }
        .vu-malvarde { white-space: nowrap; display: inline-block; }
        [data-testid="stMetricLabel"] p { font-weight: 600; }
        [data-testid="stMetricLabel"] * { white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
            overflow-wrap: normal !important; word-break: normal !important; hyphens: manual; }
        /* The change chip wraps instead of being cut off with an ellipsis ("+0,8 % mot sep–okt …"). */
        [data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * { white-space: normal !important; overflow: visible !important;
            text-overflow: clip !important; height: auto !important; }
        [data-testid="stMetricValue"], [data-testid="stMetricValue"] * { white-space: normal !important; overflow: visible !important;
            text-overflow: clip !important; }
        .block-container { padding-top: 2.5rem; }
        .vu-orsak { color:#555; font-size:0.85rem; margin-top:2px; }
        [class*="st-key-vu_rutor_"] { align-items: stretch !important; }
        [class*="st-key-vu_rutor_"] > [data-testid="stLayoutWrapper"] { flex: 0 0 calc(25% - 0.8rem) !important; min-width: 0 !important; }
        [class*="st-key-vu_ruta_"] { height: 100%; }
        table.vu-tabell { border-collapse: collapse; width: 100%; font-size: 1.05rem; }
        table.vu-tabell th { text-align:left; border-bottom: 2px solid #333; padding: 8px 10px; }
        table.vu-tabell td { border-bottom: 1px solid #ddd; padding: 8px 10px; vertical-align: top; }
        table.vu-tabell td.tal { text-align: right; white-space: nowrap; }
        table.vu-siffertabell { font-size: 0.95rem; }
        table.vu-siffertabell th, table.vu-siffertabell td { padding: 4px 8px; }
        table.vu-siffertabell th.tal { text-align: right; }
        h3.vu-diagramrubrik { font-size: 1.2rem; font-weight: 600; line-height: 1.3; margin: 0.4rem 0 0 0; padding: 0; color: #1a1a1a; }
        p.vu-slutsats { margin: 0; font-size: 1rem; line-height: 1.4; color: #1a1a1a; }
        .vu-nedetikett { color: #444; font-size: 0.9rem; }
        .vu-dold { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .st-key-vu_tillganglighet { display: none !important; }
        /* Captions keep 4.5:1 also on the sidebar's grey: Streamlit fades them with opacity 0.6 (2.9:1 there). */
        [data-testid="stCaptionContainer"] { color: #555A62 !important; opacity: 1 !important; }
        /* The page menu (ui/inloggning.navigation): section labels like Streamlit's own, in a grey that keeps 4.5:1. */
        .st-key-vu_meny { gap: 0 !important; }
        .st-key-vu_meny p.vu-menyavsnitt { font-size: 0.85rem; font-weight: 600; color: #555A62; margin: 0; padding: 0.9rem 0 0.35rem 0.1rem; }
        .st-key-vu_meny > div:first-child p.vu-menyavsnitt { padding-top: 0; }
        /* Keyboard focus everywhere: a 3 px outline in the theme blue (5.2:1 on white, 4.7:1 on the sidebar grey). */
        :focus-visible, [data-testid] :focus-visible { outline: 3px solid #0072B2 !important; outline-offset: 2px !important; }
        /* A Markdown heading's link icon shows only on hover: a tab stop must show itself when it has focus. */
        [data-testid="stHeaderActionElements"] a:focus-visible { opacity: 1 !important; }
        </style>"""
    )
