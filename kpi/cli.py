"""What the command-line tools share: open the lake named on the command line and check the units asked for."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

import lake
from kpi.dimensioner import enheter


def oppna_lake(parser: argparse.ArgumentParser, parquet: str | None, units: list[str] | None) -> duckdb.DuckDBPyConnection:
    """Connect to the Parquet root (exit 2 when a local root is missing) and reject unknown units (exit 2)."""
    root = lake.parquet_root(parquet)
    if not lake.is_remote(root) and not Path(root).is_dir():
        parser.error(f"Hittar ingen Parquet-katalog: {root} (kör först python -m etl eller ange --parquet)")
    con = lake.connect(root)
    if units:
        kanda = enheter(con)
        okanda = [u for u in units if u not in kanda]
        if okanda:
            parser.error(f"Okänd enhet: {', '.join(okanda)}. Enheter i data: {', '.join(kanda) or 'inga'}")
    return con
