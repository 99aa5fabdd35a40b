"""Real Chromium against `streamlit run app.py` on the sample: load, change the unit, a chart changes, filters follow, screenshots."""

from __future__ import annotations

import json

import pytest

import kpi
import lake
from scripts.skarmbilder import SIDOR, skarmdump, starta_webblasare, vanta_klar
from scripts.streamlit_server import server
from tests.ui.conftest import REPO

SKARMBILDER = REPO / "out" / "screenshots"

# Plotly's own data of the first chart on the page (the unit-split payslips chart on Produktivitet).
FORSTA_DIAGRAMMETS_DATA = (
    "() => { const d = document.querySelector('.js-plotly-plot'); return d ? JSON.stringify(d.data.map(t => [t.name, t.y])) : null; }"
)


@pytest.mark.browser
def test_webblasare_enhet_andrar_diagram_och_foljer_med(ui_lake):
    from playwright.sync_api import sync_playwright

    enheter = kpi.enheter(lake.connect(ui_lake))
    enhet = enheter[0]
    with server(ui_lake) as url, sync_playwright() as p:
        webblasare = starta_webblasare(p)
        try:
            sida = webblasare.new_page(viewport={"width": 1600, "height": 1000})
            sida.goto(f"{url}/produktivitet")
            vanta_klar(sida)
            sida.get_by_role("heading", name="Produktivitet").first.wait_for()
            sida.wait_for_selector(".js-plotly-plot", timeout=30_000)
            fore = sida.evaluate(FORSTA_DIAGRAMMETS_DATA)
            # one line per unit the indicator applies to (a unit without payroll administrators has no line)
            med_varden = {n for n, ys in json.loads(fore or "[]") if any(y is not None for y in ys)}
            assert fore and len(json.loads(fore)) == len(med_varden) >= 2, "en linje per enhet innan urvalet"

            # Choose one unit in the sidebar the way a user does.
            faltet = sida.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
            faltet.click()
            sida.keyboard.type(enhet)
            sida.keyboard.press("Enter")
            sida.keyboard.press("Escape")
            sida.wait_for_timeout(500)
            vanta_klar(sida)
            efter = sida.evaluate(FORSTA_DIAGRAMMETS_DATA)
            assert efter != fore, "diagrammet ändras när enheten väljs"
            assert [namn for namn, _ in json.loads(efter)] == [enhet]
            assert "enhet=" in sida.url, "urvalet står i adressen så att länken kan delas"

            # Moving to another page through the navigation keeps the choice.
            sida.get_by_role("link", name="Sjukfrånvaro").click()
            sida.locator("h1", has_text="Sjukfrånvaro").first.wait_for()
            vanta_klar(sida)
            assert enhet in sida.locator('[data-testid="stSidebar"]').inner_text()
            assert "enhet=" in sida.url

            # A copied link opens the same view in a fresh browser context.
            delad = webblasare.new_page(viewport={"width": 1600, "height": 1000})
            delad.goto(sida.url)
            vanta_klar(delad)
            assert enhet in delad.locator('[data-testid="stMain"]').inner_text()
            delad.close()

            # Screenshots of every page with the chosen unit, for people to look at.
            SKARMBILDER.mkdir(parents=True, exist_ok=True)
            for sokvag, rubrik in SIDOR:
                sida.get_by_role("link", name=rubrik, exact=True).click()
                sida.locator("h1", has_text=rubrik).first.wait_for()
                vanta_klar(sida)
                assert enhet in sida.locator('[data-testid="stSidebar"]').inner_text(), f"{sokvag}: enheten följde inte med"
                assert not sida.locator('[data-testid="stException"]').count(), f"{sokvag}: undantag på sidan"
                skarmdump(sida, SKARMBILDER / f"{sokvag}.png")
                assert (SKARMBILDER / f"{sokvag}.png").stat().st_size > 20_000

            # Last, the APT slide show as a projector shows it: no sidebar, same unit, first slide (the goal table) drawn.
            sida.get_by_role("link", name="APT-läge", exact=True).click()
            sida.set_viewport_size({"width": 1920, "height": 1080})
            vanta_klar(sida)
            sida.wait_for_selector("table.apt-tabell", timeout=30_000)
            huvud = sida.locator('[data-testid="stMain"]').inner_text()
            assert "Bild 1 av" in huvud and enhet in huvud
            assert not sida.locator('[data-testid="stException"]').count()
            sida.screenshot(path=str(SKARMBILDER / "apt_lage.png"))
        finally:
            webblasare.close()
