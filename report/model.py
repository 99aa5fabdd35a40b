"""What an export is made of, independent of format: pages with a chart and text, and the goal table."""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go

MALTABELL_RUBRIKER = ("Indikator", "Periodens utfall", "Årsmål", "KF:s årsmål", "Period", "Bedömning")


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


@dataclass(frozen=True)
class Tabellrad:
    """One row of the Måluppfyllelse table, already formatted, with its status id for the colour."""

    celler: tuple[str, ...]
    status: str


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
