"""The polars pre-check may only pass a file GX would pass: it decides clean files, GX reports every broken one."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest

from etl import lasa
from etl.kallor import KALLOR, STANDARD_INTAKTSGRUPPER, tolka_kolumner
from etl.validera import Validerare, forkontroll, parametrar
from tests.etl.filer import KANON, VARIANTER, skriv_variant
from tests.etl.test_validering import FALL


def stegad(fil, kalla: str) -> pl.DataFrame:
    """A raw file staged exactly as the ETL hands it to validation."""
    k = KALLOR[kalla]
    ra = lasa.las(fil, k)
    return k.stega(tolka_kolumner(ra.data, k), STANDARD_INTAKTSGRUPPER).with_columns(_fil=pl.lit(fil.name))


@pytest.fixture(scope="module")
def gx():
    return Validerare()


def gx_godkanner(gx: Validerare, kalla: str, ram: pl.DataFrame) -> bool:
    return all(u.lyckades for u in next(iter(gx.validera(kalla, ram).values())))


@pytest.mark.parametrize("variant", VARIANTER, ids=lambda v: v.namn)
@pytest.mark.parametrize("kalla", list(KANON))
def test_giltig_fil_godkanns_utan_gx_med_samma_regler(kalla, variant, gx, tmp_path):
    ram = stegad(skriv_variant(tmp_path, kalla, variant), kalla)
    utfall = forkontroll(kalla, ram)
    assert utfall is not None, "förkontrollen skickade en giltig fil till GX"
    assert gx_godkanner(gx, kalla, ram)
    regler_gx = [(u.regel, u.expectation, u.kolumner) for u in next(iter(gx.validera(kalla, ram).values()))]
    assert [(u.regel, u.expectation, u.kolumner) for u in utfall] == regler_gx
    assert all(u.lyckades and u.antal_fel == 0 for u in utfall)


@pytest.mark.parametrize("fall", FALL, ids=lambda f: f.id)
def test_regelbrott_gar_till_gx(fall, gx, tmp_path):
    """Every bad delivery of the validation tests is left to GX, which rejects it."""
    ram = stegad(skriv_variant(tmp_path, fall.kalla, VARIANTER[0], fall.andra(KANON[fall.kalla]), namn=f"{fall.id}.csv"), fall.kalla)
    assert forkontroll(fall.kalla, ram) is None
    assert not gx_godkanner(gx, fall.kalla, ram)


IDAG = date(2026, 12, 1)


def svit(typ: str, **kwargs) -> dict:
    return {"name": "t", "expectations": [{"type": typ, "kwargs": kwargs, "meta": {"regel": "regeln"}}]}


RAM = pl.DataFrame(
    {
        "_fil": ["a", "a", "b"],
        "_rad": [2, 3, 2],
        "x": [1.0, 2.0, None],
        "y": [0.5, 2.0, 7.0],
        "n": [1, 2, 3],
        "t": ["Intäkt", None, "Kostnad"],
        "m": [date(2024, 1, 1), None, date(2026, 10, 1)],
    }
)


@pytest.mark.parametrize(
    ("typ", "kwargs", "ram", "godkand"),
    [
        ("expect_table_columns_to_match_set", {"column_set": ["x", "y"], "exact_match": False}, RAM, True),
        ("expect_table_columns_to_match_set", {"column_set": ["x", "saknas"], "exact_match": False}, RAM, False),
        ("expect_table_columns_to_match_set", {"column_set": ["x", "y"], "exact_match": True}, RAM, False),
        ("expect_column_values_to_not_be_null", {"column": "y"}, RAM, True),
        ("expect_column_values_to_not_be_null", {"column": "x"}, RAM, False),
        ("expect_column_values_to_not_be_null", {"column": "y"}, RAM.with_columns(y=pl.Series([0.5, math.nan, 1.0])), False),
        ("expect_column_values_to_not_be_null", {"column": "saknas"}, RAM, False),
        ("expect_column_values_to_be_between", {"column": "x", "min_value": 1, "max_value": 2}, RAM, True),
        ("expect_column_values_to_be_between", {"column": "x", "min_value": 1, "max_value": 2, "strict_max": True}, RAM, False),
        ("expect_column_values_to_be_between", {"column": "y", "min_value": 1}, RAM, False),
        ("expect_column_values_to_be_between", {"column": "y", "min_value": 0}, RAM.with_columns(y=pl.Series([0.5, math.nan, 1.0])), False),
        ("expect_column_values_to_be_between", {"column": "t", "min_value": 0}, RAM, False),
        (
            "expect_column_pair_values_a_to_be_greater_than_b",
            {"column_A": "n", "column_B": "x", "or_equal": True, "ignore_row_if": "either_value_is_missing"},
            RAM,
            True,
        ),
        (
            "expect_column_pair_values_a_to_be_greater_than_b",
            {"column_A": "n", "column_B": "x", "or_equal": False, "ignore_row_if": "either_value_is_missing"},
            RAM,
            False,
        ),
        # a missing value that is not certainly skipped is GX's to judge
        ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "n", "column_B": "x", "or_equal": True}, RAM, False),
        ("expect_compound_columns_to_be_unique", {"column_list": ["_fil", "n"]}, RAM, True),
        ("expect_compound_columns_to_be_unique", {"column_list": ["_fil", "y"]}, RAM.with_columns(y=pl.lit(1.0)), False),
        ("expect_compound_columns_to_be_unique", {"column_list": ["_fil", "x"]}, RAM.with_columns(x=pl.lit(None, pl.Float64)), False),
        ("expect_column_values_to_be_in_set", {"column": "t", "value_set": ["Intäkt", "Kostnad"]}, RAM, True),
        ("expect_column_values_to_be_in_set", {"column": "t", "value_set": ["Intäkt"]}, RAM, False),
        ("expect_column_values_to_be_in_set", {"column": "n", "value_set": [1, 2, 3]}, RAM, False),
        ("expect_column_values_to_be_unique", {"column": "n"}, RAM, True),
        ("expect_column_values_to_be_unique", {"column": "x"}, RAM.with_columns(x=pl.Series([1.0, None, None])), True),
        ("expect_column_values_to_be_unique", {"column": "y"}, RAM.with_columns(y=pl.lit(1.0)), False),
        # month bounds from the calendar ({"$PARAMETER": ...}) on a date column
        ("expect_column_values_to_be_between", {"column": "m", "max_value": {"$PARAMETER": "innevarande_manad"}}, RAM, True),
        ("expect_column_values_to_be_between", {"column": "m", "min_value": {"$PARAMETER": "forsta_manad"}}, RAM, True),
        (
            "expect_column_values_to_be_between",
            {"column": "m", "max_value": {"$PARAMETER": "innevarande_manad"}},
            RAM.with_columns(m=pl.lit(IDAG)),
            True,
        ),
        (
            "expect_column_values_to_be_between",
            {"column": "m", "max_value": {"$PARAMETER": "innevarande_manad"}},
            RAM.with_columns(m=pl.Series([date(2024, 1, 1), None, date(IDAG.year + 1, 1, 1)])),
            False,
        ),
        (
            "expect_column_values_to_be_between",
            {"column": "m", "min_value": {"$PARAMETER": "forsta_manad"}},
            RAM.with_columns(m=pl.lit(date(1999, 12, 1))),
            False,
        ),
        ("expect_column_values_to_be_between", {"column": "n", "max_value": {"$PARAMETER": "innevarande_manad"}}, RAM, False),
        # rules or options the pre-check does not know always go to GX
        ("expect_column_values_to_not_be_null", {"column": "y", "mostly": 0.9}, RAM, False),
        ("expect_column_values_to_match_regex", {"column": "t", "regex": "^I"}, RAM, False),
    ],
)
def test_forkontroll_per_regeltyp(typ, kwargs, ram, godkand, gx):
    param = parametrar(IDAG)
    assert (forkontroll("t", ram, svit(typ, **kwargs), param) is not None) is godkand
    if godkand:  # what the pre-check passes, GX passes too
        assert all(u.lyckades for u in next(iter(gx.validera_svit(svit(typ, **kwargs), ram, param).values())))


def test_intervall_och_sanningsvarden(gx):
    """Interval end after start (TIME columns) and a flag in {True} are decided without GX, the same way GX decides."""
    from datetime import time

    ram = pl.DataFrame({"_fil": ["a", "a"], "_rad": [2, 3], "start": [time(8), time(8, 15)], "slut": [time(8, 15), time(8, 30)], "ok": [True, True]})
    par = {"column_A": "slut", "column_B": "start", "or_equal": False, "ignore_row_if": "either_value_is_missing"}
    assert forkontroll("t", ram, svit("expect_column_pair_values_a_to_be_greater_than_b", **par)) is not None
    assert forkontroll("t", ram.with_columns(slut=pl.lit(time(8))), svit("expect_column_pair_values_a_to_be_greater_than_b", **par)) is None
    assert forkontroll("t", ram, svit("expect_column_values_to_be_in_set", column="ok", value_set=[True])) is not None
    assert (
        forkontroll("t", ram.with_columns(ok=pl.Series([True, False])), svit("expect_column_values_to_be_in_set", column="ok", value_set=[True]))
        is None
    )


def test_regel_som_inte_gar_att_utvardera_gar_till_gx():
    """A bound of another type than the column is GX's to judge (and report), not a crash of the run."""
    assert forkontroll("t", RAM, svit("expect_column_values_to_be_between", column="n", min_value="a")) is None
