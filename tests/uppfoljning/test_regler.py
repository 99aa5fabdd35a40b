"""The proposal rules: a goal's assessment from its indicators, an activity's status from its dates and what was recorded."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.period import Period
from uppfoljning.regler import (
    EJ_PABORJAD,
    FORSENAD,
    KLAR,
    PAGAR,
    foreslagen_aktivitetsstatus,
    foreslagen_bedomning,
    periodens_sista_dag,
    raknas_i_period,
    referensdatum,
)

H, D, E, X = "uppfylls_helt", "uppfylls_delvis", "uppfylls_ej", "ej_bedomd"


@pytest.mark.parametrize(
    ("statusar", "forslag"),
    [
        ([], X),
        ([X], X),
        ([X, X], X),
        ([H], H),
        ([H, H, H], H),
        ([H, X], H),  # a missing value does not pull the goal down …
        ([H, H, X, X], H),
        ([D], D),
        ([H, D], D),
        ([D, D, D], D),
        ([E], E),
        ([H, E], D),  # … any ej is at most delvis,
        ([D, E], D),
        ([H, H, E], D),
        ([E, E, H], E),  # … and ej when more than half are ej
        ([E, E, D, H], D),  # exactly half is not more than half
        ([E, E, E, D, H], E),
        ([E, X, X], E),
        ([E, H, X, X], D),
    ],
)
def test_malets_forslag(statusar, forslag):
    f = foreslagen_bedomning(statusar)
    assert f.status == forslag
    assert f.antal == {s: statusar.count(s) for s in (H, D, E, X)}
    assert f.motivering.endswith(".") and (f.motivering[0].isupper() or f.motivering[0].isdigit())


@pytest.mark.parametrize(
    ("statusar", "text"),
    [
        ([], "Målet har inga indikatorer som följs upp i perioden."),
        ([X, X], "Ingen indikator kan bedömas för perioden."),
        ([H], "Den bedömda indikatorn uppfylls helt."),
        ([E, X], "Den bedömda indikatorn uppfylls ej (1 indikator kunde inte bedömas)."),
        ([D, D], "Alla 2 bedömda indikatorer uppfylls delvis."),
        ([H, H, X], "Alla 2 bedömda indikatorer uppfylls helt (1 indikator kunde inte bedömas)."),
        ([E, E, H], "2 av 3 bedömda indikatorer uppfylls ej – mer än hälften."),
        ([H, D, E], "Av 3 bedömda indikatorer: 1 uppfylls helt, 1 uppfylls delvis, 1 uppfylls ej."),
    ],
)
def test_forslagets_motivering(statusar, text):
    assert foreslagen_bedomning(statusar).motivering == text


def test_forslag_ur_delmal():
    assert foreslagen_bedomning([H, X], vad="delmål").motivering == "Det bedömda delmålet uppfylls helt (1 delmål kunde inte bedömas)."
    assert foreslagen_bedomning([X], vad="delmål").motivering == "Inget delmål kan bedömas för perioden."


def test_okand_bedomning_vagras():
    with pytest.raises(ValueError, match="Okänd bedömning"):
        foreslagen_bedomning(["uppfylls"])


@pytest.mark.parametrize(
    ("periodicitet", "period", "raknas"),
    [
        ("tertial", Period(2024, tertial=1), True),
        ("månad", Period(2024, tertial=2), True),
        ("år", Period(2024, tertial=3), False),
        ("år", Period(2024), True),
        ("tertial", Period(2024), True),
    ],
)
def test_vilka_indikatorer_raknas(periodicitet, period, raknas):
    assert raknas_i_period(periodicitet, period) is raknas


def test_manad_ar_ingen_uppfoljningsperiod():
    with pytest.raises(ValueError):
        raknas_i_period("tertial", Period(2024, month=3))


@pytest.mark.parametrize(
    ("period", "sista"),
    [(Period(2024, tertial=1), date(2024, 4, 30)), (Period(2024, tertial=2), date(2024, 8, 31)), (Period(2024), date(2024, 12, 31))],
)
def test_periodens_sista_dag(period, sista):
    assert periodens_sista_dag(period) == sista


def test_referensdatum_ar_idag_medan_perioden_pagar():
    assert referensdatum(Period(2024, tertial=2), idag=date(2024, 6, 10)) == date(2024, 6, 10)
    assert referensdatum(Period(2024, tertial=1), idag=date(2024, 6, 10)) == date(2024, 4, 30)


START, SLUT = date(2024, 3, 1), date(2024, 8, 31)


@pytest.mark.parametrize(
    ("per", "senaste", "forslag"),
    [
        (date(2024, 2, 1), None, EJ_PABORJAD),
        (date(2024, 3, 1), None, PAGAR),
        (date(2024, 8, 31), None, PAGAR),
        (date(2024, 9, 1), None, FORSENAD),  # past slutdatum and not klar
        (date(2024, 9, 1), PAGAR, FORSENAD),
        (date(2024, 9, 1), EJ_PABORJAD, FORSENAD),
        (date(2024, 9, 1), KLAR, KLAR),  # klar stays klar
        (date(2024, 5, 1), KLAR, KLAR),
        (date(2024, 5, 1), EJ_PABORJAD, EJ_PABORJAD),  # a recorded status stands within the dates
        (date(2024, 2, 1), PAGAR, PAGAR),  # started early
        (date(2024, 5, 1), FORSENAD, FORSENAD),  # marked late before slutdatum by the person responsible
    ],
)
def test_aktivitetens_forslag(per, senaste, forslag):
    assert foreslagen_aktivitetsstatus(START, SLUT, per, senaste) == forslag


def test_okand_aktivitetsstatus_vagras():
    with pytest.raises(ValueError, match="Okänd aktivitetsstatus"):
        foreslagen_aktivitetsstatus(START, SLUT, START, "avbruten")
