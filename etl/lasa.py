"""Reading raw files: encoding and separator detection, CSV/xlsx to text columns, header matching, stray total rows."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl import format as filformat
from etl.kallor import Kalla

FILTYPER = {".csv", ".txt", ".tsv", ".xlsx"}
EXCELTYPER = {".xlsx", ".xlsm"}
SUMMARADER = {"summa", "totalt", "total", "summa totalt", "totalsumma"}


class LasFel(Exception):
    """A file that cannot be read at all; the message is Swedish and shown to the user."""


@dataclass
class RaFil:
    """A raw file as text columns named by internal names, plus what reading noticed."""

    data: pl.DataFrame  # internal column names, `_rad` = row number in the raw file; String unless `typad`
    okanda_kolumner: list[str]
    borttagna_summarader: list[int]
    kodning: str | None
    avgransare: str | None
    typad: bool = False  # number columns were parsed by the CSV reader itself (Float64/Int64), not kept as text
    anmarkningar: tuple[str, ...] = ()  # what the user should know, e.g. a workbook named .csv that was read as Excel


# Value types a plain export writes as bare numbers, which the CSV reader can parse while reading.
TYPADE = {"tal": pl.Float64, "tid": pl.Float64, "heltal": pl.Int64}


FORSOKSRADER = 10  # the header is looked for among this many first rows (exports may start with a title)
AVGRANSARE = (";", "\t", ",")
SNIFF = 1 << 16  # bytes looked at for encoding, header row and separator


class _InteUtf8(Exception):
    """The CSV reader met bytes that are not UTF-8 after the first 64 KB."""


def _avkoda(innehall: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes for polars and the encoding found, judged on the first 64 KB (the CSV reader checks the rest)."""
    if innehall.startswith(b"\xef\xbb\xbf"):
        innehall, kodning = innehall[3:], "UTF-8 med BOM"
    else:
        kodning = "UTF-8"
    borjan = innehall[:SNIFF]
    try:
        borjan.decode("utf-8")
    except UnicodeDecodeError as fel:
        if len(innehall) <= SNIFF or fel.start < len(borjan) - 3:  # not merely a character cut at the 64 KB mark
            return _som_cp1252(innehall), "Windows-1252"
    return innehall, kodning


def _som_cp1252(innehall: bytes) -> bytes:
    # Windows-1252 decodes almost any byte string, so it is the fallback, not a guess among equals
    return innehall.decode("cp1252", errors="replace").encode("utf-8")


def _traffar(celler: list, karta: dict[str, str]) -> int:
    return sum(1 for c in celler if c is not None and normalisera_rubrik(str(c).strip().strip('"')) in karta)


def _rubrik_och_avgransare(rader: list[str], karta: dict[str, str]) -> tuple[int, str]:
    """The header line (index) and separator: the line and separator that name most known columns."""
    if rader and re.fullmatch(r"sep=.", rader[0].strip(), flags=re.IGNORECASE):
        return 1, rader[0].strip()[4]  # Excel's "sep=;" hint line
    basta = max(((_traffar(rad.split(sep), karta), -i, sep) for i, rad in enumerate(rader) for sep in AVGRANSARE), default=(0, 0, ";"))
    if basta[0] >= 2:
        return -basta[1], basta[2]
    # No known headers at all: the first non-empty line is the header (validation then names the missing columns).
    i = next((i for i, rad in enumerate(rader) if rad.strip()), 0)
    kandidater = {sep: rader[i].count(sep) for sep in AVGRANSARE}
    sep, antal = max(kandidater.items(), key=lambda kv: kv[1])
    return i, sep if antal else ";"


def _las_csv(sokvag: Path, karta: dict[str, str], typer: dict[str, pl.DataType]) -> tuple[pl.DataFrame, int, str, str, bool]:
    data, kodning = _avkoda(sokvag.read_bytes())
    try:
        return _las_csv_data(data, kodning, karta, typer)
    except _InteUtf8:
        # polars validates every field as it reads: a non-UTF-8 byte further down means the whole file is Windows-1252
        return _las_csv_data(_som_cp1252(data), "Windows-1252", karta, typer)


def _las_csv_data(data: bytes, kodning: str, karta: dict[str, str], typer: dict[str, pl.DataType]) -> tuple[pl.DataFrame, int, str, str, bool]:
    huvud = [r.rstrip("\r") for r in data[:SNIFF].decode("utf-8", errors="replace").split("\n")[:FORSOKSRADER]]
    if not any(r.strip() for r in huvud):
        raise LasFel("Filen är tom.")
    rubrikrad, sep = _rubrik_och_avgransare(huvud, karta)
    borjan = 0
    for _ in range(rubrikrad):  # title lines above the header are cut off as bytes, so row numbers stay exact
        borjan = data.index(b"\n", borjan) + 1
    data = data[borjan:]

    def las_csv(kapa: bool, schema_overrides: dict | None = None) -> pl.DataFrame:
        try:
            return pl.read_csv(
                io.BytesIO(data),
                separator=sep,
                infer_schema=False,
                truncate_ragged_lines=kapa,
                raise_if_empty=False,
                schema_overrides=schema_overrides,
            )
        except pl.exceptions.ComputeError as fel:
            if "utf-8" in str(fel).lower() and kodning != "Windows-1252":
                raise _InteUtf8 from fel
            raise

    avgransare = {";": "semikolon", ",": "komma", "\t": "tabb"}[sep]
    typad = _las_typad(las_csv, data, sep, karta, typer) if typer else None
    if typad is not None:
        return typad, rubrikrad + 2, kodning, avgransare, True
    try:
        df = las_csv(kapa=False)
    except pl.exceptions.ComputeError as fel:
        # A row with more fields than the header: only empty trailing fields may be cut, anything else would lose data.
        _kontrollera_extra_falt(data, sep, rubrikrad)
        try:
            df = las_csv(kapa=True)
        except pl.exceptions.PolarsError as fel2:
            raise LasFel(f"Filen kunde inte läsas som CSV ({fel2.__class__.__name__}).") from fel
    except pl.exceptions.PolarsError as fel:
        raise LasFel(f"Filen kunde inte läsas som CSV ({fel.__class__.__name__}).") from fel
    return df, rubrikrad + 2, kodning, avgransare, False


def _las_typad(
    las_csv: Callable[..., pl.DataFrame], data: bytes, sep: str, karta: dict[str, str], typer: dict[str, pl.DataType]
) -> pl.DataFrame | None:
    """The file with its number columns parsed while reading, or None when any value needs the tolerant text parsers."""
    # A plain export ('143', '2302100.50') parses here in one pass; '1 150,5', '02:23' or 'x' make the read fail,
    # and the file is then read as text, exactly as before. Only the work differs, never the values.
    try:
        rubriker = pl.read_csv(io.BytesIO(data), separator=sep, n_rows=0, infer_schema=False).columns
        overrides = {r: typer[karta[n]] for r in rubriker if (n := normalisera_rubrik(r)) in karta and karta[n] in typer}
        if not overrides:
            return None
        df = las_csv(False, overrides)
    except pl.exceptions.PolarsError:
        return None
    flyttal = [c for c, t in overrides.items() if t == pl.Float64]
    # the text parsers reject 'nan' and 'inf'; the reader accepts them, so such a file takes the text path
    if flyttal and not df.select(pl.all_horizontal(pl.col(flyttal).is_finite() | pl.col(flyttal).is_null()).all()).item():
        return None
    return df


def _kontrollera_extra_falt(data: bytes, sep: str, rubrikrad: int) -> None:
    """Raise LasFel naming the first row whose fields beyond the header are not empty."""
    rader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace")), delimiter=sep)
    rubriker = len(next(rader, []))
    for nr, rad in enumerate(rader, start=rubrikrad + 2):
        if len(rad) > rubriker and any(f.strip() for f in rad[rubriker:]):
            decimal = " Kommatecken som decimaltecken i en kommaseparerad fil måste stå inom citattecken." if sep == "," else ""
            raise LasFel(f"Rad {nr} har {len(rad)} fält men rubrikraden har {rubriker} (överskott: {sep.join(rad[rubriker:])!r}).{decimal}")


def _las_xlsx(sokvag: Path, karta: dict[str, str]) -> tuple[pl.DataFrame, int]:
    try:
        # Empty rows are kept so that row numbers match the sheet; they are dropped after numbering.
        # the bytes, not the path: a workbook may carry another extension (judged from its content by etl/format.py)
        ark = pl.read_excel(io.BytesIO(sokvag.read_bytes()), sheet_id=1, infer_schema_length=0, has_header=False, drop_empty_rows=False)
    except Exception as fel:  # calamine raises several error types for damaged workbooks
        raise LasFel(f"Excelfilen kunde inte läsas ({fel.__class__.__name__}).") from fel
    if ark.height == 0:
        raise LasFel("Filen är tom.")
    forsta = ark.head(FORSOKSRADER).rows()
    traffar = [_traffar(list(r), karta) for r in forsta]
    rubrikrad = traffar.index(max(traffar)) if max(traffar) >= 2 else 0
    namn: list[str] = []
    for j, cell in enumerate(forsta[rubrikrad]):
        text = str(cell).strip() if cell is not None and str(cell).strip() else f"__UNNAMED__{j}"
        namn.append(text if text not in namn else f"{text}__{j}")
    return ark.slice(rubrikrad + 1).rename(dict(zip(ark.columns, namn))), _forsta_anvanda_rad(sokvag) + rubrikrad + 1


def _forsta_anvanda_rad(sokvag: Path) -> int:
    """The sheet row (1-based) of calamine's first row: it skips blank rows above the first filled cell."""
    # Reports quote row numbers as Excel shows them; openpyxl (read-only, first rows only) sees where the sheet starts.
    try:
        from openpyxl import load_workbook

        with sokvag.open("rb") as fil:
            bok = load_workbook(fil, read_only=True, data_only=True)
            try:
                for nr, rad in enumerate(bok.worksheets[0].iter_rows(max_row=1000, values_only=True), start=1):
                    if any(v is not None for v in rad):
                        return nr
            finally:
                bok.close()
    except Exception:  # a workbook calamine reads but openpyxl does not: keep calamine's numbering
        pass
    return 1


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


def las(sokvag: Path, kalla: Kalla, typad: bool = False, format_: filformat.Format | None = None) -> RaFil:
    """Read one raw file into columns named by internal names (text, or with `typad` numbers where the reader can); unknown columns are listed and dropped.

    The format is judged from the bytes (`format_`, else sniffed here), not the name: a workbook named .csv is read
    as Excel and a text file named .xlsx as CSV, with a remark saying so.
    """
    karta = _rubrikkarta(kalla)
    typer = {k.namn: TYPADE[k.typ] for k in kalla.kolumner if k.typ in TYPADE} if typad else {}
    lastes_typad = False
    format_ = format_ or filformat.kanna_igen(sokvag)
    if format_.orsak:
        raise LasFel(format_.orsak)
    andelse = sokvag.suffix.lower()
    anmarkningar: tuple[str, ...] = ()
    if format_.typ == filformat.XLSX:
        if andelse not in EXCELTYPER:
            anmarkningar = (f"filen är en Excel-arbetsbok men heter {sokvag.suffix or '(utan filändelse)'} – den lästes som Excel",)
        (df, forsta_rad), kodning, sep = _las_xlsx(sokvag, karta), None, None
    elif andelse in FILTYPER or andelse in EXCELTYPER:
        if andelse in EXCELTYPER:
            anmarkningar = (f"filen är text (CSV) men heter {sokvag.suffix} – den lästes som CSV",)
        df, forsta_rad, kodning, sep, lastes_typad = _las_csv(sokvag, karta, typer)
    else:
        raise LasFel(f"Filformatet {sokvag.suffix or '(utan filändelse)'} stöds inte – spara filen som .csv eller .xlsx.")
    if df.width == 0:
        raise LasFel("Filen saknar kolumnrubriker.")

    namn: dict[str, str] = {}
    okanda: list[str] = []
    for rubrik in df.columns:
        internt = karta.get(normalisera_rubrik(rubrik))
        if internt is None:
            if rubrik.strip() and not rubrik.startswith("__UNNAMED__"):
                okanda.append(re.sub(r"_duplicated_\d+$", "", rubrik.strip()))  # polars' suffix for a repeated header
            continue
        if internt in namn.values():
            raise LasFel(f"Kolumnen {kalla.rubrik(internt)} förekommer flera gånger i rubrikraden.")
        namn[rubrik] = internt
    if not namn:
        # no known header at all: a file without its header row (its first data row was taken as headers) or another export
        forvantade = ", ".join(k.rubrik for k in kalla.kolumner if not k.valfri)
        raise LasFel(f"Filen saknar en rubrikrad med kända kolumnnamn – första raden ska ha rubrikerna {forvantade}.")

    forsta_kolumn = df.columns[0]
    # Row numbers as a spreadsheet or editor shows them: the header is row forsta_rad - 1.
    df = df.with_row_index("_rad", offset=forsta_rad).with_columns(pl.col("_rad").cast(pl.Int64))
    summarader = _summarader(df, forsta_kolumn, namn, kalla)
    schema = df.schema  # DataFrame.schema is rebuilt on every access
    data = (
        df.select(["_rad", *namn])
        .rename(namn)
        .with_columns(pl.col(c).cast(pl.String) for r, c in namn.items() if not (lastes_typad and schema[r] in (pl.Float64, pl.Int64)))
    )
    bort = summarader + _tomma_rader(data)
    if bort:  # filtering copies every column, so only when there is something to drop
        data = data.filter(~pl.col("_rad").is_in(bort))
    return RaFil(data, okanda, summarader, kodning, sep, lastes_typad, anmarkningar)


def _tomma_rader(data: pl.DataFrame) -> list[int]:
    """Rows with no visible character in any field (spreadsheets leave such rows behind)."""
    kolumner = [c for c in data.columns if c != "_rad"]
    if not kolumner:
        return []
    schema = data.schema
    typade = [c for c in kolumner if schema[c] != pl.String]
    if typade and data.select(pl.any_horizontal(pl.col(typade).is_not_null()).all()).item():
        return []  # a number in every row (a typed read has no blank-but-not-null numbers), so no row is empty
    synlig = [pl.col(c).str.contains(r"\S").fill_null(False) if schema[c] == pl.String else pl.col(c).is_not_null() for c in kolumner]
    # Only rows whose first field is blank can be empty, so the full check runs on those few (usually none:
    # then no column is copied).
    blank_forsta = data.select(~synlig[0]).to_series()
    if not blank_forsta.any():
        return []
    return data.filter(blank_forsta).filter(~pl.any_horizontal(synlig))["_rad"].to_list()


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
