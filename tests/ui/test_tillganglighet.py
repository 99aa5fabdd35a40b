"""axe-core (WCAG 2.1 A/AA) in real Chromium on every page, state and viewport of the app, plus lang, titles and the keyboard path.

The harness itself is asserted here; the app-side findings it reports before the phase-2 fixes are strict xfails, so each
flips to a failure the moment it is fixed and the mark must go (docs/tillganglighet.md lists what remains)."""

from __future__ import annotations

import pytest

from scripts.axe_rapport import APT_VYER, VYER, granska, kor_axe, sammanfattning, tabell
from scripts.skarmbilder import starta_webblasare
from scripts.streamlit_server import server
from ui.sidkarta import sidor

FAS_2 = pytest.mark.xfail(strict=True, reason="fixas i fas 2")
SIDOR = [s for s, _ in sidor()]
# Pages axe passes today (APT-läge hides Streamlit's navigation and sidebar); every other page still fails.
RENA_SIDOR = {"apt_lage"}


@pytest.fixture(scope="module")
def granskning(ui_lake):
    """One survey of the whole app (every page, state and viewport), shared by the tests below."""
    from playwright.sync_api import sync_playwright

    with server(ui_lake) as url, sync_playwright() as p:
        webblasare = starta_webblasare(p)
        try:
            g = granska(url, webblasare)
        finally:
            webblasare.close()
    print("\n" + tabell(g) + "\n\n" + sammanfattning(g))
    return g


@pytest.mark.browser
def test_harnessen_hittar_kanda_fel():
    """axe really runs with the WCAG tags: a page with a known missing lang, alt text and label is reported."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        webblasare = starta_webblasare(p)
        try:
            sida = webblasare.new_page()
            sida.set_content(
                '<html><head><title>x</title></head><body><img src="x.png"><input type="text"><p style="color:#aaa">grått</p></body></html>'
            )
            regler = {v["id"] for v in kor_axe(sida)["violations"]}
            assert {"html-has-lang", "image-alt", "label", "color-contrast"} <= regler
            sida.set_content('<html lang="sv"><head><title>Ren</title></head><body><main><h1>Rubrik</h1><p>Text.</p></main></body></html>')
            assert kor_axe(sida)["violations"] == []
        finally:
            webblasare.close()


@pytest.mark.browser
def test_granskningen_tacker_sidor_tillstand_och_vyer(granskning):
    korda = set(granskning.korningar)
    for sida in SIDOR:
        for bredd, hojd in APT_VYER if sida == "apt_lage" else VYER:
            assert (sida, "sidan", f"{bredd}×{hojd}") in korda, f"{sida} {bredd}×{hojd} granskades inte"
    tillstand = {t for _, t, _ in korda}
    assert {"filter öppet", "Ladda ner öppen", "inställningar öppna"} <= tillstand
    assert sum(1 for s, t, _ in korda if t == "filter öppet") >= len(SIDOR) - 1  # every page with the sidebar
    assert ("apt_lage", "inställningar öppna", "1366×768") in korda
    assert granskning.passerade > 100, "axe rapporterade nästan inga kontrollerade regler"


@pytest.mark.browser
@pytest.mark.parametrize("sida", [pytest.param(s, marks=() if s in RENA_SIDOR else FAS_2) for s in SIDOR])
def test_inga_axe_fel(granskning, sida):
    fel = [f"{f.regel} ({f.antal}) i {f.tillstand} {f.vy}: {f.exempel[:120]}" for f in granskning.fynd if f.sida == sida]
    assert not fel, "\n".join(fel)


@pytest.mark.browser
@FAS_2
def test_sidorna_ar_pa_svenska(granskning):
    assert {s: v for s, v in granskning.lang.items() if not v.startswith("sv")} == {}


@pytest.mark.browser
@FAS_2
def test_varje_sida_har_en_egen_titel(granskning):
    titlar = dict(granskning.titlar)
    assert len(set(titlar.values())) == len(titlar)
    for (sokvag, rubrik), titel in zip(sidor(), titlar.values()):
        assert rubrik in titel and "Verksamhetsuppföljning" in titel, sokvag


@pytest.mark.browser
@FAS_2
def test_nedladdning_nas_med_fa_tab_och_fokus_flyttas_in_i_menyn(granskning):
    assert granskning.tab_till_nedladdning is not None and granskning.tab_till_nedladdning <= 8
    assert granskning.fokus_i_menyn is True
