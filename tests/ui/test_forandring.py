"""The tiles' change against last year, as displayed: percentage points, amounts in the display unit, percent otherwise."""

from __future__ import annotations

import pytest

from kpi import CATALOGUE
from kpi.format import NBSP


@pytest.mark.parametrize(
    "kpi_id, nu, forra, text, tecken",
    [
        ("servicegrad", 87.3, 86.7, "+0,6 procentenheter", 1),
        ("servicegrad", 88.46, 88.44, "+0,1 procentenheter", 1),  # 88,5 % against 88,4 % as displayed
        ("servicegrad", 88.41, 88.44, "±0,0 procentenheter", 0),  # rounds to zero: no arrow, no colour
        ("loner_per_arsarbetare", 1146, 1153, f"−0,6{NBSP}%", -1),
        ("resultat", -206_705, 30_000, f"−237{NBSP}tkr", -1),  # a result crossing zero: the amount, not a percent
        ("resultat", -206_705, -206_600, f"±0{NBSP}tkr", 0),  # "+0 tkr" used to get an up arrow
        ("intakter", 4_512_000, 4_509_000, f"±0,0{NBSP}mnkr", 0),
        ("intakter", 4_558_762, 4_509_000, f"+0,1{NBSP}mnkr", 1),
        ("medel_vantetid", 21, 19, "+0:02", 1),
        ("nki", 70, 72, "−2", -1),
        ("antal_lonespec", 5, 0, None, None),  # no base for a relative change
        ("antal_lonespec", None, 10, None, None),
    ],
)
def test_forandring(kpi_id, nu, forra, text, tecken):
    assert CATALOGUE[kpi_id].visning.forandring(nu, forra) == (text, tecken)
