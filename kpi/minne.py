"""Facts computed once per lake connection: a connection is a snapshot of the lake, so they never go stale.

Latest months, data spans, targets of a year and the manual indicator ids are asked for by every page function; at city
scale each small statement costs milliseconds of planning, so they are read once per connection (i.e. per data version
in the app) and shared by every session and page."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

import duckdb

T = TypeVar("T")
_MINNE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection → {key: fact}
_LASAR: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection → {key: the lock its first computation holds}
_LAS = threading.Lock()


def per_anslutning(con: duckdb.DuckDBPyConnection, nyckel: tuple, berakna: Callable[[], T]) -> T:
    """`berakna()` once per connection and key: the sessions that ask while the first computes wait for its answer
    (a rush on a new data version would otherwise compute every fact once per session)."""
    with _LAS:
        minne = _MINNE.setdefault(con, {})
        las = _LASAR.setdefault(con, {}).setdefault(nyckel, threading.Lock())
    if nyckel not in minne:
        with las:  # one lock per key: a fact computed from other facts (filterlistor) takes their locks, never its own
            if nyckel not in minne:
                minne[nyckel] = berakna()
    return minne[nyckel]
