"""Shared Streamlit helpers: cached connection and page data, tiles, status badges, charts and tables with downloads."""

from __future__ import annotations

import html
import io
import os
import re
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import streamlit as st

import lake
from kpi.format import STATUS_FARG, STATUS_ORD, STATUS_SYMBOL, enligt_matt, mnkr, tal, tkr
from kpi.period import Filters, Period
from kpi.queries import SIDOR
from ui import charts, inloggning

PLOTLY_CONFIG = {
    "displaylogo": False,
    "locale": "sv",
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def dataversion(root: str) -> str:
    """A token that changes whenever the ETL writes: newest Parquet mtime and file count (remote: fixed)."""
    if lake.is_remote(root):
        return "remote"
    senaste, antal = 0, 0
    bas = Path(root)
    if not bas.is_dir():
        return "saknas"
    with os.scandir(bas) as tabeller:
        for tabell in tabeller:
            if not tabell.is_dir():
                continue
            with os.scandir(tabell.path) as filer:
                for f in filer:
                    if f.name.endswith(".parquet"):
                        antal += 1
                        senaste = max(senaste, f.stat().st_mtime_ns)
    return f"{senaste}-{antal}"


@st.cache_resource(max_entries=2, show_spinner=False)
def anslutning(root: str, version: str):
    """One DuckDB connection per data version; every query takes its own cursor (lake.query), so sessions can share it."""
    return lake.connect(root)


def aktuell_anslutning():
    """The connection for the current data version."""
    root = lake.parquet_root()
    return anslutning(root, dataversion(root))


@st.cache_data(max_entries=300, show_spinner=False)
def _sid_data(sid: str, root: str, version: str, period: tuple, filt: tuple) -> dict:
    ar, tertial, manad, ytd = period
    units, queues, forv, sg_def, sg_troskel, omfang = filt
    con = anslutning(root, version)
    return SIDOR[sid](
        con,
        Period(ar, tertial=tertial, month=manad, ytd=ytd),
        Filters(units=units, queues=queues, forvaltningar=forv, servicegrad_definition=sg_def, servicegrad_troskel_s=sg_troskel, omfang=omfang),
    )


def sid_data(sid: str, period: Period, filters: Filters) -> dict:
    """A page's data from kpi.queries.SIDOR, cached per data version, period and filters."""
    root = lake.parquet_root()
    return _sid_data(
        sid,
        root,
        dataversion(root),
        (period.year, period.tertial, period.month, period.ytd),
        # omfang travels with the key, so the cached call re-checks the user's unit scope in the data layer
        (filters.units, filters.queues, filters.forvaltningar, filters.servicegrad_definition, filters.servicegrad_troskel_s, filters.omfang),
    )


@st.cache_data(max_entries=50, show_spinner=False)
def dimensioner(root: str, version: str) -> dict:
    """Years, months, units, queues and förvaltningar present in the data (for the filters)."""
    import kpi

    con = anslutning(root, version)
    return {
        "senaste_manad": kpi.senaste_manad(con),
        "ar": kpi.tillgangliga_ar(con),
        "enheter": kpi.enheter(con),
        "koer": kpi.koer(con),
        "forvaltningar": kpi.forvaltningar(con),
    }


def aktuella_dimensioner() -> dict:
    """Dimension lists for the current data version."""
    root = lake.parquet_root()
    return dimensioner(root, dataversion(root))


# --- Layout pieces ---------------------------------------------------------------------------------------------


def rubrik(titel: str, urval) -> None:
    """Page title with the selection it shows, so a screenshot or projector view is self-explanatory."""
    st.title(titel)
    st.caption(f"**{urval.period.label}** · {urval.enhetstext}")


def status_bricka(status: str) -> str:
    """HTML badge: colour-blind-safe colour, symbol and word (never colour alone)."""
    farg = STATUS_FARG.get(status, STATUS_FARG["ej_bedomd"])
    return (
        f'<span class="vu-status" style="border:2px solid {farg};color:#1a1a1a;background:{farg}22;">'
        f'<span style="color:{farg};font-size:1.1em">{STATUS_SYMBOL.get(status, "–")}</span> {STATUS_ORD.get(status, status)}</span>'
    )


def forandring(nu, forra, matt: str, ekonomi: bool = False) -> tuple[str | None, float | None]:
    """Change against the same period last year as text: percentage points for %, kronor for economy, else percent."""
    if nu is None or forra is None:
        return None, None
    if matt == "%":
        d = nu - forra
        return f"{'+' if d >= 0 else '−'}{enligt_matt(abs(d), '', 1)} procentenheter", d
    if ekonomi:
        # A result or deviation crosses zero, so a percent change ("−792 %") says nothing; the amount does.
        d = nu - forra
        return f"{'+' if d >= 0 else '−'}{belopp(abs(d))}", d
    if forra <= 0:
        return None, None
    d = 100 * (nu - forra) / abs(forra)
    return f"{'+' if d >= 0 else '−'}{enligt_matt(abs(d), '', 1)} %", d


def text(df: pl.DataFrame, kolumn: str, formatera, namn: str | None = None) -> pl.Series:
    """A column formatted for people, in plain Python (polars map_elements can deadlock when sessions run in parallel)."""
    return pl.Series(namn or kolumn, [formatera(v) for v in df[kolumn].to_list()], dtype=pl.Utf8)


def belopp(x: float | None) -> str:
    """Money for people: mnkr from a million, else tkr."""
    if x is None:
        return "–"
    return mnkr(x) if abs(x) >= 1_000_000 else tkr(x)


def visa(x: float | None, matt: str, ekonomi: bool = False) -> str:
    """A value in its unit; large amounts (and all amounts on the economy page) in tkr/mnkr."""
    if matt == "kr" and x is not None and (ekonomi or abs(x) >= 100_000):
        return belopp(x)
    return enligt_matt(x, matt)


def ruta(resultat, forra=None, trend: list | None = None, riktning: str | None = None, ekonomi: bool = False, definition: str | None = None) -> None:
    """A tile: value, target, assessment badge, change vs same period last year, small trend."""
    with st.container(border=True):
        delta_text, delta = forandring(resultat.varde, getattr(forra, "varde", None), resultat.matt, ekonomi)
        farg = "off"
        if delta is not None and riktning in ("hogre", "lagre") and delta != 0:
            battre = (delta > 0) == (riktning == "hogre")
            farg = "blue" if battre else "orange"  # Okabe–Ito pair; the arrow carries the direction too
        st.metric(
            resultat.namn,
            visa(resultat.varde, resultat.matt, ekonomi),
            delta=f"{delta_text} mot {forra.period}" if delta_text and forra is not None else None,
            delta_color=farg,
            delta_arrow="auto" if delta is None else ("up" if delta > 0 else "down" if delta < 0 else "off"),
            chart_data=[v for v in (trend or []) if v is not None] or None,
            chart_type="line",
            help=definition or _definition(resultat.id),
        )
        mal = f"Mål {visa(resultat.mal, resultat.matt, ekonomi)}" if resultat.mal is not None else ""
        st.markdown(f'{status_bricka(resultat.status)} <span class="vu-mal">{mal}</span>', unsafe_allow_html=True)
        if resultat.orsak:
            st.caption(resultat.orsak)


def maltabell_html(resultat: list) -> str:
    """The city's table Indikator | Periodens utfall | Årsmål | KF:s årsmål | Period | Bedömning, large and badged."""
    import kpi

    def ar_ekonomi(r) -> bool:
        # Economy amounts all in tkr/mnkr, so one table never mixes '18 800 kr' with '−207 tkr'.
        ind = kpi.CATALOGUE.get(r.id)
        return ind is not None and ind.avsnitt == "Ekonomi"

    rader = "".join(
        f"<tr><td>{html.escape(r.namn)}</td><td class='tal'>{visa(r.varde, r.matt, ar_ekonomi(r))}</td>"
        f"<td class='tal'>{visa(r.mal, r.matt, ar_ekonomi(r))}</td>"
        f"<td class='tal'>{visa(r.kf_mal, r.matt, ar_ekonomi(r))}</td><td class='tal'>{html.escape(r.period)}</td><td>{status_bricka(r.status)}"
        + (f"<div class='vu-orsak'>{html.escape(r.orsak)}</div>" if r.orsak else "")
        + "</td></tr>"
        for r in resultat
    )
    huvud = "".join(f"<th>{k}</th>" for k in ["Indikator", "Periodens utfall", "Årsmål", "KF:s årsmål", "Period", "Bedömning"])
    return f"<table class='vu-tabell'><thead><tr>{huvud}</tr></thead><tbody>{rader}</tbody></table>"


def _definition(kpi_id: str) -> str | None:
    """The catalogue's one-line definition, shown as the tile's tooltip."""
    import kpi

    ind = kpi.CATALOGUE.get(kpi_id)
    return ind.definition if ind else None


def _filnamn(namn: str) -> str:
    """A safe ASCII-ish file name from a Swedish title."""
    t = namn.lower().translate(str.maketrans("åäöé", "aaoe"))
    return re.sub(r"[^a-z0-9]+", "_", t).strip("_") or "data"


def _csv(df: pl.DataFrame) -> bytes:
    """CSV as Swedish Excel opens it: semicolon, decimal comma, UTF-8 with BOM."""
    return "\ufeff".encode() + df.write_csv(separator=";", decimal_comma=True).encode("utf-8")


def _xlsx(df: pl.DataFrame, blad: str) -> bytes:
    """Excel workbook with one sheet."""
    buf = io.BytesIO()
    df.write_excel(buf, worksheet=blad[:31] or "Data", autofit=True)
    return buf.getvalue()


def nedladdning(df: pl.DataFrame, titel: str, fig: go.Figure | None = None, nyckel: str | None = None) -> None:
    """Download menu: CSV and Excel of the data, PNG of the chart; files are built only when clicked (and logged then)."""
    bas = _filnamn(titel)
    nyckel = nyckel or bas
    with st.popover("Ladda ner", icon=":material/download:"):
        st.download_button(
            "CSV",
            data=inloggning.loggad(lambda: _csv(df), "nedladdning", fil=f"{bas}.csv", titel=titel),
            file_name=f"{bas}.csv",
            mime="text/csv",
            key=f"csv_{nyckel}",
            on_click="ignore",
        )
        st.download_button(
            "Excel",
            data=inloggning.loggad(lambda: _xlsx(df, titel), "nedladdning", fil=f"{bas}.xlsx", titel=titel),
            file_name=f"{bas}.xlsx",
            key=f"xlsx_{nyckel}",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
        )
        if fig is not None:
            # serialised only on click: building the JSON on every render would double each chart's cost
            st.download_button(
                "Bild (PNG)",
                data=inloggning.loggad(lambda: charts.png_fran_json(fig.to_json()), "nedladdning", fil=f"{bas}.png", titel=titel),
                file_name=f"{bas}.png",
                mime="image/png",
                key=f"png_{nyckel}",
                on_click="ignore",
            )


def diagram(fig: go.Figure, data: pl.DataFrame, titel: str, bildtext: str | None = None, nyckel: str | None = None) -> None:
    """A chart with its caption and download menu (data as CSV/Excel, image as PNG)."""
    if data.is_empty():
        st.subheader(titel)
        st.info("Det finns inga uppgifter för det här urvalet.")
        return
    st.plotly_chart(fig, config=PLOTLY_CONFIG, theme=None, key=f"fig_{nyckel}" if nyckel else None)
    if bildtext:
        st.caption(bildtext)
    nedladdning(data, titel, fig, nyckel)


def tabell(df: pl.DataFrame, titel: str, nyckel: str | None = None, visa_titel: bool = True, **kwargs) -> None:
    """A table with a heading and CSV/Excel downloads; empty tables say so in Swedish."""
    if visa_titel:
        st.subheader(titel)
    if df.is_empty():
        st.info("Det finns inga uppgifter för det här urvalet.")
        return
    st.dataframe(for_visning(df), hide_index=True, **kwargs)
    nedladdning(df, titel, None, nyckel)


def for_visning(df: pl.DataFrame) -> pl.DataFrame:
    """Numbers as Swedish text ('133 976', '6,5') and empty cells blank; the download keeps the raw values."""
    kolumner = []
    for namn, typ in df.schema.items():
        if typ.is_integer():
            kolumner.append(text(df, namn, lambda v: tal(v, 0, "")))
        elif typ.is_float():
            kolumner.append(text(df, namn, lambda v: tal(v, 1, "")))
        elif typ.is_decimal():  # DuckDB's sum() of integers arrives as a decimal
            kolumner.append(text(df, namn, lambda v, d=min(typ.scale or 0, 1): tal(None if v is None else float(v), d, "")))
        elif typ == pl.Utf8:
            kolumner.append(pl.col(namn).fill_null(""))
        elif typ == pl.Datetime:
            kolumner.append(text(df, namn, lambda v: f"{v:%Y-%m-%d %H:%M}" if v else ""))
        else:
            kolumner.append(pl.col(namn))
    return df.with_columns(kolumner)


def stil() -> None:
    """Calm, projector-friendly type sizes shared by every page."""
    st.markdown(
        """<style>
        .vu-status { display:inline-block; padding:2px 10px; border-radius:12px; font-weight:600; font-size:0.95rem; }
        .vu-mal { color:#444; margin-left:0.5rem; font-size:0.95rem; }
        [data-testid="stMetricLabel"] p { font-weight: 600; }
        [data-testid="stMetricLabel"] * { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
        .block-container { padding-top: 2.5rem; }
        .vu-orsak { color:#555; font-size:0.85rem; margin-top:2px; }
        table.vu-tabell { border-collapse: collapse; width: 100%; font-size: 1.05rem; }
        table.vu-tabell th { text-align:left; border-bottom: 2px solid #333; padding: 8px 10px; }
        table.vu-tabell td { border-bottom: 1px solid #ddd; padding: 8px 10px; vertical-align: top; }
        table.vu-tabell td.tal { text-align: right; white-space: nowrap; }
        </style>""",
        unsafe_allow_html=True,
    )
