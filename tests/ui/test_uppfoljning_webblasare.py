"""The goal follow-up end to end in Chromium with real sign-in: an enhetschef writes and marks an analysis klar, the
verksamhetschef fixes the tertial and downloads the tertial report; the text is in the PDF (pdftotext) and the PPTX."""

from __future__ import annotations

import re
import subprocess
import time
from urllib.parse import quote

import pytest
from pptx import Presentation

import kpi
import lake
from kpi.period import Period, tertial_of
from scripts.skarmbilder import starta_webblasare, vanta_klar
from scripts.streamlit_server import server
from tests.ui.conftest import REPO
from tests.ui.test_inloggning_oidc import ENHETSCHEF, EXEMPEL, VERKSAMHETSCHEF, _logga_in, _secrets, oidc_leverantor  # noqa: F401
from uppfoljning import Uppfoljningsdatabas

SKARMBILDER = REPO / "out" / "screenshots" / "uppfoljning"  # for people to look at (not compared)
ANALYS = "Nord svarade snabbare efter att schemat lades om efter samtalsprognosen. <b>Ingen HTML</b> här."
ATGARDER = "Schemat följs upp varje månad."


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.browser
def test_enhetschef_skriver_verksamhetschef_faststaller_och_rapporten_har_texten(ui_lake, oidc_leverantor, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    start = time.monotonic()
    SKARMBILDER.mkdir(parents=True, exist_ok=True)
    senaste = kpi.senaste_manad(lake.connect(ui_lake))
    period = Period(senaste.year, tertial=tertial_of(senaste.month))
    url_db = f"sqlite:///{tmp_path / 'uppfoljning.sqlite'}"
    miljo = {"VU_ATKOMSTLOGG": str(tmp_path / "atkomst.jsonl"), "VU_BEHORIGHETER": str(EXEMPEL), "VU_DATABAS_URL": url_db}
    with server(ui_lake, secrets=_secrets(tmp_path, oidc_leverantor), env=miljo) as url, sync_playwright() as p:
        webblasare = starta_webblasare(p)
        try:
            # 1. The enhetschef writes the first goal's analysis for her unit and marks it klar.
            kontext = webblasare.new_context(viewport={"width": 1366, "height": 900})
            sida = kontext.new_page()
            sida.goto(f"{url}/")
            vanta_klar(sida)
            _logga_in(sida, url, *ENHETSCHEF)
            sida.goto(f"{url}/maluppfyllelse")
            vanta_klar(sida)
            sida.get_by_text(f"Uppföljning för Löneenhet Nord · {period.label}").wait_for()
            sida.get_by_role("button", name="Skriv analys och bedömning").first.click()
            vanta_klar(sida)
            sida.get_by_label("Analys", exact=True).fill(ANALYS)
            sida.get_by_label("Åtgärder", exact=True).fill(ATGARDER)
            sida.get_by_role("button", name="Spara som klar").click()
            vanta_klar(sida)
            sida.get_by_text("Analysen är markerad som klar").wait_for()
            assert ANALYS in sida.locator('[data-testid="stMain"]').inner_text(), "texten visas som vanlig text"
            sida.screenshot(path=str(SKARMBILDER / "enhetschef_sparat.png"))
            assert not sida.locator('[data-testid="stMain"] b', has_text="Ingen HTML").count(), "ingen HTML ur databasen"
            kontext.close()

            # 2. The verksamhetschef opens Nord's follow-up, fixes the tertial and downloads the report as PDF and PowerPoint.
            kontext = webblasare.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
            sida = kontext.new_page()
            sida.goto(f"{url}/")
            vanta_klar(sida)
            _logga_in(sida, url, *VERKSAMHETSCHEF)
            sida.goto(f"{url}/maluppfyllelse?enhet={quote('Löneenhet Nord')}")
            vanta_klar(sida)
            sida.get_by_text(ANALYS).first.wait_for()
            sida.get_by_text(f"Fastställ {period.label}", exact=True).first.click()  # the expander
            sida.get_by_role("button", name=f"Fastställ {period.label}").click()
            vanta_klar(sida)
            sida.get_by_text(f"{period.label} är fastställd").first.wait_for()
            assert not sida.get_by_role("button", name="Ändra analys och bedömning").count(), "en fastställd period kan inte ändras"
            sida.screenshot(path=str(SKARMBILDER / "verksamhetschef_faststallt.png"))
            filer = {}
            for format, etikett in (("pdf", "PDF"), ("pptx", "PowerPoint")):
                with sida.expect_download(timeout=180_000) as nedladdning:
                    sida.get_by_role("button", name=f"Tertialrapport {period.label} ({etikett})").click()
                filer[format] = tmp_path / f"tertialrapport.{format}"
                nedladdning.value.save_as(filer[format])  # the browser's copy goes with its context
            kontext.close()
        finally:
            webblasare.close()

    pdf = _normal(subprocess.run(["pdftotext", str(filer["pdf"]), "-"], capture_output=True, text=True, check=True).stdout)
    assert _normal(ANALYS) in pdf and ATGARDER in pdf
    assert f"{period.label} är fastställd (Vera Verksamhetschef (verksamhetschef@stad.test)" in pdf
    assert "Skriven av Elin Enhetschef (enhetschef.nord@stad.test)" in pdf
    pres = Presentation(filer["pptx"])
    pptx = _normal(" ".join(sh.text_frame.text for s in pres.slides for sh in s.shapes if sh.has_text_frame))
    assert _normal(ANALYS) in pptx and ATGARDER in pptx
    db = Uppfoljningsdatabas(url_db)
    try:
        assert db.periodstatus(period).faststalld
        (v,) = [a for a in db.analyser(period, enheter=["Löneenhet Nord"]) if a.analys == ANALYS]
        assert v.tillstand == "klar" and v.forfattare == "Elin Enhetschef (enhetschef.nord@stad.test)"
    finally:
        db.stang()
    print(f"hela flödet: {time.monotonic() - start:.0f} s")
