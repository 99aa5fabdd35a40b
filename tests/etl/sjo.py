"""Reading a test lake through its manifest, as every reader must (partition files carry run ids in their names)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

import lake


def tabell(parquet: Path, namn: str) -> pl.DataFrame:
    """A whole table as the dashboard sees it."""
    return lake.read_table(parquet, namn)


def partition(parquet: Path, namn: str, partition: str) -> pl.DataFrame:
    """One live partition of a table."""
    return pl.read_parquet(lake.partitions(parquet, namn)[partition])


def snapshot(parquet: Path, med_logg: bool = False) -> dict[str, bytes]:
    """Bytes of every live data partition, keyed 'table/partition' (the run log grows by design and is left out)."""
    from lake.schema import TABLES

    return {f"{t}/{p}": Path(f).read_bytes() for t in TABLES if med_logg or not t.startswith("etl_") for p, f in lake.partitions(parquet, t).items()}
