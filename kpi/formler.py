"""Every KPI formula as DuckDB SQL: one query per formula family returns Σ numerators and Σ denominators per period bucket and group."""

from __future__ import annotations

import json
import re
from datetime import date

import duckdb
import polars as pl

import lake
from kpi.catalogue import Indicator
from kpi.period import Filters, add_months


def _buckets_cte(name: str = "b", suffix: str = "") -> str:
    """Buckets arrive as bound parallel lists, so the SQL text never changes with the period."""
    return f"""{name} AS (
    SELECT unnest($b_start{suffix}::DATE[]) AS period_start, unnest($b_slut{suffix}::DATE[]) AS period_slut,
           unnest($b_fonster{suffix}::DATE[]) AS fonster_start, unnest($b_label{suffix}::VARCHAR[]) AS period)"""


def _in_filter(column: str, param: str) -> str:
    """Empty list = all; otherwise the column must be one of the bound values."""
    return f"(len(${param}::VARCHAR[]) = 0 OR list_contains(${param}::VARCHAR[], {column}))"


# Payslip, case and role names are compared lower-case: exports vary in capitalisation.
_LONESPEC = "lower(d.kategori) IN ('lönespecifikation maskinell', 'lönespecifikation manuell')"
_MASKINELL = "lower(d.kategori) = 'lönespecifikation maskinell'"
_PENSIONSARENDE = "lower(d.kategori) IN ('pensionsärende', 'försäkringsärende')"
_LONEADM = "lower(d.roll) = 'löneadministratör'"
_PENSIONSHANDL = "lower(d.roll) = 'pensionshandläggare'"
_SIGNERAT_UTFALL = "CASE WHEN d.typ = 'intakt' THEN d.utfall_kr ELSE -d.utfall_kr END"
_SIGNERAD_BUDGET = "CASE WHEN d.typ = 'intakt' THEN d.budget_kr ELSE -d.budget_kr END"


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
                   coalesce(sum(d.antal) FILTER ({_MASKINELL}), 0) AS maskinell,
                   coalesce(sum(d.antal) FILTER ({_LONESPEC}), 0) AS lonespec,
                   coalesce(sum(d.antal) FILTER ({_PENSIONSARENDE}), 0) AS pensionsarenden
            {_join_months("volymer")}
            WHERE {_in_filter("d.enhet", "units")} AND {_in_filter("d.forvaltning", "forvaltningar")}
            GROUP BY ALL""",
    },
    "produktivitet": {
        "grupper": {"enhet": "d.enhet"},
        "sql": f"""
            WITH v AS (
                SELECT b.period_start, {{g}} AS grupp,
                       coalesce(sum(d.antal) FILTER ({_LONESPEC}), 0) AS lonespec,
                       coalesce(sum(d.antal) FILTER ({_PENSIONSARENDE}), 0) AS pensionsarenden
                {_join_months("volymer")}
                WHERE {_in_filter("d.enhet", "units")}
                GROUP BY ALL),
            f AS (
                SELECT b.period_start, {{g}} AS grupp,
                       coalesce(sum(d.arsarbetare) FILTER ({_LONEADM}), 0) AS fte_manader_loneadm,
                       coalesce(sum(d.arsarbetare) FILTER ({_LONEADM} OR {_PENSIONSHANDL}), 0) AS fte_manader_lon_pension,
                       coalesce(sum(d.arsarbetare) FILTER ({_PENSIONSHANDL}), 0) AS fte_manader_pension
                {_join_months("bemanning")}
                WHERE {_in_filter("d.enhet", "units")}
                GROUP BY ALL),
            k AS (
                SELECT b.period_start, {{g_ansvar}} AS grupp,
                       coalesce(sum(d.utfall_kr) FILTER (d.typ = 'kostnad'), 0) AS kostnader
                {_join_months("ekonomi")}
                WHERE {_in_filter("d.ansvar", "units")}
                GROUP BY ALL)
            SELECT period_start, grupp, v.lonespec, v.pensionsarenden, f.fte_manader_loneadm,
                   f.fte_manader_lon_pension, f.fte_manader_pension, k.kostnader
            FROM v FULL JOIN f USING (period_start, grupp) FULL JOIN k USING (period_start, grupp)""",
    },
    # Both telephony families read the monthly marts the ETL writes (lake.schema.MARTS): the same sums at a
    # fraction of the rows. Only the weekday × hour grouping needs the interval rows, so it reads the detail table.
    "telefoni": {
        # veckodag_timme ('1|08' = Monday 08:00–08:59) feeds the weekday × time-of-day heatmaps
        "grupper": {"ko": "d.ko", "veckodag_timme": "isodow(d.datum)::VARCHAR || '|' || lpad(hour(d.intervall_start)::VARCHAR, 2, '0')"},
        "tabell": {None: "telefoni_manad", "ko": "telefoni_manad", "veckodag_timme": "telefoni"},
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
            WHERE {_in_filter("d.ko", "queues")}
            GROUP BY ALL""",
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
            WHERE {_in_filter("d.ko", "queues")}
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
                   sum(d.anstallda) / count(DISTINCT d.manad) AS anstallda
            {_join_months("sjukfranvaro")}
            WHERE {_in_filter("d.enhet", "units")}
            GROUP BY ALL""",
    },
    "ekonomi": {
        "grupper": {"enhet": "d.ansvar"},
        "sql": f"""
            SELECT b.period_start, {{g}} AS grupp,
                   -- months not yet booked (Utfall empty in a year-to-date extract) are missing, not zero
                   CASE WHEN count(d.utfall_kr) > 0 THEN coalesce(sum(d.utfall_kr) FILTER (d.typ = 'intakt'), 0) END AS intakter,
                   CASE WHEN count(d.utfall_kr) > 0 THEN coalesce(sum(d.utfall_kr) FILTER (d.typ = 'kostnad'), 0) END AS kostnader,
                   sum({_SIGNERAT_UTFALL}) AS resultat,
                   -- budget of the booked rows only, so the budget deviation compares the same months
                   sum({_SIGNERAD_BUDGET}) FILTER (d.utfall_kr IS NOT NULL) AS budget_resultat,
                   sum({_SIGNERAT_UTFALL}) - sum({_SIGNERAD_BUDGET}) FILTER (d.utfall_kr IS NOT NULL) AS budgetavvikelse
            {_join_months("ekonomi")}
            WHERE {_in_filter("d.ansvar", "units")}
            GROUP BY ALL""",
    },
    # Latest forecast per ansvar with prognosmånad ≤ the bucket's last month in the same year, so a unit
    # that skipped a forecast month still contributes its most recent forecast.
    "prognos": {
        "grupper": {"enhet": "d.ansvar"},
        "sql": f"""
            WITH senaste AS (
                SELECT b.period_start, d.ansvar, max(d.prognosmanad) AS prognosmanad
                FROM b JOIN prognos d
                  ON d.prognosmanad <= b.period_slut AND year(d.prognosmanad) = year(b.period_slut)
                WHERE {_in_filter("d.ansvar", "units")}
                GROUP BY ALL),
            p AS (
                SELECT s.period_start, {{g}} AS grupp,
                       sum(CASE WHEN d.typ = 'intakt' THEN d.helarsprognos_kr ELSE -d.helarsprognos_kr END) AS prognos_resultat
                FROM senaste s JOIN prognos d ON d.ansvar = s.ansvar AND d.prognosmanad = s.prognosmanad
                GROUP BY ALL),
            arsbudget AS (
                SELECT b.period_start, {{g}} AS grupp, sum({_SIGNERAD_BUDGET}) AS budget_ar
                FROM b JOIN ekonomi d ON year(d.manad) = year(b.period_slut)
                WHERE {_in_filter("d.ansvar", "units")}
                GROUP BY ALL)
            SELECT period_start, grupp, p.prognos_resultat, arsbudget.budget_ar,
                   p.prognos_resultat - arsbudget.budget_ar AS prognosavvikelse
            FROM p LEFT JOIN arsbudget USING (period_start, grupp)""",
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


def _family_body(familj: str, by: str | None) -> str:
    """The family's SQL with its group expression filled in from the allow-list ('' when not grouped)."""
    spec = FAMILJER[familj]
    if by is not None and by not in spec["grupper"]:
        raise ValueError(f"Kan inte dela upp per {by}")
    g = spec["grupper"][by] if by else "''"
    sql = spec["sql"]
    if "tabell" in spec:
        # Mart rows carry interval counts; detail rows are one interval each.
        tabell = spec["tabell"][by]
        mart = tabell.endswith("_manad")
        sql = (
            sql.replace("{tabell}", tabell)
            .replace("{intervall}", "sum(d.intervall)" if mart else "count(*)")
            .replace("{intervall_med_korta}", "sum(d.intervall_med_korta)" if mart else "count(d.avbrutna_inom_5s)")
        )
    # The ekonomi side of productivity is grouped by ansvar, which is the unit column there.
    return sql.replace("{g}", g).replace("{g_ansvar}", "d.ansvar" if by == "enhet" else "''")


def _bucket_params(bucket_list: list[tuple[date, date, str]], fonster_manader: int | None, suffix: str = "") -> dict:
    return {
        f"b_start{suffix}": [s for s, _, _ in bucket_list],
        f"b_slut{suffix}": [e for _, e, _ in bucket_list],
        f"b_fonster{suffix}": [add_months(e, 1 - fonster_manader) if fonster_manader else s for s, e, _ in bucket_list],
        f"b_label{suffix}": [label for _, _, label in bucket_list],
    }


def _filter_params(sql: str, filters: Filters, by: str | None, indikatorer: tuple[str, ...]) -> dict:
    """Only the parameters the statement uses (DuckDB rejects unused named parameters)."""
    values = {
        "units": list(filters.units),
        "queues": list(filters.queues),
        "forvaltningar": list(filters.forvaltningar),
        "servicegrad_definition": filters.servicegrad_definition,
        "troskel_s": float(filters.servicegrad_troskel_s),
        "indikatorer": list(indikatorer),
        "grupperad": by is not None,
    }
    return {k: v for k, v in values.items() if f"${k}" in sql}


# Month column of each fact table the families read; used to bound every scan to the months a query can need.
_MANADSKOLUMN = {
    "volymer": "manad",
    "bemanning": "manad",
    "telefoni": "manad",
    "samtal": "manad",
    "telefoni_manad": "manad",
    "samtal_manad": "manad",
    "sjukfranvaro": "manad",
    "ekonomi": "manad",
    "prognos": "prognosmanad",
}
# Month-aggregated tables are small at any scale, so one materialised scan can serve several families;
# telephony intervals and call logs are not, so they are always streamed.
_SMA_TABELLER = {"volymer", "bemanning", "sjukfranvaro", "ekonomi", "prognos", "telefoni_manad"}


def _bounded_tables(sql: str, bucket_list: list[tuple[date, date, str]], fonster_manader: int | None) -> tuple[str, dict]:
    """CTEs that shadow each fact table with only the months the buckets can touch (constant bounds push down to Parquet)."""
    used = re.findall(r"JOIN (\w+) d\b", sql)
    if not used:
        return "", {}
    # Rolling windows reach back; forecasts and the year's budget need the whole year of each bucket.
    window_starts = [add_months(e, 1 - fonster_manader) if fonster_manader else s for s, e, _ in bucket_list]
    lo = min(*window_starts, bucket_list[0][0].replace(month=1))
    last_slut = max(e for _, e, _ in bucket_list)
    hi = last_slut.replace(month=12)
    ctes = []
    for table in dict.fromkeys(used):
        if table not in _MANADSKOLUMN:
            continue
        how = "MATERIALIZED" if table in _SMA_TABELLER and used.count(table) > 1 else "NOT MATERIALIZED"
        ctes.append(f"{table} AS {how} (SELECT * FROM main.{table} WHERE {_MANADSKOLUMN[table]} BETWEEN $lo AND $hi)")
    return (", ".join(ctes) + ", ") if ctes else "", {"lo": lo, "hi": hi} if ctes else {}


def family_sums(
    con: duckdb.DuckDBPyConnection,
    familj: str,
    bucket_list: list[tuple[date, date, str]],
    filters: Filters,
    by: str | None = None,
    fonster_manader: int | None = None,
    indikatorer: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Run one formula family: a row per bucket (and group when `by`), with the family's Σ columns."""
    join = "JOIN" if by else "LEFT JOIN"  # ungrouped: every bucket gets a row, even without data
    body = _family_body(familj, by)
    bounded, bounds = _bounded_tables(body, bucket_list, fonster_manader)
    sql = f"""WITH {bounded}{_buckets_cte()}, {_BUCKET_MONTHS}, fam AS ({body})
        SELECT b.period_start, b.period, NULLIF(fam.grupp, '') AS grupp, fam.* EXCLUDE (period_start, grupp)
        FROM b {join} fam ON fam.period_start = b.period_start
        ORDER BY b.period_start, grupp"""
    params = _bucket_params(bucket_list, fonster_manader) | bounds
    params.update(_filter_params(sql, filters, by, indikatorer))
    return lake.query(con, sql, params)


def period_sums(
    con: duckdb.DuckDBPyConnection,
    bucket: tuple[date, date, str],
    filters: Filters,
    families: list[tuple[str, int | None]],
    indikatorer: tuple[str, ...] = (),
) -> dict[tuple[str, int | None], dict | list[dict]]:
    """All families for one period in ONE statement (same SQL as family_sums): {(familj, fönster): row, or rows for 'manuell'}."""
    windows = sorted({f for _, f in families}, key=lambda f: f or 0)
    ctes, params = [], {}
    for w in windows:
        suffix = f"_{w or 0}"
        ctes.append(_buckets_cte(f"b{suffix}", suffix))
        params.update(_bucket_params([bucket], w, suffix))
    selects = []
    for n, (familj, w) in enumerate(families):
        # The family SQL reads its buckets from `b`; here `b` is rebound to the bucket with the family's window.
        ctes.append(f"f{n} AS (WITH b AS (SELECT * FROM b_{w or 0}), {_BUCKET_MONTHS} SELECT * FROM ({_family_body(familj, None)}))")
        # Rows of different shapes share one result as JSON; measured faster than one statement per family.
        selects.append(f"SELECT {n} AS n, to_json(x) AS j FROM f{n} x")
    bounded, bounds = _bounded_tables(" ".join(ctes), [bucket], max((w or 0 for w in windows), default=0) or None)
    sql = f"WITH {bounded}{', '.join(ctes)} {' UNION ALL '.join(selects)}"
    params.update(bounds)
    params.update(_filter_params(sql, filters, None, indikatorer))
    out: dict = {key: ([] if key[0] == "manuell" else {}) for key in families}
    for n, j in lake.query(con, sql, params).iter_rows():
        key = families[n]
        if key[0] == "manuell":
            out[key].append(json.loads(j))
        else:
            out[key] = json.loads(j)
    return out


def _num(value):
    return None if value is None else float(value)


def indicator_value(ind: Indicator, row: dict) -> tuple[float | None, float | None, float | None, str | None]:
    """(varde, taljare, namnare, orsak) for one indicator from one family row: Σ numerator ÷ Σ denominator × factor."""
    taljare = _num(row.get(ind.taljare))
    namnare = _num(row.get(ind.namnare)) if ind.namnare else None
    if ind.minsta_antal_anstallda is not None:
        anstallda = row.get("anstallda")
        if anstallda is not None and anstallda < ind.minsta_antal_anstallda:
            return None, None, None, f"Färre än {ind.minsta_antal_anstallda} anställda – visas inte"
    if ind.namnare:
        if namnare is None or namnare == 0:
            if taljare is None:
                same = ind.saknas_taljare == ind.saknas_namnare
                return None, None, namnare, ind.saknas_taljare if same else "Ingen data för perioden"
            return None, taljare, namnare, ind.saknas_namnare
        if taljare is None:
            return None, None, namnare, ind.saknas_taljare
        return taljare / namnare * ind.faktor, taljare, namnare, None
    if taljare is None:
        return None, None, None, ind.saknas_taljare
    return taljare * ind.faktor, taljare, None, None
