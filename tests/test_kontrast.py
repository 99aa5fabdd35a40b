"""WCAG 2.1 contrast of every colour pair the app, the APT view, the PDF and the PowerPoint use; the palette under colour-blindness."""

from __future__ import annotations

import itertools

import pytest

from kpi.format import PALETT, STATUS_FARG, STATUS_TEXTFARG
from report import pdf_export, pptx_export

try:  # main moves the chart builders from ui/charts.py to diagram/
    import diagram as charts
except ImportError:
    from ui import charts

VIT = "#FFFFFF"


def _rgb(farg) -> tuple[float, float, float]:
    if not isinstance(farg, str):  # python-pptx RGBColor is a tuple of ints
        return tuple(float(x) for x in farg)
    h = farg.lstrip("#")
    return tuple(float(int(h[i : i + 2], 16)) for i in (0, 2, 4))


def _linjar(kanal: float) -> float:
    c = kanal / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminans(farg) -> float:
    """WCAG 2.1 relative luminance."""
    r, g, b = (_linjar(c) for c in _rgb(farg))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def kontrast(a, b) -> float:
    """WCAG 2.1 contrast ratio (1–21)."""
    ljus, mork = sorted((luminans(a), luminans(b)), reverse=True)
    return (ljus + 0.05) / (mork + 0.05)


def over_vitt(farg: str, alfa: float) -> tuple[float, float, float]:
    """A translucent colour as it shows on white (CSS `#rrggbbaa`)."""
    return tuple(alfa * c + (1 - alfa) * 255 for c in _rgb(farg))


def test_kontrastformeln_stammer_med_wcag():
    assert kontrast("#000000", VIT) == pytest.approx(21)
    assert kontrast("#767676", VIT) == pytest.approx(4.54, abs=0.01)  # the well-known smallest grey passing AA on white
    assert kontrast("#D55E00", VIT) == pytest.approx(3.87, abs=0.01)  # the measurement of the old 'Uppfylls ej'


# (where, text colour, background) — text and badges must reach 4.5:1 (WCAG 1.4.3, the badges are 8–22 px bold at most).
TEXTPAR = [
    *[(f"statusbricka {s} (APT-tabell, PDF, PPTX)", STATUS_TEXTFARG[s], STATUS_FARG[s]) for s in STATUS_FARG],
    ("statusbricka ej_bedomd (PDF)", STATUS_TEXTFARG["ej_bedomd"], pdf_export.EJ_BEDOMD_BAKGRUND),
    ("statusbricka ej_bedomd (PPTX)", STATUS_TEXTFARG["ej_bedomd"], pptx_export.EJ_BEDOMD_BAKGRUND),
    *[(f"appens statusbricka {s}: text på tonad bakgrund (ui/sida.py)", "#1A1A1A", over_vitt(f, 0x22 / 255)) for s, f in STATUS_FARG.items()],
    ("PDF brödtext", pdf_export.MORK, VIT),
    ("PDF fotnot och sidfot", pdf_export.GRA, VIT),
    ("PDF nyckeltalsetikett", pdf_export.GRA, pdf_export.RUTA_BAKGRUND),
    ("PDF nyckeltal", pdf_export.MORK, pdf_export.RUTA_BAKGRUND),
    ("PDF tabellhuvud", pdf_export.RUBRIK_TEXT, pdf_export.RUBRIK_BAKGRUND),
    ("PPTX text", pptx_export.MORK, VIT),
    ("PPTX källrad", pptx_export.GRA, VIT),
    ("PPTX tabellhuvud", pptx_export.RUBRIK_TEXT, pptx_export.RUBRIK_BAKGRUND),
    ("APT-tabellens huvud (report/slides.py)", "#FFFFFF", "#333333"),
    ("APT-tabellens text (report/slides.py)", "#222222", VIT),
    ("diagramtext (ui/charts.py)", "#222222", VIT),
    ("diagramundertext (ui/charts.py)", "#555555", VIT),
    ("mållinjens etikett (ui/charts.py)", charts.MAL_FARG, over_vitt(VIT, 0.8)),
]


@pytest.mark.parametrize("var, text, bakgrund", TEXTPAR, ids=[p[0] for p in TEXTPAR])
def test_text_nar_4_5(var, text, bakgrund):
    assert kontrast(text, bakgrund) >= 4.5, f"{var}: {kontrast(text, bakgrund):.2f}:1"


# Lines, markers, bars and the target line carry meaning: 3:1 against the white plot background (WCAG 1.4.11).
GRAFIKPAR = [
    *[(f"PALETT[{i}] {f}", f) for i, f in enumerate(PALETT)],
    ("mållinjen", charts.MAL_FARG),
    ("nollinjen (ui/charts.py)", "#767676"),
    ("x-axelns linje (ui/charts.py)", "#888888"),
]


@pytest.mark.parametrize("var, farg", GRAFIKPAR, ids=[p[0] for p in GRAFIKPAR])
def test_grafik_nar_3_mot_vitt(var, farg):
    assert kontrast(farg, VIT) >= 3, f"{var}: {kontrast(farg, VIT):.2f}:1"


def test_appens_statussymbol_nar_4_5():
    """ui/sida.py draws the badge's ●◐○ as text on the status colour's light tint: it must reach 4.5:1 like the word."""
    from ui.sida import SYMBOL_FARG, status_bricka

    for s, f in STATUS_FARG.items():
        assert f"color:{SYMBOL_FARG}" in status_bricka(s)
        assert kontrast(SYMBOL_FARG, over_vitt(f, 0x22 / 255)) >= 4.5, s


SIDOPANEL = "#F2F4F7"  # .streamlit/config.toml secondaryBackgroundColor
APPENS_TEXT = [
    ("bildtext på sidan (ui/sida.py::stil)", "#555A62", VIT),
    ("bildtext i sidopanelen", "#555A62", SIDOPANEL),
    ("menyns avsnittsrubrik", "#555A62", SIDOPANEL),
    ("etiketten Ladda ner", "#444444", VIT),
    ("APT: urval och räknare", "#444444", VIT),
    ("APT: fotnot", "#555555", VIT),
    ("APT: tabellhuvud", "#FFFFFF", "#333333"),
]


@pytest.mark.parametrize("var, text, bakgrund", APPENS_TEXT, ids=[p[0] for p in APPENS_TEXT])
def test_appens_egna_texter_nar_4_5(var, text, bakgrund):
    assert kontrast(text, bakgrund) >= 4.5, f"{var}: {kontrast(text, bakgrund):.2f}:1"


@pytest.mark.parametrize("bakgrund", [VIT, SIDOPANEL])
def test_fokusramen_nar_3(bakgrund):
    """The keyboard focus outline (ui/sida.py::stil, 3 px) against the page and the sidebar (WCAG 2.4.7 / 1.4.11)."""
    import re

    from ui import sida

    kalla = open(sida.__file__, encoding="utf-8").read()
    farg = re.search(r":focus-visible[^{]*\{ outline: 3px solid (#[0-9A-Fa-f]{6})", kalla)[1]
    assert kontrast(farg, bakgrund) >= 3


# Machado, Oliveira & Fernandes (2009) simulation matrices at full severity, on linear RGB.
CVD = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopi": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopi": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopi": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _lab(farg: str, matris) -> tuple[float, float, float]:
    """CIELAB (D65) of the colour as seen with the given colour vision."""
    lin = [_linjar(c) for c in _rgb(farg)]
    r, g, b = (min(1.0, max(0.0, sum(m * c for m, c in zip(rad, lin)))) for rad in matris)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("syn", list(CVD))
def test_paletten_hills_isar_vid_fargblindhet(syn):
    """The first five series (units on a page) differ clearly for every colour vision; all eight at least noticeably."""

    def avstand(a: str, b: str) -> float:
        return sum((x - y) ** 2 for x, y in zip(_lab(a, CVD[syn]), _lab(b, CVD[syn]))) ** 0.5

    forsta = min(avstand(a, b) for a, b in itertools.combinations(PALETT[:5], 2))
    alla = min(avstand(a, b) for a, b in itertools.combinations(PALETT, 2))
    assert forsta >= 12, f"{syn}: två av de fem första färgerna ligger ΔE {forsta:.1f} isär"
    assert alla >= 6, f"{syn}: två färger ligger ΔE {alla:.1f} isär"
