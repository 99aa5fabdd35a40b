"""Report fixtures: the sample lake, its latest complete tertial, and the KPI results the reports must show."""

from __future__ import annotations

from pathlib import Path

import pytest

import kpi
import lake
from kpi import Period
from kpi.period import TERTIAL_MANADER, tertial_of

# AppTest runs app.py on every rerun as the server does (a page file run alone is sent back through app.py's login gate).
from tests.ui.conftest import navigation_som_i_servern  # noqa: F401


@pytest.fixture(scope="session")
def rapport_lake(sample_lake) -> Path:
    """The sample Parquet root (loaded once per session by tests/conftest.py)."""
    return Path(sample_lake)


@pytest.fixture(scope="session")
def con(rapport_lake):
    return lake.connect(rapport_lake)


@pytest.fixture(scope="session")
def hel_tertial(con) -> Period:
    """The latest tertial whose last month has data (a tertial report is written after the tertial ends)."""
    senaste = kpi.senaste_manad(con)
    t = tertial_of(senaste.month)
    if senaste.month == TERTIAL_MANADER[t][1]:
        return Period(senaste.year, tertial=t)
    return Period(senaste.year - 1, tertial=3) if t == 1 else Period(senaste.year, tertial=t - 1)


@pytest.fixture(scope="session")
def enhet(con) -> str:
    """One unit from the data (units are free text, never a fixed list)."""
    return kpi.enheter(con)[0]


@pytest.fixture()
def set_katalog(tmp_path, monkeypatch) -> Path:
    """Saved slide sets go to a temporary folder, never to data/apt_set."""
    mapp = tmp_path / "apt_set"
    monkeypatch.setenv("VU_APT_SET", str(mapp))
    return mapp
