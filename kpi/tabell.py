"""Tables for people and for downloads, from one column declaration: the screen shows text, a download the same numbers.

A page declares its columns once (`Kolumn`: source column, Swedish header, the indicator's `Visning` for numbers);
`visningsram` gives the Swedish text the page shows and `exportram` the download: the header carries the unit
('Intäkter (mnkr)'), each cell holds the number rounded as displayed, stored as a number. `csv_bytes` and `xlsx_bytes`
write every CSV and Excel file the product hands out (pages and `python -m kpi`), with formula cells neutralised."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from kpi.catalogue import CATALOGUE
from kpi.format import Visning, manad
from sakerhet import neutralisera_csv


@dataclass(frozen=True)
class Kolumn:
    """One column of a page table: where it comes from, its Swedish header and, for numbers, how they read."""

    kalla: str
    rubrik: str
    visning: Visning | None = None  # None: text (names, periods, reasons)

    @property
    def export_rubrik(self) -> str:
        """The download's header: with the display unit for numbers ('Budget (tkr)')."""
        return self.visning.rubrik(self.rubrik) if self.visning else self.rubrik


def indikatorkolumn(indikator_id: str, kalla: str = "varde", rubrik: str | None = None) -> Kolumn:
    """A column holding one catalogue indicator's values, headed by its name (or `rubrik`)."""
    ind = CATALOGUE[indikator_id]
    return Kolumn(kalla, rubrik or ind.namn, ind.visning)


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return f"{v:%Y-%m-%d %H:%M}"
    if isinstance(v, date):
        return manad(v, kort=True)
    return str(v)


def visningsram(df: pl.DataFrame, kolumner: list[Kolumn]) -> pl.DataFrame:
    """What the page shows: every column as Swedish text under its header ('1 150', '6,5 %', '−276 tkr', 'mar 2026')."""
    serier = []
    for k in kolumner:
        varden = df[k.kalla].to_list() if k.kalla in df.columns else [None] * df.height
        texter = [k.visning.text(v, tom="") if k.visning else _text(v) for v in varden]
        serier.append(pl.Series(k.rubrik, texter, dtype=pl.Utf8))
    return pl.DataFrame(serier) if serier else pl.DataFrame()


def exportram(df: pl.DataFrame, kolumner: list[Kolumn]) -> pl.DataFrame:
    """What a download holds: headers with units, numbers rounded as displayed and stored as numbers, text as text."""
    serier = []
    for k in kolumner:
        varden = df[k.kalla].to_list() if k.kalla in df.columns else [None] * df.height
        if k.visning:
            serier.append(pl.Series(k.export_rubrik, [k.visning.tal(None if v is None else float(v)) for v in varden], dtype=pl.Float64))
        elif varden and all(v is None or isinstance(v, (date, datetime)) for v in varden) and any(varden):
            serier.append(pl.Series(k.export_rubrik, varden))
        else:
            serier.append(pl.Series(k.export_rubrik, [None if v is None else _text(v) for v in varden], dtype=pl.Utf8))
    return pl.DataFrame(serier) if serier else pl.DataFrame()


def csv_bytes(df: pl.DataFrame) -> bytes:
    """CSV as Swedish Excel opens it (semicolon, decimal comma, UTF-8 with BOM); cells that would run as formulas neutralised."""
    return "\ufeff".encode() + neutralisera_csv(df).write_csv(separator=";", decimal_comma=True).encode("utf-8")


_BLAD_FORBJUDNA = re.compile(r"[:\\/?*\[\]]")


def bladnamn(titel: str, upptagna: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name: no : \\ / ? * [ ], no apostrophe at the ends, at most 31 characters."""
    namn = _BLAD_FORBJUDNA.sub(" ", titel)
    namn = re.sub(r"\s+", " ", namn).strip().strip("'").strip() or "Data"
    if namn.lower() == "history":  # reserved by Excel
        namn = "Data history"
    namn = namn[:31].rstrip()
    upptagna = {u.lower() for u in (upptagna or set())}
    bas, n = namn, 2
    while namn.lower() in upptagna:
        tillagg = f" ({n})"
        namn = bas[: 31 - len(tillagg)].rstrip() + tillagg
        n += 1
    return namn


def xlsx_bytes(blad: dict[str, pl.DataFrame] | pl.DataFrame, titel: str = "Data") -> bytes:
    """An Excel workbook: one sheet per frame, sheet names made safe; numbers stay numbers, text is never a formula."""
    if isinstance(blad, pl.DataFrame):
        blad = {titel: blad}
    buf = io.BytesIO()
    import xlsxwriter

    # strings_to_formulas off: a name such as '=HYPERLINK(…)' is stored as text, never run by Excel.
    with xlsxwriter.Workbook(buf, {"strings_to_formulas": False, "strings_to_urls": False}) as bok:
        anvanda: set[str] = set()
        for namn, df in blad.items():
            bladets_namn = bladnamn(namn, anvanda)
            anvanda.add(bladets_namn)
            df.write_excel(bok, worksheet=bladets_namn, autofit=True)
    return buf.getvalue()


def resultatram(resultat: list, forra: dict | None = None) -> pl.DataFrame:
    """Indicator results for a download: one row each, numbers as displayed in each row's own unit (named in 'Enhet')."""
    from kpi.format import STATUS_ORD

    rader = []
    for r in resultat:
        f = (forra or {}).get(r.id)
        rad = {
            "Indikator": r.namn,
            "Periodens utfall": r.visning.tal(r.varde),
            "Årsmål": r.visning.tal(r.mal),
            "KF:s årsmål": r.visning.tal(r.kf_mal),
            "Enhet": r.visning.enhet,
            "Period": r.period,
            "Bedömning": STATUS_ORD.get(r.status, r.status),
            "Kommentar": "; ".join(t for t in (r.orsak, r.anmarkning) if t),
        }
        if forra is not None:
            rad["Jämförelse"] = None if f is None else r.visning.tal(f.varde)
            rad["Jämförelseperiod"] = None if f is None else f.period
        rader.append(rad)
    schema = {
        "Indikator": pl.Utf8, "Periodens utfall": pl.Float64, "Årsmål": pl.Float64, "KF:s årsmål": pl.Float64, "Enhet": pl.Utf8,
        "Period": pl.Utf8, "Bedömning": pl.Utf8, "Kommentar": pl.Utf8,
    }  # fmt: skip
    if forra is not None:
        schema |= {"Jämförelse": pl.Float64, "Jämförelseperiod": pl.Utf8}
    return pl.DataFrame(rader, schema=schema, orient="row")


def seriekolumner(indikator_id: str, grupp: str | None = None, rubrik: str | None = None) -> list[Kolumn]:
    """The columns of a kpi.series frame for a download: period, the group (when grouped), the value and why it is missing."""
    kolumner = [Kolumn("period", "Period")]
    if grupp:
        kolumner.append(Kolumn("grupp", grupp))
    return [*kolumner, indikatorkolumn(indikator_id, rubrik=rubrik), Kolumn("orsak", "Anmärkning")]
