"""Names from the data are text: neutralise CSV formulas (OWASP) and escape Markdown, HTML blocks and Plotly's HTML subset."""

from __future__ import annotations

import html
import re

import polars as pl

_FORMELSTART = ("=", "+", "-", "@", "\t", "\r")
_TAL = re.compile(r"^[+-]?(\d[\d\u00a0 ]*)?([.,]\d+)?([eE][+-]?\d+)?$")


def csv_cell(value):
    """OWASP's rule: a text cell starting with = + - @ tab or CR that is not a number gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMELSTART) and not _TAL.match(value.strip() or "x"):
        return "'" + value
    return value


def neutralisera_csv(df: pl.DataFrame) -> pl.DataFrame:
    """Every text column of a frame passed through csv_cell (numbers stay numbers)."""
    kolumner = [pl.Series(namn, [csv_cell(v) for v in df[namn].to_list()], dtype=pl.Utf8) for namn, typ in df.schema.items() if typ == pl.Utf8]
    return df.with_columns(kolumner) if kolumner else df


# Every character CommonMark lets a backslash escape, plus ':' so 'https://…' is never auto-linked.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&:])")


def markdown_text(value) -> str:
    """A data value safe inside st.markdown/st.caption: shown literally, never as a link, HTML or formatting."""
    return _MARKDOWN.sub(r"\\\1", str(value)).replace("\n", " ")


def html_text(value) -> str:
    """A data value inside an HTML block of st.markdown: escaped, and on one line — a blank line would end the block and
    let the rest be read as Markdown (a link, an image)."""
    return html.escape(" ".join(str(value).split()))


def plotly_text(value) -> str:
    """A data value safe in Plotly labels, legends and hover text (Plotly renders a subset of HTML, links included)."""
    return html.escape(str(value), quote=False)
