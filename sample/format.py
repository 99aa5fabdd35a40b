"""Writing a table the way a Swedish system exports it: CSV dialects, encodings, number/month/duration styles, xlsx."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
import xlsxwriter

NBSP = "\u00a0"
MONTH_COLUMNS = {"Månad", "Period", "Prognosmånad"}
DURATION_COLUMNS = {"Total väntetid", "Längsta väntetid", "Total samtalstid", "Total efterarbetstid", "Väntetid", "Samtalstid", "Efterarbete"}
# xlsx files carry a creation time; a fixed one keeps regenerated files byte-identical.
XLSX_CREATED = datetime(2026, 11, 1, 6, 0, 0)


@dataclass(frozen=True)
class Fmt:
    """One export style."""

    kind: str = "csv"  # 'csv' | 'xlsx'
    encoding: str = "utf-8"  # 'utf-8' | 'utf-8-sig' (BOM) | 'cp1252'
    sep: str = ","
    decimal: str = "."
    thousands: str = ""  # '' | ' ' | NBSP
    month: str = "%Y-%m"  # '%Y-%m' | '%Y%m' | '%Y-%m-01'
    duration: str = "s"  # 's' | 'mm:ss' | 'hh:mm:ss'
    duration_overrides: tuple[tuple[str, str], ...] = ()
    varied_headers: bool = False  # case and surrounding spaces as hand-built exports have them
    order: tuple[str, ...] | None = None
    total_row: bool = False  # trailing 'Totalt' row as report generators add
    line_end: str = "\n"
    trim_decimals: bool = False  # hand-edited files write 6,5 rather than 6,50


PLAIN = Fmt()


def _duration(seconds: int, style: str) -> str:
    seconds = int(seconds)
    if style == "s":
        return str(seconds)
    if style == "mm:ss":
        if seconds >= 3600:
            raise ValueError("mm:ss klarar inte en timme eller mer")
        return f"{seconds // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _number(x: float | int, decimals: int, fmt: Fmt) -> str:
    text = f"{abs(x):,.{decimals}f}"
    if fmt.trim_decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\x00").replace(".", fmt.decimal).replace("\x00", fmt.thousands)
    return ("-" if x < 0 and text.strip("0.,") else "") + text


def _header(name: str, i: int) -> str:
    return [f" {name.upper()} ", name.lower(), f"{name} ", f" {name}"][i % 4]


def _cells(df: pl.DataFrame, fmt: Fmt, for_xlsx: bool) -> list[list]:
    """Column-wise formatted values; numbers stay numbers in xlsx."""
    overrides = dict(fmt.duration_overrides)
    columns = []
    for name in df.columns:
        s = df[name]
        values = s.to_list()
        if name in DURATION_COLUMNS:
            style = overrides.get(name, fmt.duration)
            out = [None if v is None else (int(v) if for_xlsx and style == "s" else _duration(v, style)) for v in values]
        elif s.dtype == pl.Date:
            pattern = fmt.month if name in MONTH_COLUMNS else "%Y-%m-%d"
            out = [None if v is None else v.strftime(pattern) for v in values]
        elif s.dtype == pl.Datetime:
            out = [None if v is None else v.strftime("%Y-%m-%d %H:%M:%S") for v in values]
        elif s.dtype.is_integer():
            out = values if for_xlsx else [None if v is None else _number(v, 0, fmt) for v in values]
        elif s.dtype.is_float():
            out = values if for_xlsx else [None if v is None else _number(v, 2, fmt) for v in values]
        else:
            out = values
        columns.append(out)
    return columns


def _with_total_row(df: pl.DataFrame) -> pl.DataFrame:
    first = df.columns[0]
    total = {c: (df[c].sum() if df[c].dtype.is_numeric() else None) for c in df.columns}
    total[first] = "Totalt"
    return pl.concat([df, pl.DataFrame([total], schema=df.schema)])


def write(df: pl.DataFrame, path: Path, fmt: Fmt = PLAIN) -> int:
    """Write df (Swedish headers, typed columns) to path in the given style; returns data rows written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = df.height
    if fmt.order:
        df = df.select(list(fmt.order))
    if fmt.total_row:
        df = _with_total_row(df)
    headers = [_header(c, i) if fmt.varied_headers else c for i, c in enumerate(df.columns)]
    if fmt.kind == "xlsx":
        _write_xlsx(headers, _cells(df, fmt, True), path)
    elif fmt == PLAIN:
        _write_plain(df, path)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=fmt.sep, lineterminator=fmt.line_end)
        writer.writerow(headers)
        writer.writerows(["" if v is None else v for v in row] for row in zip(*_cells(df, fmt, False)))
        path.write_bytes(buffer.getvalue().encode(fmt.encoding))
    return rows


def _write_plain(df: pl.DataFrame, path: Path) -> None:
    """Fast path for large plain CSV (UTF-8, comma, ISO months): polars does the formatting."""
    months = [c for c in df.columns if c in MONTH_COLUMNS and df[c].dtype == pl.Date]
    df = df.with_columns(pl.col(c).dt.strftime("%Y-%m") for c in months)
    df.write_csv(path, date_format="%Y-%m-%d", datetime_format="%Y-%m-%d %H:%M:%S", float_precision=2)


def _write_xlsx(headers: list[str], columns: list[list], path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    workbook.set_properties({"created": XLSX_CREATED, "author": "Export"})
    sheet = workbook.add_worksheet("Export")
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(zip(*columns), start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()
