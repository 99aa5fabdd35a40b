"""What the data holds: latest month, years, units, queues, förvaltningar — for the UI's filters and defaults."""

from __future__ import annotations

from datetime import date

import duckdb

import lake
from kpi.minne import per_anslutning
from lake.schema import enhetstabeller, manadstabeller

_MANADSTABELLER = manadstabeller()  # source → the table read for its months (the mart for telephony)
_ENHETSTABELLER = enhetstabeller()


def senaste_manad(con: duckdb.DuckDBPyConnection, tabeller: tuple[str, ...] | None = None) -> date | None:
    """Latest month with data in any (or the given) month tables; None when the lake is empty."""
    tabeller = [_MANADSTABELLER[t] for t in (tabeller or _MANADSTABELLER) if t in _MANADSTABELLER]
    if not tabeller:
        raise ValueError("Inga månadstabeller angivna")
    sql = " UNION ALL ".join(f"SELECT max({t.manad}) AS m FROM {t.name} WHERE {t.har_data}" for t in tabeller)
    return per_anslutning(con, ("senaste_manad", *(t.name for t in tabeller)), lambda: lake.query(con, f"SELECT max(m) AS m FROM ({sql})")["m"][0])


def tillgangliga_ar(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with data in any month table, ascending."""
    sql = " UNION ".join(f"SELECT DISTINCT year({t.manad}) AS ar FROM {t.name} WHERE {t.har_data}" for t in _MANADSTABELLER.values())
    return [int(a) for a in lake.query(con, f"SELECT ar FROM ({sql}) WHERE ar IS NOT NULL ORDER BY ar")["ar"]]


def _distinct(con: duckdb.DuckDBPyConnection, columns: dict[str, str]) -> list[str]:
    sql = " UNION ".join(f"SELECT DISTINCT {c} AS v FROM {t}" for t, c in columns.items())
    return lake.query(con, f"SELECT v FROM ({sql}) WHERE v IS NOT NULL AND v <> '' ORDER BY v")["v"].to_list()


def enheter(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Units found anywhere in the data (free text, never a fixed list), sorted."""
    return _distinct(con, {t.name: t.enhet for t in _ENHETSTABELLER.values()})


def koer(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Telephony queues in the interval report and the call log, sorted."""
    return _distinct(con, {t.name: t.ko for t in _MANADSTABELLER.values() if t.ko})


def forvaltningar(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Förvaltningar in the volumes, sorted."""
    return _distinct(con, {"volymer": "forvaltning"})


def filterlistor(con: duckdb.DuckDBPyConnection) -> dict:
    """Latest month, years, units, queues and förvaltningar: what every page's filters need, read once per connection."""
    return per_anslutning(
        con,
        ("filterlistor",),
        lambda: {
            "senaste_manad": senaste_manad(con),
            "ar": tillgangliga_ar(con),
            "enheter": enheter(con),
            "koer": koer(con),
            "forvaltningar": forvaltningar(con),
        },
    )
