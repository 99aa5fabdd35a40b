"""UI test fixtures: the app runs against the sample lake (never data/parquet, never the real data/raw)."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def ui_lake(sample_lake, tmp_path_factory) -> Path:
    """The sample lake; VU_RAW points at an empty folder so the app never starts an ETL during tests."""
    return Path(sample_lake)


@pytest.fixture()
def app_env(ui_lake, tmp_path, monkeypatch) -> Path:
    """Environment for AppTest: Parquet from the sample lake, an empty raw folder."""
    monkeypatch.setenv("VU_PARQUET", str(ui_lake))
    monkeypatch.setenv("VU_RAW", str(tmp_path / "tom_raw"))
    return ui_lake
