"""The goal part of the tertial report and the APT deck: the people's own text in the city's order, in PDF (tagged) and PPTX."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from pptx import Presentation

from kpi import Filters
from report import dokument
from report.model import ANALYS_SAKNAS, FORSLAG_TILL_TEXT
from report.pdf_export import skriv_pdf
from report.pptx_export import skriv_pptx
from report.slides import MALBILD
from tests.report.test_pdf_struktur import struktur
from tests.report.test_pptx_rendering import kontrollera, kontrollera_tillganglighet, rendera
from uppfoljning import Uppfoljningsdatabas

ANALYS = "Servicenämndens ekonomi är i balans efter tertialet.\n\nIntäkterna följer volymerna; personalkostnaderna ligger under budget."
ATGARDER = "Vakanserna tillsätts under hösten."
# Long enough to need continuation slides: several paragraphs of a real analysis, one of them a single very long paragraph.
LANG = "\n\n".join(
    [" ".join(["Volymerna ökade under perioden samtidigt som två tjänster var vakanta, vilket gav längre handläggningstider."] * 12)]
    + ["Stycke om åtgärderna framåt och hur de följs upp i nästa tertial."] * 6
)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture()
def db(tmp_path):
    lagring = Uppfoljningsdatabas(f"sqlite:///{tmp_path / 'uppfoljning.sqlite'}")
    yield lagring
    lagring.stang()


@pytest.fixture()
def skrivet(db, hel_tertial):
    """A follow-up as people write it: the whole operation's analyses and a unit's, an assessment against the proposal, a fixation."""
    p = hel_tertial
    db.spara_analys(p, "NM1", analys=ANALYS, atgarder=ATGARDER, tillstand="klar", forfattare="Vera Verksamhetschef", baserad_pa=None)
    db.satt_bedomning(p, "NM1", bedomning="uppfylls_helt", forslag="uppfylls_ej", motivering="Prognosen visar balans vid årets slut.",
                      forfattare="Vera Verksamhetschef", baserad_pa=None)  # fmt: skip
    db.spara_analys(p, "EM3", analys="<b>Inte HTML</b> **inte fet**", tillstand="utkast", forfattare="Vera Verksamhetschef", baserad_pa=None)
    db.spara_analys(p, "EM3", enhet="Löneenhet Nord", analys="Nord svarade snabbare.", tillstand="klar", forfattare="Elin", baserad_pa=None)
    db.faststall(p, forfattare="Vera Verksamhetschef")
    return db


def test_tertialrapportens_pdf_har_malen_med_folkets_text(con, hel_tertial, skrivet, tmp_path):
    dok = dokument.rendera(dokument.tertialrapport(hel_tertial.year, hel_tertial.tertial, Filters(), con, ids=["servicegrad"], db=skrivet), "pdf")
    pdf = skriv_pdf(dok)
    fil = tmp_path / "rapport.pdf"
    fil.write_bytes(pdf)
    text = _normal(subprocess.run(["pdftotext", "-layout", str(fil), "-"], capture_output=True, text=True, check=True).stdout)
    assert f"{hel_tertial.label} är fastställd (Vera Verksamhetschef" in text
    # goal → assessment → analysis → åtgärder → indicators, in this order within the nämndmål
    nm1 = text.index("Nämndmål: Servicenämnden har en ekonomi i balans")
    ordning = [text.index(t, nm1) for t in ("Uppfylls helt", "Prognosen visar balans vid årets slut.", _normal(ANALYS.split("\n")[0]),
                                            ATGARDER, "Skriven av Vera Verksamhetschef")]  # fmt: skip
    assert ordning == sorted(ordning)
    assert "<b>Inte HTML</b> **inte fet**" in text and "(utkast – inte markerad som klar)" in text
    assert "Nord svarade snabbare." not in text, "hela verksamhetens rapport har hela verksamhetens analyser"
    assert ANALYS_SAKNAS in text and _normal(FORSLAG_TILL_TEXT) in text
    # the structure: a heading per goal level, no element poppler cannot read
    ut = subprocess.run(["pdfinfo", "-struct-text", str(fil)], capture_output=True, text=True, check=True)
    assert "Syntax Error" not in ut.stderr, ut.stderr[:300]
    document = struktur(pdf, tmp_path).barn[0]
    h4 = [re.sub(r"\s", "", h.innehall()) for h in document.alla("H4")]
    assert "Nämndmål:Servicenämndenharenekonomiibalans" in h4


def test_en_enhets_rapport_har_enhetens_text_och_flera_enheter_markeras(con, hel_tertial, skrivet):
    nord = dokument.tertialrapport(hel_tertial.year, hel_tertial.tertial, Filters(units=("Löneenhet Nord",)), con, ids=["servicegrad"], db=skrivet)
    em3 = next(s.malavsnitt for s in nord.malavsnitt if s.malavsnitt.mal_id == "EM3")
    assert [(d.enhet, d.analys) for d in em3.delar] == [("Löneenhet Nord", "Nord svarade snabbare.")]
    tva = dokument.tertialrapport(hel_tertial.year, hel_tertial.tertial, Filters(units=("Löneenhet Nord", "Löneenhet Syd")), con, ids=["servicegrad"],
                                  db=skrivet)  # fmt: skip
    em3 = next(s.malavsnitt for s in tva.malavsnitt if s.malavsnitt.mal_id == "EM3")
    assert [(d.enhet, d.analys) for d in em3.delar] == [("Löneenhet Nord", "Nord svarade snabbare."), ("Löneenhet Syd", None)]


def test_databasen_nere_rapporten_skrivs_anda(con, hel_tertial, tmp_path):
    (tmp_path / "fil").write_text("x")
    nere = Uppfoljningsdatabas(f"sqlite:///{tmp_path / 'fil' / 'db.sqlite'}")
    dok = dokument.tertialrapport(hel_tertial.year, hel_tertial.tertial, Filters(), con, ids=["servicegrad"], db=nere)
    assert "Analyserna kunde inte hämtas: Uppföljningsdatabasen går inte att nå" in dok.undertitel
    assert dok.malavsnitt and all(d.analys is None for s in dok.malavsnitt for d in s.malavsnitt.delar)


def test_malbilderna_i_powerpoint_far_plats_och_ar_tillgangliga(con, hel_tertial, skrivet, tmp_path):
    skrivet.oppna(hel_tertial, forfattare="Vera Verksamhetschef", motivering="Lång analys ska in.")
    skrivet.spara_analys(hel_tertial, "EM1", analys=LANG, atgarder=ATGARDER, tillstand="klar", forfattare="Vera", baserad_pa=None)
    dok = dokument.rendera(dokument.tertialrapport(hel_tertial.year, hel_tertial.tertial, Filters(), con, ids=["servicegrad"], db=skrivet), "pptx")
    pptx = skriv_pptx(dok)
    pres = Presentation(io.BytesIO(pptx))
    kontrollera_tillganglighet(pres, dok, pptx)
    kontrollera(pres, rendera(pptx, tmp_path, "malrapport"))
    titlar = [s.shapes.title.text_frame.text for s in pres.slides]
    em1 = [t for t in titlar if t.startswith("Enhetsmål: Verksamhetsområde lön och pension har en ekonomi i balans")]
    assert len(em1) >= 2 and em1[1].endswith("(forts.)"), "en lång analys fortsätter på nästa bild"
    for nr, bild in enumerate(pres.slides, start=1):
        former = [sh.name for sh in bild.shapes if sh.name != "Källa"]
        assert former[-1] != "Etikett", f"bild {nr} slutar med en rubrik vars text står på nästa bild"
    text = _normal(" ".join(sh.text_frame.text for s in pres.slides for sh in s.shapes if sh.has_text_frame))
    assert _normal(ANALYS.split("\n")[0]) in text and "Prognosen visar balans vid årets slut." in text
    assert text.count("Volymerna ökade under perioden") == 12, "inget ord av den långa analysen tappas"
    # the city's order in the deck: goals first, then the table, then the indicator slides
    assert titlar.index(dok.tabell_rubrik) > max(i for i, t in enumerate(titlar) if t.startswith(("Nämndmål", "Enhetsmål")))


def test_apt_bildspelet_har_malen(con, hel_tertial, skrivet, monkeypatch):
    from kpi import Period

    monkeypatch.setenv("VU_DATABAS_URL", skrivet.url)  # the deck reads the app's store
    manad = Period(hel_tertial.year, month=hel_tertial.end.month)  # a month of the tertial: the deck shows the tertial's goals
    dok = dokument.apt_deck([MALBILD, "servicegrad"], manad, Filters(), con)
    malsidor = [s for s in dok.sidor if s.malavsnitt is not None]
    assert malsidor and dok.sidor[-1].malavsnitt is None and dok.sidor[-1].titel.startswith("Servicegrad")
    assert [s.malavsnitt.djup for s in malsidor][0] == 0
    nm1 = next(s.malavsnitt for s in malsidor if s.malavsnitt.mal_id == "NM1")
    assert [(d.slutlig, d.analys) for d in nm1.delar] == [("uppfylls_helt", ANALYS)]
