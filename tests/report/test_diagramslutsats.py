"""A chart's takeaway (report.text.diagramslutsats): one sentence from the page data and its column declaration, numbers as displayed."""

from __future__ import annotations

from datetime import date

import polars as pl

from kpi.format import Visning
from kpi.tabell import Kolumn
from report.text import diagramslutsats

PROCENT = Visning("%", "%", 1, "procentenheter")
ANTAL = Visning("st", "st")
TKR = Visning("kr", "tkr")


def _serie(grupper: dict[str, list[float | None]], orsak: str | None = None) -> pl.DataFrame:
    rader = []
    for g, varden in grupper.items():
        for i, v in enumerate(varden):
            d = date(2026, i + 1, 1)
            rader.append({"period_start": d, "period": f"månad {i + 1}", "grupp": g, "varde": v, "orsak": orsak if v is None else None})
    return pl.DataFrame(rader)


def test_per_grupp_senaste_perioden_mot_malet_och_den_som_saknas():
    df = _serie({"Kö A": [80.0, 86.04], "Kö B": [90.0, 84.96], "Kö C": [None, None]}, orsak="Färre än 5 anställda.")
    text = diagramslutsats(df, [Kolumn("period", "Period"), Kolumn("grupp", "Kö"), Kolumn("varde", "Servicegrad", PROCENT)], mal=85)
    assert text == (
        "Servicegrad i månad 2: Kö A 86,0\u00a0% och Kö B 85,0\u00a0%; 1 över och 1 i nivå med målet 85,0\u00a0%; "
        "visas inte: Kö C (färre än 5 anställda)."
    ), "värdet som det visas avgör: 84,96 avrundas till målet"


def test_en_serie_senaste_lagsta_och_hogsta():
    df = _serie({"x": [70.0, 75.0, 72.0]}).drop("grupp")
    text = diagramslutsats(df, [Kolumn("period", "Period"), Kolumn("varde", "Andel", PROCENT)], mal=78)
    assert text == "Andel 72,0\u00a0% i månad 3, mellan 70,0\u00a0% (månad 1) och 75,0\u00a0% (månad 2) sedan månad 1; målet är 78,0\u00a0%."


def test_flera_matt_per_manad_och_inga_varden():
    df = pl.DataFrame({"manad": [date(2026, 1, 1), date(2026, 2, 1)], "resultat": [-5_000.0, 12_000.0], "budget": [1_000.0, 2_000.0]})
    kol = [Kolumn("manad", "Månad"), Kolumn("resultat", "Resultat", TKR), Kolumn("budget", "Budget", TKR)]
    assert diagramslutsats(df, kol) == "I feb 2026: resultat 12\u00a0tkr och budget 2\u00a0tkr."
    assert diagramslutsats(df.clear(), kol) == "Det finns inga uppgifter för urvalet."
    tom = df.with_columns(pl.lit(None, pl.Float64).alias("resultat"), pl.lit(None, pl.Float64).alias("budget"))
    assert diagramslutsats(tom, kol) == "Det finns inga värden att visa för urvalet."


def test_rangordning_och_avvikelser_efter_storlek():
    df = pl.DataFrame({"namn": ["A", "B", "C", "D"], "v": [10.0, 30.0, 20.0, 5.0]})
    assert diagramslutsats(df, [Kolumn("namn", "Förvaltning"), Kolumn("v", "Manuella", ANTAL)]) == "Manuella: högst för B (30), C (20) och A (10)."
    avv = pl.DataFrame({"rad": ["x", "y", "z"], "v": [100_000.0, -480_000.0, -20_000.0]})
    assert (
        diagramslutsats(avv, [Kolumn("rad", "Rad"), Kolumn("v", "Avvikelse", TKR)])
        == "Avvikelse: störst för y (−480\u00a0tkr), x (100\u00a0tkr) och z (−20\u00a0tkr)."
    )


def test_varmekarta_hogsta_och_lagsta_cellen():
    df = pl.DataFrame({"dag": ["måndag", "måndag", "fredag"], "tid": ["08:00", "09:00", "16:00"], "n": [104.75, 97.1, 12.2]})
    kol = [Kolumn("dag", "Veckodag"), Kolumn("tid", "Timme"), Kolumn("n", "Samtal per dag", Visning("st", "st", 1))]
    assert diagramslutsats(df, kol) == "Samtal per dag: högst måndag 08:00 (104,8), lägst fredag 16:00 (12,2)."
