"""UI test fixtures: the app runs against the sample lake (never data/parquet, never the real data/raw)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def ui_lake(request) -> Path:
    """The sample lake (or an already loaded Parquet root in $VU_TEST_LAKE, to iterate quickly on the UI)."""
    if os.environ.get("VU_TEST_LAKE"):
        return Path(os.environ["VU_TEST_LAKE"])
    return Path(request.getfixturevalue("sample_lake"))


@pytest.fixture()
def app_env(ui_lake, tmp_path, monkeypatch) -> Path:
    """Environment for AppTest: Parquet from the sample lake, an empty raw folder."""
    monkeypatch.setenv("VU_PARQUET", str(ui_lake))
    monkeypatch.setenv("VU_RAW", str(tmp_path / "tom_raw"))
    return ui_lake


@pytest.fixture(autouse=True)
def navigation_som_i_servern(monkeypatch):
    """Make AppTest run app.py on every rerun, as a real server does once app.py has called st.navigation.

    A server decides once per process whether the `pages/` folder means old-style automatic pages and
    st.navigation switches that off for good; AppTest re-decides before every run, so each rerun after
    the first would run the page file alone. Its PagesManager is swapped for one that keeps it off."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class SomIServern(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", SomIServern)
    yield
    PagesManager.uses_pages_directory = None
