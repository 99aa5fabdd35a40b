"""Plotly figure builders with Swedish formatting: the one chart package that the pages (ui/) and the exports (report/) sit above.

Values arrive in base units with the indicator's `Visning` (kpi.format), so axes, hover text, value labels and target
lines read exactly like tiles and tables. Names from the data are text: escaped for Plotly's HTML subset and never put
into a hover template, where `%{…}` would be evaluated."""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import lru_cache

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from kpi.format import MANADER_KORT, PALETT, Visning, enligt_matt
from sakerhet import plotly_text

MAL_FARG = "#000000"  # the target line is black and dashed so it never competes with a series colour
MAL_ETIKETT = "mal"  # the `name` of a target line's label, so for_skarm can move it out of the plot
MONSTER = ["", "/", ".", "x", "-", "|", "+", "\\"]  # bar patterns: series differ by more than colour
MONSTERFYLLNING = {"fillmode": "overlay", "size": 10, "solidity": 0.2}  # the pattern over a solid bar, not instead of it
STRECK = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLER = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]
# Every chart names its template, so it looks the same in every process: importing Streamlit makes its own template
# Plotly's default (colour placeholders for theme="streamlit"; the pages draw with theme=None and set every colour
# here), a CLI export got Plotly's, which styled 24 trace types and was validated and sent with every chart (a third
# of its JSON). With "none" the look is Plotly.js's defaults under the layout below, as the pages have shown it.
MALL = "none"


def _skala(matt: Visning | str) -> tuple[float, str]:
    """Divisor and axis suffix for a display (values arrive in base units)."""
    if isinstance(matt, Visning):
        return matt.divisor, matt.suffix
    return {
        "%": (1, " %"),
        "kr": (1, " kr"),
        "tkr": (1_000, " tkr"),
        "mnkr": (1_000_000, " mnkr"),
        "s": (1, " s"),
        "h": (1, " h"),
    }.get(matt, (1, ""))


def _som_text(xs: list) -> list:
    """Category values from the data (förvaltning, account group) as literal text on an axis."""
    return [plotly_text(x) if isinstance(x, str) else x for x in xs]


def _etikett(x) -> str:
    """Swedish label for an x value: dates become 'mar 2024', everything else str()."""
    if isinstance(x, (date, datetime)):
        return f"{MANADER_KORT[x.month - 1]} {x.year}"
    return str(x)


def _text(v, matt: Visning | str) -> str:
    """Hover/label text of one value as everywhere else, e.g. '6,5 %', '1 150', '2:23', '−276 tkr'."""
    return matt.text(v) if isinstance(matt, Visning) else enligt_matt(v, matt)


def _grund(titel: str = "", matt: Visning | str = "", stor: bool = False, hojd: int | None = None) -> dict:
    """The shared calm look as a layout: Swedish separators, readable type, legend on top; stor=True for a projector.

    The builders pass it whole to go.Figure: Plotly's update_layout/update_xaxes go through its relayout machinery and
    cost ≈ 10 ms each, four to five of them per chart, where one constructor call validates the same layout once."""
    bas = 22 if stor else 15
    _, suffix = _skala(matt)
    return {
        "template": MALL,
        "title": {"text": titel, "font": {"size": 40 if stor else 20}, "x": 0, "xanchor": "left"},
        "separators": ", ",  # decimal comma, space as thousands separator
        "font": {"family": "Source Sans Pro, DejaVu Sans, Arial, sans-serif", "size": bas, "color": "#222222"},
        "colorway": PALETT,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"size": bas}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0, "title": {"text": ""}},
        "margin": {"l": 70, "r": 20, "t": 100 if titel else 40, "b": 50},
        "height": hojd or (650 if stor else 420),
        # ",~f" so ticks below 10 000 also get the space separator ("1 350", not "1350") and no trailing zeros.
        "yaxis": {"gridcolor": "#e5e5e5", "zerolinecolor": "#767676", "ticksuffix": suffix, "tickformat": ",~f", "automargin": True},
        "xaxis": {"showgrid": False, "linecolor": "#888888", "automargin": True},
    }


def grundlayout(fig: go.Figure, titel: str = "", matt: Visning | str = "", stor: bool = False, hojd: int | None = None) -> go.Figure:
    """The shared look (_grund) on an existing figure; its axis settings apply to every axis it has."""
    layout = _grund(titel, matt, stor, hojd)
    yaxel, xaxel = layout.pop("yaxis"), layout.pop("xaxis")
    return fig.update_layout(layout).update_yaxes(yaxel).update_xaxes(xaxel)


def _x_ticks(xs: list) -> dict:
    """Swedish month ticks on a date axis (Plotly itself only knows English month names): settings for the x axis."""
    datum = sorted({x for x in xs if isinstance(x, (date, datetime))})
    if not datum:
        return {}
    steg = max(1, -(-len(datum) // 6))  # at most six labels so they stay horizontal and readable in a half-width chart
    valda = datum[::steg]
    return {"tickmode": "array", "tickvals": valda, "ticktext": [_etikett(d) for d in valda], "tickangle": 0}


def tom_figur(titel: str = "", matt: Visning | str = "", stor: bool = False, hojd: int | None = None) -> go.Figure:
    """A figure for an empty selection that says so in Swedish instead of drawing empty axes."""
    layout = _grund(titel, matt, stor, hojd)
    layout["xaxis"]["visible"] = layout["yaxis"]["visible"] = False
    layout["annotations"] = [
        {
            "text": "Inga uppgifter för urvalet",
            "showarrow": False,
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
            "font": {"size": 22 if stor else 16, "color": "#555555"},
        }
    ]
    return go.Figure(layout=layout)


def _mallinje(layout: dict, mal: float | None, matt: Visning | str = "", etikett: str = "Mål", liggande: bool = False) -> dict:
    """The target as a dashed line with its value in words (not colour alone), added to a layout; liggande: a vertical
    line across horizontal bars, its label on top. The same shape and label as Plotly's add_hline/add_vline."""
    if mal is None:
        return layout
    div, _ = _skala(matt)
    varde, text = mal / div, f"{etikett} {_text(mal, matt)}"
    form = {"type": "line", "line": {"color": MAL_FARG, "dash": "dash", "width": 2}}
    ruta = {"text": text, "name": MAL_ETIKETT, "showarrow": False, "yanchor": "bottom"}
    if liggande:
        form.update(xref="x", x0=varde, x1=varde, yref="y domain", y0=0, y1=1)
        ruta.update(xref="x", x=varde, xanchor="center", yref="y domain", y=1)
    else:
        form.update(xref="x domain", x0=0, x1=1, yref="y", y0=varde, y1=varde)
        ruta.update(xref="x domain", x=0, xanchor="left", yref="y", y=varde, bgcolor="rgba(255,255,255,0.8)")
        ruta["font"] = {"size": max(14, layout["font"]["size"] - 1), "color": MAL_FARG}
    layout.setdefault("shapes", []).append(form)
    layout.setdefault("annotations", []).append(ruta)
    return layout


def linje_mot_mal(
    df: pl.DataFrame,
    *,
    x: str = "period_start",
    y: str = "varde",
    grupp: str | None = "grupp",
    mal: float | None = None,
    titel: str = "",
    matt: Visning | str = "",
    mal_etikett: str = "Mål",
    stor: bool = False,
    hojd: int | None = None,
) -> go.Figure:
    """Line per group over time against a labelled target line; hover text in Swedish."""
    if df.is_empty() or y not in df.columns or df[y].drop_nulls().is_empty():
        return tom_figur(titel, matt, stor, hojd)
    div, _ = _skala(matt)
    grupper = [None]
    if grupp and grupp in df.columns and df[grupp].drop_nulls().len() > 0:
        # a group without a single value (e.g. a unit the indicator does not apply to) gets no legend entry
        grupper = sorted(df.filter(pl.col(y).is_not_null())[grupp].drop_nulls().unique().to_list())
    layout = _mallinje(_grund(titel, matt, stor, hojd), mal, matt, mal_etikett)
    layout["xaxis"].update(_x_ticks(df[x].to_list() if x in df.columns else []))
    if len(grupper) == 1 and grupper[0] is None:
        layout["showlegend"] = False
    sparar = []
    for i, g in enumerate(grupper):
        del_df = df if g is None else df.filter(pl.col(grupp) == g)
        del_df = del_df.sort(x)
        xs = _som_text(del_df[x].to_list())
        ys = del_df[y].to_list()
        namn = g if g is not None else titel or "Utfall"
        sparar.append(
            go.Scatter(
                x=xs,
                y=[None if v is None else v / div for v in ys],
                name=plotly_text(namn),
                mode="lines+markers",
                line={"color": PALETT[i % len(PALETT)], "width": 4 if stor else 3, "dash": STRECK[i % len(STRECK)]},
                marker={"symbol": SYMBOLER[i % len(SYMBOLER)], "size": 11 if stor else 8},
                customdata=[[_etikett(a), _text(v, matt), plotly_text(namn)] for a, v in zip(xs, ys)],
                hovertemplate="<b>%{customdata[2]}</b><br>%{customdata[0]}: %{customdata[1]}<extra></extra>",
                connectgaps=False,
            )
        )
    return go.Figure(data=sparar, layout=layout)


def staplar(
    df: pl.DataFrame,
    *,
    x: str,
    y: str,
    farg: str | None = None,
    titel: str = "",
    matt: Visning | str = "",
    staplade: bool = True,
    horisontell: bool = False,
    mal: float | None = None,
    mal_etikett: str = "Mål",
    varde_etiketter: bool = False,
    stor: bool = False,
    hojd: int | None = None,
) -> go.Figure:
    """Bars (stacked or grouped, optionally horizontal) per colour group; patterns so colour is not alone."""
    if df.is_empty():
        return tom_figur(titel, matt, stor, hojd)
    div, _ = _skala(matt)
    if y in df.columns:
        df = df.filter(pl.col(y).is_not_null())  # empty buckets (no data yet) are not drawn as categories
    if df.is_empty():
        return tom_figur(titel, matt, stor, hojd)
    grupper = [None]
    if farg and farg in df.columns:
        grupper = list(dict.fromkeys(df[farg].to_list()))
    layout = _mallinje(_grund(titel, matt, stor, hojd), mal, matt, mal_etikett, liggande=horisontell)
    layout.update(barmode="stack" if staplade else "group", bargap=0.25)
    if horisontell:
        layout["yaxis"].update(autorange="reversed", ticksuffix="")
        del layout["yaxis"]["gridcolor"]
        layout["xaxis"].update(ticksuffix=_skala(matt)[1], showgrid=True, gridcolor="#e5e5e5")
    else:
        layout["xaxis"].update(_x_ticks(df[x].to_list() if x in df.columns else []))
    if len(grupper) == 1:
        layout["showlegend"] = False
    sparar = []
    for i, g in enumerate(grupper):
        del_df = df if g is None else df.filter(pl.col(farg) == g)
        xs = _som_text(del_df[x].to_list())
        ys = del_df[y].to_list()
        namn = str(g) if g is not None else (titel or y)
        skalade = [None if v is None else v / div for v in ys]
        texter = [_text(v, matt) for v in ys]
        stapel = go.Bar(
            x=skalade if horisontell else xs,
            y=xs if horisontell else skalade,
            orientation="h" if horisontell else "v",
            name=plotly_text(namn),
            marker={"color": PALETT[i % len(PALETT)], "pattern": {"shape": MONSTER[i % len(MONSTER)] if g is not None else "", **MONSTERFYLLNING}},
            customdata=[[_etikett(a), t, plotly_text(namn)] for a, t in zip(xs, texter)],
            hovertemplate="<b>%{customdata[2]}</b><br>%{customdata[0]}: %{customdata[1]}<extra></extra>",
            text=texter if varde_etiketter else None,
            textposition=("inside" if horisontell else "outside") if varde_etiketter else None,
            textangle=0,
            insidetextanchor="end" if horisontell else None,
            cliponaxis=False,
        )
        sparar.append(stapel)
    return go.Figure(data=sparar, layout=layout)


def varmekarta(
    df: pl.DataFrame,
    *,
    x: str,
    y: str,
    z: str,
    titel: str = "",
    matt: Visning | str = "",
    x_ordning: list | None = None,
    y_ordning: list | None = None,
    farg_skala: str = "cividis",
    omvand: bool = False,
    stor: bool = False,
    hojd: int | None = None,
) -> go.Figure:
    """Heatmap (e.g. weekday × time of day) with the value written in hover and on each cell."""
    if df.is_empty():
        return tom_figur(titel, matt, stor, hojd)
    xs = x_ordning or sorted(df[x].unique().to_list())
    ys = y_ordning or sorted(df[y].unique().to_list())
    varden = {(r[x], r[y]): r[z] for r in df.select(x, y, z).iter_rows(named=True)}
    matris = [[varden.get((a, b)) for a in xs] for b in ys]
    texter = [[_text(v, matt) if v is not None else "" for v in rad] for rad in matris]
    layout = _grund(titel, matt, stor, hojd or (520 if not stor else 700))
    layout["yaxis"].update(autorange="reversed", ticksuffix="", type="category")
    del layout["yaxis"]["gridcolor"]
    layout["xaxis"].update(type="category", side="top")
    return go.Figure(
        data=go.Heatmap(
            x=[str(a) for a in xs],
            y=[str(b) for b in ys],
            z=matris,
            text=texter,
            texttemplate="%{text}" if len(xs) * len(ys) <= 120 else None,
            colorscale=farg_skala,  # cividis is perceptually uniform and colour-blind safe
            reversescale=omvand,
            hovertemplate="%{x} %{y}: %{text}<extra></extra>",
            colorbar={"ticksuffix": _skala(matt)[1], "thickness": 14},
            hoverongaps=False,
        ),
        layout=layout,
    )


def linjer_och_staplar(
    df: pl.DataFrame,
    *,
    x: str,
    staplar_y: str,
    staplar_namn: str,
    linje_y: str,
    linje_namn: str,
    titel: str = "",
    matt: Visning | str = "",
    stor: bool = False,
    hojd: int | None = None,
) -> go.Figure:
    """Bars for one measure with a stepped line for a comparable one (e.g. answered calls vs agents needed)."""
    if df.is_empty():
        return tom_figur(titel, matt, stor, hojd)
    xs = df[x].to_list()
    layout = _grund(titel, matt, stor, hojd)
    layout["xaxis"]["type"] = "category"
    # Two measures, two labelled axes: the line's axis on the right, its title naming it.
    layout["yaxis"]["title"] = {"text": staplar_namn}
    layout["yaxis2"] = {
        "title": {"text": linje_namn},
        "overlaying": "y",
        "side": "right",
        "rangemode": "tozero",
        "showgrid": False,
        "automargin": True,
        "tickmode": "auto",
        "tickformat": ",~f",
    }
    stapel = go.Bar(
        x=[str(a) for a in xs],
        y=df[staplar_y].to_list(),
        name=staplar_namn,
        marker={"color": PALETT[4]},
        customdata=[_text(v, matt) for v in df[staplar_y].to_list()],
        hovertemplate=f"<b>{staplar_namn}</b><br>%{{x}}: %{{customdata}}<extra></extra>",
    )
    linje = go.Scatter(
        x=[str(a) for a in xs],
        y=df[linje_y].to_list(),
        name=linje_namn,
        mode="lines+markers",
        yaxis="y2",
        line={"color": PALETT[5], "width": 3, "shape": "hvh"},
        marker={"symbol": "diamond", "size": 9},
        customdata=[_text(v, matt) for v in df[linje_y].to_list()],
        hovertemplate=f"<b>{linje_namn}</b><br>%{{x}}: %{{customdata}}<extra></extra>",
    )
    return go.Figure(data=[stapel, linje], layout=layout)


def minitrend(df: pl.DataFrame, *, x: str = "period_start", y: str = "varde", mal: float | None = None, farg: str = PALETT[0]) -> go.Figure:
    """A small axis-less sparkline for a tile; the target as a thin dashed line."""
    d = df.sort(x) if x in df.columns else df
    layout = {
        "template": MALL,
        "height": 60,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "showlegend": False,
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    if mal is not None:
        linje = {"color": MAL_FARG, "dash": "dot", "width": 1}
        layout["shapes"] = [{"type": "line", "line": linje, "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": mal, "y1": mal}]
    return go.Figure(
        layout=layout,
        data=go.Scatter(
            x=d[x].to_list() if x in d.columns else [],
            y=d[y].to_list() if y in d.columns else [],
            mode="lines",
            line={"color": farg, "width": 2},
            hoverinfo="skip",
        ),
    )


def forvarm() -> None:
    """Build each kind of chart once on two made-up rows (never shown): Plotly loads its validators lazily on first use,
    ≈ 0,2 s that a fresh server's first chart would otherwise take while every session waits (scripts/starta.py)."""
    df = pl.DataFrame({"period_start": [date(2000, 1, 1), date(2000, 2, 1)], "varde": [1.0, 2.0], "grupp": ["a", "b"]})
    figurer = [
        linje_mot_mal(df, mal=1.5, titel="a", matt="%"),
        staplar(df, x="period_start", y="varde", farg="grupp", titel="a", matt="st", mal=1.0),
        varmekarta(df.with_columns(pl.col("grupp").alias("tid")), x="tid", y="grupp", z="varde", titel="a"),
        linjer_och_staplar(df, x="period_start", staplar_y="varde", staplar_namn="a", linje_y="varde", linje_namn="b", titel="a", matt="kr"),
    ]
    for fig in figurer:
        for_skarm(fig).to_json()


def _kompakt_period(texter: list[str]) -> list[str]:
    """'jan 2026', 'mar 2026' → 'jan<br>2026', 'mar'; 'T1 2024', 'T2 2024' → 'T1<br>2024', 'T2': the year only where it changes."""
    ut, forra_ar = [], None
    for t in texter:
        delar = str(t).split(" ")
        if len(delar) == 2 and len(delar[1]) == 4 and delar[1].isdigit():
            ut.append(f"{delar[0]}<br>{delar[1]}" if delar[1] != forra_ar else delar[0])
            forra_ar = delar[1]
        else:
            ut.append(str(t))
    return ut


def for_skarm(fig: go.Figure) -> go.Figure:
    """A copy of a page chart laid out for a half-width column at 1366 px: nothing overlaps, nothing is cut off.

    The title goes (the page writes it as an HTML heading, which wraps), month and tertial labels get two short lines
    with the year only where it changes, value labels above vertical bars and in heatmap cells go (they shrank into
    each other or below 9 px; the numbers are in the table under the chart), whole hours read '08', and the target's label moves from inside the plot, where it lay on the data,
    into the right margin. The exports (report/render.py) have their own large-type layout."""
    d = fig.to_dict()  # a copy, changed as data and validated once: each update_* call on a figure costs ≈ 10 ms
    layout, spar = d["layout"], d["data"]
    layout.pop("title", None)
    marginal = layout.setdefault("margin", {})
    marginal["t"] = 30 if layout.get("showlegend") is False or len(spar) < 2 else 50
    xaxel = layout.setdefault("xaxis", {})
    if xaxel.get("tickmode") == "array" and xaxel.get("ticktext"):
        xaxel.update(ticktext=_kompakt_period(list(xaxel["ticktext"])), tickangle=0)
    staende = [t for t in spar if t.get("type") == "bar" and t.get("orientation") != "h"]
    if staende and not xaxel.get("tickvals"):
        kategorier = list(dict.fromkeys(x for t in staende for x in (t.get("x") or ()) if isinstance(x, str)))
        if kategorier and any(" " in k for k in kategorier):
            xaxel.update(tickmode="array", tickvals=kategorier, ticktext=_kompakt_period(kategorier), tickangle=0)
    for t in staende:  # above narrow bars the labels shrink into each other; the numbers are in the table and the hover
        t.pop("text", None)
        t.pop("textposition", None)
    if any(t.get("type") == "bar" and t.get("orientation") == "h" for t in spar):
        # a value that no longer fits inside its bar is hidden, not shrunk (the axis and the table still give it)
        layout["uniformtext"] = {"minsize": 12, "mode": "hide"}
        xaxel.update(tickformat=",~f", nticks=4, tickangle=0)
    for t in spar:
        if t.get("type") == "heatmap":
            # the cells' own numbers shrink below 9 px in a half-width column: the colour scale and the table carry them
            t.pop("texttemplate", None)
            x = [str(v) for v in (t.get("x") or ())]
            if x and all(len(v) == 5 and v[2] == ":" and v.endswith(":00") for v in x):  # whole hours: '08' reads as well as '08:00'
                xaxel.update(tickmode="array", tickvals=x, ticktext=[v[:2] for v in x], tickangle=0)
    hoger = marginal.get("r") or 20
    for a in layout.get("annotations", ()):
        if a.get("name") == MAL_ETIKETT and a.get("yref") == "y":  # a horizontal target line (a vertical one keeps its label on top)
            a.update(xref="paper", x=1.0, xanchor="left", yanchor="middle", text=str(a["text"]).replace(" ", "<br>", 1))
            a.pop("bgcolor", None)
            hoger = max(hoger, 85)
    marginal["r"] = hoger
    return go.Figure(d)


def stampla(fig: go.Figure, text: str) -> go.Figure:
    """A copy of the figure that says what it shows (period, selection, data date) below the plot, for exported images."""
    if not text:
        return fig
    kopia = go.Figure(fig)
    botten = (kopia.layout.margin.b or 50) + 40
    kopia.update_layout(margin_b=botten)
    kopia.add_annotation(
        text=plotly_text(text), showarrow=False, xref="paper", yref="paper", x=0, y=0, yshift=-botten + 8,
        xanchor="left", yanchor="bottom", font={"size": 13, "color": "#444444"},
    )  # fmt: skip
    return kopia


def _sakerstall_webblasare() -> None:
    """Kaleido needs a Chromium; Debian's is the one the repo installs."""
    if not os.environ.get("BROWSER_PATH") and os.path.exists("/usr/bin/chromium"):
        os.environ["BROWSER_PATH"] = "/usr/bin/chromium"


def bild_png(fig: go.Figure, bredd: int = 1280, hojd: int = 720, skala: float = 1.0) -> bytes:
    """Render a figure to PNG with kaleido (slow: call lazily and cache the result)."""
    _sakerstall_webblasare()
    return fig.to_image(format="png", width=bredd, height=hojd, scale=skala)


@lru_cache(maxsize=64)
def png_fran_json(fig_json: str, bredd: int = 1280, hojd: int = 720) -> bytes:
    """PNG of a figure given as JSON, memoised so the same chart is rendered once per process."""
    return bild_png(pio.from_json(fig_json), bredd, hojd)
