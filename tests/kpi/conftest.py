"""A tiny hand-made Parquet lake (written per lake/schema.py) with figures simple enough to compute by hand."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import polars as pl
import pytest

import lake
from lake.schema import TABLES

_POLARS = {
    "DATE": pl.Date,
    "VARCHAR": pl.String,
    "BIGINT": pl.Int64,
    "DOUBLE": pl.Float64,
    "INTEGER": pl.Int32,
    "BOOLEAN": pl.Boolean,
    "TIMESTAMP": pl.Datetime("us"),
    "TIME": pl.Time,
}

A, B, C = "Enhet A", "Enhet B", "Enhet C"
MASK, MAN = "Lönespecifikation maskinell", "Lönespecifikation manuell"
LA, PH = "Löneadministratör", "Pensionshandläggare"


def write_table(root: Path, name: str, rows: list[dict]) -> None:
    """Write rows as one Parquet file of table `name`, columns and types exactly as lake/schema.py."""
    cols = TABLES[name].columns
    schema = {c: _POLARS[t] for c, t in cols.items()}
    df = pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], schema=schema, orient="row")
    (root / name).mkdir(parents=True, exist_ok=True)
    df.write_parquet(root / name / "fixture.parquet")


def m(y: int, mo: int) -> date:
    return date(y, mo, 1)


def _volymer():
    rows = [
        (m(2024, 12), A, "F1", MASK, 700),
        (m(2025, 1), A, "F1", MASK, 600),
        (m(2025, 1), A, "F1", MAN, 300),
        (m(2025, 1), A, "F2", MASK, 100),
        (m(2025, 1), B, "F1", MAN, 200),
        (m(2025, 1), A, "F1", "Pensionsärende", 80),
        (m(2025, 1), A, "F1", "Försäkringsärende", 20),
        (m(2025, 1), A, "F1", "Anställningsunderlag", 500),
        (m(2025, 2), A, "F1", MASK, 900),
        (m(2025, 2), B, "F1", MAN, 100),
        (m(2025, 2), A, "F1", "Pensionsärende", 60),
        (m(2025, 4), A, "F1", MASK, 400),
        (m(2025, 5), A, "F1", MASK, 1000),
    ]
    return [dict(zip(["manad", "enhet", "forvaltning", "kategori", "antal"], r)) for r in rows]


def _bemanning():
    rows = [
        (m(2024, 12), A, LA, 1.0, 1),
        (m(2025, 1), A, LA, 1.0, 1),
        (m(2025, 1), B, LA, 0.5, 1),
        (m(2025, 1), A, PH, 0.5, 1),
        (m(2025, 1), A, "Enhetschef", 1.0, 1),
        (m(2025, 2), A, LA, 2.0, 2),
        (m(2025, 2), B, LA, 0.5, 1),
        (m(2025, 2), A, PH, 1.0, 1),
        (m(2025, 4), A, LA, 1.0, 1),
        (m(2025, 5), A, LA, 1.0, 1),
    ]
    return [dict(zip(["manad", "enhet", "roll", "arsarbetare", "anstallda"], r)) for r in rows]


def _telefoni():
    cols = [
        "datum",
        "intervall_start",
        "ko",
        "inkommande",
        "besvarade",
        "besvarade_inom_25s",
        "avbrutna",
        "avbrutna_inom_5s",
        "total_vantetid_s",
        "total_samtalstid_s",
        "total_efterarbetstid_s",
    ]
    rows = [
        (date(2025, 1, 10), time(8, 0), "Löneservice", 100, 90, 80, 10, 4, 1800.0, 18000.0, 4500.0),
        (date(2025, 1, 10), time(8, 15), "Löneservice", 10, 5, 1, 5, 1, 500.0, 1000.0, 500.0),
        (date(2025, 2, 3), time(8, 0), "Pension", 50, 50, 45, 0, 0, 400.0, 9000.0, 1000.0),
    ]
    out = []
    for r in rows:
        d = dict(zip(cols, r))
        d["manad"] = m(d["datum"].year, d["datum"].month)
        d["intervall_slut"] = time(d["intervall_start"].hour, d["intervall_start"].minute + 15)
        d["langsta_vantetid_s"] = 60.0
        out.append(d)
    return out


def _samtal():
    rows = [
        (1, "Löneservice", 10.0, True),
        (2, "Löneservice", 30.0, True),
        (3, "Löneservice", 3.0, False),
        (4, "Pension", 50.0, True),
        (5, "Löneservice", 25.0, True),
    ]
    return [
        {
            "starttid": datetime(2025, 1, 10, 8, minute),
            "manad": m(2025, 1),
            "ko": ko,
            "vantetid_s": wait,
            "samtalstid_s": 100.0 if ok else None,
            "efterarbete_s": 20.0 if ok else None,
            "besvarad": ok,
        }
        for minute, ko, wait, ok in rows
    ]


def _sjukfranvaro():
    rows = [
        (m(2024, 1), A, 10, 1000.0, 100.0, 100.0),
        (m(2024, 2), A, 10, 1000.0, 20.0, 30.0),
        (m(2024, 12), A, 10, 1000.0, 10.0, 0.0),
        (m(2025, 1), A, 10, 1600.0, 40.0, 40.0),
        (m(2025, 1), B, 6, 1000.0, 30.0, 20.0),
        (m(2025, 2), A, 10, 1500.0, 15.0, 0.0),
        (m(2025, 2), C, 3, 500.0, 50.0, 0.0),
    ]
    return [dict(zip(["manad", "enhet", "anstallda", "ordinarie_arbetstid_h", "sjuk_dag1_14_h", "sjuk_dag15_h"], r)) for r in rows]


def _ekonomi():
    # Revenue is positive with typ='intakt' (the ETL flips Agresso's negative revenue).
    rows = [
        (m(2024, 12), A, "Försäljning av tjänster", "intakt", 50000.0, 50000.0),
        (m(2025, 1), A, "Försäljning av tjänster", "intakt", 100000.0, 110000.0),
        (m(2025, 1), A, "Personalkostnader", "kostnad", 80000.0, 90000.0),
        (m(2025, 1), B, "Personalkostnader", "kostnad", 20000.0, 20000.0),
        (m(2025, 2), A, "Försäljning av tjänster", "intakt", 100000.0, 95000.0),
        (m(2025, 2), A, "Personalkostnader", "kostnad", 80000.0, 70000.0),
        (m(2025, 5), A, "Lokalkostnader", "kostnad", 10000.0, 12000.0),
    ]
    return [dict(zip(["manad", "ansvar", "kontogrupp", "typ", "budget_kr", "utfall_kr"], r)) for r in rows]


def _prognos():
    rows = [
        (m(2024, 12), A, "Försäljning av tjänster", "intakt", 999.0),
        (m(2025, 1), A, "Försäljning av tjänster", "intakt", 1_200_000.0),
        (m(2025, 1), A, "Personalkostnader", "kostnad", 1_000_000.0),
        (m(2025, 1), B, "Personalkostnader", "kostnad", 250_000.0),
        (m(2025, 2), A, "Försäljning av tjänster", "intakt", 1_150_000.0),
        (m(2025, 2), A, "Personalkostnader", "kostnad", 1_000_000.0),
    ]
    return [dict(zip(["prognosmanad", "ansvar", "kontogrupp", "typ", "helarsprognos_kr"], r)) for r in rows]


def _mal():
    rows = [
        (2025, "loner_per_arsarbetare", None, 600.0, None),
        (2025, "loner_per_arsarbetare", A, 575.0, None),
        (2025, "loner_per_arsarbetare", B, 500.0, None),
        (2025, "servicegrad", None, 85.0, 80.0),
        (2025, "sjukfranvaro_12m", None, 4.5, 4.0),
        (2025, "resultat", None, 0.0, None),
        (2025, "nki", None, 67.0, None),
        (2025, "andel_maskinell", None, 70.0, None),
        (2025, "kostnad_per_lonespec", None, 66.0, None),
    ]
    return [dict(zip(["ar", "indikator", "enhet", "arsmal", "kf_arsmal"], r)) for r in rows]


def _indikatorer():
    rows = [
        ("nki", "2025", "ar", date(2025, 1, 1), date(2025, 12, 31), None, 70.0),
        ("nki", "2025", "ar", date(2025, 1, 1), date(2025, 12, 31), A, 72.0),
        ("forsta_kontakt_losning", "2025-T1", "tertial", date(2025, 1, 1), date(2025, 4, 30), None, 82.0),
        ("forsta_kontakt_losning", "2025-T2", "tertial", date(2025, 5, 1), date(2025, 8, 1), None, 88.0),
        ("epost_inom_1_dag", "2025-03", "manad", date(2025, 3, 1), date(2025, 3, 31), None, 93.0),
        ("ami", "2024", "ar", date(2024, 1, 1), date(2024, 12, 31), None, 85.0),
    ]
    cols = ["indikator", "period", "period_typ", "period_start", "period_slut", "enhet", "utfall"]
    return [dict(zip(cols, r), ar=r[3].year) for r in rows]


FIXTURE_TABLES = {
    "volymer": _volymer,
    "bemanning": _bemanning,
    "telefoni": _telefoni,
    "samtal": _samtal,
    "sjukfranvaro": _sjukfranvaro,
    "ekonomi": _ekonomi,
    "prognos": _prognos,
    "mal": _mal,
    "indikatorer": _indikatorer,
}


@pytest.fixture(scope="session")
def kpi_lake(tmp_path_factory) -> Path:
    """Root folder of the hand-made lake."""
    root = tmp_path_factory.mktemp("kpi_lake")
    for name, rows in FIXTURE_TABLES.items():
        write_table(root, name, rows())
    return root


@pytest.fixture(scope="session")
def con(kpi_lake):
    """A DuckDB connection over the hand-made lake."""
    return lake.connect(kpi_lake)
