"""Small units in sick leave: disclosure groups, and no figure that can be subtracted from another to reveal one unit."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import polars as pl
import pytest

import kpi
import lake
from kpi.period import Filters, Period
from kpi.sekretess import rojandegrupper, visbart
from lake.schema import TABLES


@pytest.mark.parametrize(
    ("anstallda", "grupper"),
    [
        ({"A": 10, "B": 8}, [{"A"}, {"B"}]),
        ({"A": 10, "C": 3}, [{"A", "C"}]),  # C alone too small: it takes in the smallest large unit
        ({"A": 10, "B": 6, "C": 3}, [{"A"}, {"B", "C"}]),
        ({"A": 10, "C": 3, "D": 2}, [{"A"}, {"C", "D"}]),  # 3 + 2 ≥ 5: the small units together
        ({"C": 3, "D": 1}, [{"C", "D"}]),  # nothing large: one group (then suppressed as a whole, < 5)
        ({"A": 10, "B": None}, [{"A"}, {"B"}]),  # headcount unknown: judged as before, not merged
    ],
)
def test_rojandegrupper(anstallda, grupper):
    assert sorted(map(sorted, rojandegrupper(anstallda, 5))) == sorted(map(sorted, grupper))


@pytest.mark.parametrize(
    ("urval", "ut"), [((), True), (("A",), True), (("B", "C"), True), (("A", "B", "C"), True), (("C",), False), (("A", "C"), False)]
)
def test_visbart_bara_hela_grupper(urval, ut):
    assert visbart(urval, [frozenset({"A"}), frozenset({"B", "C"})]) is ut


ENHETER = {"Enhet Öst": 12, "Enhet Väst": 9, "Lilla enheten": 3, "Mini": 1}


@pytest.fixture(scope="module")
def sjo(tmp_path_factory):
    """Four units a year, two of them small; each unit's sick-leave rate differs so a leak would show."""
    root = tmp_path_factory.mktemp("sekretess")
    rader = []
    for m in range(1, 13):
        for n, (enhet, anstallda) in enumerate(ENHETER.items()):
            timmar = anstallda * 160.0
            rader.append(
                {"manad": date(2025, m, 1), "enhet": enhet, "anstallda": anstallda, "ordinarie_arbetstid_h": timmar,
                 "sjuk_dag1_14_h": timmar * (0.01 + n / 100), "sjuk_dag15_h": timmar * 0.02}
            )  # fmt: skip
    (root / "sjukfranvaro").mkdir()
    pl.DataFrame(rader).select(list(TABLES["sjukfranvaro"].columns)).write_parquet(root / "sjukfranvaro" / "2025.parquet")
    return root


@pytest.fixture(scope="module")
def con(sjo):
    return lake.connect(sjo)


def _visade(con, period: Period) -> dict[frozenset, tuple[float, float]]:
    """Every selection's shown sick-leave rate, with the weight (ordinary hours) a subtraction attack would need."""
    ut = {}
    for n in range(0, len(ENHETER) + 1):
        for urval in combinations(ENHETER, n):
            (r,) = kpi.compute(period, Filters(units=urval), ids=["sjukfranvaro"], con=con)
            assert r.taljare is None and r.namnare is None, "inga timsummor ut ur KPI-lagret"
            if r.varde is not None:
                ut[frozenset(urval or ENHETER)] = r.varde
    for g in kpi.per_grupp(period, Filters(), ["sjukfranvaro"], "enhet", con=con):
        if g.resultat.varde is not None:
            namn = g.grupp["enhet"]
            medlemmar = frozenset(namn.split(": ", 1)[1].split(", ")) if namn.startswith("Små enheter") else frozenset([namn])
            ut[medlemmar] = g.resultat.varde
    return ut


@pytest.mark.parametrize("period", [Period(2025), Period(2025, month=6), Period(2025, tertial=2)], ids=lambda p: p.label)
def test_ingen_skillnad_mellan_visade_urval_ar_en_liten_enhet(con, period):
    visade = _visade(con, period)
    assert frozenset(ENHETER) in visade, "hela verksamheten visas"
    assert frozenset({"Enhet Öst"}) in visade, "en stor enhet visas för sig"
    for stor in visade:
        for liten in visade:
            if liten < stor:
                skillnad = stor - liten
                assert sum(ENHETER[u] for u in skillnad) >= 5, f"{sorted(stor)} − {sorted(liten)} pekar ut {sorted(skillnad)}"
    for enhet in ("Lilla enheten", "Mini"):
        assert frozenset({enhet}) not in visade


def test_cli_skriver_inga_sjuktimmar(sjo, capsys):
    import json

    from kpi.__main__ import main

    assert main(["--parquet", str(sjo), "--year", "2025", "--sida", "sjukfranvaro", "--format", "json"]) == 0
    ut = json.loads(capsys.readouterr().out)
    for nyckel in ("rullande", "kort_lang"):
        for rad in ut["tabeller"][nyckel]:
            assert rad["taljare"] is None and rad["namnare"] is None
    enheter = {r["enhet"] for r in ut["tabeller"]["per_enhet"]}
    # 3 + 1 employees are still too few together: the smallest large unit joins them
    assert enheter == {"Enhet Öst", "Små enheter (sammanslagna): Enhet Väst, Lilla enheten, Mini"}
