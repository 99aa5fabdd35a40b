"""Shared fixtures: `sample_lake` is the committed sample (data/raw) loaded by the ETL into a temporary Parquet root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_RAW = REPO / "data" / "raw"


@pytest.fixture(scope="session")
def sample_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Parquet root holding the whole sample, loaded once per test session (raw files copied so nothing is moved)."""
    import etl

    bas = tmp_path_factory.mktemp("sample_lake")
    raw = bas / "raw"
    # A copy, because the ETL moves rejected files to quarantine and the committed sample must never move.
    shutil.copytree(SAMPLE_RAW, raw, ignore=shutil.ignore_patterns("*.md"))
    parquet = bas / "parquet"
    resultat = etl.run(raw, parquet, bas / "quarantine")
    avvisade = [f"{f.fil}: {f.meddelande}" for f in resultat.files if f.utfall == "avvisad"]
    assert resultat.exit_code == 0, "sample rejected by the ETL: " + "; ".join(avvisade)
    return parquet
