"""Screenshots of every dashboard page in real Chromium: `python scripts/skarmbilder.py [--parquet DIR] [--ut out/screenshots]`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.streamlit_server import server  # noqa: E402
from ui.sidkarta import sidor  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]
SIDOR = sidor(utom=("apt_lage",))  # (url path, title); the APT slide show has its own test


def vanta_klar(sida, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished running the script and Plotly has drawn."""
    sida.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    sida.wait_for_timeout(400)
    sida.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    sida.wait_for_timeout(300)


def skarmdump(sida, fil: Path) -> None:
    """The whole page: Streamlit scrolls inside its main container, so grow the viewport to its height first."""
    bredd = sida.viewport_size["width"]
    hojd = sida.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    sida.set_viewport_size({"width": bredd, "height": max(800, min(int(hojd) + 40, 12000))})
    sida.wait_for_timeout(500)
    sida.screenshot(path=str(fil), full_page=True)
    sida.set_viewport_size({"width": bredd, "height": 1000})


def starta_webblasare(p):
    """Debian's Chromium through playwright (no downloaded browser)."""
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def ta_skarmbilder(url: str, ut: Path, sida, fraga: str = "") -> list[Path]:
    """Visit every page (keeping the query string, so filters carry) and save a full-page PNG of each."""
    ut.mkdir(parents=True, exist_ok=True)
    filer = []
    for sokvag, rubrik in SIDOR:
        sida.goto(f"{url}/{sokvag}{fraga}")
        vanta_klar(sida)
        sida.get_by_role("heading", name=rubrik).first.wait_for(timeout=30_000)
        fil = ut / f"{sokvag}.png"
        skarmdump(sida, fil)
        filer.append(fil)
    return filer


def main() -> None:
    """CLI: start a server on the given lake and write screenshots."""
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--parquet", default="data/parquet")
    ap.add_argument("--ut", default="out/screenshots")
    ap.add_argument("--fraga", default="", help="query string, e.g. '?enhet=Enhet+1'")
    a = ap.parse_args()
    with server(a.parquet) as url, sync_playwright() as p:
        b = starta_webblasare(p)
        sida = b.new_page(viewport={"width": 1600, "height": 1000})
        start = time.perf_counter()
        for f in ta_skarmbilder(url, Path(a.ut), sida, a.fraga):
            print(f)
        print(f"{time.perf_counter() - start:.1f} s")
        b.close()


if __name__ == "__main__":
    main()
