"""How many page views the server renders at once; the others wait their turn in the order they came (docs/prestanda.md).

Python runs one thread at a time. Twenty page views started together share the interpreter and all finish late,
together, behind the slowest, while the server's send loop hardly gets a turn to deliver what is done; a session that
finished early opens its next page and slows the rest further. Taken in turns, the first users get their page
first, and the total work is the same (or less: fewer thread switches).
"""

from __future__ import annotations

import collections
import contextlib
import os
import threading
from collections.abc import Iterator

# Two: one view in Python while another waits on DuckDB, which works outside the interpreter lock. Measured with
# scripts/lasttest.py against none and three (docs/prestanda.md). VU_SAMTIDIGA_SIDOR overrides; 0 turns the queue off.
SAMTIDIGA_SIDOR = int(os.environ.get("VU_SAMTIDIGA_SIDOR", "2"))
# A view that waits this long runs anyway: a queue must never be the reason a page does not open.
LANGSTA_VANTAN_S = 20.0


class Turordning:
    """At most `platser` holders at a time; a freed place goes straight to the longest waiter (never to a newcomer)."""

    def __init__(self, platser: int):
        self._las = threading.Lock()
        self._lediga = platser
        self._ko: collections.deque[threading.Event] = collections.deque()

    def ta(self, timeout_s: float) -> bool:
        """Wait for a place (FIFO); False when none came within timeout_s."""
        with self._las:
            if self._lediga > 0 and not self._ko:
                self._lediga -= 1
                return True
            min_tur = threading.Event()
            self._ko.append(min_tur)
        if min_tur.wait(timeout_s):
            return True
        with self._las:
            if min_tur.is_set():  # handed over just as the wait ran out
                return True
            self._ko.remove(min_tur)
            return False

    def lamna(self) -> None:
        """Give the place to the longest waiter, or free it."""
        with self._las:
            if self._ko:
                self._ko.popleft().set()
            else:
                self._lediga += 1

    @property
    def vantande(self) -> int:
        """How many wait now."""
        with self._las:
            return len(self._ko)


_TUR = Turordning(SAMTIDIGA_SIDOR) if SAMTIDIGA_SIDOR > 0 else None
_TRAD = threading.local()  # .plats: the Turordning whose place this thread holds now, if any


@contextlib.contextmanager
def tur(turordning: Turordning | None = _TUR, timeout_s: float = LANGSTA_VANTAN_S) -> Iterator[None]:
    """Run the block when it is this view's turn; the place is given back however the block ends (st.stop, rerun)."""
    _TRAD.plats = turordning if turordning is not None and turordning.ta(timeout_s) else None
    try:
        yield
    finally:
        if _TRAD.plats is not None:
            _TRAD.plats.lamna()
        _TRAD.plats = None


@contextlib.contextmanager
def utan_tur(timeout_s: float = LANGSTA_VANTAN_S) -> Iterator[None]:
    """A long wait inside a view (an ETL run) lets others have the place meanwhile; the view queues again after it."""
    plats = getattr(_TRAD, "plats", None)
    if plats is not None:
        plats.lamna()
        _TRAD.plats = None
    try:
        yield
    finally:
        if plats is not None:
            _TRAD.plats = plats if plats.ta(timeout_s) else None
