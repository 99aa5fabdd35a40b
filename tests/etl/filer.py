"""Test fixtures as code: canonical rows per source and writers that render them the ways real exports vary."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from etl.kallor import KALLOR

M = date(2024, 3, 1)

# One small, valid delivery per source: {Swedish header: python value}. Values exercise thousands, decimals, durations.
KANON: dict[str, list[dict]] = {
    "volymer": [
        {"Månad": M, "Enhet": "Löneenhet Nord", "Förvaltning": "Utbildningsförvaltningen", "Kategori": "Lönespecifikation maskinell", "Antal": 12345},
        {"Månad": M, "Enhet": "Löneenhet Nord", "Förvaltning": "Utbildningsförvaltningen", "Kategori": "Lönespecifikation manuell", "Antal": 4321},
        {"Månad": M, "Enhet": "Pensionsenheten", "Förvaltning": "Kulturförvaltningen", "Kategori": "Pensionsärende", "Antal": 180},
    ],
    "bemanning": [
        {"Månad": M, "Enhet": "Löneenhet Nord", "Roll": "Löneadministratör", "Årsarbetare": 450.25, "Anställda": 1200},
        {"Månad": M, "Enhet": "Pensionsenheten", "Roll": "Pensionshandläggare", "Årsarbetare": 4.75, "Anställda": 5},
    ],
    "telefoni": [
        {
            "Datum": date(2024, 3, 15),
            "Intervall": "08:00-08:15",
            "Kö": "Löneservice",
            "Inkommande": 1250,
            "Besvarade": 1200,
            "Besvarade inom 25 s": 1100,
            "Avbrutna": 50,
            "Total väntetid": 4000,
            "Längsta väntetid": 143,
            "Total samtalstid": 3725,
            "Total efterarbetstid": 600,
        },
        {
            "Datum": date(2024, 3, 15),
            "Intervall": "08:15-08:30",
            "Kö": "Pension",
            "Inkommande": 3,
            "Besvarade": 2,
            "Besvarade inom 25 s": 2,
            "Avbrutna": 1,
            "Total väntetid": 20,
            "Längsta väntetid": 12,
            "Total samtalstid": 400,
            "Total efterarbetstid": 95,
        },
    ],
    "samtal": [
        {
            "Starttid": datetime(2024, 3, 15, 8, 3, 12),
            "Kö": "Löneservice",
            "Väntetid": 143,
            "Samtalstid": 3725,
            "Efterarbete": 60,
            "Utfall": "Besvarad",
        },
        {"Starttid": datetime(2024, 3, 15, 8, 4, 0), "Kö": "Pension", "Väntetid": 31, "Samtalstid": 0, "Efterarbete": 0, "Utfall": "Avbruten"},
    ],
    "sjukfranvaro": [
        {
            "Månad": M,
            "Enhet": "Löneenhet Nord",
            "Anställda": 34,
            "Ordinarie arbetstid": 5544.5,
            "Sjukfrånvaro dag 1-14": 108.8,
            "Sjukfrånvaro dag 15-": 1159.6,
        },
        {
            "Månad": M,
            "Enhet": "Pensionsenheten",
            "Anställda": 7,
            "Ordinarie arbetstid": 1072,
            "Sjukfrånvaro dag 1-14": 7.2,
            "Sjukfrånvaro dag 15-": 0,
        },
    ],
    "ekonomi": [
        {
            "Period": M,
            "Ansvar": "Löneenhet Nord",
            "Kontogrupp": "Försäljning av tjänster",
            "Kontotyp": "Intäkt",
            "Budget": -2302100.0,
            "Utfall": -2176550.93,
        },
        {
            "Period": M,
            "Ansvar": "Löneenhet Nord",
            "Kontogrupp": "Personalkostnader",
            "Kontotyp": "Kostnad",
            "Budget": 1422800.0,
            "Utfall": 1353463.41,
        },
    ],
    "prognos": [
        {"Prognosmånad": date(2024, 8, 1), "Ansvar": "Löneenhet Nord", "Kontogrupp": "Försäljning av tjänster", "Helårsprognos": -26235000.5},
        {"Prognosmånad": date(2024, 8, 1), "Ansvar": "Löneenhet Nord", "Kontogrupp": "Lokalkostnader", "Helårsprognos": 1851000.0},
    ],
    "mal": [
        {"Indikator": "loner_per_arsarbetare", "År": 2024, "Årsmål": 1150, "KF:s årsmål": 1100.5, "Enhet": None},
        {"Indikator": "sjukfranvaro", "År": 2024, "Årsmål": 6.5, "KF:s årsmål": None, "Enhet": "Löneenhet Nord"},
    ],
    "indikatorer": [
        {"Indikator": "nki", "Period": "2024", "Utfall": 70.5, "Enhet": None},
        {"Indikator": "forsta_kontakt_losning", "Period": "2024-T2", "Utfall": 83, "Enhet": None},
        {"Indikator": "ami", "Period": "2024-05", "Utfall": 85, "Enhet": "Pensionsenheten"},
    ],
}


@dataclass(frozen=True)
class Variant:
    """How an export renders values: encoding, separator, number, month and duration formats, header style."""

    namn: str
    kodning: str = "utf-8"  # 'utf-8' | 'utf-8-sig' | 'cp1252'
    sep: str = ","
    decimal: str = "."
    tusental: str = ""
    manad: str = "%Y-%m"  # '%Y-%m' | '%Y%m' | '%Y-%m-%d'
    tid: str = "s"  # 's' | 'mm:ss' | 'hh:mm:ss'
    rubriker: str = "som"  # 'som' | 'versaler' | 'omvand' (reversed order, padded, lower case)
    xlsx: bool = False


VARIANTER = [
    Variant("utf8_komma"),
    Variant("bom_semikolon_decimalkomma", "utf-8-sig", ";", ",", "", "%Y%m", "mm:ss"),
    Variant("cp1252_semikolon_tusental", "cp1252", ";", ",", " ", "%Y-%m-%d", "hh:mm:ss"),
    Variant("tabb_nbsp", "utf-8", "\t", ",", "\u00a0", "%Y%m", "hh:mm:ss", "versaler"),
    Variant("komma_decimalkomma_citat", "utf-8", ",", ",", " ", "%Y-%m-%d", "mm:ss", "omvand"),
    Variant("cp1252_tabb_omvand", "cp1252", "\t", ".", "", "%Y-%m", "s", "omvand"),
    Variant("xlsx", xlsx=True, rubriker="versaler"),
    Variant("xlsx_text", xlsx=True, decimal=",", tusental=" ", manad="%Y%m", tid="mm:ss"),
]


def _tal(v: float, v_: Variant) -> str:
    heltal, _, decimaler = f"{v:.6f}".rstrip("0").rstrip(".").partition(".")
    tecken = "-" if heltal.startswith("-") else ""
    siffror = heltal.lstrip("-")
    grupper = [siffror[max(i - 3, 0) : i] for i in range(len(siffror), 0, -3)][::-1]
    return tecken + v_.tusental.join(grupper) + (v_.decimal + decimaler if decimaler else "")


def _tid(s: float, v_: Variant) -> str:
    s = int(s)
    if v_.tid == "mm:ss":
        return f"{s // 60:02d}:{s % 60:02d}"
    if v_.tid == "hh:mm:ss":
        return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
    return str(s)


def rendera(kalla: str, rubrik: str, varde, v_: Variant) -> str:
    """One cell as text the way this variant's export writes it."""
    if varde is None:
        return ""
    typ = next(k.typ for k in KALLOR[kalla].kolumner if k.rubrik == rubrik)
    if isinstance(varde, str):  # a test's deliberately odd text goes into the file as written
        return varde
    if typ == "manad":
        return varde.strftime(v_.manad)
    if typ == "tid":
        return _tid(varde, v_)
    if typ in {"heltal", "tal"}:
        return _tal(varde, v_)
    if typ == "datum":
        return varde.isoformat()
    if typ == "tidpunkt":
        return varde.strftime("%Y-%m-%d %H:%M:%S")
    return str(varde)


def _rubrik(r: str, v_: Variant) -> str:
    return {"versaler": r.upper(), "omvand": f"  {r.lower()} "}.get(v_.rubriker, r)


def skriv_csv(sokvag: Path, rubriker: list[str], rader: list[list[str]], kodning: str = "utf-8", sep: str = ";") -> Path:
    """Write text rows as a delimited file in the given encoding."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows([rubriker, *rader])
    sokvag.parent.mkdir(parents=True, exist_ok=True)
    sokvag.write_bytes(buf.getvalue().encode(kodning))
    return sokvag


def skriv_variant(mapp: Path, kalla: str, v_: Variant, rader: list[dict] | None = None, namn: str | None = None) -> Path:
    """Render the canonical rows (or `rader`) of a source as one file in variant `v_`."""
    rader = KANON[kalla] if rader is None else rader
    rubriker = list(rader[0])
    if v_.rubriker == "omvand":
        rubriker = rubriker[::-1]
    fil = mapp / kalla / (namn or f"{kalla}_{v_.namn}.{'xlsx' if v_.xlsx else 'csv'}")
    fil.parent.mkdir(parents=True, exist_ok=True)
    if not v_.xlsx:
        text = [[rendera(kalla, r, rad[r], v_) for r in rubriker] for rad in rader]
        return skriv_csv(fil, [_rubrik(r, v_) for r in rubriker], text, v_.kodning, v_.sep)
    bok = xlsxwriter.Workbook(str(fil))
    blad = bok.add_worksheet("Export")
    datumformat = bok.add_format({"num_format": "yyyy-mm-dd"})
    tidformat = bok.add_format({"num_format": "[h]:mm:ss"})
    blad.write_row(0, 0, [_rubrik(r, v_) for r in rubriker])
    for i, rad in enumerate(rader, start=1):
        for j, r in enumerate(rubriker):
            varde = rad[r]
            typ = next(k.typ for k in KALLOR[kalla].kolumner if k.rubrik == r)
            if varde is None:
                continue
            if v_.namn == "xlsx_text":  # everything typed as text, as some exports do
                blad.write_string(i, j, rendera(kalla, r, varde, v_))
            elif typ in {"manad", "datum", "tidpunkt"}:
                blad.write_datetime(i, j, varde if isinstance(varde, datetime) else datetime(varde.year, varde.month, varde.day), datumformat)
            elif typ == "tid":
                blad.write_number(i, j, varde / 86400, tidformat)  # Excel durations are fractions of a day
            elif typ in {"heltal", "tal"}:
                blad.write_number(i, j, varde)
            else:
                blad.write_string(i, j, str(varde))
    bok.close()
    return fil
