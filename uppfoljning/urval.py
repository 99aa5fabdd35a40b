"""What the app and the reports follow up for a selection: the period (tertial or year), the units analyses are written for, the database."""

from __future__ import annotations

import threading

from kpi.period import Filters, Period, tertial_of
from uppfoljning.lagring import Uppfoljningsdatabas

_DATABASER: dict[str | None, Uppfoljningsdatabas] = {}
_LAS = threading.Lock()


def uppfoljningsperiod(period: Period) -> Period:
    """The follow-up period a selection falls in: a tertial or year as it is; a month (or January to a month) → its tertial."""
    if period.month is None and not period.ytd:
        return period
    return Period(period.year, tertial=tertial_of(period.end.month))


def analysenheter(filters: Filters) -> list[str | None]:
    """The units whose analyses belong to the selection: the chosen (or, for an enhetschef, own) units, else [None] = hela verksamheten."""
    return list(filters.units) if filters.units else [None]


def standarddatabas(url: str | None = None) -> Uppfoljningsdatabas:
    """One store per database URL for the whole process (pages, downloads and reports share its connection pool)."""
    from uppfoljning.databas import databas_url

    nyckel = databas_url(url)
    with _LAS:
        if nyckel not in _DATABASER:
            _DATABASER[nyckel] = Uppfoljningsdatabas(nyckel)
        return _DATABASER[nyckel]
