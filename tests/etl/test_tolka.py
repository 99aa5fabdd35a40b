"""Value parsers, one table per type: what each raw text becomes (None = not readable, so validation names it)."""

from __future__ import annotations

from datetime import date, datetime, time

import polars as pl
import pytest

from etl import tolka
from etl.kallor import Kolumn, _tolka


def tolkat(funktion, text: str | None):
    return pl.DataFrame({"v": [text]}, schema={"v": pl.String}).select(funktion(pl.col("v"))).item()


@pytest.mark.parametrize(
    ("text", "varde"),
    [
        ("1150", 1150.0),
        ("1 150,5", 1150.5),
        ("1\u00a0150,5", 1150.5),
        ("1\u202f150", 1150.0),
        ("-2 302 100,00", -2302100.0),
        ("\u22123,5", -3.5),
        ("1150.5", 1150.5),
        ("1.150,5", 1150.5),
        ("1,150.5", 1150.5),
        ("0,5", 0.5),
        (",5", 0.5),
        ("85 %", 85.0),
        ("1.2e-05", 1.2e-05),
        (" 7 ", 7.0),
        ("abc", None),
        ("nan", None),
        ("inf", None),
        ("1,2,3", None),
        ("", None),
        (None, None),
    ],
)
def test_tal(text, varde):
    assert tolkat(tolka.tal, text) == varde


@pytest.mark.parametrize(("text", "varde"), [("12", 12), ("1 150", 1150), ("12.0", 12), ("12,5", None), ("-3", -3), ("tolv", None)])
def test_heltal(text, varde):
    assert tolkat(tolka.heltal, text) == varde


@pytest.mark.parametrize(
    ("text", "varde"),
    [
        ("2024-03", date(2024, 3, 1)),
        ("202403", date(2024, 3, 1)),
        ("2024-03-01", date(2024, 3, 1)),
        ("2024-03-15", date(2024, 3, 1)),
        ("2024-03-01 00:00:00", date(2024, 3, 1)),
        ("2024-13", None),
        ("2024-02-30", None),
        ("mars 2024", None),
        ("2024", None),
    ],
)
def test_manad(text, varde):
    assert tolkat(tolka.manad, text) == varde


@pytest.mark.parametrize(
    ("text", "varde"),
    [
        ("2024-03-15", date(2024, 3, 15)),
        ("20240315", date(2024, 3, 15)),
        ("2024-03-15 00:00:00", date(2024, 3, 15)),
        ("15/3", None),
        ("2024-03-32", None),
    ],
)
def test_datum(text, varde):
    assert tolkat(tolka.datum, text) == varde


@pytest.mark.parametrize(
    ("text", "varde"),
    [
        ("143", 143.0),
        ("02:23", 143.0),
        ("2:23", 143.0),
        ("00:02:23", 143.0),
        ("1:02:23", 3743.0),
        ("83:20", 5000.0),
        ("143,5", 143.5),
        ("1899-12-31 00:02:23", 143.0),
        ("1900-01-01 01:00:00", 90000.0),
        ("4 min", None),
        ("-5", -5.0),
    ],
)
def test_varaktighet(text, varde):
    assert tolkat(tolka.varaktighet, text) == varde


@pytest.mark.parametrize(
    ("text", "varde"),
    [
        ("2024-03-15 08:03:12", datetime(2024, 3, 15, 8, 3, 12)),
        ("2024-03-15T08:03:12", datetime(2024, 3, 15, 8, 3, 12)),
        ("2024-03-15 08:03", datetime(2024, 3, 15, 8, 3)),
        ("2024-03-15 08:03:12.5", datetime(2024, 3, 15, 8, 3, 12, 500000)),
        ("igår", None),
    ],
)
def test_tidpunkt(text, varde):
    assert tolkat(tolka.tidpunkt, text) == varde


@pytest.mark.parametrize(
    ("text", "start", "slut"),
    [
        ("08:00-08:15", time(8, 0), time(8, 15)),
        ("8:00 - 8:15", time(8, 0), time(8, 15)),
        ("08.00\u201308.15", time(8, 0), time(8, 15)),
        ("23:45-24:00", time(23, 45), time(23, 59, 59)),
        ("8-9", None, None),
    ],
)
def test_intervall(text, start, slut):
    s, e = tolka.intervall(pl.col("v"))
    df = pl.DataFrame({"v": [text]}).select(s.alias("s"), e.alias("e"))
    assert df.row(0) == (start, slut)


@pytest.mark.parametrize(
    ("text", "period", "typ", "start", "slut"),
    [
        ("2024", "2024", "ar", date(2024, 1, 1), date(2024, 12, 1)),
        ("2024-T2", "2024-T2", "tertial", date(2024, 5, 1), date(2024, 8, 1)),
        ("T3 2024", "2024-T3", "tertial", date(2024, 9, 1), date(2024, 12, 1)),
        ("2024t1", "2024-T1", "tertial", date(2024, 1, 1), date(2024, 4, 1)),
        ("2024-05", "2024-05", "manad", date(2024, 5, 1), date(2024, 5, 1)),
        ("202405", "2024-05", "manad", date(2024, 5, 1), date(2024, 5, 1)),
        ("2024-T5", None, None, None, None),
    ],
)
def test_period(text, period, typ, start, slut):
    rad = pl.DataFrame({"v": [text]}).select(**tolka.period(pl.col("v"))).row(0, named=True)
    assert (rad["period"], rad["period_typ"], rad["period_start"], rad["period_slut"]) == (period, typ, start, slut)


@pytest.mark.parametrize("typ", ["tal", "heltal", "tid", "tidpunkt", "datum"])
def test_snabbvag_och_full_tolkning_ger_samma_svar(typ):
    # the fast path must never read a value differently from the full parser; it only saves time
    texter = ["143", "02:23", "1 150,5", "-3", "12.0", "2024-03-15", "2024-03-15 08:03:12", "2024-03-15T08:03:12", "nan", "abc", None, " 7 "]
    ra = pl.DataFrame({"v": texter}, schema={"v": pl.String})
    snabb = _tolka(ra, Kolumn("V", "v", typ))
    full = ra.select(
        {"tal": tolka.tal, "heltal": tolka.heltal, "tid": tolka.varaktighet, "tidpunkt": tolka.tidpunkt, "datum": tolka.datum}[typ](pl.col("v"))
    ).to_series()
    assert snabb.to_list() == full.to_list()
