"""A throwaway PostgreSQL server for tests: Debian's binaries, a temp data dir, a free loopback port, stopped afterwards."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

BINARER = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))


class PostgresSaknas(RuntimeError):
    """PostgreSQL could not be started; the message says why and how to fix it."""


def _fri_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    """A running server; `url(db)` gives a SQLAlchemy URL, `ny_databas()` a fresh empty database."""

    katalog: Path
    bin: Path
    port: int
    som_postgres: bool

    def _kor(self, *argv: str, timeout: int = 60) -> subprocess.CompletedProcess:
        # initdb and postgres refuse to run as root: then they run as the postgres system user.
        prefix = ["runuser", "-u", "postgres", "--"] if self.som_postgres else []
        return subprocess.run([*prefix, *argv], capture_output=True, text=True, timeout=timeout)

    def url(self, databas: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{databas}"

    def ny_databas(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        namn = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{namn}"')
        return self.url(namn)

    def stoppa(self) -> None:
        self._kor(str(self.bin / "pg_ctl"), "-D", str(self.katalog / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.katalog, ignore_errors=True)


def starta() -> PostgresServer:
    """Start a server (raises PostgresSaknas with a readable reason when it cannot)."""
    if not BINARER:
        raise PostgresSaknas("PostgreSQL saknas (/usr/lib/postgresql/*/bin/initdb). Kör scripts/ensure_system.sh (installerar paketet postgresql).")
    foredragen = [b for b in BINARER if b.parent.parent.name == "15"]
    bin_ = (foredragen or BINARER[-1:])[0].parent
    som_postgres = os.geteuid() == 0
    # Not under pytest's tmp dir: that is root-only (0700), and the server runs as the postgres user.
    katalog = Path(tempfile.mkdtemp(prefix="vu-pg-"))
    server = PostgresServer(katalog, bin_, _fri_port(), som_postgres)
    if som_postgres:
        shutil.chown(katalog, "postgres", "postgres")
    data = katalog / "data"
    steg = [
        (str(bin_ / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "-N"),
        (
            str(bin_ / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(katalog / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {server.port} -k {katalog} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50",
            "start",
        ),
    ]
    for argv in steg:
        svar = server._kor(*argv)
        if svar.returncode != 0:
            logg = (katalog / "server.log").read_text(errors="replace") if (katalog / "server.log").exists() else ""
            shutil.rmtree(katalog, ignore_errors=True)
            raise PostgresSaknas(f"{Path(argv[0]).name} misslyckades ({svar.returncode}):\n{svar.stdout}\n{svar.stderr}\n{logg}")
    return server
