"""Figure builders: Swedish separators and months, labelled target line, no Streamlit import, empty selections."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl

import diagram

SERIE = pl.DataFrame(
    {
        "period_start": [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)] * 2,
        "grupp": ["Enhet A"] * 3 + ["Enhet B"] * 3,
        "varde": [81.5, 84.0, 86.26, 90.0, None, 70.0],
    }
)


def test_linje_mot_mal_svensk_formattering_och_mallinje():
    fig = diagram.linje_mot_mal(SERIE, mal=85, titel="Servicegrad", matt="%")
    assert fig.layout.separators == ", "
    assert list(fig.layout.xaxis.ticktext)[:3] == ["jan 2025", "feb 2025", "mar 2025"]
    assert [t.name for t in fig.data] == ["Enhet A", "Enhet B"]
    assert fig.data[0].line.dash != fig.data[1].line.dash, "serier skiljs åt av mer än färg"
    etiketter = [a.text for a in fig.layout.annotations]
    assert "Mål 85,0\u00a0%" in etiketter
    assert fig.data[0].customdata[2][1] == "86,3\u00a0%"  # Swedish hover text
    assert fig.data[1].y[1] is None, "saknat värde ritas som lucka, aldrig som 0"


def test_staplar_tkr_och_tom():
    df = pl.DataFrame({"manad": [date(2025, 1, 1), date(2025, 2, 1)], "kr": [1_234_567.0, -50_000.0]})
    fig = diagram.staplar(df, x="manad", y="kr", titel="Resultat", matt="tkr")
    assert list(fig.data[0].y) == [1234.567, -50.0]
    assert fig.data[0].customdata[0][1] == "1\u00a0235\u00a0tkr"
    assert fig.layout.yaxis.ticksuffix == " tkr"
    tom = diagram.staplar(df.clear(), x="manad", y="kr", titel="Resultat")
    assert not tom.data and "Inga uppgifter" in tom.layout.annotations[0].text


def test_varmekarta_ordning():
    df = pl.DataFrame({"dag": ["tisdag", "måndag"], "tid": ["08:00", "08:00"], "z": [3.0, 5.0]})
    fig = diagram.varmekarta(df, x="tid", y="dag", z="z", y_ordning=["måndag", "tisdag"], matt="st")
    assert list(fig.data[0].y) == ["måndag", "tisdag"]
    assert fig.data[0].z[0][0] == 5.0


def test_diagrammodulen_importerar_inte_streamlit():
    kod = "import sys, diagram; print('streamlit' in sys.modules)"
    ut = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, check=True)
    assert ut.stdout.strip() == "False"


def test_png_export_med_kaleido():
    fig = diagram.linje_mot_mal(SERIE, mal=85, titel="Servicegrad", matt="%")
    png = diagram.png_fran_json(fig.to_json(), 800, 450)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_nedladdningar_csv_och_excel_svenska():
    import io

    import openpyxl

    from kpi.tabell import csv_bytes, xlsx_bytes

    df = pl.DataFrame({"enhet": ["Löneenhet Nord"], "varde": [6.5]})
    csv = csv_bytes(df).decode("utf-8-sig")
    assert csv.splitlines() == ["enhet;varde", "Löneenhet Nord;6,5"]
    blad = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(df, "Sjukfrånvaro per enhet"))).active
    assert [c.value for c in blad[2]] == ["Löneenhet Nord", 6.5]


def test_for_skarm_korta_manader_malet_i_marginalen_och_exporten_orord():
    """The page layout of a chart: no title, month labels with the year only where it changes, the target label beside
    the plot instead of on the data, no labels above narrow bars; the figure the exports use is left as it was."""
    serie = SERIE.vstack(SERIE.with_columns(pl.col("period_start").dt.offset_by("11mo")))
    fig = diagram.linje_mot_mal(serie, mal=85, titel="Servicegrad", matt="%")
    skarm = diagram.for_skarm(fig)
    assert not skarm.layout.title.text and fig.layout.title.text == "Servicegrad"
    assert list(skarm.layout.xaxis.ticktext) == ["jan<br>2025", "feb", "mar", "dec", "jan<br>2026", "feb"]
    (mal,) = [a for a in skarm.layout.annotations if a.name == diagram.MAL_ETIKETT]
    assert mal.xref == "paper" and mal.x == 1 and mal.xanchor == "left" and mal.text == "Mål<br>85,0\u00a0%"
    assert skarm.layout.margin.r >= 80
    assert fig.layout.annotations[0].text == "Mål 85,0\u00a0%" and fig.layout.xaxis.ticktext[0] == "jan 2025"

    tertial = pl.DataFrame({"period": ["T1 2025", "T2 2025", "T3 2025", "T1 2026"], "varde": [1.0, 2.0, 3.0, 4.0]})
    staplar = diagram.for_skarm(diagram.staplar(tertial, x="period", y="varde", varde_etiketter=True))
    assert list(staplar.layout.xaxis.ticktext) == ["T1<br>2025", "T2", "T3", "T1<br>2026"]
    assert staplar.data[0].text is None, "värdeetiketter över smala staplar trycks ihop: siffrorna står i tabellen"


def _alla_diagramtyper() -> list:
    """One chart of every builder, with a target line where it takes one."""
    kategorier = pl.DataFrame({"forv": ["Förvaltning A", "B"], "varde": [1.5, 2.5]})
    timmar = pl.DataFrame({"dag": ["mån", "tis"], "tid": ["08:00", "09:00"], "varde": [1.0, 2.0]})
    return [
        diagram.linje_mot_mal(SERIE, mal=85, titel="Servicegrad", matt="%"),
        diagram.staplar(SERIE, x="period_start", y="varde", farg="grupp", mal=80.0, matt="%"),
        diagram.staplar(kategorier, x="forv", y="varde", horisontell=True, mal=2.0, varde_etiketter=True),
        diagram.varmekarta(timmar, x="tid", y="dag", z="varde"),
        diagram.linjer_och_staplar(SERIE.head(3), x="period_start", staplar_y="varde", staplar_namn="a", linje_y="varde", linje_namn="b"),
        diagram.minitrend(SERIE.head(3), mal=84.0),
        diagram.tom_figur("Tom"),
    ]


def test_diagrammen_ser_likadana_ut_i_varje_process():
    """Every chart names its (empty) template: importing Streamlit makes its own template Plotly's default, a CLI export
    got Plotly's (24 trace types validated and sent with each chart), so the look depended on what was imported."""
    kod = (
        "import json, streamlit, plotly.io as pio, diagram, tests.ui.test_diagram as t; "
        "tom = pio.templates['none'].to_plotly_json(); "
        "print(pio.templates.default, all(json.loads(f.to_json())['layout']['template'] == tom for f in t._alla_diagramtyper()))"
    )
    ut = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
    assert ut.stdout.split() == ["streamlit", "True"]
    staplar = _alla_diagramtyper()[1]
    assert all(s.marker.pattern.fillmode == "overlay" for s in staplar.data), "mönstret ligger över en hel färgyta"


def test_mallinjen_ar_densamma_som_plotlys_egen():
    """The target line is written as a shape and a label in the layout (one validation per chart instead of Plotly's
    add_hline/add_vline on the figure); it must be exactly what those would have drawn."""
    import plotly.graph_objects as go

    for fig, liggande in [
        (diagram.linje_mot_mal(SERIE, mal=85, matt="%"), False),
        (diagram.staplar(SERIE, x="grupp", y="varde", horisontell=True, mal=80.0, matt="%"), True),
    ]:
        plotlys = go.Figure(data=fig.data, layout={**fig.layout.to_plotly_json(), "shapes": [], "annotations": []})
        linje = {"line": {"color": diagram.MAL_FARG, "dash": "dash", "width": 2}}
        if liggande:
            plotlys.add_vline(x=80.0, annotation={"text": "Mål 80,0\u00a0%", "name": diagram.MAL_ETIKETT}, annotation_position="top", **linje)
        else:
            etikett = {
                "text": "Mål 85,0\u00a0%",
                "font": {"size": 14, "color": diagram.MAL_FARG},
                "bgcolor": "rgba(255,255,255,0.8)",
                "name": diagram.MAL_ETIKETT,
            }
            plotlys.add_hline(y=85, annotation=etikett, annotation_position="top left", **linje)
        assert fig.layout.shapes == plotlys.layout.shapes
        assert fig.layout.annotations == plotlys.layout.annotations
