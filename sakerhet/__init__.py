"""Safety at the boundary: personnummer redaction, CSV formula neutralisation and names-as-text escaping, each written once."""

from sakerhet.personnummer import PERSONNUMMER_ERSATTNING, innehaller_personnummer, maskera, maskera_allt
from sakerhet.text import csv_cell, html_text, markdown_text, neutralisera_csv, plotly_text

__all__ = [
    "PERSONNUMMER_ERSATTNING",
    "csv_cell",
    "html_text",
    "innehaller_personnummer",
    "markdown_text",
    "maskera",
    "maskera_allt",
    "neutralisera_csv",
    "plotly_text",
]
