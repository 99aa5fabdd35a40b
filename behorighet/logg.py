"""The access log: one JSON line per sign-in, page view, refusal, download and report, appended and never rewritten."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from behorighet.mappning import Anvandare
from sakerhet import maskera_allt

ROT = Path(__file__).resolve().parent.parent
STANDARDFIL = ROT / "data" / "logg" / "atkomst.jsonl"
MILJOVARIABEL = "VU_ATKOMSTLOGG"
HANDELSER = ("inloggning", "utloggning", "sida", "nekad", "nedladdning", "rapport", "etl", "leverans")

_SKRIVLAS = threading.Lock()


class Loggfel(OSError):
    """The access log cannot be written (Swedish text; the app then shows no data rather than showing it unlogged)."""


def loggfil() -> Path:
    """The log file: $VU_ATKOMSTLOGG, else data/logg/atkomst.jsonl."""
    return Path(os.environ.get(MILJOVARIABEL) or STANDARDFIL)


def post(handelse: str, anvandare: Anvandare | str, **falt) -> dict:
    """One log record: time (UTC), event, who and their roles, then the event's own fields; personnummer masked."""
    if handelse not in HANDELSER:
        raise ValueError(f"Okänd händelse i åtkomstloggen: {handelse}")
    vem = anvandare if isinstance(anvandare, str) else anvandare.id
    rad = {"tid": datetime.now(UTC).isoformat(timespec="milliseconds"), "handelse": handelse, "anvandare": vem}
    if isinstance(anvandare, Anvandare):
        rad["roller"] = sorted(anvandare.roller)
    rad.update({k: list(v) if isinstance(v, tuple) else v for k, v in falt.items() if v is not None})
    # Claims, file names and unit names come from outside; a personnummer among them must never reach the file.
    return maskera_allt(rad)


def logga(handelse: str, anvandare: Anvandare | str, **falt) -> dict:
    """Append one record to the access log (one write with O_APPEND, so concurrent sessions never interleave a line)."""
    rad = post(handelse, anvandare, **falt)
    data = (json.dumps(rad, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    fil = loggfil()
    try:
        fil.parent.mkdir(parents=True, exist_ok=True)
        with _SKRIVLAS:
            fd = os.open(fil, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
    except OSError as fel:
        raise Loggfel(f"Åtkomstloggen {fil} kan inte skrivas ({fel.strerror or fel}). Kontakta IT.") from None
    return rad


def las_logg(fil: Path | None = None) -> list[dict]:
    """Every record of the log, oldest first (for tests and for `python -m behorighet --logg`)."""
    fil = fil or loggfil()
    if not fil.exists():
        return []
    return [json.loads(r) for r in fil.read_text(encoding="utf-8").splitlines() if r.strip()]
