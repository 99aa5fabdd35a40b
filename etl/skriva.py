"""Writing the lake: frames shaped to lake/schema.py, one new file per partition, all made visible by one manifest switch."""

from __future__ import annotations

import itertools
import os
import re
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from lake import manifest
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

Partition = tuple[str, str]  # (table, partition name)


def schema(tabell: str) -> dict[str, pl.DataType]:
    """Polars dtypes for a table's contract."""
    return {c: POLARS_TYP[t] for c, t in TABLES[tabell].columns.items()}


def enligt_kontrakt(df: pl.DataFrame, tabell: str) -> pl.DataFrame:
    """Exactly the contract's columns, in order, with its types."""
    return df.select(pl.col(c).cast(t) for c, t in schema(tabell).items())


def partitionsnamn(varde: object) -> str:
    """Partition name: '2024-03' for a month, '2024' for a year, the run id for run-log tables."""
    return f"{varde:%Y-%m}" if isinstance(varde, date) else str(varde)


def partitioner(tabell: str, df: pl.DataFrame, nyckel: tuple[str, ...]) -> dict[Partition, pl.DataFrame]:
    """Split a table frame into its partitions, rows in a fixed order (the same input gives the same bytes)."""
    df = enligt_kontrakt(df, tabell)
    kolumn = TABLES[tabell].partition
    ut: dict[Partition, pl.DataFrame] = {}
    # A monthly export is one partition: splitting would copy every column for nothing.
    delar = {(df[kolumn][0],): df} if df[kolumn].n_unique() == 1 else df.partition_by(kolumn, as_dict=True, maintain_order=True)
    for (varde,), del_ in delar.items():
        # A call log already in time order keeps its file order (deterministic for the same file) and skips the sort.
        # Marts come from a GROUP BY whose row order varies between runs, so they are always sorted.
        redan_sorterad = tabell not in MARTS and del_.height > 10_000 and del_[nyckel[0]].is_sorted()
        ut[(tabell, partitionsnamn(varde))] = del_ if redan_sorterad else del_.sort(list(nyckel), nulls_last=True, maintain_order=True)
    return dict(sorted(ut.items()))


def marter(tabell: str, df: pl.DataFrame) -> dict[Partition, pl.DataFrame]:
    """Partitions of every mart built from `tabell` (lake.schema.MARTS), computed from the table's rows."""
    ut: dict[Partition, pl.DataFrame] = {}
    for mart, (kalla, sql) in MARTS.items():
        if kalla != tabell:
            continue
        # polars runs the same SQL DuckDB runs for a lake without marts, on the frame in hand (no Arrow copy, no connection)
        aggregat = pl.SQLContext(d=enligt_kontrakt(df, tabell)).execute(sql, eager=True)
        # every mart column but the sums (BIGINT, DOUBLE) is part of its group key
        nyckel = tuple(c for c, t in TABLES[mart].columns.items() if t not in ("BIGINT", "DOUBLE"))
        ut.update(partitioner(mart, aggregat, nyckel))
    return ut


@dataclass(frozen=True)
class Skriven:
    """A partition file written by this run, not visible to readers until the manifest names it."""

    tabell: str
    partition: str
    fil: str  # relative to the lake root
    rader: int


def skriv_parquet(df: pl.DataFrame, sokvag: Path) -> None:
    """One Parquet file (zstd level 1: measured faster than the default level and no larger on the call log)."""
    try:
        df.write_parquet(sokvag, statistics=True, compression="zstd", compression_level=1)
    except pl.exceptions.PolarsError as fel:
        # polars reports a full disk or a read-only file system as a ComputeError naming the OS error: raise it as one
        m = re.search(r"os error (\d+)", str(fel))
        if m:
            raise OSError(int(m.group(1)), os.strerror(int(m.group(1))), str(sokvag)) from fel
        raise


def stada_forvaldade(root: Path, bas: pl.DataFrame) -> int:
    """Delete files in the table folders no manifest row names (left by a run that died) and stray tmp files."""
    kanda = set(bas["fil"].to_list())
    borttagna = 0
    for tabell in TABLES:
        mapp = root / tabell
        if not mapp.is_dir():
            continue
        for f in mapp.iterdir():
            if f.is_file() and (f.name.endswith(".tmp") or (f.suffix == ".parquet" and f"{tabell}/{f.name}" not in kanda)):
                f.unlink(missing_ok=True)
                borttagna += 1
    for f in (root / manifest.MAPP).glob("*.tmp"):
        f.unlink(missing_ok=True)
    return borttagna


class Sjoskrivare:
    """One run's writes: new files under names of their own, made visible together by `commit()`."""

    def __init__(self, root: Path, korning_id: str, bas: pl.DataFrame):
        self.root = root
        self.korning_id = korning_id
        self.bas = bas  # the manifest before the run: live files and recent tombstones
        self.version = manifest.version(bas) + 1
        levande = bas.filter(pl.col("borttagen").is_null())
        self.aktiva: dict[Partition, str] = {(t, p): f for t, p, f in levande.select("tabell", "partition", "fil").iter_rows()}
        self.nya: dict[Partition, Skriven] = {}
        self._skrivna: set[str] = set()
        self._nummer = itertools.count()
        self._las = threading.Lock()

    def finns(self, tabell: str, partition: str) -> bool:
        """True when the partition is live in the lake as it was before this run (and its file is still there)."""
        fil = self.aktiva.get((tabell, partition))
        return fil is not None and (self.root / fil).exists()

    def las(self, tabell: str) -> pl.DataFrame:
        """A table's rows as the lake held them before this run (empty, typed frame when it has none)."""
        filer = [self.root / f for (t, _), f in sorted(self.aktiva.items()) if t == tabell]
        if not filer:
            return pl.DataFrame(schema=schema(tabell))
        return pl.concat([enligt_kontrakt(pl.read_parquet(f), tabell) for f in filer], how="vertical")

    def skriv(self, filer: dict[Partition, pl.DataFrame]) -> list[Skriven]:
        """Write each frame to a new file (callable from reader threads); nothing becomes visible."""
        skrivna: list[Skriven] = []
        try:
            for (tabell, partition), df in filer.items():
                with self._las:
                    fil = f"{tabell}/{partition}.{self.korning_id}-{next(self._nummer)}.parquet"
                    self._skrivna.add(fil)
                (self.root / tabell).mkdir(parents=True, exist_ok=True)
                skriv_parquet(df, self.root / fil)
                skrivna.append(Skriven(tabell, partition, fil, df.height))
        except BaseException:
            self.kasta(skrivna)
            raise
        return skrivna

    def satt(self, skrivna: list[Skriven]) -> None:
        """Make these files the new content of their partitions at commit (a later call for a partition wins)."""
        for s in skrivna:
            tidigare = self.nya.get((s.tabell, s.partition))
            if tidigare is not None and tidigare.fil != s.fil:
                self.kasta([tidigare])
            self.nya[(s.tabell, s.partition)] = s

    def kasta(self, skrivna: list[Skriven]) -> None:
        """Delete files of this run that will not be used."""
        for s in skrivna:
            (self.root / s.fil).unlink(missing_ok=True)
            with self._las:
                self._skrivna.discard(s.fil)

    def commit(self) -> list[str]:
        """Switch the lake to this run's version with one atomic rename; returns files now safe to delete."""
        v = self.version
        ersatta = {self.aktiva[p] for p in self.nya if p in self.aktiva}
        gamla = self.bas.with_columns(
            borttagen=pl.when(pl.col("fil").is_in(list(ersatta)) & pl.col("borttagen").is_null()).then(pl.lit(v)).otherwise(pl.col("borttagen"))
        )
        # tombstones older than BEHALL_VERSIONER versions leave the manifest, and their files the disk
        utgangna = gamla.filter(pl.col("borttagen").is_not_null() & (pl.col("borttagen") <= v - manifest.BEHALL_VERSIONER))
        kvar = gamla.filter(~(pl.col("borttagen").is_not_null() & (pl.col("borttagen") <= v - manifest.BEHALL_VERSIONER)))
        nya = pl.DataFrame(
            [
                {"tabell": s.tabell, "partition": s.partition, "fil": s.fil, "rader": s.rader, "version": v, "borttagen": None}
                for s in self.nya.values()
            ],
            schema=manifest.SCHEMA,
        )
        manifest.skriv(self.root, pl.concat([kvar, nya], how="vertical"))
        anvanda = {s.fil for s in self.nya.values()}
        with self._las:
            oanvanda = self._skrivna - anvanda
            self._skrivna = set()
        return sorted(utgangna["fil"].to_list()) + sorted(oanvanda)

    def avbryt(self) -> None:
        """Delete every file this run wrote (the lake stays exactly as it was)."""
        with self._las:
            filer, self._skrivna = set(self._skrivna), set()
        for fil in filer:
            try:
                (self.root / fil).unlink(missing_ok=True)
            except OSError:
                pass  # the next run deletes what no manifest names
