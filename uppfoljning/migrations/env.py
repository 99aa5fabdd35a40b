"""Alembic environment: run on the connection uppfoljning.databas.migrera passes in, or on $VU_DATABAS_URL from the CLI."""

from __future__ import annotations

from alembic import context

from uppfoljning.tabeller import metadata


def _kor(conn) -> None:
    # SQLite cannot ALTER most things: batch mode rebuilds a table for a later migration that needs it.
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=conn.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def _online() -> None:
    conn = context.config.attributes.get("connection")
    if conn is not None:
        _kor(conn)
        return
    from uppfoljning.databas import anslutning, databas_url, skapa_motor

    motor = skapa_motor(databas_url())
    with anslutning(motor, skrivning=True) as conn:
        _kor(conn)


if context.is_offline_mode():
    raise SystemExit("Offline-läge (SQL-skript) stöds inte: migreringarna körs mot databasen.")
_online()
