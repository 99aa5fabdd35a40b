"""ETL-if-stale: the app loads data/raw first only when the Parquet is missing or older than the exports."""

from __future__ import annotations

import os

from ui.inlasning import behover_etl


def _fil(sokvag, tid: float) -> None:
    sokvag.parent.mkdir(parents=True, exist_ok=True)
    sokvag.write_text("x")
    os.utime(sokvag, (tid, tid))


def test_behover_etl(tmp_path):
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    assert not behover_etl(raw, str(parquet)), "inget underlag alls: ingen inläsning"
    _fil(raw / "volymer" / "v.csv", 1_000)
    assert behover_etl(raw, str(parquet)), "Parquet saknas"
    _fil(parquet / "volymer" / "2025-01.parquet", 2_000)
    assert not behover_etl(raw, str(parquet)), "Parquet nyare än underlaget"
    _fil(raw / "volymer" / "ny.csv", 3_000)
    assert behover_etl(raw, str(parquet)), "en ny exportfil"
    assert not behover_etl(raw, "s3://hink/lake"), "en fjärrsjö fylls av sin egen pipeline"
