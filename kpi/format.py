"""Swedish number, money, percent, duration and month formatting shared by pages, CLI and reports."""

from __future__ import annotations

import math
from datetime import date

NBSP = "\u00a0"  # no-break space keeps '1 150' and '6,5 %' together on a line

MANADER = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"]
MANADER_KORT = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
VECKODAGAR = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]

STATUS_ORD = {
    "uppfylls_helt": "Uppfylls helt",
    "uppfylls_delvis": "Uppfylls delvis",
    "uppfylls_ej": "Uppfylls ej",
    "ej_bedomd": "Ej bedömd",
}
# Symbols so the assessment never relies on colour alone.
STATUS_SYMBOL = {"uppfylls_helt": "●", "uppfylls_delvis": "◐", "uppfylls_ej": "○", "ej_bedomd": "–"}
# Okabe–Ito hues (colour-blind safe): blue for met, orange for partly, a darkened vermillion for not met, grey for not assessed.
# Text on a badge reaches WCAG 4.5:1: white on blue 5.2:1 and on vermillion #B5460B 5.5:1 (Okabe–Ito's #D55E00 gave only 3.9:1),
# dark text on the light orange 7.7:1 and on grey 6.1:1; tests/test_kontrast.py computes every pair.
STATUS_FARG = {"uppfylls_helt": "#0072B2", "uppfylls_delvis": "#E69F00", "uppfylls_ej": "#B5460B", "ej_bedomd": "#999999"}
STATUS_TEXTFARG = {"uppfylls_helt": "#FFFFFF", "uppfylls_delvis": "#1A1A1A", "uppfylls_ej": "#FFFFFF", "ej_bedomd": "#1A1A1A"}
# Chart series: Okabe–Ito's order of hues, each darkened until it reaches 3:1 against white (WCAG 1.4.11; the originals' orange,
# sky blue and yellow reached 1.3–2.3:1), chosen so the first five stay apart under simulated protan-, deutan- and tritanopia.
# Lines also differ by dash and marker, bars by pattern (ui/charts.py), so colour never carries a series alone.
PALETT = ["#0072B2", "#C08800", "#009060", "#C870A0", "#3898D0", "#D05800", "#A89030", "#000000"]


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def tal(x: float | int | None, decimaler: int = 0, tom: str = "–") -> str:
    """1150.5 → '1 150,5' (no-break space as thousands separator, decimal comma)."""
    if _missing(x):
        return tom
    s = f"{x:,.{decimaler}f}"
    s = s.replace(",", "\x00").replace(".", ",").replace("\x00", NBSP)
    return s.replace("-", "−") if s.startswith("-") and s.strip("-0,\u00a0") else s.lstrip("-")


def procent(x: float | None, decimaler: int = 1, tom: str = "–") -> str:
    """6.5 (a 0–100 number) → '6,5 %'."""
    return tom if _missing(x) else f"{tal(x, decimaler)}{NBSP}%"


def kr(x: float | None, decimaler: int = 0, tom: str = "–") -> str:
    """70.4 → '70 kr'."""
    return tom if _missing(x) else f"{tal(x, decimaler)}{NBSP}kr"


def tkr(x: float | None, decimaler: int = 0, tom: str = "–") -> str:
    """1 234 567 kr → '1 235 tkr'."""
    return tom if _missing(x) else f"{tal(x / 1_000, decimaler)}{NBSP}tkr"


def mnkr(x: float | None, decimaler: int = 1, tom: str = "–") -> str:
    """55 100 000 kr → '55,1 mnkr'."""
    return tom if _missing(x) else f"{tal(x / 1_000_000, decimaler)}{NBSP}mnkr"


def sekunder(x: float | None, tom: str = "–") -> str:
    """143 → '2:23' (minutes:seconds; hours added past one hour)."""
    if _missing(x):
        return tom
    total = int(round(x))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def manad(d: date, kort: bool = False) -> str:
    """date(2024, 3, 1) → 'mars 2024' (or 'mar 2024')."""
    namn = MANADER_KORT if kort else MANADER
    return f"{namn[d.month - 1]} {d.year}"


def enligt_matt(x: float | None, matt: str, decimaler: int | None = None) -> str:
    """Format a value by its unit of measure: '%', 'kr', 's', 'st', 'index', 'mnkr', 'tkr'."""
    if matt == "%":
        return procent(x, 1 if decimaler is None else decimaler)
    if matt == "kr":
        return kr(x, 0 if decimaler is None else decimaler)
    if matt == "tkr":
        return tkr(x, 0 if decimaler is None else decimaler)
    if matt == "mnkr":
        return mnkr(x, 1 if decimaler is None else decimaler)
    if matt == "s":
        return sekunder(x)
    return tal(x, 0 if decimaler is None else decimaler)
