"""The lake's manifest: which Parquet file holds each partition, switched for a whole ETL run by one atomic rename.

Partition files are never overwritten. A run writes new files under names of their own
(`volymer/2024-03.<korning_id>-<n>.parquet`) and then replaces `_lake/manifest.parquet`, which lists the
file behind every live partition. A reader (`lake.connect`) reads only the files the manifest names, so it
sees the lake before the run or after it, never a mix; a run that dies before the rename leaves only files
nobody reads, which the next run deletes. A lake without a manifest (written before it existed, or by
another pipeline) is read by globbing each table's folder, as before.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import polars as pl

MAPP = "_lake"
FIL = "manifest.parquet"
# Files a run replaced stay on disk (as tombstones in the manifest) until this many later versions have been
# committed, so a dashboard connection opened on an earlier version keeps its files while it is in use.
BEHALL_VERSIONER = 2

SCHEMA: dict[str, pl.DataType] = {
    "tabell": pl.String(),
    "partition": pl.String(),
    "fil": pl.String(),  # path relative to the lake root, '/'-separated
    "rader": pl.Int64(),
    "version": pl.Int64(),  # the manifest version that made the file live
    "borttagen": pl.Int64(),  # the version that replaced it (NULL = live)
}


def sokvag(root: str | os.PathLike) -> str:
    """The manifest's path or URI under a lake root."""
    return f"{str(root).rstrip('/')}/{MAPP}/{FIL}"


def partition_av(filnamn: str) -> str:
    """Partition of a file name: '2024-03' for '2024-03.parquet' and for '2024-03.<korning_id>-<n>.parquet'."""
    return filnamn.split(".", 1)[0]


def tom() -> pl.DataFrame:
    """An empty manifest."""
    return pl.DataFrame(schema=SCHEMA)


def las(root: Path) -> pl.DataFrame | None:
    """The manifest of a local lake, or None when the lake has none."""
    las_med_id = las_identifierad(root)
    return None if las_med_id is None else las_med_id[0]


def las_identifierad(root: Path) -> tuple[pl.DataFrame, str] | None:
    """The manifest and a digest of its bytes (one read, so the two always belong together), or None without one."""
    try:
        data = Path(sokvag(root)).read_bytes()
    except FileNotFoundError:
        return None
    frame = pl.read_parquet(io.BytesIO(data)).select(pl.col(c).cast(t) for c, t in SCHEMA.items())
    return frame, hashlib.sha256(data).hexdigest()


def fran_katalog(root: Path, tabeller: list[str]) -> pl.DataFrame:
    """A manifest for a lake written without one: every Parquet file in each table's folder is live."""
    rader = [
        {"tabell": t, "partition": partition_av(f.name), "fil": f"{t}/{f.name}", "rader": None, "version": 0, "borttagen": None}
        for t in tabeller
        for f in sorted((root / t).glob("*.parquet"))
    ]
    return pl.DataFrame(rader, schema=SCHEMA) if rader else tom()


def version(manifest: pl.DataFrame) -> int:
    """The manifest's version: the highest version that made a file live or replaced one (0 when empty)."""
    if manifest.is_empty():
        return 0
    return int(max(manifest["version"].max() or 0, manifest["borttagen"].max() or 0))


def aktiva(manifest: pl.DataFrame) -> dict[str, list[str]]:
    """Live files per table, in partition order."""
    levande = manifest.filter(pl.col("borttagen").is_null()).sort("tabell", "partition")
    ut: dict[str, list[str]] = {}
    for tabell, fil in levande.select("tabell", "fil").iter_rows():
        ut.setdefault(tabell, []).append(fil)
    return ut


def skriv(root: Path, manifest: pl.DataFrame) -> None:
    """Replace the manifest atomically: write a tmp file, flush it to disk, rename it over the old one."""
    mapp = root / MAPP
    mapp.mkdir(parents=True, exist_ok=True)
    tmp = mapp / f"{FIL}.tmp"
    manifest.sort("tabell", "partition", "version").write_parquet(tmp, compression="zstd", compression_level=1)
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, mapp / FIL)
    fd = os.open(mapp, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself reaches the disk
    finally:
        os.close(fd)
