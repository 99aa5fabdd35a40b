"""The period's follow-up as pages and reports get it: proposals up the tree, final assessments, analyses, activities, what is missing."""

from __future__ import annotations

from datetime import date

import pytest

import lake
from kpi.compute import KpiResult
from uppfoljning import Saknad, las_maltrad, maluppfoljning, saknade_analyser

H, D, E, X = "uppfylls_helt", "uppfylls_delvis", "uppfylls_ej", "ej_bedomd"


@pytest.fixture(scope="module")
def trad(sample_lake):
    return las_maltrad(lake.connect(sample_lake), 2024)


def rader(trad, **kw):
    return {r.mal.id: r for r in maluppfoljning(trad, **kw)}


def test_tradet_i_planens_ordning_med_djup(trad):
    ut = maluppfoljning(trad, "2024-T1")
    assert [(r.mal.id, r.djup) for r in ut][:6] == [("KF3", 0), ("KF3.1", 1), ("NM1", 2), ("EM1", 3), ("NM2", 2), ("EM2", 3)]
    assert all(r.bedomning is None and r.analys is None for r in ut)


def test_forslag_ur_indikatorer_och_delmal(trad):
    status = {"resultat": H, "prognosavvikelse": E, "kostnad_per_lonespec": E, "lonespec_per_arsarbetare": H, "nki": E}
    r = rader(trad, period="2024-T1", indikatorstatus=status)
    assert r["EM1"].forslag.status == E  # two of three ej: more than half
    assert r["NM1"].forslag.status == E and r["NM1"].forslag.motivering == "Det bedömda delmålet uppfylls ej."
    # NKI is yearly: it does not count in a tertial …
    assert [(i.indikator.id, i.status, i.raknas) for i in r["NM2"].indikatorer] == [("lonespec_per_arsarbetare", H, True), ("nki", E, False)]
    assert r["NM2"].forslag.status == H
    # … but it does for the year
    assert rader(trad, period="2024", indikatorstatus=status)["NM2"].forslag.status == D
    # KF 3.1: no indicators of its own, so its sub-goals' proposals (NM1 ej, NM2 helt)
    assert r["KF3.1"].forslag.status == D and "delmål" in r["KF3.1"].forslag.motivering
    assert r["EM4"].forslag.status == X and r["EM4"].forslag.motivering == "Målet har inga indikatorer som följs upp i perioden."


def test_kpi_resultat_kan_ges_direkt(trad):
    resultat = [
        KpiResult("sjukfranvaro", "Sjukfrånvaro", 7.1, 6.5, None, E, "%", "T1 2024"),
        KpiResult("sjukfranvaro_kort", "x", 2.0, 2.2, None, H, "%", ""),
    ]
    assert rader(trad, period="2024-T1", indikatorstatus=resultat)["KF3.4"].forslag.status == D


def test_aktiviteternas_forslag_och_registrerad_status(trad, db):
    # EM2 2024: A2 Smart lönehantering 1 jan–31 dec, A3 pensionsbrev 1 jan–31 aug
    t2 = rader(trad, period="2024-T2", db=db, idag=date(2024, 9, 15))
    assert [a.forslag for a in t2["EM2"].aktiviteter] == ["pagar", "pagar"], "T2 bedöms per 31 augusti: A3 är inte sen än"
    t3 = rader(trad, period="2024-T3", db=db, idag=date(2024, 9, 15))
    assert [(a.aktivitet.id, a.forslag, a.senaste) for a in t3["EM2"].aktiviteter] == [("A2", "pagar", None), ("A3", "forsenad", None)]
    db.satt_aktivitetsstatus("2024-T2", "A3", status="klar", kommentar="Breven skickade i augusti.", forfattare="Pia", baserad_pa=None)
    a3 = rader(trad, period="2024-T3", db=db, idag=date(2024, 9, 15))["EM2"].aktiviteter[1]
    assert (a3.forslag, a3.senaste, a3.status) == ("klar", None, "klar"), "klar i T2 är förslaget i T3"
    db.satt_aktivitetsstatus("2024-T3", "A2", status="ej_paborjad", forfattare="Pia", baserad_pa=None)
    a2 = rader(trad, period="2024-T3", db=db, idag=date(2024, 10, 1))["EM2"].aktiviteter[0]
    assert (a2.forslag, a2.senaste.status, a2.status) == ("ej_paborjad", "ej_paborjad", "ej_paborjad")
    helar = rader(trad, period="2024", db=db, idag=date(2025, 1, 10))
    assert helar["EM2"].aktiviteter[0].forslag == "ej_paborjad", "slutar 31 december: inte sen på årets sista dag"
    assert helar["EM4"].aktiviteter[0].forslag == "forsenad", "kompetensinventeringen skulle vara klar 31 maj"
    # T1 judged on 30 April even when followed up later: the exercise in September–November has not started
    em5 = rader(trad, period="2024-T1", db=db, idag=date(2024, 10, 1))["EM5"]
    assert [a.forslag for a in em5.aktiviteter] == ["ej_paborjad", "pagar"]


def test_analys_och_bedomning_per_enhet(trad, db):
    db.spara_analys("2024-T1", "NM1", analys="Hela verksamheten i balans.", tillstand="klar", forfattare="Vera", baserad_pa=None)
    db.spara_analys("2024-T1", "NM1", enhet="Pensionsenheten", analys="Pensionsenheten över budget.", forfattare="Per", baserad_pa=None)
    db.spara_analys("2024-T1", "NM1", indikator="resultat", analys="Per indikator.", forfattare="Vera", baserad_pa=None)
    db.spara_analys("2024-T1", "EM1", indikator="kostnad_per_lonespec", analys="Kostnaden steg.", forfattare="Vera", baserad_pa=None)
    db.satt_bedomning(
        "2024-T1", "NM1", bedomning=H, forslag=E, motivering="Prognosen visar balans vid årets slut.", forfattare="Vera", baserad_pa=None
    )
    hela = rader(trad, period="2024-T1", db=db)["NM1"]
    em1 = rader(trad, period="2024-T1", db=db)["EM1"]
    assert [(i.indikator.id, i.analys and i.analys.analys) for i in em1.indikatorer] == [
        ("resultat", None),  # written for resultat under NM1 (which does not follow it), not under EM1
        ("prognosavvikelse", None),
        ("kostnad_per_lonespec", "Kostnaden steg."),
    ]
    assert em1.analys is None, "en analys per indikator är inte målets egen"
    assert (hela.analys.analys, hela.analys_klar, hela.slutlig, hela.bedomning.avviker) == ("Hela verksamheten i balans.", True, H, True)
    pension = rader(trad, period="2024-T1", db=db, enhet="Pensionsenheten")["NM1"]
    assert (pension.analys.analys, pension.analys_klar, pension.slutlig) == ("Pensionsenheten över budget.", False, None)


def test_saknade_analyser_for_tertialet(trad, db):
    kraver = [r.mal.id for r in maluppfoljning(trad, "2024-T1") if r.mal.kraver_analys]
    assert kraver == ["NM1", "EM1", "NM2", "EM2", "EM3", "KF3.2", "KF3.4", "NM3", "EM4", "NM4", "EM5"]
    for mal_id in kraver[:-1]:
        db.spara_analys("2024-T1", mal_id, analys="Analys.", tillstand="klar", forfattare="Vera", baserad_pa=None)
    db.spara_analys("2024-T1", "NM1", enhet="Löneenhet Nord", analys="Utkast.", forfattare="Nils", baserad_pa=None)
    saknade = saknade_analyser(trad, "2024-T1", db, [None, "Löneenhet Nord"])
    assert saknade[:2] == [Saknad("NM1", "Löneenhet Nord", "utkast"), Saknad("EM1", "Löneenhet Nord", None)]
    assert Saknad("EM5", None, None) in saknade and len(saknade) == 1 + len(kraver)
