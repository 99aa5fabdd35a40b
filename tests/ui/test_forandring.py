"""The tiles' change against last year: percentage points, kronor for economy, percent otherwise."""

from __future__ import annotations

import pytest

from kpi.format import NBSP
from ui.sida import forandring


@pytest.mark.parametrize(
    "nu, forra, matt, ekonomi, text, delta",
    [
        (87.3, 86.7, "%", False, "+0,6 procentenheter", pytest.approx(0.6)),
        (1146, 1153, "st", False, "−0,6 %", pytest.approx(-0.607, abs=1e-3)),
        (-206_705, 30_000, "kr", True, f"−237{NBSP}tkr", -236_705),  # a result crossing zero: the amount
        (4_558_762, 4_509_000, "kr", True, f"+50{NBSP}tkr", 49_762),
        (5, 0, "st", False, None, None),  # no base: no change shown
        (None, 10, "st", False, None, None),
    ],
)
def test_forandring(nu, forra, matt, ekonomi, text, delta):
    assert forandring(nu, forra, matt, ekonomi) == (text, delta)
