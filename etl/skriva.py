"""Atomic Parquet writes: frames shaped to lake/schema.py, one file per partition, run-log tables."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import polars as pl

from lake.schema import MARTS, TABLES

POLARS_TYP = {
    "DATE": pl.Date,
    "VARCHAR": pl.String,
    "BIGINT": pl.Int64,
    "DOUBLE": pl.Float64,
    "INTEGER": pl.Int32,
    "TIME": pl.Time,
    "TIMESTAMP": pl.Datetime("us"),
    "BOOLEAN": pl.Boolean,
}


def schema(tabell: str) -> dict[str, pl.DataType]:
    """Polars dtypes for a table's contract."""
    return {c: POLARS_TYP[t] for c, t in TABLES[tabell].columns.items()}


def enligt_kontrakt(df: pl.DataFrame, tabell: str) -> pl.DataFrame:
    """Exactly the contract's columns, in order, with its types."""
    return df.select(pl.col(c).cast(t) for c, t in schema(tabell).items())


def partitionsnamn(varde: object) -> str:
    """Partition file stem: '2024-03' for a month, '2024' for a year, the run id for run-log tables."""
    return f"{varde:%Y-%m}" if isinstance(varde, date) else str(varde)


def skriv_tillfalligt(filer: dict[Path, pl.DataFrame], markering: str = "") -> list[tuple[Path, Path]]:
    """Write every frame beside its target as <name>.parquet[.<markering>].tmp; the (tmp, target) pairs, none visible yet."""
    tillfalliga: list[tuple[Path, Path]] = []
    try:
        for mal, df in filer.items():
            mal.parent.mkdir(parents=True, exist_ok=True)
            tmp = mal.with_name(f"{mal.name}.{markering}.tmp" if markering else f"{mal.name}.tmp")
            # zstd level 1: measured faster than the default level and no larger on the call log
            df.write_parquet(tmp, statistics=True, compression="zstd", compression_level=1)
            tillfalliga.append((tmp, mal))
    except BaseException:
        for tmp, _ in tillfalliga:
            tmp.unlink(missing_ok=True)
        raise
    return tillfalliga


def flytta_pa_plats(tillfalliga: list[tuple[Path, Path]]) -> None:
    """Rename written tmp files onto their targets (each rename is atomic; readers see old or new, never half)."""
    for tmp, mal in tillfalliga:
        os.replace(tmp, mal)


def skriv_atomart(filer: dict[Path, pl.DataFrame]) -> None:
    """Write every frame to a tmp file first, then rename all into place (no half-written file is ever visible)."""
    flytta_pa_plats(skriv_tillfalligt(filer))


def partitioner(root: Path, tabell: str, df: pl.DataFrame, nyckel: tuple[str, ...]) -> dict[Path, pl.DataFrame]:
    """Split a table frame into its partition files (rows sorted by the natural key so output is deterministic)."""
    df = enligt_kontrakt(df, tabell)
    kolumn = TABLES[tabell].partition
    ut: dict[Path, pl.DataFrame] = {}
    # A monthly export is one partition: splitting would copy every column for nothing.
    delar = {(df[kolumn][0],): df} if df[kolumn].n_unique() == 1 else df.partition_by(kolumn, as_dict=True, maintain_order=True)
    for (varde,), del_ in delar.items():
        # Sorting makes output independent of row order; a call log already in time order skips the cost.
        redan_sorterad = del_.height > 10_000 and del_[nyckel[0]].is_sorted()
        ut[root / tabell / f"{partitionsnamn(varde)}.parquet"] = del_ if redan_sorterad else del_.sort(list(nyckel), nulls_last=True)
    return dict(sorted(ut.items()))


def las_tabell(root: Path, tabell: str) -> pl.DataFrame:
    """All partition files of a local table (empty frame with the contract's schema when there are none)."""
    filer = sorted((root / tabell).glob("*.parquet"))
    if not filer:
        return pl.DataFrame(schema=schema(tabell))
    return pl.concat([enligt_kontrakt(pl.read_parquet(f), tabell) for f in filer], how="vertical")


def marter(root: Path, tabell: str, df: pl.DataFrame) -> dict[Path, pl.DataFrame]:
    """Partition files of every mart built from `tabell` (lake.schema.MARTS), computed from the table's rows."""
    ut: dict[Path, pl.DataFrame] = {}
    for mart, (kalla, sql) in MARTS.items():
        if kalla != tabell:
            continue
        # polars runs the same SQL DuckDB runs for a lake without marts, on the frame in hand (no Arrow copy, no connection)
        aggregat = pl.SQLContext(d=enligt_kontrakt(df, tabell)).execute(sql, eager=True)
        ut.update(partitioner(root, mart, aggregat, tuple(TABLES[mart].columns)[:4]))
    return ut
