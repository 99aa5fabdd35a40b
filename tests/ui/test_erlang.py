"""Erlang C against DESIGN.md §5 written out literally with factorials, and the staffing rule."""

from __future__ import annotations

import math

import pytest

from kpi import erlang


def _pw_bokstavligt(a: float, m: int) -> float:
    """P_w exactly as DESIGN.md writes it (fine for small m)."""
    topp = a**m / math.factorial(m) * m / (m - a)
    return topp / (sum(a**k / math.factorial(k) for k in range(m)) + topp)


@pytest.mark.parametrize(
    ("a", "m"),
    [(0.5, 1), (2.0, 3), (5.5, 7), (10.0, 11), (10.0, 13), (24.9, 30), (60.0, 70)],
)
def test_sannolikhet_vanta_som_formeln(a, m):
    assert erlang.sannolikhet_vanta(a, m) == pytest.approx(_pw_bokstavligt(a, m), rel=1e-9)


@pytest.mark.parametrize(
    ("samtal", "aht_s", "intervall_s", "mal", "t_s", "forvantat"),
    [
        # 100 calls per half hour, 3 min handling: A = 10 erlang. Textbooks round to 13 agents for 80/20, but
        # 13 gives SL = 79,6 % by the formula, so the smallest m that reaches the target is 14.
        (100, 180, 1800, 0.80, 20, 14),
        (0, 180, 3600, 0.85, 25, 0),  # no calls, no agents
        (1, 120, 3600, 0.85, 25, 1),
    ],
)
def test_agenter_som_behovs(samtal, aht_s, intervall_s, mal, t_s, forvantat):
    m = erlang.agenter_som_behovs(samtal, aht_s, intervall_s, mal, t_s)
    assert m == forvantat
    if m:
        a = erlang.trafik(samtal, aht_s, intervall_s)
        assert erlang.servicegrad(a, m, t_s, aht_s) >= mal
        assert m == 1 or erlang.servicegrad(a, m - 1, t_s, aht_s) < mal, "det minsta antalet, inte bara ett som räcker"


def test_stor_trafik_flodar_inte_over():
    m = erlang.agenter_som_behovs(30_000, 300, 3600, 0.9, 20)
    assert 2500 < m < 2700


def test_arsarbetare_med_bortfall():
    assert erlang.arsarbetare(7, 0.3) == pytest.approx(10.0)
    with pytest.raises(ValueError):
        erlang.arsarbetare(7, 1.0)
