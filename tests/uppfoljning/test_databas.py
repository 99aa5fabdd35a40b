"""Configuration, migrations from an empty database on both backends, SQLite's settings, and an unavailable database."""

from __future__ import annotations

import socket
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from uppfoljning import DatabasOtillganglig, Uppfoljningsdatabas, databas_url
from uppfoljning.databas import STANDARD_SQLITE, anslutning, migrera, schemaversion, skapa_motor, visningsnamn
from uppfoljning.tabeller import metadata

TABELLER = {"perioder", "periodhandelser", "analyser", "bedomningar", "aktivitetsstatus", "alembic_version"}


def test_migrering_fran_tom_databas(db_url):
    motor = skapa_motor(db_url)
    try:
        assert set(inspect(motor).get_table_names()) == set()
        assert schemaversion(motor) is None
        migrera(motor)
        assert set(inspect(motor).get_table_names()) == TABELLER
        assert schemaversion(motor) == "0001"
        with motor.connect() as conn:
            # the migration builds exactly the tables the code declares (columns, types, keys, constraints' names)
            skillnader = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert skillnader == []
        migrera(motor)  # a second run changes nothing
        assert schemaversion(motor) == "0001"
    finally:
        motor.dispose()


def test_nedgradering_och_uppgradering(db_url):
    from alembic import command
    from alembic.config import Config

    from uppfoljning.databas import MIGRATIONER

    motor = skapa_motor(db_url)
    try:
        migrera(motor)
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONER))
        with anslutning(motor, skrivning=True) as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert set(inspect(motor).get_table_names()) == {"alembic_version"}
        migrera(motor)
        assert set(inspect(motor).get_table_names()) == TABELLER
    finally:
        motor.dispose()


def test_forsta_anvandningen_skapar_schemat(db):
    assert db.analyser("2024-T1") == []
    assert schemaversion(db.motor()) == "0001"


def test_sqlite_installningar(tmp_path):
    db = Uppfoljningsdatabas(f"sqlite:///{tmp_path / 'undermapp' / 'u.sqlite'}")
    try:
        with db.motor().connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
        assert (tmp_path / "undermapp" / "u.sqlite").exists(), "mappen skapas vid behov"
    finally:
        db.stang()


@pytest.mark.parametrize(
    ("argument", "miljo", "hemlighet", "vantat"),
    [
        (None, None, None, f"sqlite:///{STANDARD_SQLITE}"),
        ("sqlite:///x.sqlite", "postgresql://a@b/c", None, "sqlite:///x.sqlite"),
        (None, "postgresql://anna:hemligt@db.stad.se/uppf", None, "postgresql+psycopg://anna:hemligt@db.stad.se/uppf"),
        (None, "postgres://a@b/c", None, "postgresql+psycopg://a@b/c"),
        (None, None, 'url = "postgresql://s@server/db"', "postgresql+psycopg://s@server/db"),
        (None, "sqlite:////srv/u.sqlite", 'url = "postgresql://s@server/db"', "sqlite:////srv/u.sqlite"),
        (None, None, "url = 'inte toml", f"sqlite:///{STANDARD_SQLITE}"),
    ],
)
def test_vilken_databas(argument, miljo, hemlighet, vantat, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "hem"))
    if miljo:
        monkeypatch.setenv("VU_DATABAS_URL", miljo)
    else:
        monkeypatch.delenv("VU_DATABAS_URL", raising=False)
    if hemlighet:
        (tmp_path / ".streamlit").mkdir()
        (tmp_path / ".streamlit" / "secrets.toml").write_text(f"[databas]\n{hemlighet}\n", encoding="utf-8")
    assert databas_url(argument) == vantat


def test_losenordet_visas_inte():
    assert visningsnamn("postgresql+psycopg://anna:hemligt@db/uppf") == "postgresql+psycopg://anna:***@db/uppf"
    assert "hemligt" not in Uppfoljningsdatabas("postgresql://anna:hemligt@db/uppf").visningsnamn


def _stangd_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(lambda tmp: f"postgresql://postgres@127.0.0.1:{_stangd_port()}/uppf", id="postgresql_nere"),
        pytest.param(lambda tmp: "sqlite:////proc/finns_inte/u.sqlite", id="sqlite_mapp_saknas"),
        pytest.param(lambda tmp: f"sqlite:///{tmp / 'trasig.sqlite'}", id="sqlite_trasig_fil"),
        pytest.param(lambda tmp: "mysql://a@b/c", id="okand_databastyp"),
        pytest.param(lambda tmp: "inte en url", id="ogiltig_url"),
    ],
)
def test_otillganglig_databas_ger_svenskt_besked(url, tmp_path):
    (tmp_path / "trasig.sqlite").write_bytes(b"detta ar ingen sqlite-databas" * 100)
    db = Uppfoljningsdatabas(url(tmp_path))
    start = time.monotonic()
    with pytest.raises(DatabasOtillganglig) as fel:
        db.analyser("2024-T1")
    assert time.monotonic() - start < 10, "sidan ska inte hänga när databasen är nere"
    assert fel.value.meddelande and "Traceback" not in fel.value.meddelande
    with pytest.raises(DatabasOtillganglig):  # every call says the same, none crashes differently
        db.spara_analys("2024-T1", "NM1", analys="x", forfattare="A", baserad_pa=None)


def test_databasen_kommer_tillbaka(pg_server, tmp_path):
    """While the server is unreachable every call raises DatabasOtillganglig; once it is there the same object works."""
    url = pg_server.ny_databas()
    fel_url = url.replace(f":{pg_server.port}/", f":{_stangd_port()}/")
    db = Uppfoljningsdatabas(fel_url)
    with pytest.raises(DatabasOtillganglig, match="går inte att nå"):
        db.analyser("2024-T1")
    db.url = url  # the server "comes back"
    assert db.spara_analys("2024-T1", "NM1", analys="Nu går det", forfattare="A", baserad_pa=None).version == 1


def test_postgres_server_kor_version_15(pg_server):
    motor = skapa_motor(pg_server.url())
    try:
        with motor.connect() as conn:
            assert conn.execute(text("SHOW server_version")).scalar().startswith("15")
    finally:
        motor.dispose()


def test_sqlite_skrivning_tar_skrivlaset_vid_begin(tmp_path):
    """A write transaction holds SQLite's write lock from BEGIN, so read-then-write cannot be overtaken by another writer."""
    import sqlite3

    db = Uppfoljningsdatabas(f"sqlite:///{tmp_path / 'u.sqlite'}")
    motor = db.motor()
    annan = sqlite3.connect(tmp_path / "u.sqlite", timeout=0, isolation_level=None)
    try:
        with anslutning(motor, skrivning=False):
            annan.execute("BEGIN IMMEDIATE")  # a read transaction leaves the write lock free
            annan.execute("ROLLBACK")
        with anslutning(motor, skrivning=True) as conn:
            conn.exec_driver_sql("SELECT 1")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                annan.execute("BEGIN IMMEDIATE")
    finally:
        annan.close()
        db.stang()
