"""axe-core on every page and state of the running app: `python scripts/axe_rapport.py [--parquet DIR] [--md FIL]`.

Starts Streamlit on the lake, opens each page in Debian's Chromium at 1366×768 and 1600×1000 (APT-läge also 1920×1080),
runs axe-core (WCAG 2.0/2.1 A and AA rules) in each state a user reaches — the page as loaded, the sidebar's unit filter
open, the first "Ladda ner" menu open, APT-läge's settings open — and prints a table of violations per page (rule, nodes).
It also records each page's `lang` and title and the Tab presses from the top of Produktivitet to the first download.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.skarmbilder import APT_VYER, VYER, adress, starta_webblasare, vanta_klar  # noqa: E402
from scripts.streamlit_server import server  # noqa: E402
from ui.sidkarta import sidor  # noqa: E402

ROT = Path(__file__).resolve().parent.parent
AXE_JS = ROT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
TAGGAR = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TABELL = "Visa som tabell"
MAX_TAB = 120


@dataclass(frozen=True)
class Fynd:
    """One axe rule that fails on a page in a state and viewport: how many elements, and the first one as an example."""

    sida: str
    tillstand: str
    vy: str
    regel: str
    antal: int
    paverkan: str
    exempel: str


@dataclass
class Granskning:
    """Everything one survey of the app found."""

    fynd: list[Fynd] = field(default_factory=list)
    korningar: list[tuple[str, str, str]] = field(default_factory=list)  # (page, state, viewport) where axe ran
    passerade: int = 0  # rule checks that passed, summed over all runs (proves axe really ran)
    lang: dict[str, str] = field(default_factory=dict)
    titlar: dict[str, str] = field(default_factory=dict)
    tab_till_nedladdning: int | None = None  # Tab presses from the top of Produktivitet to its first download
    tryck_via_hopplank: int | None = None  # key presses by the skip link: Tab, Enter, then Tab to the first download
    hopplank: str = ""  # the first tab stop's text (the skip link)
    nedladdning_med_enter: bool | None = None  # Enter on the focused download button gave a file
    utan_synligt_fokus: list[str] = field(default_factory=list)  # tab stops on the way without a visible focus outline
    layoutfel: list[str] = field(default_factory=list)  # overlapping axis labels, broken words, cut text, APT not fitting
    apt_pagedown: bool | None = None  # a presentation clicker's PageDown moved APT-läge to the next screen


def kor_axe(sida) -> dict:
    """Inject axe-core (the npm package in tests/node) and run the WCAG 2.1 A/AA rules on the whole document."""
    if not sida.evaluate("() => typeof window.axe !== 'undefined'"):
        sida.add_script_tag(path=str(AXE_JS))
    return sida.evaluate(
        """async (taggar) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: taggar}, resultTypes: ['violations']});
            return {passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact || '',
                nodes: v.nodes.length, exempel: (v.nodes[0] ? v.nodes[0].target.join(' ') + ' ' + v.nodes[0].html : '').slice(0, 240)}))};
        }""",
        TAGGAR,
    )


def _spara(g: Granskning, sida, sokvag: str, tillstand: str) -> None:
    vy = f"{sida.viewport_size['width']}×{sida.viewport_size['height']}"
    svar = kor_axe(sida)
    g.korningar.append((sokvag, tillstand, vy))
    g.passerade += svar["passes"]
    for v in svar["violations"]:
        g.fynd.append(Fynd(sokvag, tillstand, vy, v["id"], v["nodes"], v["impact"], v["exempel"]))


def _filter_oppet(sida) -> bool:
    """Open the sidebar's unit filter (a multiselect) the way a user does; False when the page has no sidebar."""
    falt = sida.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    if not falt.count() or not falt.is_visible():
        return False
    falt.click()
    sida.wait_for_timeout(400)
    return True


def _tabell_oppen(sida) -> bool:
    """Open the first chart's "Visa som tabell" (the numbers behind it as an HTML table); False when the page has none."""
    rubrik = sida.locator('[data-testid="stMain"] [data-testid="stExpander"] summary', has_text=TABELL).first
    if not rubrik.count():
        return False
    rubrik.scroll_into_view_if_needed()
    rubrik.click()
    sida.locator('[data-testid="stExpander"] table').first.wait_for(state="visible", timeout=10_000)
    sida.wait_for_timeout(300)
    return True


def _apt_installningar(sida) -> bool:
    """Open APT-läge's settings expander (saved decks, exports, menu)."""
    rubrik = sida.get_by_text("Bildspel, export och meny").first
    if not rubrik.count():
        return False
    rubrik.click()
    sida.wait_for_timeout(600)
    vanta_klar(sida)
    return True


def _apt_meny(sida) -> bool:
    """Show the menu and filters on APT-läge (the settings' toggle), to choose period and unit during a meeting."""
    reglage = sida.get_by_text("Visa menyn och filtren").first
    if not reglage.count() or not reglage.is_visible():
        return False
    reglage.click()
    sida.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=30_000)
    vanta_klar(sida)
    return True


def _apt_meny_av(sida) -> None:
    sida.get_by_text("Visa menyn och filtren").first.click()
    sida.wait_for_selector('[data-testid="stSidebar"]', state="hidden", timeout=30_000)
    vanta_klar(sida)


TILLSTAND: dict[str, Callable] = {"filter öppet": _filter_oppet, "tabell öppen": _tabell_oppen}
APT_TILLSTAND: dict[str, Callable] = {"inställningar öppna": _apt_installningar, "meny visad": _apt_meny}


# The focused element as the keyboard check sees it: is it a download, and is its focus visible (an outline ≥ 2 px)?
_FOKUS_JS = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
    const s = getComputedStyle(e); const r = e.getBoundingClientRect();
    return {nedladdning: !!e.closest('[data-testid="stDownloadButton"]'),
            synlig: r.width > 2 && r.height > 2 && s.visibility !== 'hidden' && s.opacity !== '0',
            ram: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
            namn: (e.getAttribute('aria-label') || e.innerText || e.tagName).trim().slice(0, 60)}; }"""


def _tabba_till_nedladdning(sida, utan_fokus: list[str], tryck: int = 0) -> tuple[int | None, bool | None]:
    """Tab from the current focus to the first download button; (key presses in all, whether Enter on it gives the file)."""
    for n in range(tryck + 1, tryck + MAX_TAB + 1):
        sida.keyboard.press("Tab")
        fokus = sida.evaluate(_FOKUS_JS)
        if fokus is None:
            continue
        if not (fokus["synlig"] and fokus["ram"]):
            utan_fokus.append(fokus["namn"])
        if fokus["nedladdning"]:
            try:
                with sida.expect_download(timeout=30_000) as fil:
                    sida.keyboard.press("Enter")
                return n, bool(fil.value.suggested_filename)
            except Exception:  # noqa: BLE001 — no download is the finding, not an error of the survey
                return n, False
    return None, None


def _fran_borjan(sida) -> None:
    sida.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    sida.locator("body").focus()


def _tangentbord(g: Granskning, sida) -> None:
    """The keyboard path to the first download: by Tab alone, and by the skip link (Tab, Enter, then Tab), with every
    tab stop on the way checked for a visible focus outline (WCAG 2.4.1, 2.4.3, 2.4.7)."""
    _fran_borjan(sida)
    g.tab_till_nedladdning, g.nedladdning_med_enter = _tabba_till_nedladdning(sida, g.utan_synligt_fokus)
    sida.reload()  # Chromium's next Tab starts where focus last was, whatever is blurred: start over from the top
    vanta_klar(sida)
    _fran_borjan(sida)
    sida.keyboard.press("Tab")
    g.hopplank = sida.evaluate("() => document.activeElement ? (document.activeElement.innerText || '').trim() : ''")
    sida.keyboard.press("Enter")
    g.tryck_via_hopplank, _ = _tabba_till_nedladdning(sida, g.utan_synligt_fokus, tryck=2)


# Layout faults a user sees, measured in the browser: x-axis labels on top of each other, words broken in the middle
# (tile names, chart headings, table cells), text cut off with an ellipsis, and on APT-läge the buttons outside the window
# or a slide that needs scrolling. Returns one line per fault.
_LAYOUT_JS = """() => {
  const fel = [];
  const kort = (t) => (t || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const rutor = [...plot.querySelectorAll('.xtick text')].map(t => t.getBoundingClientRect()).filter(r => r.width > 0)
      .sort((a, b) => a.left - b.left);
    for (let i = 1; i < rutor.length; i++) {
      const a = rutor[i - 1], b = rutor[i];
      if (b.left < a.right - 1 && b.top < a.bottom - 1 && a.top < b.bottom - 1) {
        const rubrik = plot.closest('[data-testid="stPlotlyChart"]');
        fel.push('x-axelns etiketter överlappar: ' + kort(rubrik ? rubrik.getAttribute('aria-label') : ''));
        break;
      }
    }
  }
  const ord = '[data-testid="stMetricLabel"] p, h1, h2, h3, .vu-slutsats, table.apt-tabell td, table.vu-tabell td';
  for (const e of document.querySelectorAll(ord)) {
    const gang = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let n = gang.nextNode(); n; n = gang.nextNode()) {
      const re = /[^\\s]+/g; let m;
      while ((m = re.exec(n.nodeValue))) {
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const rader = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (rader.size > 1) fel.push('ord bryts mitt i: ' + m[0]);
      }
    }
  }
  for (const e of document.querySelectorAll('[data-testid^="stMetric"] *, h3.vu-diagramrubrik, .vu-slutsats')) {
    const s = getComputedStyle(e);
    if (s.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1) fel.push('text avklippt: ' + kort(e.innerText));
  }
  for (const k of document.querySelectorAll('.st-key-apt_foregaende button, .st-key-apt_nasta button')) {
    const r = k.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight + 0.5 || r.height === 0) fel.push('APT-knappen syns inte: ' + kort(k.innerText));
  }
  const bild = document.querySelector('.st-key-apt_bild');
  if (bild && bild.scrollHeight > bild.clientHeight + 1) fel.push('APT-bilden får inte plats: ' + (bild.scrollHeight - bild.clientHeight) + ' px för mycket');
  return fel;
}"""


def _layout(g: Granskning, sida, sokvag: str, tillstand: str) -> None:
    vy = f"{sida.viewport_size['width']}×{sida.viewport_size['height']}"
    for f in dict.fromkeys(sida.evaluate(_LAYOUT_JS)):
        g.layoutfel.append(f"{sokvag} {tillstand} {vy}: {f}")


def _apt_diagrambild(g: Granskning, sida, vyer) -> None:
    """APT-läge beyond its first screen: a clicker's PageDown moves on, and the first chart slide fits every viewport."""
    fore = sida.locator(".apt-raknare").inner_text()
    sida.evaluate("() => document.activeElement && document.activeElement.blur()")
    sida.keyboard.press("PageDown")
    sida.wait_for_function(f"() => (document.querySelector('.apt-raknare') || {{}}).innerText !== {fore!r}", timeout=30_000)
    vanta_klar(sida)
    g.apt_pagedown = sida.locator(".apt-raknare").inner_text() != fore
    for _ in range(40):
        if sida.locator(".st-key-apt_bild .js-plotly-plot").count():
            break
        sida.locator(".st-key-apt_nasta button").click()
        sida.wait_for_timeout(800)
        vanta_klar(sida)
    for bredd, hojd in vyer:
        sida.set_viewport_size({"width": bredd, "height": hojd})
        sida.wait_for_timeout(500)
        _layout(g, sida, "apt_lage", "diagrambild")
        _spara(g, sida, "apt_lage", "diagrambild")


def granska(url: str, webblasare, utskrift: Callable[[str], None] = lambda _: None, bara: set[str] | None = None) -> Granskning:
    """Visit every page (or those in `bara`), state and viewport and run axe-core on each; Produktivitet also gets the keyboard check."""
    g = Granskning()
    for sokvag, rubrik in sidor():
        if bara and sokvag not in bara:
            continue
        apt = sokvag == "apt_lage"
        vyer = APT_VYER if apt else VYER
        sida = webblasare.new_page(viewport={"width": vyer[0][0], "height": vyer[0][1]}, accept_downloads=True)
        try:
            start = time.perf_counter()
            sida.goto(adress(url, sokvag))
            vanta_klar(sida)
            sida.get_by_role("heading", name=rubrik).first.wait_for(timeout=30_000) if not apt else None
            g.lang[sokvag] = sida.evaluate("() => document.documentElement.lang")
            g.titlar[sokvag] = sida.title()
            for bredd, hojd in vyer:
                sida.set_viewport_size({"width": bredd, "height": hojd})
                sida.wait_for_timeout(400)
                _spara(g, sida, sokvag, "sidan")
                _layout(g, sida, sokvag, "sidan")
            sida.set_viewport_size({"width": vyer[0][0], "height": vyer[0][1]})
            sida.wait_for_timeout(300)
            if sokvag == "produktivitet":
                _tangentbord(g, sida)
            for namn, oppna in [*TILLSTAND.items(), *(APT_TILLSTAND.items() if apt else [])]:
                if oppna(sida):
                    _spara(g, sida, sokvag, namn)
                sida.keyboard.press("Escape")
                sida.wait_for_timeout(200)
            if apt:
                _apt_meny_av(sida)
                _apt_diagrambild(g, sida, vyer)
            utskrift(f"{sokvag}: {time.perf_counter() - start:.1f} s")
        finally:
            sida.close()
    return g


def tabell(g: Granskning) -> str:
    """Markdown: per page, each failing rule with the largest node count over states and viewports, and where it fails."""
    rader = ["| sida | regel | påverkan | element (max) | tillstånd och vyer |", "|---|---|---|---:|---|"]
    for sokvag, _ in sidor():
        per_regel: dict[str, list[Fynd]] = {}
        for f in g.fynd:
            if f.sida == sokvag:
                per_regel.setdefault(f.regel, []).append(f)
        if not per_regel:
            rader.append(f"| {sokvag} | – | – | 0 | inga fel |")
        for regel, lista in sorted(per_regel.items()):
            var = ", ".join(sorted({f"{f.tillstand} {f.vy}" for f in lista}))
            rader.append(f"| {sokvag} | `{regel}` | {lista[0].paverkan} | {max(f.antal for f in lista)} | {var} |")
    return "\n".join(rader)


def exempel(g: Granskning) -> str:
    """One example element per failing rule (its CSS target and HTML), to see which markup fails."""
    sedda: dict[str, Fynd] = {}
    for f in g.fynd:
        sedda.setdefault(f.regel, f)
    rader = []
    for regel, f in sorted(sedda.items()):
        html = f.exempel.replace("`", "'")
        rader.append(f"- `{regel}` ({f.sida}, {f.tillstand} {f.vy}): `{html}`")
    return "\n".join(rader)


def sammanfattning(g: Granskning) -> str:
    """lang, titles and the keyboard check as short Markdown lines."""
    titlar = sorted(set(g.titlar.values()))
    return "\n".join(
        [
            f"- axe-körningar: {len(g.korningar)} (sidor × tillstånd × vyer), fel totalt: {sum(f.antal for f in g.fynd)} element i {len(g.fynd)} fynd",
            f"- `lang`: {', '.join(sorted({repr(v) for v in g.lang.values()}))}",
            f"- sidtitlar: {len(titlar)} olika för {len(g.titlar)} sidor ({'; '.join(titlar)})",
            f"- Produktivitet med tangentbordet: {g.tab_till_nedladdning} Tab-tryck från sidans början till första nedladdningen, "
            f"{g.tryck_via_hopplank} tryck via hopplänken ({g.hopplank!r}: Tab, Enter, sedan Tab); "
            f"Enter på knappen laddar ner filen: {'ja' if g.nedladdning_med_enter else 'nej'}; "
            f"tabbstopp utan synlig fokusram på vägen: {', '.join(dict.fromkeys(g.utan_synligt_fokus)) or 'inga'}",
            f"- APT-läge: PageDown (presentationsklickare) byter bild: {'ja' if g.apt_pagedown else 'nej'}",
            f"- layoutfel (överlappande axeletiketter, ord som bryts, avklippt text, APT som inte får plats): "
            f"{len(g.layoutfel)}" + "".join(f"\n  - {f}" for f in g.layoutfel),
        ]
    )


def main() -> None:
    """CLI: start a server on the lake, survey every page, print (and optionally write) the table."""
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parquet", default="data/parquet")
    ap.add_argument("--md", help="write the table as Markdown to this file as well")
    ap.add_argument("--sidor", help="only these pages (URL paths, comma-separated)")
    a = ap.parse_args()
    with server(a.parquet) as url, sync_playwright() as p:
        webblasare = starta_webblasare(p)
        try:
            g = granska(url, webblasare, lambda s: print(s, file=sys.stderr), set(a.sidor.split(",")) if a.sidor else None)
        finally:
            webblasare.close()
    text = tabell(g) + "\n\n" + sammanfattning(g) + "\n\nExempel per regel:\n\n" + exempel(g) + "\n"
    print(text)
    if a.md:
        Path(a.md).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
