"""What an export is made of, independent of format: pages with a chart and text, and the goal table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import plotly.graph_objects as go

MALTABELL_RUBRIKER = ("Indikator", "Periodens utfall", "Årsmål", "KF:s årsmål", "Period", "Bedömning")
AKTIVITET_RUBRIKER = ("Aktivitet", "Planerad", "Status", "Kommentar")
UNDERMAL_RUBRIKER = ("Mål", "Bedömning", "Analys")
ANALYS_SAKNAS = "Analys saknas."  # where nobody has written, the report says so rather than inventing text
FORSLAG_TILL_TEXT = "Förslag till text (genererad ur indikatorerna, inte skriven av någon)"


@dataclass(frozen=True)
class Tabellrad:
    """One row of the Måluppfyllelse table, already formatted, with its status id for the colour."""

    celler: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class Enhetsdel:
    """What one unit (or the whole operation) has written about a goal: final assessment, analysis, åtgärder, activities."""

    enhet: str  # 'Hela verksamheten' or the unit's name
    slutlig: str | None  # the final assessment id; None = not set (the proposal stands as a proposal)
    motivering: str  # why the final assessment differs from the proposal ('' when it does not)
    bedomd_av: str  # 'Vera Verksamhetschef, 12 maj 2026 kl. 14.03' ('' when not set)
    analys: str | None  # None = nothing written: the report says 'Analys saknas'
    atgarder: str
    tillstand: str | None  # 'utkast' | 'klar'
    skriven_av: str
    aktiviteter: tuple[tuple[str, ...], ...] = ()  # AKTIVITET_RUBRIKER rows


@dataclass(frozen=True)
class Malavsnitt:
    """One goal in the city's order: level, texts, proposal, each unit's assessment and analysis, its indicators and activities."""

    mal_id: str
    niva: str  # 'KF:s inriktningsmål', 'KF:s mål', 'Nämndmål', 'Enhetsmål'
    djup: int  # 0 = KF:s inriktningsmål; the heading level in the PDF and the order in the deck
    text: str
    foljs_upp: bool  # assessed and analysed each period (otherwise a heading over its sub-goals)
    plan: tuple[tuple[str, str], ...] = ()  # (Förväntat resultat | Arbetssätt | Uppföljning, text)
    forslag: str = "ej_bedomd"
    forslag_motivering: str = ""
    delar: tuple[Enhetsdel, ...] = ()
    forslag_till_text: str = ""  # generated from the indicators, printed labelled, only where no analysis is written
    indikatorer: tuple[Tabellrad, ...] = ()
    undermal: tuple[Tabellrad, ...] = ()  # UNDERMAL_RUBRIKER rows for a goal that is a heading (its sub-goals at a glance)

    @property
    def rubrik(self) -> str:
        """'Nämndmål: Servicenämnden har en ekonomi i balans'."""
        return f"{self.niva}: {self.text}"


@dataclass(frozen=True)
class Sida:
    """One slide or report page: title, chart, the generated sentence(s) and a small source line."""

    titel: str
    figur: go.Figure | None
    text: str
    fotnot: str = ""
    nyckeltal: tuple[tuple[str, str], ...] = ()  # (label, formatted value) boxes shown beside the chart
    status: str | None = None  # assessment id, shown as a coloured badge with symbol and word
    period: str = ""  # the months the chart actually shows ('nov 2025–okt 2026'), named on the slide
    alt: str = ""  # the chart's text alternative; empty means title + text (a slide's text is its takeaway)
    malavsnitt: Malavsnitt | None = None  # a goal's section (no chart): written by the exporters' goal layout


@dataclass
class Dokument:
    """A whole export: front matter, an optional goal table and the chart pages in order."""

    titel: str
    undertitel: str
    sidor: list[Sida]
    tabell: list[Tabellrad] | None = None
    tabell_rubrik: str = "Måluppfyllelse"
    tabell_fotnot: str = ""
    bilder: list[bytes] = field(default_factory=list)  # PNGs, one per page with a figure, in page order
    malavsnitt: list[Sida] = field(default_factory=list)  # the goal follow-up, before the table (each Sida has .malavsnitt)
    malavsnitt_rubrik: str = ""  # the title page's line about the goal part (period fixed or not)


def alt_text(sida: Sida) -> str:
    """The chart's text alternative: its own, or the title and the takeaway sentence."""
    return sida.alt or f"{sida.titel}. {sida.text}"


@dataclass(frozen=True)
class Figurtabell:
    """A Plotly table figure as data, so exports write a real table (header cells, text) instead of a picture of one."""

    rubriker: tuple[str, ...]
    rader: tuple[tuple[str, ...], ...]
    bakgrund: tuple[tuple[str | None, ...], ...]  # per row and column, None = the export's default
    textfarg: tuple[tuple[str | None, ...], ...]
    hoger: tuple[bool, ...]  # right-aligned columns (numbers)
    bredder: tuple[float, ...] = ()  # relative column widths, when the figure sets them


def _per_cell(varde, kol: int, rad: int) -> str | None:
    """Plotly's per-table, per-column or per-cell style value for one cell."""
    if isinstance(varde, (list, tuple)):
        varde = varde[kol] if kol < len(varde) else None
        if isinstance(varde, (list, tuple)):
            varde = varde[rad] if rad < len(varde) else None
    return varde if isinstance(varde, str) else None


def figurtabell(fig: go.Figure | None) -> Figurtabell | None:
    """The Plotly table in a figure (the goal-table slide) as rows of text with their colours; None for any other chart."""
    if fig is None or len(fig.data) != 1 or fig.data[0].type != "table":
        return None
    t = fig.data[0]
    rubriker = tuple(re.sub(r"<[^>]+>", "", str(v)) for v in t.header.values)
    kolumner = [list(k) for k in t.cells.values]
    antal = max((len(k) for k in kolumner), default=0)
    rader = tuple(tuple(str(k[r]) if r < len(k) else "" for k in kolumner) for r in range(antal))
    fyll, farg = t.cells.fill.color if t.cells.fill else None, t.cells.font.color if t.cells.font else None
    justering = t.cells.align
    hoger = tuple(_per_cell(justering, k, 0) == "right" for k in range(len(rubriker)))
    return Figurtabell(
        rubriker,
        rader,
        tuple(tuple(_per_cell(fyll, k, r) for k in range(len(rubriker))) for r in range(antal)),
        tuple(tuple(_per_cell(farg, k, r) for k in range(len(rubriker))) for r in range(antal)),
        hoger,
        tuple(float(b) for b in t.columnwidth) if isinstance(t.columnwidth, (list, tuple)) else (),
    )
