"""DuckDB over the Parquet lake: settings, a connection with one relation per table, and the one query function."""

from __future__ import annotations

import os
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from lake import manifest
from lake.schema import MARTS, TABLES

# query() takes Arrow from a DB-API result on purpose (see there); the rows of a page statement are few, the copy is free.
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)

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


def _manifest_files(con: duckdb.DuckDBPyConnection, root: str) -> dict[str, list[str]] | None:
    """Live files per table from the lake's manifest (lake/manifest.py); None when the lake has none."""
    if is_remote(root):
        uri = manifest.sokvag(root).replace("'", "''")
        try:
            rows = con.sql(f"SELECT tabell, fil FROM read_parquet('{uri}') WHERE borttagen IS NULL ORDER BY tabell, partition").fetchall()
        except duckdb.Error:  # no manifest in the bucket: a lake written by another pipeline, read by globbing
            return None
        files: dict[str, list[str]] = {}
        for table, fil in rows:
            files.setdefault(table, []).append(fil)
        return files
    m = manifest.las(Path(root))
    if m is None:
        return None
    # a file deleted by hand is left out (the next ETL run restores it) rather than failing every query
    return {t: [f for f in fs if Path(root, f).exists()] for t, fs in manifest.aktiva(m).items()}


def _source(root: str, table: str, files: dict[str, list[str]] | None) -> str | None:
    """The read_parquet argument for a table's files, or None when it has none."""
    if files is None:
        return _glob_source(root, table)
    if not files.get(table):
        return None
    return "[" + ", ".join("'" + f"{root}/{f}".replace("'", "''") + "'" for f in files[table]) + "]"


def _glob_source(root: str, table: str) -> str | None:
    if not _has_files(root, table):
        return None
    return "'" + table_glob(root, table).replace("'", "''") + "'"


def _columns(con: duckdb.DuckDBPyConnection, source: str) -> set[str]:
    """Column names present in a table's files (a file list: its last file, since contracts only ever gain columns)."""
    if source.startswith("[") and "', '" in source:
        source = "[" + source[source.rindex("', '") + 3 :]
    return {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet({source}, union_by_name = true)").fetchall()}


def _select(con: duckdb.DuckDBPyConnection, table: str, source: str) -> str:
    """SELECT of a table's contract columns, typed, from its files."""
    present = _columns(con, source) if table not in LARGE_TABLES else set(TABLES[table].columns)
    # a column the contract gained after these files were written (e.g. a run-log column) reads as NULL
    cols = ", ".join(f"CAST({c if c in present else 'NULL'} AS {t}) AS {c}" for c, t in TABLES[table].columns.items())
    return f"SELECT {cols} FROM read_parquet({source}, union_by_name = true)"


def _empty_select(table: str) -> str:
    cols = ", ".join(f"CAST(NULL AS {typ}) AS {col}" for col, typ in TABLES[table].columns.items())
    return f"SELECT {cols} WHERE false"


def connect(root: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """Open an in-memory DuckDB: large tables as Parquet views, small ones loaded as tables (empty and typed when a table has no files)."""
    root = parquet_root(root)
    con = duckdb.connect(":memory:")
    if is_remote(root):
        con.execute("INSTALL httpfs; LOAD httpfs;")
    # The manifest, read once, is the snapshot: every table below comes from the same ETL run.
    files = _manifest_files(con, root)
    for name in TABLES:
        source = _source(root, name, files)
        if source is not None:
            body = _select(con, name, source)
        elif name in MARTS and _source(root, MARTS[name][0], files) is not None:
            # A lake written before the marts existed: aggregate the detail table on the fly (correct, slower).
            body = re.sub(r"\bFROM d\b", f"FROM {MARTS[name][0]} d", MARTS[name][1])
        else:
            body = _empty_select(name)
        # Small tables are copied into memory once: every query on a view re-opens all monthly files, which
        # cost 10–30 ms per query at city scale (docs/benchmarks.md). The connection is a snapshot of the lake.
        kind = "VIEW" if name in LARGE_TABLES else "TABLE"
        con.execute(f"CREATE OR REPLACE {kind} {name} AS {body}")
    return con


def partitions(root: str | os.PathLike, table: str) -> dict[str, str]:
    """A local lake's live partitions of a table: partition name → file path (the manifest's, else the folder's files)."""
    root = str(root).rstrip("/")
    m = manifest.las(Path(root))
    if m is None:
        return {manifest.partition_av(f.name): str(f) for f in sorted(Path(root, table).glob("*.parquet"))}
    live = m.filter((pl.col("tabell") == table) & pl.col("borttagen").is_null()).sort("partition")
    return {p: f"{root}/{f}" for p, f in live.select("partition", "fil").iter_rows()}


def read_table(root: str | os.PathLike, table: str) -> pl.DataFrame:
    """A whole table of a local lake as polars, as `connect` shows it (contract columns and types; empty without files)."""
    files = list(partitions(root, table).values())
    con = duckdb.connect(":memory:")
    try:
        if not files:
            return con.sql(_empty_select(table)).pl()
        return con.sql(_select(con, table, "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]")).pl()
    finally:
        con.close()


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
    """Run one SQL statement with bound parameters on a fresh cursor (safe across threads) and return polars."""
    cur = con.cursor()
    try:
        # execute rather than con.sql(...).pl(): the relation API parses, tokenises and binds the text once more in
        # Python before running it, ≈ 35 % of a page statement's CPU at city scale (docs/prestanda.md); same types.
        return pl.from_arrow(cur.execute(sql, params or None).to_arrow_table(), rechunk=False)
    finally:
        cur.close()


def dataversion(root: str) -> str:
    """A token that changes whenever the ETL writes: the manifest's identity, else newest Parquet mtime and file count (remote: fixed)."""
    if is_remote(root):
        return "remote"
    try:
        # Every run that changes the lake replaces the manifest by one rename (lake/manifest.py): one stat answers what
        # scanning every partition file answered, and pages ask on every view.
        m = os.stat(manifest.sokvag(root))
        return f"m{m.st_ino}-{m.st_mtime_ns}-{m.st_size}"
    except FileNotFoundError:
        pass
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
