"""Shared fixtures: `sample_lake` is the committed sample (data/raw) loaded by the ETL into a temporary Parquet root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_RAW = REPO / "data" / "raw"


@pytest.fixture(scope="session", autouse=True)
def uppfoljningsdatabas_for_testerna(tmp_path_factory: pytest.TempPathFactory):
    """The follow-up store of every test that does not choose its own: a temporary SQLite file, never data/uppfoljning.sqlite."""
    import os

    tidigare = os.environ.get("VU_DATABAS_URL")
    os.environ["VU_DATABAS_URL"] = f"sqlite:///{tmp_path_factory.mktemp('uppfoljning') / 'uppfoljning.sqlite'}"
    yield os.environ["VU_DATABAS_URL"]
    if tidigare is None:
        os.environ.pop("VU_DATABAS_URL", None)
    else:
        os.environ["VU_DATABAS_URL"] = tidigare


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
