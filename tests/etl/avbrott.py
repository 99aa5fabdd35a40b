"""Child side of the fault tests: run the ETL and kill this process with SIGKILL at its n-th file-system change."""

from __future__ import annotations

import os
import pathlib
import signal
import threading
from datetime import date

import polars as pl

import etl  # imported here, so a forkserver that preloads this module starts children with everything loaded

# The calls by which the ETL changes the file system: writing Parquet, renaming, deleting, writing text.
_MUTERANDE = [(pl.DataFrame, "write_parquet"), (os, "replace"), (os, "rename"), (os, "unlink"), (pathlib.Path, "write_text")]


def kor_och_do_vid(raw: str, parquet: str, karantan: str, dodspunkt: int, idag: date, raknarfil: str) -> None:
    """Run the ETL; at the `dodspunkt`-th change (1-based) SIGKILL this process before the change happens. 0 = never.

    The number of changes a whole run made is written to `raknarfil` (only when it was not killed)."""
    raknare = [0]
    las = threading.Lock()

    def vakt(funktion):
        def inner(*args, **kwargs):
            with las:
                raknare[0] += 1
                nu = raknare[0]
            if nu == dodspunkt:
                os.kill(os.getpid(), signal.SIGKILL)
            return funktion(*args, **kwargs)

        return inner

    original = {(agare, namn): getattr(agare, namn) for agare, namn in _MUTERANDE}
    for (agare, namn), funktion in original.items():
        setattr(agare, namn, vakt(funktion))
    try:
        etl.run(raw, parquet, karantan, idag=idag)
    finally:
        for (agare, namn), funktion in original.items():
            setattr(agare, namn, funktion)
    pathlib.Path(raknarfil).write_text(str(raknare[0]), encoding="utf-8")
