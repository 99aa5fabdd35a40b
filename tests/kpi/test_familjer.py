"""Several formula families in one statement (kpi.formler.familjers_summor, perioders_summor) give exactly what each
family's own statement gives: same rows, same sums, same protection of small units."""

from __future__ import annotations

import math
from datetime import date

import pytest

from kpi.formler import FAMILJER, familjers_summor, perioders_summor
from kpi.period import Filters, Period, buckets

MANADER = buckets(date(2024, 1, 1), date(2025, 4, 1), "manad")
TERTIAL = buckets(date(2023, 1, 1), date(2025, 4, 1), "tertial")
FONSTER = {"sjukfranvaro": 12}  # the rolling family, with its window


def _lika(a: dict, b: dict) -> bool:
    """Same values; a key one side lacks counts as None (a frame has a column for every row, a row only its own keys)."""
    for k in set(a) | set(b):
        x, y = a.get(k), b.get(k)
        if isinstance(x, float | int) and isinstance(y, float | int) and not isinstance(x, bool):
            if not math.isclose(float(x), float(y), rel_tol=1e-12, abs_tol=1e-9):
                return False
        elif str(x) != str(y):  # a date travels as JSON text between the families of one statement
            return False
    return True


@pytest.mark.parametrize("by", [None, "enhet"])
@pytest.mark.parametrize("filters", [Filters(), Filters(units=("Enhet A",)), Filters(units=("Enhet B", "Enhet C"))], ids=["alla", "a", "b_c"])
def test_familjer_i_en_fraga_som_var_for_sig(con, by, filters):
    familjer = [f for f in FAMILJER if f != "manuell" and (by is None or by in FAMILJER[f]["grupper"])]
    planer = [(f, MANADER if n % 2 else TERTIAL, FONSTER.get(f)) for n, f in enumerate(familjer)]
    tillsammans = familjers_summor(con, planer, filters, by)
    for (familj, bucket_list, fonster), rader in zip(planer, tillsammans):
        var_for_sig = familjers_summor(con, [(familj, bucket_list, fonster)], filters, by)[0]
        assert len(rader) == len(var_for_sig), familj
        assert all(_lika(a, b) for a, b in zip(rader, var_for_sig)), familj


def test_en_period_och_forra_aret_i_en_fraga(con):
    familjer = [(f, FONSTER.get(f)) for f in FAMILJER if f != "manuell"]
    nu, forra = Period(2025, tertial=1), Period(2024, tertial=1)
    perioder = [(p.start, p.end, p.label) for p in (nu, forra)]
    tillsammans = perioders_summor(con, perioder, Filters(), familjer)
    for period, del_ in zip(perioder, tillsammans):
        ensam = perioders_summor(con, [period], Filters(), familjer)[0]
        assert del_.keys() == ensam.keys()
        assert all(_lika(del_[k], ensam[k]) for k in ensam)


def test_perioderna_maste_borja_i_olika_manader(con):
    with pytest.raises(ValueError, match="olika månader"):
        perioders_summor(con, [(date(2025, 1, 1), date(2025, 4, 1), "a"), (date(2025, 1, 1), date(2025, 2, 1), "b")], Filters(), [("volymer", None)])
