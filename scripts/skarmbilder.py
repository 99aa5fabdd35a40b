"""Screenshots of every dashboard page in real Chromium: `python scripts/skarmbilder.py [--parquet DIR] [--ut out/screenshots] [--vyer]`.

With --vyer: every page at 1366×768 and 1600×1000 (whole page), and every screen of the APT slide show at 1366×768 and
1920×1080 (what the projector shows), named `<page>_<width>x<height>.png` / `apt_lage_<width>x<height>_<screen>.png`."""

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
VYER = [(1366, 768), (1600, 1000)]  # the common municipal laptop and a desktop screen
APT_VYER = [*VYER, (1920, 1080)]  # and the projector


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
        sida.goto(f"{adress(url, sokvag)}{fraga}")
        vanta_klar(sida)
        sida.get_by_role("heading", name=rubrik).first.wait_for(timeout=30_000)
        fil = ut / f"{sokvag}.png"
        skarmdump(sida, fil)
        filer.append(fil)
    return filer


def adress(url: str, sokvag: str) -> str:
    """A page's address: the default page (the first in the menu) lives at the root; its own path gives "Page not found"."""
    return f"{url}/" if sokvag == sidor()[0][0] else f"{url}/{sokvag}"


def apt_skarmar(sida, ut: Path, namn: str, max_skarmar: int = 40) -> list[Path]:
    """Every screen of the APT slide show as the window shows it (Nästa until the counter is back at 1)."""
    filer = []
    for n in range(1, max_skarmar + 1):
        vanta_klar(sida)
        fil = ut / f"{namn}_{n:02d}.png"
        sida.screenshot(path=str(fil))
        filer.append(fil)
        raknare = sida.locator(".apt-raknare").inner_text()
        if raknare.endswith(f" av {n}"):
            break
        sida.locator(".st-key-apt_nasta button").click()
        sida.wait_for_function(
            f"() => (document.querySelector('.apt-raknare') || {{}}).innerText === 'Bild {n + 1} av ' + '{raknare.split(' av ')[1]}'"
        )
    sida.locator(".st-key-apt_nasta button").click()  # back to the first screen for whoever looks next
    vanta_klar(sida)
    return filer


def alla_vyer(url: str, ut: Path, webblasare) -> list[Path]:
    """Every page at every viewport it must work in (whole page), and every APT screen as the window shows it."""
    ut.mkdir(parents=True, exist_ok=True)
    filer = []
    for sokvag, rubrik in sidor():
        apt = sokvag == "apt_lage"
        for bredd, hojd in APT_VYER if apt else VYER:
            sida = webblasare.new_page(viewport={"width": bredd, "height": hojd})
            try:
                sida.goto(adress(url, sokvag))
                vanta_klar(sida)
                if apt:
                    filer += apt_skarmar(sida, ut, f"{sokvag}_{bredd}x{hojd}")
                    continue
                sida.get_by_role("heading", name=rubrik).first.wait_for(timeout=30_000)
                fil = ut / f"{sokvag}_{bredd}x{hojd}.png"
                skarmdump(sida, fil)
                filer.append(fil)
            finally:
                sida.close()
    return filer


def main() -> None:
    """CLI: start a server on the given lake and write screenshots."""
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--parquet", default="data/parquet")
    ap.add_argument("--ut", default="out/screenshots")
    ap.add_argument("--fraga", default="", help="query string, e.g. '?enhet=Enhet+1'")
    ap.add_argument("--vyer", action="store_true", help="every page at 1366×768 and 1600×1000, every APT screen also at 1920×1080")
    a = ap.parse_args()
    with server(a.parquet) as url, sync_playwright() as p:
        b = starta_webblasare(p)
        sida = b.new_page(viewport={"width": 1600, "height": 1000})
        start = time.perf_counter()
        for f in alla_vyer(url, Path(a.ut), b) if a.vyer else ta_skarmbilder(url, Path(a.ut), sida, a.fraga):
            print(f)
        print(f"{time.perf_counter() - start:.1f} s")
        b.close()


if __name__ == "__main__":
    main()
