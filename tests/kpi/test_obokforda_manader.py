"""A year-to-date economy extract budgets months not yet booked: they are missing, not zero, and budgets compare like with like."""

from __future__ import annotations

import pytest

import kpi
import lake
from kpi import Filters, Period
from tests.kpi.conftest import A, m, write_table


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    root = tmp_path_factory.mktemp("obokfort")
    rader = [  # (månad, typ, budget, utfall) for one unit; utfall None = not yet booked
        (m(2026, 9), "intakt", 100.0, 90.0),
        (m(2026, 9), "kostnad", 80.0, 85.0),
        (m(2026, 10), "intakt", 100.0, 120.0),
        (m(2026, 10), "kostnad", 80.0, 70.0),
        (m(2026, 11), "intakt", 100.0, None),
        (m(2026, 11), "kostnad", 80.0, None),
        (m(2026, 12), "intakt", 100.0, None),
        (m(2026, 12), "kostnad", 80.0, None),
    ]
    write_table(
        root,
        "ekonomi",
        [
            {
                "manad": d,
                "ansvar": A,
                "kontogrupp": "Försäljning av tjänster" if t == "intakt" else "Personalkostnader",
                "typ": t,
                "budget_kr": b,
                "utfall_kr": u,
            }
            for d, t, b, u in rader
        ],
    )
    write_table(
        root,
        "prognos",
        [
            {"prognosmanad": m(2026, 10), "ansvar": A, "kontogrupp": "Försäljning av tjänster", "typ": "intakt", "helarsprognos_kr": 420.0},
            {"prognosmanad": m(2026, 10), "ansvar": A, "kontogrupp": "Personalkostnader", "typ": "kostnad", "helarsprognos_kr": 330.0},
        ],
    )
    return lake.connect(root)


def _varden(con, period):
    return {r.id: r for r in kpi.compute(period, Filters(), con=con)}


@pytest.mark.parametrize(
    "kpi_id, period, varde",
    [
        ("intakter", Period(year=2026, tertial=3), 210.0),  # Sep + Oct booked; Nov–Dec ignored
        ("kostnader", Period(year=2026, tertial=3), 155.0),
        ("resultat", Period(year=2026, tertial=3), 55.0),
        ("budget_resultat", Period(year=2026, tertial=3), 40.0),  # budget of the booked months only
        ("budgetavvikelse", Period(year=2026, tertial=3), 15.0),
        ("helarsprognos_resultat", Period(year=2026, tertial=3), 90.0),
        ("prognosavvikelse", Period(year=2026, tertial=3), 10.0),  # 90 − the whole year's budget 4 × 20
    ],
)
def test_obokforda_manader_jamfors_lika_med_lika(con, kpi_id, period, varde):
    assert _varden(con, period)[kpi_id].varde == pytest.approx(varde)


@pytest.mark.parametrize("kpi_id", ["intakter", "kostnader", "resultat", "budget_resultat"])
def test_manad_utan_bokfort_utfall_saknas_i_stallet_for_noll(con, kpi_id):
    r = _varden(con, Period(year=2026, month=11))[kpi_id]
    assert r.varde is None and r.orsak


def test_senaste_manad_ar_senast_bokforda(con):
    assert kpi.senaste_manad(con) == m(2026, 10)
