"""Periods, buckets, dimension lists and the assessment rule of DESIGN.md §5."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kpi import CATALOGUE, Filters, Period, assess, buckets, enheter, forvaltningar, koer, senaste_manad, tillgangliga_ar
from kpi.targets import Target, choose_target

PERIODS = [
    # period, start, end, label, key
    (Period(2025), date(2025, 1, 1), date(2025, 12, 1), "2025", "2025"),
    (Period(2025, tertial=1), date(2025, 1, 1), date(2025, 4, 1), "T1 2025", "2025-T1"),
    (Period(2025, tertial=2), date(2025, 5, 1), date(2025, 8, 1), "T2 2025", "2025-T2"),
    (Period(2025, tertial=3), date(2025, 9, 1), date(2025, 12, 1), "T3 2025", "2025-T3"),
    (Period(2025, month=3), date(2025, 3, 1), date(2025, 3, 1), "mars 2025", "2025-03"),
    (Period(2025, month=3, ytd=True), date(2025, 1, 1), date(2025, 3, 1), "jan–mar 2025", "2025-01..2025-03"),
    (Period(2025, month=1, ytd=True), date(2025, 1, 1), date(2025, 1, 1), "jan 2025", "2025-01"),
    (Period(2025, tertial=2, ytd=True), date(2025, 1, 1), date(2025, 8, 1), "jan–aug 2025", "2025-01..2025-08"),
]


@pytest.mark.parametrize("period,start,end,label,key", PERIODS)
def test_period(period, start, end, label, key):
    assert (period.start, period.end, period.label, period.key) == (start, end, label, key)


@pytest.mark.parametrize(
    "text,expected",
    [("2025", Period(2025)), ("2025-T2", Period(2025, tertial=2)), ("2025-03", Period(2025, month=3)), ("202503", Period(2025, month=3))],
)
def test_period_parse(text, expected):
    assert Period.parse(text) == expected


@pytest.mark.parametrize("kwargs", [dict(year=2025, tertial=4), dict(year=2025, month=13), dict(year=2025, tertial=1, month=2)])
def test_period_rejects(kwargs):
    with pytest.raises(ValueError):
        Period(**kwargs)


def test_buckets_clip_and_cross_year():
    assert buckets(date(2024, 11, 1), date(2025, 5, 1), "tertial") == [
        (date(2024, 11, 1), date(2024, 12, 1), "T3 2024"),
        (date(2025, 1, 1), date(2025, 4, 1), "T1 2025"),
        (date(2025, 5, 1), date(2025, 5, 1), "T2 2025"),
    ]
    assert [b[2] for b in buckets(date(2024, 12, 1), date(2025, 1, 1), "manad")] == ["december 2024", "januari 2025"]


def test_filters_normalise_and_validate():
    assert Filters(units=["Enhet A"]).units == ("Enhet A",)
    assert Filters(units="Enhet A") == Filters(units=("Enhet A",))
    with pytest.raises(ValueError):
        Filters(servicegrad_definition="medel")


LOWER = replace(CATALOGUE["sjukfranvaro"], decimaler=3)  # lower is better
HIGHER = CATALOGUE["loner_per_arsarbetare"]  # higher is better, 0 decimals
ASSESS = [
    (HIGHER, 900, 900, "uppfylls_helt"),  # exactly at target
    (HIGHER, 950, 900, "uppfylls_helt"),
    (HIGHER, 855, 900, "uppfylls_delvis"),  # exactly at the 5 % tolerance
    (HIGHER, 854, 900, "uppfylls_ej"),
    (HIGHER, 899.6, 900, "uppfylls_helt"),  # shown as '900': assessed as shown
    (LOWER, 4.5, 4.5, "uppfylls_helt"),
    (LOWER, 3.0, 4.5, "uppfylls_helt"),
    (LOWER, 4.725, 4.5, "uppfylls_delvis"),  # exactly at tolerance above a lower-is-better target
    (LOWER, 4.726, 4.5, "uppfylls_ej"),
    (replace(CATALOGUE["resultat"]), 0, 0, "uppfylls_helt"),  # target 0: met or not, no band
    (replace(CATALOGUE["resultat"]), 1, 0, "uppfylls_helt"),
    # a result target of 0 kr is judged as displayed (tkr): −1 kr reads −0 tkr; without a turnover the band is empty
    (replace(CATALOGUE["resultat"]), -1, 0, "uppfylls_helt"),
    (replace(CATALOGUE["resultat"]), -1_500, 0, "uppfylls_ej"),
    (replace(CATALOGUE["andel_maskinell"], tolerans=0.10), 63.0, 70, "uppfylls_delvis"),
    (HIGHER, None, 900, "ej_bedomd"),
    (HIGHER, 900, None, "ej_bedomd"),
]


@pytest.mark.parametrize("ind,value,target,status", ASSESS)
def test_assess(ind, value, target, status):
    assert assess(value, target, ind) == status


GENERAL, UA, UB = Target(600, 550, None), Target(575, None, "A"), Target(500, None, "B")
CHOICE = [
    # rows, units, has unit dimension, expected target, orsak, note?
    ([GENERAL, UA, UB], (), True, GENERAL, None, False),
    ([GENERAL, UA, UB], ("A",), True, UA, None, False),
    ([GENERAL, UA, UB], ("C",), True, GENERAL, None, False),  # no own target: the general one
    ([GENERAL, UA, UB], ("A", "B"), True, GENERAL, None, True),  # different targets: general, noted
    ([GENERAL, UA, Target(575, None, "B")], ("A", "B"), True, UA, None, False),  # same target for both
    ([GENERAL, UA], ("A",), False, GENERAL, None, False),  # indicator without units: unit targets ignored
    ([UA], ("B",), True, None, "Inget årsmål för 2025 (B)", False),
    ([], (), True, None, "Inget årsmål för 2025", False),
]


@pytest.mark.parametrize("rows,units,has_dim,expected,orsak,noted", CHOICE)
def test_choose_target(rows, units, has_dim, expected, orsak, noted):
    target, why, note = choose_target(rows, units, has_dim, 2025)
    assert (target, why, note is not None) == (expected, orsak, noted)


def test_dimension_lists(con):
    assert enheter(con) == ["Enhet A", "Enhet B", "Enhet C"]
    assert koer(con) == ["Löneservice", "Pension"]
    assert forvaltningar(con) == ["F1", "F2"]
    assert senaste_manad(con) == date(2025, 5, 1)
    assert senaste_manad(con, ("telefoni",)) == date(2025, 2, 1)
    assert tillgangliga_ar(con) == [2024, 2025]


@pytest.mark.parametrize(
    ("units", "omfang", "ut"),
    [
        ((), None, ()),
        ((), ("A", "B"), ("A", "B")),
        (("A",), ("A", "B"), ("A",)),
    ],
)
def test_omfang_blir_urvalet(units, omfang, ut):
    from kpi.period import Filters

    assert Filters(units=units, omfang=omfang).units == ut


@pytest.mark.parametrize(("units", "omfang"), [(("C",), ("A", "B")), ((), ()), (("A", "C"), ("A",))])
def test_omfang_vagrar_annan_enhet(units, omfang):
    from kpi.period import Behorighetsfel, Filters

    with pytest.raises(Behorighetsfel, match="behörighet"):
        Filters(units=units, omfang=omfang)


@pytest.mark.parametrize(
    ("kpi_id", "value", "bas", "status"),
    [
        ("resultat", -99_000, 10_000_000, "uppfylls_delvis"),  # within 1 % of budgeted costs (100 tkr)
        ("resultat", -100_400, 10_000_000, "uppfylls_delvis"),  # reads −100 tkr: on the edge, as displayed
        ("resultat", -101_000, 10_000_000, "uppfylls_ej"),
        ("budgetavvikelse", -50_000, 4_000_000, "uppfylls_ej"),
        ("prognosavvikelse", -300_000, 40_000_000, "uppfylls_delvis"),
        ("resultat", 0, 10_000_000, "uppfylls_helt"),
        ("resultat", -99_000, None, "uppfylls_ej"),
    ],
)
def test_noll_kr_mal_har_tolerans_av_omslutningen(kpi_id, value, bas, status):
    assert assess(value, 0, CATALOGUE[kpi_id], bas) == status


def test_bedomningsregel_namner_omslutningen_for_noll_kr_mal():
    from kpi import bedomningsregel

    assert "1 % av periodens budgeterade kostnader" in bedomningsregel(CATALOGUE["resultat"])
    assert "omslutning" not in bedomningsregel(CATALOGUE["servicegrad"])
    assert "missar målet med högst 5 % av målet" in bedomningsregel(CATALOGUE["servicegrad"])
