"""Where the follow-up database lives and how to reach it: URL, engine (SQLite WAL or PostgreSQL), migrations, errors."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url

STANDARD_SQLITE = Path("data") / "uppfoljning.sqlite"
MILJOVARIABEL = "VU_DATABAS_URL"
MIGRATIONER = Path(__file__).resolve().parent / "migrations"
# SQLite: how long a writer waits for another writer before giving up (writes are a few rows each).
VANTETID_S = 15
# PostgreSQL: fail fast when the server is down, so a page shows its notice instead of hanging.
ANSLUTNINGSTID_S = 5
# Any fixed number: the advisory lock that lets one app server at a time run the migrations.
_MIGRERINGSLAS = 7_514_140

log = logging.getLogger(__name__)


class UppfoljningFel(Exception):
    """A refusal or failure the UI shows as it is: `meddelande` is Swedish and meant for the user."""

    def __init__(self, meddelande: str):
        super().__init__(meddelande)
        self.meddelande = meddelande


class DatabasOtillganglig(UppfoljningFel):
    """The follow-up database cannot be reached or used; figures from the Parquet lake still work."""


def _hemlig_url(sokvagar: list[Path]) -> str | None:
    for sokvag in sokvagar:
        if sokvag.is_file():
            try:
                url = tomllib.loads(sokvag.read_text(encoding="utf-8")).get("databas", {}).get("url")
            except (OSError, tomllib.TOMLDecodeError, AttributeError):
                log.warning("Kunde inte läsa [databas] url ur %s", sokvag)
                continue
            if url:
                return str(url)
    return None


def databas_url(url: str | None = None) -> str:
    """The URL to use: argument, else $VU_DATABAS_URL, else `[databas] url` in .streamlit/secrets.toml, else SQLite in data/."""
    vald = (
        url or os.environ.get(MILJOVARIABEL) or _hemlig_url([Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"])
    )
    if not vald:
        return f"sqlite:///{STANDARD_SQLITE}"
    # Plain postgresql:// would pick psycopg2, which is not installed; psycopg (3) is.
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if vald.startswith(prefix):
            return "postgresql+psycopg://" + vald[len(prefix) :]
    return vald


def visningsnamn(url: str) -> str:
    """The URL with any password hidden, for logs and the UI."""
    return make_url(url).render_as_string(hide_password=True)


def skapa_motor(url: str) -> Engine:
    """An engine for SQLite (file, WAL, busy timeout, BEGIN IMMEDIATE for writes) or PostgreSQL (psycopg 3)."""
    try:
        u = make_url(url)
    except exc.ArgumentError as fel:
        raise DatabasOtillganglig("Adressen till uppföljningsdatabasen är ogiltig – kontrollera VU_DATABAS_URL.") from fel
    if u.get_backend_name() == "sqlite":
        try:
            return _sqlite_motor(url)
        except OSError as fel:
            log.warning("Uppföljningsdatabasens mapp kunde inte skapas", exc_info=True)
            raise DatabasOtillganglig(_otillganglig_text(fel)) from fel
    if u.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": ANSLUTNINGSTID_S})
    raise DatabasOtillganglig(f"Databastypen {u.get_backend_name()} stöds inte – använd SQLite eller PostgreSQL.")


def _wal(markor) -> None:
    """WAL mode (readers never block the writer, and the other way round), once per database file.

    Switching needs a moment's exclusive lock, and SQLite answers 'database is locked' at once, without its busy
    handler, when several servers open a new database together: retried for up to VANTETID_S seconds."""
    slut = time.monotonic() + VANTETID_S
    while True:
        try:
            if markor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                markor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as fel:
            if "locked" not in str(fel) or time.monotonic() > slut:
                raise
            time.sleep(0.05)


def _sqlite_motor(url: str) -> Engine:
    u = make_url(url)
    if u.database and u.database != ":memory:":
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)
    motor = create_engine(url, connect_args={"timeout": VANTETID_S, "check_same_thread": False})

    @event.listens_for(motor, "connect")
    def _anslut(dbapi, _post):
        # The driver's own transaction handling would BEGIN late and COMMIT before DDL; SQLAlchemy's documented
        # recipe is to switch it off and emit BEGIN ourselves (below).
        dbapi.isolation_level = None
        markor = dbapi.cursor()
        markor.execute(f"PRAGMA busy_timeout={VANTETID_S * 1000}")
        _wal(markor)
        markor.execute("PRAGMA foreign_keys=ON")
        markor.execute("PRAGMA synchronous=FULL")  # a saved text survives a power cut; saves are rare, so the fsync is cheap
        markor.close()

    @event.listens_for(motor, "begin")
    def _borja(conn: Connection):
        # A write transaction takes the write lock at BEGIN: a deferred one that reads first and then writes gets
        # SQLITE_BUSY at once (no waiting) if another writer committed in between.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("skrivning") else "BEGIN")

    return motor


@contextmanager
def anslutning(motor: Engine, skrivning: bool) -> Iterator[Connection]:
    """A connection inside one transaction (committed on success), with driver errors turned into DatabasOtillganglig."""
    try:
        with motor.connect() as conn:
            if skrivning:
                conn = conn.execution_options(skrivning=True)
            with conn.begin():
                yield conn
    except exc.IntegrityError:
        raise  # a unique-key race is the caller's to explain (version conflict)
    except (exc.OperationalError, exc.InterfaceError, exc.DatabaseError) as fel:
        log.warning("Uppföljningsdatabasen: %s", fel.__class__.__name__, exc_info=True)
        raise DatabasOtillganglig(_otillganglig_text(fel)) from fel


def _otillganglig_text(fel: Exception) -> str:
    if "locked" in str(fel).lower() or "busy" in str(fel).lower():
        return "Uppföljningsdatabasen är upptagen just nu. Vänta en stund och försök igen – inget har sparats."
    return "Uppföljningsdatabasen går inte att nå just nu. Siffrorna fungerar som vanligt, men analyser kan inte visas eller sparas."


def migrera(motor: Engine) -> None:
    """Create or upgrade the schema to the newest migration (safe when several processes start at once)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONER))
    try:
        with anslutning(motor, skrivning=True) as conn:
            # One migrating process at a time: SQLite by its write lock (BEGIN IMMEDIATE above), PostgreSQL by an
            # advisory lock held to the end of this transaction (DDL is transactional on both).
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:nyckel)"), {"nyckel": _MIGRERINGSLAS})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except UppfoljningFel:
        raise
    except Exception as fel:  # alembic raises its own types for a broken or newer schema
        log.error("Uppföljningsdatabasens schema kunde inte uppgraderas", exc_info=True)
        raise DatabasOtillganglig("Uppföljningsdatabasens schema kunde inte skapas eller uppgraderas. Kontakta systemförvaltaren.") from fel


def schemaversion(motor: Engine) -> str | None:
    """The migration the database stands at (None before the first)."""
    from alembic.runtime.migration import MigrationContext

    with anslutning(motor, skrivning=False) as conn:
        return MigrationContext.configure(conn).get_current_revision()
