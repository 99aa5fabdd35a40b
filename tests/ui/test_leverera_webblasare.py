"""Leverera data in real Chromium: October's telephony file missing, delivered from the browser, seen on Telefoni; a broken file
changes nothing; two people delivering at once both wait behind another run and both load; screenshots at 1366×768 and 1600×1000."""

from __future__ import annotations

import fcntl
import hashlib
import shutil
from pathlib import Path

import pytest

import etl
from scripts.skarmbilder import skarmdump, starta_webblasare, vanta_klar
from scripts.streamlit_server import server
from tests.conftest import SAMPLE_RAW
from tests.ui.conftest import REPO

SKARMBILDER = REPO / "out" / "screenshots"
TELEFONI = "Telefoni (intervallrapport)"
MANADER = ["nov 2025", "dec 2025"] + [f"{m} 2026" for m in ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov"]]


def alla_bytes(mapp: Path) -> dict[str, str]:
    return {str(f.relative_to(mapp)): hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(mapp.rglob("*")) if f.is_file()}


def cell(sida, kalla: str, manad: str) -> str:
    """The overview's text for a monthly source and month (its row header, then the month's column)."""
    rad = sida.locator("table.vu-fs tbody tr", has=sida.locator("th", has_text=kalla)).first
    return rad.locator("td").nth(MANADER.index(manad)).inner_text().strip()


def ladda_upp(sida, fil: Path) -> None:
    sida.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(fil))
    sida.get_by_text("från rubrikraden").first.wait_for(timeout=30_000)
    vanta_klar(sida)


@pytest.mark.browser
def test_leverera_data_i_webblasaren(tmp_path):
    from playwright.sync_api import sync_playwright

    raw, parquet, q = tmp_path / "raw", tmp_path / "parquet", tmp_path / "q"
    shutil.copytree(SAMPLE_RAW, raw, ignore=shutil.ignore_patterns("*.md"))
    oktober = shutil.move(raw / "telefoni" / "telefoni_2026-10.csv", tmp_path / "telefoni_2026-10.csv")
    sjuk = shutil.move(raw / "sjukfranvaro" / "sjukfranvaro_2026-10.xlsx", tmp_path / "sjukfranvaro_2026-10.xlsx")
    assert etl.run(raw, parquet, q).exit_code == 0
    trasig = tmp_path / "trasig" / "telefoni_2026-10.csv"
    trasig.parent.mkdir()
    rader = Path(oktober).read_text(encoding="utf-8").split("\n")
    falt = rader[1].split(",")
    falt[4] = str(int(falt[3]) + 7)  # Besvarade > Inkommande
    rader[1] = ",".join(falt)
    trasig.write_text("\n".join(rader), encoding="utf-8")
    SKARMBILDER.mkdir(parents=True, exist_ok=True)

    miljo = {"VU_QUARANTINE": str(q), "VU_IDAG": "2026-12-01", "VU_ETL_LOGG": str(tmp_path / "etl.log")}
    with server(str(parquet), raw=str(raw), env=miljo) as url, sync_playwright() as p:
        webblasare = starta_webblasare(p)
        try:
            sida = webblasare.new_page(viewport={"width": 1366, "height": 768})
            sida.goto(f"{url}/leverera_data")
            vanta_klar(sida)
            sida.get_by_role("heading", name="Leverera data").first.wait_for()
            uppladdare = sida.locator('[data-testid="stFileUploaderDropzone"]').inner_text()
            assert "Välj filer" in uppladdare and "Högst 100 MB per fil" in uppladdare, f"uppladdaren på svenska: {uppladdare!r}"
            assert cell(sida, TELEFONI, "okt 2026") == "✗ Saknas", "oktober saknas för telefoni"
            assert cell(sida, TELEFONI, "sep 2026") == "✓ Inläst" and cell(sida, TELEFONI, "nov 2026") == "… Väntas"
            # readable at 1366×768: the whole overview fits the main column, no horizontal scrolling
            bredd = sida.evaluate("() => { const d = document.querySelector('div.vu-fs'); return [d.scrollWidth, d.clientWidth]; }")
            assert bredd[0] <= bredd[1], f"översikten är bredare än sidan: {bredd}"
            skarmdump(sida, SKARMBILDER / "leverera_data_1366.png")

            # A broken file: the report, and the lake and the raw folder exactly as before
            fore, raw_fore = alla_bytes(parquet), alla_bytes(raw)
            ladda_upp(sida, trasig)
            sida.get_by_role("button", name="Läs in 1 fil").click()
            sida.get_by_text("avvisades – ingenting lästes in").first.wait_for(timeout=60_000)
            vanta_klar(sida)
            assert "Besvarade får inte vara fler än Inkommande" in sida.locator("[data-testid='stCode']").first.inner_text()
            assert sida.get_by_role("link", name="Se detaljerna på Datakvalitet").count() == 1
            assert cell(sida, TELEFONI, "okt 2026") == "⚠ Avvisad"
            assert alla_bytes(parquet) == fore and alla_bytes(raw) == raw_fore, "en avvisad fil ändrar ingenting"
            assert not sida.locator('[data-testid="stException"]').count()

            # Two people deliver at the same moment while another run holds the lake: both wait, visibly, then both load
            annan = webblasare.new_page(viewport={"width": 1600, "height": 1000})
            annan.goto(f"{url}/leverera_data")
            vanta_klar(annan)
            ladda_upp(sida, Path(oktober))
            ladda_upp(annan, Path(sjuk))
            with open(parquet / ".etl.lock", "a") as las:
                fcntl.flock(las, fcntl.LOCK_EX)
                sida.get_by_role("button", name="Läs in 1 fil").click()
                annan.get_by_role("button", name="Läs in 1 fil").click()
                for s in (sida, annan):
                    s.get_by_text("Väntar på annan inläsning").first.wait_for(timeout=30_000)
                sida.screenshot(path=str(SKARMBILDER / "leverera_data_vantar.png"))
                fcntl.flock(las, fcntl.LOCK_UN)
            for s in (sida, annan):
                s.get_by_text("rader inlästa").first.wait_for(timeout=60_000)
                vanta_klar(s)
                assert "Väntade" in s.locator('[data-testid="stMain"]').inner_text()
            assert "ersatte oktober 2026" in sida.locator('[data-testid="stMain"]').inner_text()
            sida.reload()
            vanta_klar(sida)
            assert cell(sida, TELEFONI, "okt 2026") == "✓ Inläst" and cell(sida, "Sjukfrånvaro", "okt 2026") == "✓ Inläst"
            skarmdump(annan, SKARMBILDER / "leverera_data_1600.png")

            # The Telefoni page shows October
            sida.goto(f"{url}/telefoni?ar=2026&period=M%C3%A5nad&manad=10")
            vanta_klar(sida)
            sida.get_by_role("heading", name="Telefoni").first.wait_for()
            huvud = sida.locator('[data-testid="stMain"]').inner_text()
            assert "oktober 2026" in huvud
            servicegrad = sida.locator('[data-testid="stMetric"]', has_text="Servicegrad").first.locator('[data-testid="stMetricValue"]')
            assert "%" in servicegrad.inner_text(), "servicegraden för oktober har ett värde"
        finally:
            webblasare.close()
