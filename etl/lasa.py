"""Reading raw files: encoding and separator detection, CSV/xlsx to text columns, header matching, stray total rows."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.kallor import Kalla

FILTYPER = {".csv", ".txt", ".tsv", ".xlsx"}
SUMMARADER = {"summa", "totalt", "total", "summa totalt", "totalsumma"}


class LasFel(Exception):
    """A file that cannot be read at all; the message is Swedish and shown to the user."""


@dataclass
class RaFil:
    """A raw file as text columns named by internal names, plus what reading noticed."""

    data: pl.DataFrame  # all String, internal column names, `_rad` = row number in the raw file
    okanda_kolumner: list[str]
    borttagna_summarader: list[int]
    kodning: str | None
    avgransare: str | None


def _avkoda(innehall: bytes) -> tuple[bytes, str, str]:
    """UTF-8 bytes for polars, the header line, and the encoding found."""
    if innehall.startswith(b"\xef\xbb\xbf"):
        innehall, kodning = innehall[3:], "UTF-8 med BOM"
    else:
        kodning = "UTF-8"
    try:
        text = innehall.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 decodes almost any byte string, so it is the fallback, not a guess among equals
        text = innehall.decode("cp1252", errors="replace")
        return text.encode("utf-8"), text.lstrip("\r\n").split("\n", 1)[0], "Windows-1252"
    return innehall, text.lstrip("\r\n").split("\n", 1)[0] if text.strip() else "", kodning


def _avgransare(forsta_raden: str) -> str:
    # The header row holds no decimal commas, so the most frequent candidate there is the separator.
    kandidater = {";": forsta_raden.count(";"), "\t": forsta_raden.count("\t"), ",": forsta_raden.count(",")}
    tecken, antal = max(kandidater.items(), key=lambda kv: kv[1])
    return tecken if antal else ";"


def _las_csv(sokvag: Path) -> tuple[pl.DataFrame, str, str]:
    data, forsta, kodning = _avkoda(sokvag.read_bytes())
    if not forsta.strip():
        raise LasFel("Filen är tom.")
    sep = _avgransare(forsta)
    try:
        df = pl.read_csv(
            io.BytesIO(data),
            separator=sep,
            infer_schema=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as fel:
        raise LasFel(f"Filen kunde inte läsas som CSV ({fel.__class__.__name__}).") from fel
    return df, kodning, {";": "semikolon", ",": "komma", "\t": "tabb"}[sep]


def _las_xlsx(sokvag: Path) -> pl.DataFrame:
    try:
        return pl.read_excel(sokvag, sheet_id=1, infer_schema_length=0)
    except Exception as fel:  # calamine raises several error types for damaged workbooks
        raise LasFel(f"Excelfilen kunde inte läsas ({fel.__class__.__name__}).") from fel


def normalisera_rubrik(rubrik: str) -> str:
    """Header match key: case-insensitive, all whitespace ignored, en dash as hyphen."""
    return re.sub(r"[\s\u00a0\u202f]+", "", rubrik).casefold().replace("\u2013", "-").replace("\u2014", "-")


def _rubrikkarta(kalla: Kalla) -> dict[str, str]:
    karta: dict[str, str] = {}
    for k in kalla.kolumner:
        for r in (k.rubrik, *k.alias):
            karta[normalisera_rubrik(r)] = k.namn
    return karta


def _ar_tom(rad: dict) -> bool:
    return all(v is None or not str(v).strip() for k, v in rad.items() if k != "_rad")


def las(sokvag: Path, kalla: Kalla) -> RaFil:
    """Read one raw file into text columns named by internal names; unknown columns are listed and dropped."""
    if sokvag.suffix.lower() == ".xlsx":
        df, kodning, sep = _las_xlsx(sokvag), None, None
    elif sokvag.suffix.lower() in FILTYPER:
        df, kodning, sep = _las_csv(sokvag)
    else:
        raise LasFel(f"Filformatet {sokvag.suffix or '(utan filändelse)'} stöds inte – spara filen som .csv eller .xlsx.")
    if df.width == 0:
        raise LasFel("Filen saknar kolumnrubriker.")

    karta = _rubrikkarta(kalla)
    namn: dict[str, str] = {}
    okanda: list[str] = []
    for rubrik in df.columns:
        internt = karta.get(normalisera_rubrik(rubrik))
        if internt is None:
            if rubrik.strip() and not rubrik.startswith("__UNNAMED__"):
                okanda.append(rubrik.strip())
            continue
        if internt in namn.values():
            raise LasFel(f"Kolumnen {kalla.rubrik(internt)} förekommer flera gånger i rubrikraden.")
        namn[rubrik] = internt

    forsta_kolumn = df.columns[0]
    # Header is row 1 of the raw file, so data row i (0-based) is row i + 2 in a spreadsheet or editor.
    df = df.with_row_index("_rad", offset=2).with_columns(pl.col("_rad").cast(pl.Int64))
    summarader = _summarader(df, forsta_kolumn, namn, kalla)
    data = df.select(["_rad", *namn]).rename(namn).with_columns(pl.col(c).cast(pl.String) for c in namn.values())
    data = data.filter(~pl.col("_rad").is_in(summarader + _tomma_rader(data)))
    return RaFil(data, okanda, summarader, kodning, sep)


def _tomma_rader(data: pl.DataFrame) -> list[int]:
    """Rows with no visible character in any field (spreadsheets leave such rows behind)."""
    kolumner = [c for c in data.columns if c != "_rad"]
    if not kolumner:
        return []
    synlig = [pl.col(c).str.contains(r"\S").fill_null(False) for c in kolumner]
    # Only rows whose first field is blank can be empty, so the full check runs on those few.
    kandidater = data.filter(~synlig[0])
    return kandidater.filter(~pl.any_horizontal(synlig))["_rad"].to_list()


def _summarader(df: pl.DataFrame, forsta_kolumn: str, namn: dict[str, str], kalla: Kalla) -> list[int]:
    """Trailing 'Summa'/'Totalt' rows whose key columns are empty: a report footer, not data."""
    nyckeltyper = {"text", "manad", "datum", "intervall", "tidpunkt", "ar", "period"}
    nycklar = [r for r, i in namn.items() if r != forsta_kolumn and any(k.namn == i and k.typ in nyckeltyper for k in kalla.kolumner)]
    rader: list[int] = []
    for rad in reversed(df.tail(5).to_dicts()):
        if _ar_tom(rad):
            continue
        etikett = str(rad.get(forsta_kolumn) or "").strip().rstrip(":").casefold()
        if etikett in SUMMARADER and all(not str(rad.get(n) or "").strip() for n in nycklar):
            rader.append(rad["_rad"])
            continue
        break
    return rader
