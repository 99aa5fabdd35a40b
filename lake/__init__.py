"""DuckDB over the Parquet lake: settings, a connection with one relation per table, and the one query function."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from lake.schema import MARTS, TABLES

DEFAULT_RAW = "data/raw"
DEFAULT_PARQUET = "data/parquet"
DEFAULT_QUARANTINE = "data/quarantine"
# Tables that stay Parquet views (millions of rows); the rest — marts included (≈ 1 M rows for a city's
# ten-year call log, ~50 ms to load) — are loaded into memory by connect().
LARGE_TABLES = frozenset(t.name for t in TABLES.values() if t.stor)


def parquet_root(override: str | os.PathLike | None = None) -> str:
    """The Parquet location: argument, else $VU_PARQUET, else data/parquet. May be an s3:// URI."""
    return str(override or os.environ.get("VU_PARQUET") or DEFAULT_PARQUET).rstrip("/")


def is_remote(root: str) -> bool:
    """True for object-storage URIs (s3://, gs://, https://) that DuckDB reads through httpfs."""
    return "://" in root


def table_glob(root: str, table: str) -> str:
    """Glob for one table's partition files."""
    return f"{root}/{table}/*.parquet"


def _has_files(root: str, table: str) -> bool:
    if is_remote(root):
        return True  # let DuckDB list the bucket; an empty prefix raises on first query
    return any(Path(root, table).glob("*.parquet"))


def _empty_select(table: str) -> str:
    cols = ", ".join(f"CAST(NULL AS {typ}) AS {col}" for col, typ in TABLES[table].columns.items())
    return f"SELECT {cols} WHERE false"


def connect(root: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """Open an in-memory DuckDB: large tables as Parquet views, small ones loaded as tables (empty and typed when a table has no files)."""
    root = parquet_root(root)
    con = duckdb.connect(":memory:")
    if is_remote(root):
        con.execute("INSTALL httpfs; LOAD httpfs;")
    for name, table in TABLES.items():
        if _has_files(root, name):
            cols = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in table.columns.items())
            path = table_glob(root, name).replace("'", "''")
            body = f"SELECT {cols} FROM read_parquet('{path}', union_by_name = true)"
        elif name in MARTS and _has_files(root, MARTS[name][0]):
            # A lake written before the marts existed: aggregate the detail table on the fly (correct, slower).
            body = MARTS[name][1].replace("FROM d", f"FROM {MARTS[name][0]} d")
        else:
            body = _empty_select(name)
        # Small tables are copied into memory once: every query on a view re-opens all monthly files, which
        # cost 10–30 ms per query at city scale (docs/benchmarks.md). The connection is a snapshot of the lake.
        kind = "VIEW" if name in LARGE_TABLES else "TABLE"
        con.execute(f"CREATE OR REPLACE {kind} {name} AS {body}")
    return con


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
    """Run one SQL statement with bound parameters on a fresh cursor (safe across threads) and return polars."""
    cur = con.cursor()
    try:
        return cur.sql(sql, params=params or None).pl()
    finally:
        cur.close()


def dataversion(root: str) -> str:
    """A token that changes whenever the ETL writes: newest Parquet mtime and file count (remote lakes: fixed)."""
    if is_remote(root):
        return "remote"
    senaste, antal = 0, 0
    bas = Path(root)
    if not bas.is_dir():
        return "saknas"
    with os.scandir(bas) as tabeller:
        for tabell in tabeller:
            if not tabell.is_dir():
                continue
            with os.scandir(tabell.path) as filer:
                for f in filer:
                    if f.name.endswith(".parquet"):
                        antal += 1
                        senaste = max(senaste, f.stat().st_mtime_ns)
    return f"{senaste}-{antal}"


@lru_cache(maxsize=2)
def anslutning(root: str, version: str) -> duckdb.DuckDBPyConnection:
    """The one cached connection per lake and data version, shared by pages, APT and reports (queries take own cursors)."""
    return connect(root)
