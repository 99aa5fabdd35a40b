"""Saved slide sets and the generated Swedish sentences (takeaways and tertial comments)."""

from __future__ import annotations

import json

import pytest

from kpi.compute import KpiResult
from report import sets
from report.text import kommentar, slutsats


def test_sparat_bildspel_oppnas_igen_med_samma_bilder_i_samma_ordning(set_katalog):
    fil = sets.spara(sets.Bildspel("APT Enhet 2", ("sjukfranvaro_12m", "servicegrad", "maluppfyllelse")))
    assert fil.name == "apt-enhet-2.json" and fil.parent == set_katalog
    assert not list(set_katalog.glob("*.tmp"))
    assert sets.hamta("apt enhet 2") == sets.Bildspel("APT Enhet 2", ("sjukfranvaro_12m", "servicegrad", "maluppfyllelse"))
    sets.spara(sets.Bildspel("APT Enhet 2", ("servicegrad",)))  # saving under the same name replaces the set
    assert [s.bilder for s in sets.lista()] == [("servicegrad",)]
    assert json.loads(fil.read_text(encoding="utf-8"))["namn"] == "APT Enhet 2"


@pytest.mark.parametrize(
    "namn, bilder, fel",
    [
        ("", ("servicegrad",), "Ge bildspelet ett namn"),
        ("   ", ("servicegrad",), "Ge bildspelet ett namn"),
        ("APT", (), "minst ett diagram"),
        ("x" * 81, ("servicegrad",), "för långt"),
        ("!!!", ("servicegrad",), "minst en bokstav"),
    ],
)
def test_ogiltigt_bildspel_ger_svenskt_fel_och_sparar_inget(namn, bilder, fel, set_katalog):
    with pytest.raises(ValueError, match=fel):
        sets.spara(sets.Bildspel(namn, bilder))
    assert not set_katalog.exists() or not list(set_katalog.iterdir())


def test_trasig_fil_hoppas_over_i_listan_men_namnges_vid_hamtning(set_katalog):
    sets.spara(sets.Bildspel("Hel", ("servicegrad",)))
    (set_katalog / "trasig.json").write_text("{inte json", encoding="utf-8")
    assert [s.namn for s in sets.lista()] == ["Hel"]
    with pytest.raises(ValueError, match="går inte att läsa"):
        sets.hamta("trasig")
    with pytest.raises(ValueError, match="Sparade: 'Hel'"):
        sets.hamta("Finns inte")


def _r(id="servicegrad", varde=81.04, mal=85.0, status="uppfylls_delvis", matt="%", decimaler=1, period="mars 2026", kf_mal=None, orsak=None):
    namn = {
        "servicegrad": "Servicegrad",
        "sjukfranvaro_12m": "Sjukfrånvaro, rullande 12 månader",
        "loner_per_arsarbetare": "Löner per årsarbetare och månad",
    }[id]
    return KpiResult(id=id, namn=namn, varde=varde, mal=mal, kf_mal=kf_mal, status=status, matt=matt, period=period, orsak=orsak, decimaler=decimaler)


@pytest.mark.parametrize(
    "resultat, vantat",
    [
        (_r(), "Servicegrad 81,0\u00a0% i mars 2026 – 4,0 procentenheter under målet 85,0\u00a0% (uppfylls delvis)."),
        (_r(varde=85.0, status="uppfylls_helt"), "Servicegrad 85,0\u00a0% i mars 2026 – i nivå med målet 85,0\u00a0% (uppfylls helt)."),
        (
            _r(id="sjukfranvaro_12m", varde=4.6, mal=6.5, status="uppfylls_helt", period="T2 2026"),
            "Sjukfrånvaro, rullande 12 månader 4,6\u00a0% under T2 2026 – 1,9 procentenheter under målet 6,5\u00a0% (uppfylls helt).",
        ),
        (
            _r(id="loner_per_arsarbetare", varde=1290.4, mal=1150, status="uppfylls_helt", matt="st", decimaler=0, period="2026"),
            "Löner per årsarbetare och månad 1\u00a0290 under 2026 – 140 över målet 1\u00a0150 (uppfylls helt).",
        ),
        (_r(mal=None, status="ej_bedomd", period="maj 2026"), "Servicegrad 81,0\u00a0% i maj 2026 – inget årsmål att jämföra med."),
        (_r(period="jan–maj 2026"), "Servicegrad 81,0\u00a0% under jan–maj 2026 – 4,0 procentenheter under målet 85,0\u00a0% (uppfylls delvis)."),
        (_r(varde=None, status="ej_bedomd", orsak="Ingen data för perioden"), "Servicegrad i mars 2026: Ingen data för perioden."),
    ],
)
def test_slutsats_under_bilden(resultat, vantat):
    assert slutsats(resultat) == vantat


def test_kommentar_jamfor_med_foregaende_tertial_och_forra_aret_i_indikatorns_riktning():
    nu = _r(id="sjukfranvaro_12m", varde=4.6, mal=6.5, kf_mal=6.0, status="uppfylls_helt", period="T2 2026")
    fore = _r(id="sjukfranvaro_12m", varde=5.0, period="T1 2026")
    forra = _r(id="sjukfranvaro_12m", varde=None, period="T2 2025")
    text = kommentar(nu, fore, forra)
    assert text.startswith("Utfallet för T2 2026 är 4,6\u00a0%. Årsmålet är 6,5\u00a0% (KF:s årsmål 6,0\u00a0%)")
    # Lower sick leave is better: a fall is an improvement.
    assert "0,4 procentenheter lägre än T1 2026 (5,0\u00a0%), en förbättring" in text
    assert "för T2 2025 finns inget utfall att jämföra med" in text
