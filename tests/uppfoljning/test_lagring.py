"""The follow-up store on SQLite and PostgreSQL: every save a version, conflicts refused, bad text refused, fixed periods locked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kpi.period import Period
from uppfoljning import (
    OgiltigInmatning,
    PeriodenFaststalld,
    Saknad,
    Versionskonflikt,
)
from uppfoljning.lagring import MAX_ANALYS, MAX_KOMMENTAR

T1 = "2024-T1"


def test_varje_sparning_ar_en_ny_version_och_inget_skrivs_over(db):
    texter = ["Första utkastet.", "Andra utkastet, med mer analys.", "Slutlig analys."]
    for i, text in enumerate(texter):
        v = db.spara_analys(T1, "NM1", analys=text, atgarder=f"Åtgärd {i}", forfattare=f"Person {i}", baserad_pa=i or None)
        assert v.version == i + 1
    historik = db.analyshistorik(T1, "NM1")
    assert [(h.version, h.analys, h.atgarder, h.forfattare) for h in historik] == [
        (3, texter[2], "Åtgärd 2", "Person 2"),
        (2, texter[1], "Åtgärd 1", "Person 1"),
        (1, texter[0], "Åtgärd 0", "Person 0"),
    ]
    assert historik[0].sparad >= historik[1].sparad >= historik[2].sparad
    assert historik[0].sparad.tzinfo is not None and abs((datetime.now(UTC) - historik[0].sparad).total_seconds()) < 60
    assert db.senaste_analys(T1, "NM1") == historik[0]


def test_utkast_blir_klar(db):
    db.spara_analys(T1, "NM1", analys="Utkast", forfattare="Eva Enhetschef", baserad_pa=None)
    klar = db.spara_analys(T1, "NM1", analys="Utkast", tillstand="klar", forfattare="Eva Enhetschef", baserad_pa=1)
    assert (klar.version, klar.tillstand) == (2, "klar")
    assert [h.tillstand for h in db.analyshistorik(T1, "NM1")] == ["klar", "utkast"]


def test_oforandrad_sparning_ger_ingen_ny_version(db):
    a = db.spara_analys(T1, "NM1", analys="Samma", forfattare="A", baserad_pa=None)
    b = db.spara_analys(T1, "NM1", analys="  Samma\r\n", forfattare="B", baserad_pa=None)
    assert a == b and len(db.analyshistorik(T1, "NM1")) == 1


def test_sparning_pa_gammal_version_vagras_och_bada_texterna_finns(db):
    db.spara_analys(T1, "NM1", analys="Grund", forfattare="Anna", baserad_pa=None)
    db.spara_analys(T1, "NM1", analys="Annas ändring", forfattare="Anna", baserad_pa=1)
    with pytest.raises(Versionskonflikt) as fel:
        db.spara_analys(T1, "NM1", analys="Bos ändring", atgarder="Bos åtgärd", forfattare="Bo", baserad_pa=1)
    k = fel.value
    assert "har ändrats av Anna" in k.meddelande and "version 2" in k.meddelande and "inte sparad" in k.meddelande
    assert k.ditt == {"analys": "Bos ändring", "atgarder": "Bos åtgärd", "tillstand": "utkast"}
    assert (k.senaste.version, k.senaste.analys) == (2, "Annas ändring")
    assert [h.analys for h in db.analyshistorik(T1, "NM1")] == ["Annas ändring", "Grund"]
    # based on the newest version, Bo's text is then saved
    assert db.spara_analys(T1, "NM1", analys=k.ditt["analys"], forfattare="Bo", baserad_pa=k.senaste.version).version == 3


def test_ny_text_nar_nagon_redan_skrivit_ar_en_konflikt(db):
    db.spara_analys(T1, "NM1", analys="Först", forfattare="Anna", baserad_pa=None)
    with pytest.raises(Versionskonflikt):
        db.spara_analys(T1, "NM1", analys="Också först", forfattare="Bo", baserad_pa=None)


def test_version_som_inte_finns_vagras(db):
    with pytest.raises(OgiltigInmatning, match="Version 4 av analysen finns inte"):
        db.spara_analys(T1, "NM1", analys="x", forfattare="A", baserad_pa=4)


def test_nycklar_halls_isar(db):
    """Goal, indicator, unit and period each make their own version series."""
    nycklar = [
        dict(period=T1, mal_id="NM1"),
        dict(period=T1, mal_id="NM2"),
        dict(period=T1, mal_id="NM1", enhet="Löneenhet Nord"),
        dict(period=T1, mal_id="NM1", indikator="servicegrad"),
        dict(period="2024-T2", mal_id="NM1"),
        dict(period="2024", mal_id="NM1"),
    ]
    for i, n in enumerate(nycklar):
        period = n.pop("period")
        assert db.spara_analys(period, analys=f"Text {i}", forfattare="A", baserad_pa=None, **n).version == 1
    senaste = db.analyser(T1)
    assert [(a.mal_id, a.indikator, a.enhet, a.analys) for a in senaste] == [
        ("NM1", None, None, "Text 0"),
        ("NM1", None, "Löneenhet Nord", "Text 2"),
        ("NM1", "servicegrad", None, "Text 3"),
        ("NM2", None, None, "Text 1"),
    ]
    assert [a.analys for a in db.analyser(T1, enheter=["Löneenhet Nord"])] == ["Text 2"]
    assert [a.analys for a in db.analyser(Period(2024))] == ["Text 5"]


@pytest.mark.parametrize(
    ("falt", "varde", "meddelande"),
    [
        ("analys", "Samtal med 19800101-1234 om lönen", "ser ut som ett personnummer"),
        ("analys", "Se 800101 1234", "ser ut som ett personnummer"),
        ("atgarder", "Kontakta 198001011234", "ser ut som ett personnummer"),
        ("analys", "x" * (MAX_ANALYS + 1), "högst 10\u00a0000 tecken"),
        ("analys", "Text med \x00 nolltecken", "otillåtna styrtecken"),
        ("analys", "", None),  # an empty draft is allowed …
    ],
)
def test_text_vagras_med_svenskt_meddelande(db, falt, varde, meddelande):
    if meddelande is None:
        assert db.spara_analys(T1, "NM1", forfattare="A", baserad_pa=None, **{"analys": "", falt: varde}).version == 1
        return
    with pytest.raises(OgiltigInmatning, match=meddelande):
        db.spara_analys(T1, "NM1", forfattare="A", baserad_pa=None, **{"analys": "ok", falt: varde})
    assert db.analyshistorik(T1, "NM1") == [], "en vägrad text får inte sparas"


def test_klar_analys_maste_ha_text(db):
    with pytest.raises(OgiltigInmatning, match="Analys får inte vara tom"):
        db.spara_analys(T1, "NM1", analys="  ", tillstand="klar", forfattare="A", baserad_pa=None)


@pytest.mark.parametrize(
    ("argument", "meddelande"),
    [
        (dict(tillstand="fardig"), "Okänt tillstånd"),
        (dict(forfattare=""), "Författare får inte vara tom"),
        (dict(mal_id=" "), "Mål får inte vara tom"),
        (dict(period="2024-03"), "per tertial och helår"),
        (dict(period="T4"), "Ogiltig period"),
        (dict(period="1999"), "utanför 2000–2100"),
    ],
)
def test_ogiltiga_argument(db, argument, meddelande):
    kw = dict(period=T1, mal_id="NM1", analys="Text", forfattare="A", baserad_pa=None) | argument
    with pytest.raises(OgiltigInmatning, match=meddelande):
        db.spara_analys(kw.pop("period"), kw.pop("mal_id"), **kw)


def test_text_lagras_som_vanlig_text(db):
    text = "**fet** <script>alert(1)</script> [länk](https://x) =SUMMA(A1)\nRad två\ttabb"
    assert db.spara_analys(T1, "NM1", analys=text, forfattare="A", baserad_pa=None).analys == text
    assert db.senaste_analys(T1, "NM1").analys == text


def test_bedomning_som_avviker_kraver_motivering(db):
    with pytest.raises(OgiltigInmatning, match="avviker från förslaget Uppfylls delvis – skriv en motivering"):
        db.satt_bedomning(T1, "NM1", bedomning="uppfylls_helt", forslag="uppfylls_delvis", forfattare="Vera", baserad_pa=None)
    b = db.satt_bedomning(
        T1, "NM1", bedomning="uppfylls_helt", forslag="uppfylls_delvis", motivering="Prognosen visar balans.", forfattare="Vera", baserad_pa=None
    )
    assert (b.version, b.avviker, b.motivering) == (1, True, "Prognosen visar balans.")
    lika = db.satt_bedomning(T1, "NM1", bedomning="uppfylls_delvis", forslag="uppfylls_delvis", forfattare="Vera", baserad_pa=1)
    assert (lika.version, lika.avviker) == (2, False)
    assert [b.bedomning for b in db.bedomningshistorik(T1, "NM1")] == ["uppfylls_delvis", "uppfylls_helt"]
    assert db.senaste_bedomning(T1, "NM1") == lika
    assert db.bedomningar(T1) == [lika]
    with pytest.raises(OgiltigInmatning, match="är ingen bedömning"):
        db.satt_bedomning(T1, "NM1", bedomning="bra", forslag="uppfylls_helt", forfattare="Vera", baserad_pa=2)


def test_aktivitetsstatus_per_period(db):
    a = db.satt_aktivitetsstatus(T1, "A1", status="pagar", kommentar="Tre av åtta utbildningar hållna.", forfattare="Eva", baserad_pa=None)
    b = db.satt_aktivitetsstatus(T1, "A1", status="klar", forslag="pagar", forfattare="Eva", baserad_pa=a.version)
    assert (b.version, b.status, b.forslag, b.kommentar) == (2, "klar", "pagar", "")
    assert db.satt_aktivitetsstatus("2024-T2", "A1", status="forsenad", forfattare="Eva", baserad_pa=None).version == 1
    assert [s.status for s in db.aktivitetshistorik(T1, "A1")] == ["klar", "pagar"]
    assert [(s.period, s.status) for s in db.aktivitetsstatusar(T1)] == [(T1, "klar")]
    assert db.senaste_aktivitetsstatus("2024-T3", "A1") is None
    with pytest.raises(OgiltigInmatning, match="högst 2\u00a0000 tecken"):
        db.satt_aktivitetsstatus(T1, "A1", status="klar", kommentar="x" * (MAX_KOMMENTAR + 1), forfattare="Eva", baserad_pa=2)
    with pytest.raises(OgiltigInmatning, match="ingen aktivitetsstatus"):
        db.satt_aktivitetsstatus(T1, "A1", status="avbruten", forfattare="Eva", baserad_pa=2)


def test_faststalld_period_vagrar_andringar_tills_den_oppnas(db):
    db.spara_analys(T1, "NM1", analys="Klar text", tillstand="klar", forfattare="Eva", baserad_pa=None)
    assert db.periodstatus(T1).faststalld is False
    db.faststall(T1, forfattare="Vera Verksamhetschef")
    status = db.periodstatus(T1)
    assert status.faststalld and status.senaste.forfattare == "Vera Verksamhetschef"
    for skriv in (
        lambda: db.spara_analys(T1, "NM1", analys="Ändring", forfattare="Eva", baserad_pa=1),
        lambda: db.satt_bedomning(T1, "NM1", bedomning="uppfylls_helt", forslag="uppfylls_helt", forfattare="Eva", baserad_pa=None),
        lambda: db.satt_aktivitetsstatus(T1, "A1", status="klar", forfattare="Eva", baserad_pa=None),
    ):
        with pytest.raises(PeriodenFaststalld, match="T1 2024 är fastställd \\(Vera Verksamhetschef, .* kl\\. .*\\) och kan inte ändras"):
            skriv()
    with pytest.raises(PeriodenFaststalld, match="redan fastställd"):
        db.faststall(T1, forfattare="Vera Verksamhetschef")
    # other periods are open
    assert db.spara_analys("2024-T2", "NM1", analys="T2", forfattare="Eva", baserad_pa=None).version == 1
    with pytest.raises(OgiltigInmatning, match="Motivering får inte vara tom"):
        db.oppna(T1, forfattare="Vera Verksamhetschef", motivering="")
    db.oppna(T1, forfattare="Vera Verksamhetschef", motivering="Felaktig siffra i analysen")
    assert db.spara_analys(T1, "NM1", analys="Rättad", forfattare="Eva", baserad_pa=1).version == 2
    db.faststall(T1, forfattare="Vera Verksamhetschef")
    assert [(h.version, h.handelse) for h in db.periodstatus(T1).historik] == [(3, "faststalld"), (2, "oppnad"), (1, "faststalld")]
    assert db.periodstatus(T1).historik[1].motivering == "Felaktig siffra i analysen"
    with pytest.raises(OgiltigInmatning, match="inte fastställd"):
        db.oppna("2024-T2", forfattare="Vera", motivering="x")


def test_saknade_analyser(db):
    db.spara_analys(T1, "NM1", analys="Klar", tillstand="klar", forfattare="A", baserad_pa=None)
    db.spara_analys(T1, "NM2", analys="Utkast", forfattare="A", baserad_pa=None)
    db.spara_analys(T1, "NM1", enhet="Löneenhet Nord", analys="Klar", tillstand="klar", forfattare="B", baserad_pa=None)
    db.spara_analys(T1, "NM2", indikator="servicegrad", analys="Per indikator räknas inte", tillstand="klar", forfattare="A", baserad_pa=None)
    assert db.saknade_analyser(T1, ["NM1", "NM2", "NM3"], [None, "Löneenhet Nord"]) == [
        Saknad("NM2", None, "utkast"),
        Saknad("NM2", "Löneenhet Nord", None),
        Saknad("NM3", None, None),
        Saknad("NM3", "Löneenhet Nord", None),
    ]
    assert db.saknade_analyser("2024-T2", ["NM1"]) == [Saknad("NM1", None, None)]
    assert db.saknade_analyser(T1, ["NM1"], [" Löneenhet Nord ", ""]) == [], "enhetsnamn jämförs som de sparas"
