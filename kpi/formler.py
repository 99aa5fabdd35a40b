"""Every KPI formula as DuckDB SQL: one query per formula family returns Σ numerators and Σ denominators per period bucket and group."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

import duckdb

import lake
from kpi import sekretess, sql
from kpi.catalogue import CATALOGUE, Indicator
from kpi.minne import per_anslutning
from kpi.period import Filters, add_months
from lake.schema import TABLES


def _buckets_cte(name: str = "b", suffix: str = "") -> str:
    """Buckets arrive as bound parallel lists, so the SQL text never changes with the period."""
    return f"""{name} AS (
    SELECT unnest($b_start{suffix}::DATE[]) AS period_start, unnest($b_slut{suffix}::DATE[]) AS period_slut,
           unnest($b_fonster{suffix}::DATE[]) AS fonster_start, unnest($b_label{suffix}::VARCHAR[]) AS period)"""


# Families whose groups may be too small to show (sick leave): the least number of employees per shown group.
SKYDDADE_FAMILJER = {i.familj: i.minsta_antal_anstallda for i in CATALOGUE.values() if i.minsta_antal_anstallda}
_VILLKOR = Filters()
# Weekday × hour groups on the telefoni_vecka mart: '1|08' = Monday 08:00–08:59, '08' = 08:00–08:59 any day.
_VECKODAG_TIMME = "d.veckodag::VARCHAR || '|' || lpad(d.timme::VARCHAR, 2, '0')"
_TIMME = "lpad(d.timme::VARCHAR, 2, '0')"  # the SQL text of a filter condition does not depend on the values (they are bound)


def _valda(dimension: str, kolumn: str) -> str:
    """The selection's condition on a column (Filters owns the SQL; values are bound as $units/$queues/$forvaltningar)."""
    return _VILLKOR.villkor(dimension, kolumn)[0]


# Every month of every bucket's window (a month may sit in several rolling windows): an equality join on the
# month is a hash join, which stays fast on call logs of tens of millions of rows, unlike a range join.
_BUCKET_MONTHS = """bm AS (
    SELECT b.*, CAST(unnest(generate_series(b.fonster_start, b.period_slut, INTERVAL 1 MONTH)) AS DATE) AS manad
    FROM b)"""


def _join_months(table: str, column: str = "manad") -> str:
    return f"FROM bm b JOIN {table} d ON d.{column} = b.manad"


# Sums over category/role subsets are coalesced to 0: a row exists only where the table has data for the bucket,
# so a delivered month without pension cases has 0 cases, not missing ones.
# Each family: SQL producing one row per (period_start, grupp) with the family's aggregate columns,
# and the grouping columns it allows (fixed allow-list; the group expression is never user text).
# `{g}` is the group expression, '' when not grouped, so joins on grupp also work ungrouped.
FAMILJER: dict[str, dict] = {
    "volymer": {
        "grupper": {"enhet": "d.enhet", "forvaltning": "d.forvaltning"},
        "sql": f"""
            SELECT b.period_start, {{g}} AS grupp,
                   coalesce(sum(d.antal) FILTER ({sql.ARE_MASKINELL}), 0) AS maskinell,
                   coalesce(sum(d.antal) FILTER ({sql.ARE_MANUELL}), 0) AS manuell,
                   coalesce(sum(d.antal) FILTER ({sql.LONESPEC}), 0) AS lonespec,
                   coalesce(sum(d.antal) FILTER ({sql.PENSIONSARENDEN}), 0) AS pensionsarenden
            {_join_months("volymer")}
            WHERE {_valda("enhet", "d.enhet")} AND {_valda("forvaltning", "d.forvaltning")}
            GROUP BY ALL""",
    },
    "produktivitet": {
        "grupper": {"enhet": "d.enhet"},
        "sql": f"""
            WITH v AS (
                SELECT b.period_start, {{g}} AS grupp,
                       coalesce(sum(d.antal) FILTER ({sql.LONESPEC}), 0) AS lonespec,
                       coalesce(sum(d.antal) FILTER ({sql.PENSIONSARENDEN}), 0) AS pensionsarenden
                {_join_months("volymer")}
                WHERE {_valda("enhet", "d.enhet")}
                GROUP BY ALL),
            f AS (
                SELECT b.period_start, {{g}} AS grupp,
                       coalesce(sum(d.arsarbetare) FILTER ({sql.ARE_LONEADM}), 0) AS fte_manader_loneadm,
                       coalesce(sum(d.arsarbetare) FILTER ({sql.ARE_LON_ELLER_PENSION}), 0) AS fte_manader_lon_pension,
                       coalesce(sum(d.arsarbetare) FILTER ({sql.ARE_PENSIONSHANDL}), 0) AS fte_manader_pension
                {_join_months("bemanning")}
                WHERE {_valda("enhet", "d.enhet")}
                GROUP BY ALL),
            k AS (
                SELECT b.period_start, {{g_ansvar}} AS grupp,
                       coalesce(sum(d.utfall_kr) FILTER ({sql.ARE_KOSTNAD}), 0) AS kostnader
                {_join_months("ekonomi")}
                WHERE {_valda("enhet", "d.ansvar")}
                GROUP BY ALL)
            SELECT period_start, grupp, v.lonespec, v.pensionsarenden, f.fte_manader_loneadm,
                   f.fte_manader_lon_pension, f.fte_manader_pension, k.kostnader
            FROM v FULL JOIN f USING (period_start, grupp) FULL JOIN k USING (period_start, grupp)""",
    },
    # Both telephony families read the marts the ETL writes (lake.schema.MARTS): the same sums at a fraction of the
    # rows — per month and queue, and per month, queue, weekday and hour for the heatmaps and Erlang C.
    "telefoni": {
        # veckodag_timme ('1|08' = Monday 08:00–08:59) feeds the weekday × time-of-day heatmaps, timme ('08') Erlang C
        "grupper": {"ko": "d.ko", "veckodag_timme": _VECKODAG_TIMME, "timme": _TIMME},
        "tabell": {None: "telefoni_manad", "ko": "telefoni_manad", "veckodag_timme": "telefoni_vecka", "timme": "telefoni_vecka"},
        "sql": f"""
            SELECT b.period_start, {{g}} AS grupp,
                   sum(d.inkommande) AS inkommande,
                   sum(d.besvarade) AS besvarade,
                   sum(d.besvarade_inom_25s) AS inom_troskel,
                   sum(d.avbrutna) AS avbrutna,
                   -- short abandons only when every interval reports them; a partial sum would mislead
                   CASE WHEN {{intervall_med_korta}} = {{intervall}} THEN sum(d.avbrutna_inom_5s) END AS avbrutna_inom_5s,
                   sum(d.total_vantetid_s) AS vantetid_s,
                   sum(d.total_samtalstid_s) + sum(d.total_efterarbetstid_s) AS hanteringstid_s,
                   CASE $servicegrad_definition
                        WHEN 'besvarade' THEN sum(d.besvarade)
                        WHEN 'inkommande_utan_korta_avbrutna' THEN
                             CASE WHEN {{intervall_med_korta}} = {{intervall}}
                                  THEN sum(d.inkommande) - sum(d.avbrutna_inom_5s) END
                        ELSE sum(d.inkommande) END AS servicegrad_namnare
            {_join_months("{tabell}")}
            WHERE {_valda("ko", "d.ko")}
            GROUP BY ALL""",
    },
    # Calls per day: the weekday × hour sums over the days the selected queues had intervals (of that weekday when
    # grouped by weekday and hour), so an hour without calls on a day counts as zero calls, not as a missing day.
    "telefoni_dag": {
        "grupper": {"veckodag_timme": _VECKODAG_TIMME, "timme": _TIMME},
        "sql": f"""
            WITH s AS (
                SELECT b.period_start, {{g}} AS grupp, {{veckodag}} AS veckodag,
                       sum(d.inkommande) AS inkommande, sum(d.besvarade) AS besvarade
                {_join_months("telefoni_vecka")}
                WHERE {_valda("ko", "d.ko")}
                GROUP BY ALL),
            dg AS (
                SELECT b.period_start, {{veckodag_dag}} AS veckodag, count(DISTINCT d.datum) AS dagar
                {_join_months("telefoni_dagar")}
                WHERE {_valda("ko", "d.ko")}
                GROUP BY ALL)
            SELECT s.period_start, s.grupp, s.inkommande, s.besvarade, dg.dagar
            FROM s JOIN dg ON dg.period_start = s.period_start AND dg.veckodag = s.veckodag""",
    },
    "samtal": {
        "grupper": {"ko": "d.ko"},
        "sql": f"""
            SELECT b.period_start, {{g}} AS grupp,
                   sum(d.samtal) AS inkommande,
                   coalesce(sum(d.samtal) FILTER (d.besvarad), 0) AS besvarade,
                   coalesce(sum(d.samtal) FILTER (d.besvarad AND d.vantetid_tak_s <= $troskel_s), 0) AS inom_troskel,
                   coalesce(sum(d.samtal) FILTER (NOT d.besvarad), 0) AS avbrutna,
                   coalesce(sum(d.samtal) FILTER (NOT d.besvarad AND d.vantetid_tak_s <= 5), 0) AS avbrutna_inom_5s,
                   sum(d.vantetid_s) FILTER (d.besvarad) AS vantetid_s,
                   sum(d.hanteringstid_s) FILTER (d.besvarad) AS hanteringstid_s,
                   CASE $servicegrad_definition
                        WHEN 'besvarade' THEN coalesce(sum(d.samtal) FILTER (d.besvarad), 0)
                        WHEN 'inkommande_utan_korta_avbrutna' THEN sum(d.samtal) - coalesce(sum(d.samtal) FILTER (NOT d.besvarad AND d.vantetid_tak_s <= 5), 0)
                        ELSE sum(d.samtal) END AS servicegrad_namnare
            {_join_months("samtal_manad")}
            WHERE {_valda("ko", "d.ko")}
            GROUP BY ALL""",
    },
    "sjukfranvaro": {
        "grupper": {"enhet": "d.enhet"},
        "sql": f"""
            SELECT b.period_start, {{g}} AS grupp,
                   sum(d.sjuk_dag1_14_h) + sum(d.sjuk_dag15_h) AS sjuk_h,
                   sum(d.sjuk_dag1_14_h) AS sjuk_dag1_14_h,
                   sum(d.sjuk_dag15_h) AS sjuk_dag15_h,
                   sum(d.ordinarie_arbetstid_h) AS ordinarie_h,
                   -- average headcount per month of the selection (for the small-group rule)
                   sum(d.anstallda) / count(DISTINCT d.manad) AS anstallda,
                   max(d.manad) AS senaste_manad
            {_join_months("sjukfranvaro")}
            WHERE {_valda("enhet", "d.enhet")}
            GROUP BY ALL""",
    },
    "ekonomi": {
        "grupper": {"enhet": "d.ansvar", "kontogrupp": "d.kontogrupp", "typ": "d.typ"},
        "sql": f"""
            SELECT b.period_start, {{g}} AS grupp,
                   -- months not yet booked (Utfall empty in a year-to-date extract) are missing, not zero
                   CASE WHEN count(d.utfall_kr) > 0 THEN coalesce(sum(d.utfall_kr) FILTER ({sql.ARE_INTAKT}), 0) END AS intakter,
                   CASE WHEN count(d.utfall_kr) > 0 THEN coalesce(sum(d.utfall_kr) FILTER ({sql.ARE_KOSTNAD}), 0) END AS kostnader,
                   sum({sql.SIGNERAT_UTFALL}) AS resultat,
                   -- budget of the booked rows only, so the budget deviation compares the same months
                   sum({sql.SIGNERAD_BUDGET}) FILTER ({sql.BOKFORD}) AS budget_resultat,
                   sum({sql.SIGNERAT_UTFALL}) - sum({sql.SIGNERAD_BUDGET}) FILTER ({sql.BOKFORD}) AS budgetavvikelse,
                   -- unsigned amounts of the same rows (an account group is revenue or cost) and the turnover that
                   -- sets the tolerance of a 0-kr target
                   sum(d.budget_kr) FILTER ({sql.BOKFORD}) AS budget_bokford,
                   sum(d.utfall_kr) AS utfall_belopp,
                   coalesce(sum(d.budget_kr) FILTER ({sql.BOKFORD} AND {sql.ARE_KOSTNAD}), 0) AS budget_kostnader
            {_join_months("ekonomi")}
            WHERE {_valda("enhet", "d.ansvar")}
            GROUP BY ALL""",
    },
    # Latest forecast per ansvar with prognosmånad ≤ the bucket's last month in the same year, so a unit
    # that skipped a forecast month still contributes its most recent forecast. Compared with the whole year's budget.
    # Grouped finer than ansvar (account group), a group missing on one side counts as 0 for a unit that has both a
    # forecast and a budget, so the groups add up to the unit's figure.
    "prognos": {
        "grupper": {"enhet": "d.ansvar", "kontogrupp": "d.kontogrupp", "typ": "d.typ"},
        "sql": f"""
            WITH senaste AS (
                SELECT b.period_start, d.ansvar, max(d.prognosmanad) AS prognosmanad
                FROM b JOIN prognos d
                  ON d.prognosmanad <= b.period_slut AND year(d.prognosmanad) = year(b.period_slut)
                WHERE {_valda("enhet", "d.ansvar")}
                GROUP BY ALL),
            p AS (
                SELECT s.period_start, d.ansvar, {{g}} AS grupp, max(s.prognosmanad) AS prognosmanad,
                       sum({sql.SIGNERAD_PROGNOS}) AS prognos_resultat, sum(d.helarsprognos_kr) AS prognos_belopp
                FROM senaste s JOIN prognos d ON d.ansvar = s.ansvar AND d.prognosmanad = s.prognosmanad
                GROUP BY ALL),
            ar AS (
                SELECT b.period_start, d.ansvar, {{g}} AS grupp, sum({sql.SIGNERAD_BUDGET}) AS budget_ar,
                       sum(d.budget_kr) AS budget_ar_belopp,
                       coalesce(sum(d.budget_kr) FILTER ({sql.ARE_KOSTNAD}), 0) AS budget_kostnader_ar
                FROM b JOIN ekonomi d ON year(d.manad) = year(b.period_slut)
                WHERE {_valda("enhet", "d.ansvar")}
                GROUP BY ALL),
            har AS (SELECT period_start, ansvar FROM p INTERSECT SELECT period_start, ansvar FROM ar),
            rader AS (
                SELECT period_start, ansvar, grupp, p.prognosmanad,
                       CASE WHEN h.ansvar IS NOT NULL THEN coalesce(p.prognos_resultat, 0) ELSE p.prognos_resultat END AS prognos_resultat,
                       CASE WHEN h.ansvar IS NOT NULL THEN coalesce(p.prognos_belopp, 0) ELSE p.prognos_belopp END AS prognos_belopp,
                       CASE WHEN h.ansvar IS NOT NULL THEN coalesce(ar.budget_ar, 0) ELSE ar.budget_ar END AS budget_ar,
                       ar.budget_ar_belopp, ar.budget_kostnader_ar, h.ansvar IS NOT NULL AS jamforbar
                FROM p FULL JOIN ar USING (period_start, ansvar, grupp) LEFT JOIN har h USING (period_start, ansvar)
                WHERE p.ansvar IS NOT NULL OR h.ansvar IS NOT NULL)
            SELECT period_start, grupp, max(prognosmanad) AS prognosmanad, sum(prognos_resultat) AS prognos_resultat,
                   sum(prognos_belopp) AS prognos_belopp, sum(budget_ar) FILTER (jamforbar) AS budget_ar,
                   sum(budget_ar_belopp) FILTER (jamforbar) AS budget_ar_belopp,
                   sum(budget_kostnader_ar) FILTER (jamforbar) AS budget_kostnader_ar,
                   sum(prognos_resultat) FILTER (jamforbar) - sum(budget_ar) FILTER (jamforbar) AS prognosavvikelse
            FROM rader GROUP BY ALL""",
    },
    # Manual indicators carry no denominator, so several rows are never averaged: the row for exactly the
    # bucket wins, else the latest measurement inside it, else a coarser one covering it (e.g. the year's survey).
    "manuell": {
        "grupper": {"enhet": "d.enhet"},
        "sql": """
            WITH kandidater AS (
                SELECT b.period_start, b.period_slut, {g} AS grupp, d.indikator, d.utfall, d.period AS kalla_period,
                       d.enhet IS NULL AS hela_verksamheten,
                       CASE WHEN d.period_start = b.period_start AND date_trunc('month', d.period_slut) = b.period_slut THEN 0
                            WHEN d.period_start >= b.period_start AND date_trunc('month', d.period_slut) <= b.period_slut THEN 1
                            ELSE 2 END AS passform,
                       -- one selected unit: its own value beats the whole-operation value
                       CASE WHEN d.enhet IS NOT NULL THEN 0 ELSE 1 END AS enhetsordning,
                       d.period_slut AS kalla_slut
                FROM b JOIN indikatorer d
                  ON d.period_start <= b.period_slut AND date_trunc('month', d.period_slut) >= b.fonster_start
                 AND (d.period_start >= b.fonster_start OR date_trunc('month', d.period_slut) >= b.period_slut)
                WHERE list_contains($indikatorer::VARCHAR[], d.indikator)
                  AND CASE WHEN $grupperad THEN d.enhet IS NOT NULL
                           WHEN len($units::VARCHAR[]) = 1 THEN d.enhet IS NULL OR d.enhet = ($units::VARCHAR[])[1]
                           ELSE d.enhet IS NULL END)
            SELECT period_start, grupp, indikator, utfall, kalla_period, hela_verksamheten
            FROM kandidater
            QUALIFY row_number() OVER (PARTITION BY period_start, grupp, indikator
                                       ORDER BY enhetsordning, passform, kalla_slut DESC) = 1""",
    },
}


GRUPPSEPARATOR = "\x1f"  # joins the values of several grouping dimensions (a control character no name contains)


def grupperingar(by: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """A grouping as a tuple of dimension names ('' or None = ungrouped)."""
    if not by:
        return ()
    return (by,) if isinstance(by, str) else tuple(by)


def _family_body(familj: str, by: str | tuple[str, ...] | None) -> str:
    """The family's SQL with its group expression filled in from the allow-list ('' when not grouped)."""
    spec = FAMILJER[familj]
    dims = grupperingar(by)
    okanda = [d for d in dims if d not in spec["grupper"]]
    if okanda:
        raise ValueError(f"Kan inte dela upp per {', '.join(okanda)}")
    if not dims:
        g = "''"
    elif len(dims) == 1:
        g = spec["grupper"][dims[0]]
    else:
        g = "concat_ws(chr(31), " + ", ".join(f"coalesce({spec['grupper'][d]}, '')" for d in dims) + ")"
    sql = spec["sql"]
    if "tabell" in spec:
        # Mart rows carry interval counts (how many interval rows each sums).
        tabell = spec["tabell"][dims[0] if len(dims) == 1 else None]
        sql = (
            sql.replace("{tabell}", tabell).replace("{intervall}", "sum(d.intervall)").replace("{intervall_med_korta}", "sum(d.intervall_med_korta)")
        )
    # calls per day: the day count is per weekday when grouped by weekday and hour, over all days otherwise
    per_veckodag = dims == ("veckodag_timme",)
    sql = sql.replace("{veckodag}", "d.veckodag" if per_veckodag else "0").replace("{veckodag_dag}", "isodow(d.datum)" if per_veckodag else "0")
    # The ekonomi side of productivity is grouped by ansvar, which is the unit column there.
    return sql.replace("{g}", g).replace("{g_ansvar}", "d.ansvar" if dims == ("enhet",) else "''")


def _bucket_params(bucket_list: list[tuple[date, date, str]], fonster_manader: int | None, suffix: str = "") -> dict:
    return {
        f"b_start{suffix}": [s for s, _, _ in bucket_list],
        f"b_slut{suffix}": [e for _, e, _ in bucket_list],
        f"b_fonster{suffix}": [add_months(e, 1 - fonster_manader) if fonster_manader else s for s, e, _ in bucket_list],
        f"b_label{suffix}": [label for _, _, label in bucket_list],
    }


def _filter_params(sql: str, filters: Filters, by, indikatorer: tuple[str, ...]) -> dict:
    """Only the parameters the statement uses (DuckDB rejects unused named parameters)."""
    values = {
        **filters.parametrar(),
        "servicegrad_definition": filters.servicegrad_definition,
        "troskel_s": float(filters.servicegrad_troskel_s),
        "indikatorer": list(indikatorer),
        "grupperad": bool(grupperingar(by)),
    }
    return {k: v for k, v in values.items() if f"${k}" in sql}


# Month column of each fact table the families read (lake/schema.py); used to bound every scan to the months a query
# can need. Month-aggregated tables are small at any scale, so one materialised scan can serve several families;
# telephony intervals and call logs are not, so they are always streamed.
_MANADSKOLUMN = {t.name: t.manad for t in TABLES.values() if t.manad}
_SMA_TABELLER = {t.name for t in TABLES.values() if t.manad and not t.stor}


def _bounded_tables(sql: str, bucket_list: list[tuple[date, date, str]], fonster_manader: int | None) -> tuple[str, dict]:
    """CTEs that shadow each fact table with only the months the buckets can touch (constant bounds push down to Parquet)."""
    used = re.findall(r"JOIN (\w+) d\b", sql)
    if not used:
        return "", {}
    # Rolling windows reach back; forecasts and the year's budget need the whole year of each bucket.
    window_starts = [add_months(e, 1 - fonster_manader) if fonster_manader else s for s, e, _ in bucket_list]
    lo = min(*window_starts, *(s.replace(month=1) for s, _, _ in bucket_list))
    last_slut = max(e for _, e, _ in bucket_list)
    hi = last_slut.replace(month=12)
    ctes = []
    for table in dict.fromkeys(used):
        if table not in _MANADSKOLUMN:
            continue
        how = "MATERIALIZED" if table in _SMA_TABELLER and used.count(table) > 1 else "NOT MATERIALIZED"
        ctes.append(f"{table} AS {how} (SELECT * FROM main.{table} WHERE {_MANADSKOLUMN[table]} BETWEEN $lo AND $hi)")
    return (", ".join(ctes) + ", ") if ctes else "", {"lo": lo, "hi": hi} if ctes else {}


def _skyddade(con, familj: str, bucket_list, fonster_manader: int | None, rader: list[dict], filters: Filters, by) -> list[dict]:
    """A protected family's rows with small units' figures withheld (kpi/sekretess.py); other families' rows as they are."""
    if familj not in SKYDDADE_FAMILJER:
        return rader
    per = sekretess.per_bucket(_enheternas_summor(con, familj, bucket_list, fonster_manader))
    minsta = SKYDDADE_FAMILJER[familj]
    if not grupperingar(by):
        return [sekretess.skydda_urval(r, per.get(r["period_start"], {}), filters.units, minsta) for r in rader]
    per_start: dict = {}
    for r in rader:
        per_start.setdefault(r["period_start"], []).append(r)
    return [r for start, grupp in per_start.items() for r in sekretess.skydda_grupper(grupp, per.get(start, {}), filters.units, minsta)]


def familjers_summor(
    con: duckdb.DuckDBPyConnection,
    planer: list[tuple[str, list[tuple[date, date, str]], int | None]],
    filters: Filters,
    by: str | tuple[str, ...] | None = None,
    indikatorer: tuple[str, ...] = (),
) -> list[list[dict]]:
    """Several formula families, each with its own buckets and window, in ONE statement: one list of rows per
    (familj, buckets, fönster) — a row per bucket (and group when `by`) with the family's Σ columns, sorted by bucket and
    group, small units protected.

    A page's series and per-group tables need several families; each statement has a fixed cost in DuckDB (parsing,
    binding, planning, scheduling) that at city scale was most of its time, so they share one (as compute() does)."""
    rader = _familjers_rader(con, planer, filters, by, indikatorer)
    return [_skyddade(con, familj, buckets, w, r, filters, by) for (familj, buckets, w), r in zip(planer, rader)]


def _familjers_rader(
    con: duckdb.DuckDBPyConnection,
    planer: list[tuple[str, list[tuple[date, date, str]], int | None]],
    filters: Filters,
    by: str | tuple[str, ...] | None = None,
    indikatorer: tuple[str, ...] = (),
) -> list[list[dict]]:
    """familjers_summor before the small-unit rule (which itself weighs every unit's unprotected sums)."""
    join = "JOIN" if grupperingar(by) else "LEFT JOIN"  # ungrouped: every bucket gets a row, even without data
    ctes, selects, params, lo, hi = [], [], {}, [], []
    for n, (familj, bucket_list, fonster_manader) in enumerate(planer):
        body = _family_body(familj, by)
        ctes.append(_buckets_cte(f"b_{n}", f"_{n}"))
        ctes.append(f"""f{n} AS (WITH b AS (SELECT * FROM b_{n}), {_BUCKET_MONTHS}, fam AS ({body})
            SELECT b.period_start, b.period, NULLIF(fam.grupp, '') AS grupp, fam.* EXCLUDE (period_start, grupp)
            FROM b {join} fam ON fam.period_start = b.period_start)""")
        selects.append(f"SELECT {n} AS n, to_json(x) AS j FROM f{n} x")
        params.update(_bucket_params(bucket_list, fonster_manader, f"_{n}"))
        _, granser = _bounded_tables(body, bucket_list, fonster_manader)
        if granser:
            lo.append(granser["lo"])
            hi.append(granser["hi"])
    bounded, granser = _bounded_tables(" ".join(ctes), [b for _, buckets, _ in planer for b in buckets], None)
    if granser:
        params.update(lo=min(lo), hi=max(hi))  # every family's own bounds, windows included
    sql = f"WITH {bounded}{', '.join(ctes)} {' UNION ALL '.join(selects)}"
    params.update(_filter_params(sql, filters, by, indikatorer))
    svar = lake.query(con, sql, params)
    texter: list[list[str]] = [[] for _ in planer]
    for n, j in zip(svar["n"].to_list(), svar["j"].to_list()):
        texter[n].append(j)
    ut: list[list[dict]] = [json.loads(f"[{','.join(t)}]") for t in texter]  # one parse per family: half the time of one per row
    for rader in ut:
        for rad in rader:
            rad["period_start"] = date.fromisoformat(rad["period_start"][:10])
        rader.sort(key=lambda r: (r["period_start"], r["grupp"] is None, r["grupp"] or ""))
    return ut


def _enheternas_summor(
    con: duckdb.DuckDBPyConnection, familj: str, bucket_list: list[tuple[date, date, str]], fonster_manader: int | None
) -> list[dict]:
    """Every unit's sums of a protected family (all units, no filter): what the small-unit rule weighs a selection against.

    They depend only on the lake and the buckets, not on the selection, so a connection (one data version) reads them
    once per bucket list; compute, per_grupp and serier of the same page ask for the same ones. Read-only rows."""
    return per_anslutning(
        con,
        ("enheternas_summor", familj, tuple(bucket_list), fonster_manader),
        lambda: _familjers_rader(con, [(familj, bucket_list, fonster_manader)], Filters(), "enhet")[0],
    )


def perioders_summor(
    con: duckdb.DuckDBPyConnection,
    bucket_list: list[tuple[date, date, str]],
    filters: Filters,
    families: list[tuple[str, int | None]],
    indikatorer: tuple[str, ...] = (),
    fonster_slut: list[dict[int, date]] | None = None,
) -> list[dict[tuple[str, int | None], dict | list[dict]]]:
    """All families for each period (distinct start months) in ONE statement (the family SQL familjers_summor runs),
    one result per period: {(familj, fönster): row, or rows for 'manuell'}. `fonster_slut` ends a period's rolling windows earlier
    than the period (at the last month with data).

    The SQL text is the same for any number of periods (they are bound lists), so a period and last year's cost one
    parse and one plan instead of two — at city scale most of such a statement's time."""
    if len({b[0] for b in bucket_list}) != len(bucket_list):
        raise ValueError("Perioderna måste börja i olika månader")
    fonster_slut = fonster_slut or [{} for _ in bucket_list]
    windows = sorted({f for _, f in families}, key=lambda f: f or 0)
    ctes, params, per_fonster = [], {}, {}
    for w in windows:
        suffix = f"_{w or 0}"
        per_fonster[w] = [(b[0], slut.get(w, b[1]), b[2]) for b, slut in zip(bucket_list, fonster_slut)]
        ctes.append(_buckets_cte(f"b{suffix}", suffix))
        params.update(_bucket_params(per_fonster[w], w, suffix))
    selects = []
    for n, (familj, w) in enumerate(families):
        # The family SQL reads its buckets from `b`; here `b` is rebound to the buckets with the family's window.
        ctes.append(f"f{n} AS (WITH b AS (SELECT * FROM b_{w or 0}), {_BUCKET_MONTHS} SELECT * FROM ({_family_body(familj, None)}))")
        # Rows of different shapes share one result as JSON; measured faster than one statement per family.
        selects.append(f"SELECT {n} AS n, to_json(x) AS j FROM f{n} x")
    alla = [*bucket_list, *(b for buckets in per_fonster.values() for b in buckets)]
    bounded, bounds = _bounded_tables(" ".join(ctes), alla, max((w or 0 for w in windows), default=0) or None)
    sql = f"WITH {bounded}{', '.join(ctes)} {' UNION ALL '.join(selects)}"
    params.update(bounds)
    params.update(_filter_params(sql, filters, None, indikatorer))
    index = {b[0].isoformat(): i for i, b in enumerate(bucket_list)}
    out: list[dict] = [{key: ([] if key[0] == "manuell" else {}) for key in families} for _ in bucket_list]
    for n, j in lake.query(con, sql, params).iter_rows():
        key, rad = families[n], json.loads(j)
        del_ = out[index[str(rad["period_start"])[:10]]]
        if key[0] == "manuell":
            del_[key].append(rad)
        else:
            del_[key] = rad
    for i, del_ in enumerate(out):
        for key in families:
            if key[0] in SKYDDADE_FAMILJER:
                enheter = _enheternas_summor(con, key[0], [per_fonster[key[1]][i]], key[1])
                del_[key] = sekretess.skydda_urval(del_[key], {r["grupp"]: r for r in enheter}, filters.units, SKYDDADE_FAMILJER[key[0]])
    return out


def _num(value):
    return None if value is None else float(value)


@dataclass(frozen=True)
class Varde:
    """One indicator evaluated on one family row: Σ numerator ÷ Σ denominator × factor, or why there is no value."""

    varde: float | None
    taljare: float | None = None
    namnare: float | None = None
    orsak: str | None = None
    bas: float | None = None  # turnover that sets a 0-kr target's tolerance (ind.tolerans_bas)


def indicator_value(ind: Indicator, row: dict) -> Varde:
    """Evaluate one indicator from one family row (small groups suppressed, inapplicable selections not assessed)."""
    taljare = _num(row.get(ind.taljare))
    namnare = _num(row.get(ind.namnare)) if ind.namnare else None
    bas = _num(row.get(ind.tolerans_bas)) if ind.tolerans_bas else None
    if ind.minsta_antal_anstallda is not None:
        anstallda = row.get("anstallda")
        if anstallda is not None and anstallda < ind.minsta_antal_anstallda:
            return Varde(None, orsak=f"Färre än {ind.minsta_antal_anstallda} anställda – visas inte")
        if row.get("sekretess"):  # kpi/sekretess.py: the selection splits a group of small units
            return Varde(None, orsak=row["sekretess"])
    if ind.kraver is not None and taljare is not None and not (_num(row.get(ind.kraver)) or 0) > 0:
        # e.g. payslips per FTE for the pension unit alone: 0 ÷ its pension officers is not a result, it does not apply
        return Varde(None, orsak=ind.ej_tillamplig)
    if ind.namnare:
        if namnare is None or namnare == 0:
            if taljare is None:
                same = ind.saknas_taljare == ind.saknas_namnare
                return Varde(None, None, namnare, ind.saknas_taljare if same else "Ingen data för perioden")
            return Varde(None, taljare, namnare, ind.saknas_namnare)
        if taljare is None:
            return Varde(None, None, namnare, ind.saknas_taljare)
        return Varde(taljare / namnare * ind.faktor, taljare, namnare, bas=bas)
    if taljare is None:
        return Varde(None, orsak=ind.saknas_taljare)
    return Varde(taljare * ind.faktor, taljare, bas=bas)
