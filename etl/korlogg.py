"""Run-log rows of rejected deliveries, kept beside the quarantine until the next run commits them into the lake.

A delivery through the app that the ETL rejects must leave the lake exactly as it was (etl.leverera), so its rows
for etl_korningar, etl_filer and etl_valideringar cannot be committed at once. They wait here, one JSON file per run
(`<karantän>/_korlogg/<korning_id>.json`), are committed by the next run under their own run id, and are read in the
meantime by the pages through `vantande_ramar`, shaped exactly as the lake's tables.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import polars as pl

from etl.logg import LOGG
from lake.schema import TABLES

MAPP = "_korlogg"
TABELLER = ("etl_korningar", "etl_filer", "etl_valideringar")


def _json(v):
    return v.isoformat() if isinstance(v, date | datetime) else v


def spara_vantande(karantan: Path, korning_id: str, tabeller: dict[str, list[dict]]) -> Path:
    """Write one rejected delivery's run-log rows (already redacted) atomically; returns the file."""
    mapp = Path(karantan) / MAPP
    mapp.mkdir(parents=True, exist_ok=True)
    fil = mapp / f"{korning_id}.json"
    tmp = fil.with_name(fil.name + ".tmp")
    innehall = {t: [{k: _json(v) for k, v in rad.items()} for rad in tabeller.get(t, [])] for t in TABELLER}
    tmp.write_text(json.dumps(innehall, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, fil)
    return fil


def _typad(tabell: str, rad: dict) -> dict:
    ut = {}
    for kolumn, typ in TABLES[tabell].columns.items():
        v = rad.get(kolumn)
        if isinstance(v, str) and typ == "TIMESTAMP":
            v = datetime.fromisoformat(v)
        ut[kolumn] = v
    return ut


def las_vantande(karantan: Path | str) -> list[tuple[Path, dict[str, list[dict]]]]:
    """Every waiting record in run-id order: (its file, table → rows with the lake's columns); unreadable files are skipped."""
    mapp = Path(karantan) / MAPP
    if not mapp.is_dir():
        return []
    ut = []
    for fil in sorted(mapp.glob("*.json")):
        try:
            innehall = json.loads(fil.read_text(encoding="utf-8"))
            ut.append((fil, {t: [_typad(t, r) for r in innehall.get(t, [])] for t in TABELLER}))
        except (OSError, ValueError, TypeError, AttributeError):
            LOGG.exception("Väntande körlogg %s kunde inte läsas och hoppades över", fil)
    return ut


def vantande_ramar(karantan: Path | str) -> dict[str, pl.DataFrame]:
    """The waiting rows as frames with the lake's columns and types (empty frames when nothing waits)."""
    from etl.skriva import schema

    rader: dict[str, list[dict]] = {t: [] for t in TABELLER}
    for _, tabeller in las_vantande(karantan):
        for t, r in tabeller.items():
            rader[t].extend(r)
    return {t: pl.DataFrame(r, schema=schema(t)) if r else pl.DataFrame(schema=schema(t)) for t, r in rader.items()}
