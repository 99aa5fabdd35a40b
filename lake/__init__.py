"""DuckDB over the Parquet lake: settings, a connection with one relation per table, and the one query function."""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow  # noqa: F401  (query() hands DuckDB's Arrow result to polars: loaded with the module, not inside a page's first query)

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
SMALL_TABLES = tuple(name for name in TABLES if name not in LARGE_TABLES)
# The small tables of one manifest version in one DuckDB file, written by the ETL after each commit: a new connection
# copies them from there instead of opening every monthly Parquet file of every table (≈ 0.6 s → 0.1 s at city scale).
# The name digests the manifest's bytes and the table contract, so a file can only ever serve the lake it was made from.
SNAPSHOT_PREFIX = "snapshot-"
_KONTRAKT = repr(([(n, sorted(t.columns.items())) for n, t in sorted(TABLES.items())], sorted(MARTS.items()), duckdb.__version__))


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


def _manifest_files(con: duckdb.DuckDBPyConnection, root: str) -> tuple[dict[str, list[str]] | None, str | None]:
    """Live files per table from the lake's manifest (lake/manifest.py), None without one; and the manifest's digest
    when every live file is on disk (a snapshot may then stand in for the small tables), else None."""
    if is_remote(root):
        try:
            rows = con.sql(
                f"SELECT tabell, fil FROM read_parquet({_sql_text(manifest.sokvag(root))}) WHERE borttagen IS NULL ORDER BY tabell, partition"
            ).fetchall()
        except duckdb.Error:  # no manifest in the bucket: a lake written by another pipeline, read by globbing
            return None, None
        files: dict[str, list[str]] = {}
        for table, fil in rows:
            files.setdefault(table, []).append(fil)
        return files, None
    lasning = manifest.las_identifierad(Path(root))
    if lasning is None:
        return None, None
    aktiva = manifest.aktiva(lasning[0])
    # a file deleted by hand is left out (the next ETL run restores it) rather than failing every query
    files = {t: [f for f in fs if os.path.exists(f"{root}/{f}")] for t, fs in aktiva.items()}
    komplett = all(len(files[t]) == len(fs) for t, fs in aktiva.items())
    return files, (lasning[1] if komplett else None)


def _snapshot_path(root: str, manifest_digest: str) -> Path:
    namn = hashlib.sha256(f"{manifest_digest}\n{_KONTRAKT}".encode()).hexdigest()[:32]
    return Path(root, manifest.MAPP, f"{SNAPSHOT_PREFIX}{namn}.duckdb")


def _sql_text(value: str | os.PathLike) -> str:
    """A path as an SQL string literal (file names are ours or an admin's, but a quote must never end the literal)."""
    return "'" + str(value).replace("'", "''") + "'"


def _source(root: str, table: str, files: dict[str, list[str]] | None) -> str | None:
    """The read_parquet argument for a table's files, or None when it has none."""
    if files is None:
        return _glob_source(root, table)
    if not files.get(table):
        return None
    return "[" + ", ".join(_sql_text(f"{root}/{f}") for f in files[table]) + "]"


def _glob_source(root: str, table: str) -> str | None:
    if not _has_files(root, table):
        return None
    return _sql_text(table_glob(root, table))


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
    """Open an in-memory DuckDB: large tables as Parquet views, small ones read from the version's snapshot file (else loaded
    from Parquet as tables; empty and typed when a table has no files)."""
    root = parquet_root(root)
    con = duckdb.connect(":memory:")
    if is_remote(root):
        con.execute("INSTALL httpfs; LOAD httpfs;")
    # The manifest, read once, is the snapshot: every table below comes from the same ETL run.
    files, digest = _manifest_files(con, root)
    ur_bilden = digest is not None and _from_snapshot(con, _snapshot_path(root, digest))
    _create_tables(con, root, files, [n for n in TABLES if not (ur_bilden and n in SMALL_TABLES)])
    return con


def _create_tables(con: duckdb.DuckDBPyConnection, root: str, files: dict[str, list[str]] | None, names: list[str]) -> None:
    """One relation per table from the manifest's files: a Parquet view for a large table, an in-memory copy for the rest."""
    for name in names:
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


def _from_snapshot(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """The small tables as views of the manifest version's snapshot file, attached read-only for the connection's life;
    False (read the Parquet files) when there is none.

    Copying them into memory was ≈ 150 of a new connection's ≈ 200 ms at city scale (docs/prestanda.md); read from the
    file through DuckDB's buffer pool the pages answer as fast. A newer run removes the file, but an attached file stays
    readable until the connection closes, so the connection keeps answering from its own version."""
    if not path.exists():
        return False
    try:
        con.execute(f"ATTACH {_sql_text(path)} AS snapshot (READ_ONLY)")
    except duckdb.Error:
        return False  # removed by a newer run between the check and the attach, or unreadable: the Parquet files answer
    try:
        for name in SMALL_TABLES:
            con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM snapshot.{name}")
        return True
    except duckdb.Error:
        for name in SMALL_TABLES:
            con.execute(f"DROP VIEW IF EXISTS {name}")
        con.execute("DETACH snapshot")
        return False  # the caller creates every table from Parquet


def write_snapshot(root: str | os.PathLike | None = None) -> Path | None:
    """Write the snapshot of the lake's current manifest (once; older ones are removed); None for a remote lake or one without a manifest."""
    root = parquet_root(root)
    if is_remote(root):
        return None
    con = duckdb.connect(":memory:")
    try:
        files, digest = _manifest_files(con, root)
        if digest is None:
            return None
        target = _snapshot_path(root, digest)
        for old in target.parent.glob(f"{SNAPSHOT_PREFIX}*"):
            if old != target:
                old.unlink(missing_ok=True)  # a connection still opening one falls back to the Parquet files
        if not target.exists():
            # built from the files this manifest names, so its content belongs to the digest in its name whatever runs later
            _create_tables(con, root, files, list(TABLES))
            tmp = target.with_name(target.name + ".tmp")
            # 64 kB blocks: with the default 256 kB a small lake's file is megabytes of padding (and a city's no smaller)
            con.execute(f"ATTACH {_sql_text(tmp)} AS snapshot (BLOCK_SIZE 65536)")
            for name in SMALL_TABLES:
                con.execute(f"CREATE TABLE snapshot.{name} AS SELECT * FROM main.{name}")
            con.execute("DETACH snapshot")
            os.replace(tmp, target)
        return target
    finally:
        con.close()


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
        return con.sql(_select(con, table, "[" + ", ".join(_sql_text(f) for f in files) + "]")).pl()
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
