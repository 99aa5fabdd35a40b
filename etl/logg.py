"""The ETL's log file for IT: every line (tracebacks included) redacted, rotated, never shown to users."""

from __future__ import annotations

import logging
import logging.handlers
import os
import tempfile
from pathlib import Path

from sakerhet import maskera

LOGG = logging.getLogger("etl")
LOGG.addHandler(logging.NullHandler())  # a library caller (tests, the dashboard) gets no log output unless it asks
STANDARD_LOGGFIL = "data/logg/etl.log"


class _Maskerad(logging.Formatter):
    """Formats a record, traceback included, and replaces every personnummer in the result."""

    def format(self, record: logging.LogRecord) -> str:
        return maskera(super().format(record))


def starta(sokvag: str | os.PathLike | None = None) -> Path:
    """Send the 'etl' logger to a rotating file ($VU_ETL_LOGG, else data/logg/etl.log, else the temp folder); returns its path."""
    kandidater = [Path(sokvag)] if sokvag else []
    kandidater += [Path(os.environ["VU_ETL_LOGG"])] if os.environ.get("VU_ETL_LOGG") else []
    kandidater += [Path(STANDARD_LOGGFIL), Path(tempfile.gettempdir()) / "verksamhetsuppfoljning-etl.log"]
    for kandidat in kandidater:
        try:
            kandidat.parent.mkdir(parents=True, exist_ok=True)
            hanterare = logging.handlers.RotatingFileHandler(kandidat, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
        except OSError:
            continue  # e.g. a read-only data folder: the next place
        hanterare.setFormatter(_Maskerad("%(asctime)s %(levelname)s %(message)s"))
        for gammal in [h for h in LOGG.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]:
            LOGG.removeHandler(gammal)
            gammal.close()
        LOGG.addHandler(hanterare)
        LOGG.setLevel(logging.INFO)
        return kandidat.resolve()
    return Path(os.devnull)
