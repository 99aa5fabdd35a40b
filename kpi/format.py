"""Swedish number, money, percent, duration and month formatting shared by pages, CLI and reports."""

from __future__ import annotations

import math
from dataclasses import dataclass
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


# Display units of amounts: divisor from kronor and the unit's name.
BELOPPSENHETER = {"kr": 1, "tkr": 1_000, "mnkr": 1_000_000}
# How a change against last year is written: percentage points, an amount, a relative change or a plain difference.
FORANDRINGSSATT = ("procentenheter", "belopp", "procent", "skillnad")


@dataclass(frozen=True)
class Visning:
    """How one indicator's figures read everywhere (tiles, tables, charts, APT, PDF, PPTX, CSV, Excel): unit, decimals, change."""

    matt: str  # '%', 'kr', 's', 'st', 'index'
    enhet: str  # display unit: the measure itself, or 'tkr'/'mnkr' for amounts
    decimaler: int = 0
    forandring_som: str = "procent"

    @property
    def divisor(self) -> float:
        """Base units per display unit (1 000 for tkr)."""
        return BELOPPSENHETER.get(self.enhet, 1)

    @property
    def suffix(self) -> str:
        """Axis and cell suffix: ' %', ' tkr', ' s', '' for counts and indices."""
        return "" if self.enhet in ("st", "index") else f" {self.enhet}"

    def tal(self, x: float | None) -> float | None:
        """The number as displayed, in the display unit (what an export cell holds)."""
        if _missing(x):
            return None
        return round(x / self.divisor, self.decimaler if self.matt != "s" else 0) + 0.0

    def avrundad(self, x: float | None) -> float | None:
        """The value as displayed, back in base units (what the assessment judges)."""
        shown = self.tal(x)
        return None if shown is None else shown * self.divisor

    def text(self, x: float | None, tom: str = "–") -> str:
        """The value in Swedish format: '6,5 %', '1 150', '2:23', '−276 tkr', '9,9 mnkr'."""
        if _missing(x):
            return tom
        if self.matt == "s":
            return sekunder(x, tom)
        if self.enhet in BELOPPSENHETER:
            return f"{tal(x / self.divisor, self.decimaler)}{NBSP}{self.enhet}"
        if self.matt == "%":
            return procent(x, self.decimaler)
        return tal(x, self.decimaler)

    def rubrik(self, namn: str) -> str:
        """A column header with the unit: 'Intäkter (mnkr)', 'Servicegrad (%)', 'Medelväntetid (s)'."""
        return f"{namn} ({self.enhet})"

    def skillnad(self, a: float | None, b: float | None) -> tuple[str | None, int | None]:
        """(size, sign) of a − b as displayed, never relative: percentage points for %, the display unit otherwise."""
        satt = "procentenheter" if self.matt == "%" else "skillnad"
        text, tecken = Visning(self.matt, self.enhet, self.decimaler, satt).forandring(a, b)
        return (None if text is None else text.lstrip("+−±")), tecken

    def forandring(self, nu: float | None, forra: float | None) -> tuple[str | None, int | None]:
        """(text, sign) of the change from `forra` to `nu` as displayed; sign 0 and no arrow when it rounds to zero."""
        if _missing(nu) or _missing(forra):
            return None, None
        if self.forandring_som == "procent":
            if forra <= 0:
                return None, None
            d = round(100 * (nu - forra) / abs(forra), 1)
            text = f"{tal(abs(d), 1)}{NBSP}%"
        elif self.forandring_som == "procentenheter":
            d = round(self.tal(nu) - self.tal(forra), max(self.decimaler, 1))
            text = f"{tal(abs(d), max(self.decimaler, 1))} procentenheter"
        else:  # an amount or a plain difference, in the display unit
            d = round(self.tal(nu) - self.tal(forra), self.decimaler if self.matt != "s" else 0)
            text = self.text(abs(d) * self.divisor)
        if d == 0:
            return f"±{text.replace('−', '')}", 0
        return f"{'+' if d > 0 else '−'}{text}", 1 if d > 0 else -1


def manadsspann(start: date, slut: date) -> str:
    """The months a figure covers: 'okt 2026', 'jan–okt 2026', 'nov 2025–okt 2026'."""
    if start == slut:
        return f"{MANADER_KORT[start.month - 1]} {start.year}"
    if start.year == slut.year:
        return f"{MANADER_KORT[start.month - 1]}–{MANADER_KORT[slut.month - 1]} {slut.year}"
    return f"{MANADER_KORT[start.month - 1]} {start.year}–{MANADER_KORT[slut.month - 1]} {slut.year}"
