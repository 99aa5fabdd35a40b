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
_MINNE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LAS = threading.Lock()


def per_anslutning(con: duckdb.DuckDBPyConnection, nyckel: tuple, berakna: Callable[[], T]) -> T:
    """`berakna()` once per connection and key (two threads may both compute the first time; the result is the same)."""
    with _LAS:
        minne = _MINNE.setdefault(con, {})
    if nyckel not in minne:
        minne[nyckel] = berakna()
    return minne[nyckel]
