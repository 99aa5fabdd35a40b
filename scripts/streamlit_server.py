"""Start the dashboard (scripts/starta.py, as `make start` does) on a free loopback port in 8501–8510 for tests; always stopped."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROT = Path(__file__).resolve().parent.parent
PORTAR = range(8501, 8511)


def ledig_port() -> int:
    """The first port in 8501–8510 nobody listens on (loopback only)."""
    for port in PORTAR:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("Ingen ledig port i 8501–8510")


@contextlib.contextmanager
def server(
    parquet: str, raw: str | None = None, vanta_s: float = 60, secrets: Path | None = None, env: dict | None = None, port: int | None = None
) -> Iterator[str]:
    """Run the dashboard against a Parquet root; yields its base URL and kills the process group afterwards.

    secrets: a secrets.toml to use (with [auth]: login mode); default an empty one, so a developer's own
    .streamlit/secrets.toml never changes what the tests see. env: extra environment (VU_BEHORIGHETER, …)."""
    port = port or ledig_port()
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    if secrets is None:
        secrets = tmp / "vu_inga_hemligheter.toml"
        secrets.write_text("# lokalt läge: ingen [auth]\n", encoding="utf-8")
    env = {**os.environ, "VU_PARQUET": str(parquet), "VU_RAW": str(raw or Path(parquet) / "_ingen_raw"), **(env or {})}
    logg = open(tmp / f"vu_streamlit_{port}.log", "w")
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROT / "scripts" / "starta.py"),
            "--secrets.files",
            str(secrets),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROT,
        env=env,
        stdout=logg,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        slut = time.monotonic() + vanta_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Streamlit avslutades direkt (kod {process.returncode}), se {logg.name}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as svar:
                    if svar.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > slut:
                raise RuntimeError(f"Streamlit svarade inte inom {vanta_s} s, se {logg.name}")
            time.sleep(0.3)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        logg.close()
