"""CLI: `python -m uppfoljning status | migrera | sakerhetskopia FIL [--url URL]`, exit 0 / 1 (database error) / 2 (usage)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url


class _Tolk(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        print(f"Fel: {message}", file=sys.stderr)
        sys.exit(2)


def _argument(argv: list[str] | None) -> argparse.Namespace:
    tolk = _Tolk(prog="python -m uppfoljning", description="Uppföljningsdatabasen: analyser, bedömningar och aktiviteter per mål och period.")
    tolk.add_argument("--url", help="databasens adress (standard: VU_DATABAS_URL, [databas] url i .streamlit/secrets.toml, annars SQLite i data/)")
    del_ = tolk.add_subparsers(dest="kommando", required=True)
    del_.add_parser("status", help="visa databas, schemaversion och antal sparade versioner")
    del_.add_parser("migrera", help="skapa eller uppgradera schemat (görs annars automatiskt vid första användningen)")
    kopia = del_.add_parser("sakerhetskopia", help="konsekvent kopia av en SQLite-databas medan appen kör (PostgreSQL: använd pg_dump)")
    kopia.add_argument("fil", type=Path)
    return tolk.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run one command; Swedish output, no tracebacks."""
    arg = _argument(argv)
    from uppfoljning import DatabasOtillganglig, Uppfoljningsdatabas
    from uppfoljning.databas import schemaversion
    from uppfoljning.tabeller import aktivitetsstatus, analyser, bedomningar, periodhandelser

    db = Uppfoljningsdatabas(arg.url)
    try:
        if arg.kommando == "migrera":
            db.motor()
            print(f"{db.visningsnamn}: schemaversion {schemaversion(db.motor())}.")
        elif arg.kommando == "status":
            with db.motor().connect() as conn:
                antal = {
                    t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                    for t in (analyser, bedomningar, aktivitetsstatus, periodhandelser)
                }
            print(f"Databas:        {db.visningsnamn}")
            print(f"Schemaversion:  {schemaversion(db.motor())}")
            for namn, n in antal.items():
                print(f"{namn + ':':<16}{n} versioner" if namn != "periodhandelser" else f"{namn + ':':<16}{n} händelser")
        else:
            return _sakerhetskopia(db, arg.fil)
    except DatabasOtillganglig as fel:
        print(f"Fel: {fel.meddelande}", file=sys.stderr)
        return 1
    finally:
        db.stang()
    return 0


def _sakerhetskopia(db, mal: Path) -> int:
    """SQLite's online backup: a consistent copy even while sessions write (they wait a moment, nothing is lost)."""
    url = make_url(db.url)
    if url.get_backend_name() != "sqlite":
        print("Fel: säkerhetskopian här gäller SQLite. För PostgreSQL: pg_dump --format=custom …", file=sys.stderr)
        return 2
    if mal.exists():
        print(f"Fel: {mal} finns redan – välj ett nytt filnamn.", file=sys.stderr)
        return 2
    db.motor()  # the database exists and is migrated
    mal.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(url.database) as kalla, sqlite3.connect(mal) as kopia:
        kalla.backup(kopia)
        kontroll = kopia.execute("PRAGMA integrity_check").fetchone()[0]
    if kontroll != "ok":
        print(f"Fel: kopian klarade inte integritetskontrollen ({kontroll}).", file=sys.stderr)
        return 1
    print(f"Säkerhetskopia skriven: {mal} ({mal.stat().st_size:,} byte, integritetskontroll ok).".replace(",", " "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
