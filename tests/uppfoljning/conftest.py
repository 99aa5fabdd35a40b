"""Database fixtures: every store test runs on SQLite (a temp file) and on a real PostgreSQL server started for the session."""

from __future__ import annotations

import pytest

from tests.pgserver import PostgresSaknas, starta
from uppfoljning import Uppfoljningsdatabas

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server():
    """PostgreSQL from Debian's package on a free loopback port; a test session fails (never skips) when it cannot start."""
    try:
        server = starta()
    except PostgresSaknas as fel:
        pytest.fail(f"PostgreSQL-servern för testerna kunde inte startas: {fel}", pytrace=False)
    yield server
    server.stoppa()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A URL to an empty database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'uppfoljning.sqlite'}"
    return request.getfixturevalue("pg_server").ny_databas()


@pytest.fixture
def db(db_url):
    """The follow-up store on an empty database, closed after the test."""
    lagring = Uppfoljningsdatabas(db_url)
    yield lagring
    lagring.stang()
