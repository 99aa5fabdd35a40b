"""ETL tests write the ETL's IT log under their own tmp folder, never into the repository's data/logg/."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _egen_loggfil(tmp_path, monkeypatch):
    monkeypatch.setenv("VU_ETL_LOGG", str(tmp_path / "etl.log"))
