"""What the data holds: latest month, years, units, queues, förvaltningar — for the UI's filters and defaults."""

from __future__ import annotations

from datetime import date

import duckdb

import lake

# Month-grained fact tables and their month column; the order is irrelevant (max over all).
# The telephony tables are read through their monthly marts: the same months and queues at a fraction of the rows.
_MANADSTABELLER = {
    "volymer": "manad",
    "bemanning": "manad",
    "telefoni_manad": "manad",
    "samtal_manad": "manad",
    "sjukfranvaro": "manad",
    "ekonomi": "manad",
    "prognos": "prognosmanad",
}
# Rows that count as data: a year-to-date economy extract carries budget for months not yet booked.
_HAR_DATA = {"ekonomi": "utfall_kr IS NOT NULL"}
# Where units appear: the unit column of each table (ekonomi/prognos call it ansvar).
_ENHETSKOLUMNER = {
    "volymer": "enhet",
    "bemanning": "enhet",
    "sjukfranvaro": "enhet",
    "ekonomi": "ansvar",
    "prognos": "ansvar",
    "mal": "enhet",
    "indikatorer": "enhet",
}


def senaste_manad(con: duckdb.DuckDBPyConnection, tabeller: tuple[str, ...] | None = None) -> date | None:
    """Latest month with data in any (or the given) month tables; None when the lake is empty."""
    marts = {"telefoni": "telefoni_manad", "samtal": "samtal_manad"}
    names = [marts.get(t, t) for t in (tabeller or _MANADSTABELLER) if marts.get(t, t) in _MANADSTABELLER]
    if not names:
        raise ValueError("Inga månadstabeller angivna")
    sql = " UNION ALL ".join(f"SELECT max({_MANADSTABELLER[t]}) AS m FROM {t} WHERE {_HAR_DATA.get(t, 'true')}" for t in names)
    return lake.query(con, f"SELECT max(m) AS m FROM ({sql})")["m"][0]


def tillgangliga_ar(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with data in any month table, ascending."""
    sql = " UNION ".join(f"SELECT DISTINCT year({c}) AS ar FROM {t} WHERE {_HAR_DATA.get(t, 'true')}" for t, c in _MANADSTABELLER.items())
    return [int(a) for a in lake.query(con, f"SELECT ar FROM ({sql}) WHERE ar IS NOT NULL ORDER BY ar")["ar"]]


def _distinct(con: duckdb.DuckDBPyConnection, columns: dict[str, str]) -> list[str]:
    sql = " UNION ".join(f"SELECT DISTINCT {c} AS v FROM {t}" for t, c in columns.items())
    return lake.query(con, f"SELECT v FROM ({sql}) WHERE v IS NOT NULL AND v <> '' ORDER BY v")["v"].to_list()


def enheter(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Units found anywhere in the data (free text, never a fixed list), sorted."""
    return _distinct(con, _ENHETSKOLUMNER)


def koer(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Telephony queues in the interval report and the call log, sorted."""
    return _distinct(con, {"telefoni_manad": "ko", "samtal_manad": "ko"})


def forvaltningar(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Förvaltningar in the volumes, sorted."""
    return _distinct(con, {"volymer": "forvaltning"})
