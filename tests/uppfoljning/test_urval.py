"""What a selection follows up: its tertial or year, the units its analyses belong to, and the store's change token."""

from __future__ import annotations

import pytest

from kpi.period import Filters, Period
from uppfoljning import analysenheter, standarddatabas, uppfoljningsperiod


@pytest.mark.parametrize(
    ("vald", "foljs_upp"),
    [
        (Period(2026, tertial=2), Period(2026, tertial=2)),
        (Period(2026), Period(2026)),
        (Period(2026, month=4), Period(2026, tertial=1)),
        (Period(2026, month=5), Period(2026, tertial=2)),
        (Period(2026, month=9, ytd=True), Period(2026, tertial=3)),
    ],
)
def test_uppfoljningsperioden_ar_tertialet_eller_aret(vald, foljs_upp):
    assert uppfoljningsperiod(vald) == foljs_upp


def test_analysenheterna_ar_urvalets_eller_hela_verksamheten():
    assert analysenheter(Filters()) == [None]
    assert analysenheter(Filters(units=("Löneenhet Nord",))) == ["Löneenhet Nord"]
    assert analysenheter(Filters(units=("A", "B"))) == ["A", "B"]
    # an enhetschef's "all my units" is those units, never the whole operation
    assert analysenheter(Filters(omfang=("Löneenhet Syd", "Pensionsenheten"))) == ["Löneenhet Syd", "Pensionsenheten"]


def test_andringsnumret_foljer_varje_sparning(db):
    forst = db.andringsnummer()
    assert forst == (0, 0, 0, 0)
    db.spara_analys("2026-T1", "NM1", analys="A", forfattare="Vera", baserad_pa=None)
    efter_analys = db.andringsnummer()
    assert efter_analys != forst
    db.spara_analys("2026-T1", "NM1", analys="A", forfattare="Vera", baserad_pa=1)  # unchanged text: no new version, same token
    assert db.andringsnummer() == efter_analys
    db.faststall("2026-T1", forfattare="Vera")
    assert db.andringsnummer() != efter_analys


def test_standarddatabasen_ar_en_per_adress(tmp_path, monkeypatch):
    monkeypatch.setenv("VU_DATABAS_URL", f"sqlite:///{tmp_path / 'a.sqlite'}")
    assert standarddatabas() is standarddatabas()
    monkeypatch.setenv("VU_DATABAS_URL", f"sqlite:///{tmp_path / 'b.sqlite'}")
    assert standarddatabas().url.endswith("b.sqlite")
