"""Page data: ONE function per dashboard page, each `(con, period, filters) -> dict[str, DataFrame | list[KpiResult]]`.

`SIDOR` maps a page id to its function; the Streamlit page only lays out what its function returns and the
benchmark (bench/) times exactly these functions per page, and `python -m kpi --sida ID` prints them. Catalogue indicators come from `kpi.compute` /
`kpi.series`; this module adds the page tables that are not catalogue KPIs (volumes by category, top
förvaltningar, weekday × time heatmaps, economy per account group, forecast movement, deviations, Erlang C
staffing, data-quality tables). All SQL goes through `lake.query` with bound parameters.

| page id          | keys returned |
|------------------|---------------|
| `oversikt`       | indikatorer, foregaende_ar, trender, farskhet, senaste_korning |
| `produktivitet`  | indikatorer, loner_per_manad, loner_per_tertial, volymer, andel_maskinell, topp_forvaltningar, pension |
| `telefoni`       | indikatorer, per_ko, tider, inkommande_karta, servicegrad_karta, bemanning |
| `sjukfranvaro`   | indikatorer, per_enhet, rullande, kort_lang |
| `ekonomi`        | indikatorer, per_manad, prognos_per_grupp, prognosforandring, avvikelser |
| `maluppfyllelse` | indikatorer, tabell |
| `datakvalitet`   | korningar, filer_per_kalla, regler_per_kalla, valideringsfel, avvisade, senaste_manader, namn |
| `om`             | katalog |
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date

import duckdb
import polars as pl

import kpi
from kpi import erlang
from kpi.format import MANADER_KORT, STATUS_ORD, VECKODAGAR, enligt_matt
from kpi.period import Filters, Period, add_months
from lake import query
from sakerhet import maskera

SidData = dict[str, "pl.DataFrame | list"]

PRODUKTIVITET_IDS = [
    "loner_per_arsarbetare",
    "lonespec_per_arsarbetare",
    "andel_maskinell",
    "pensionsarenden_per_handlaggare",
    "kostnad_per_lonespec",
]
TELEFONI_IDS = ["servicegrad", "svarsfrekvens", "andel_avbrutna", "medel_vantetid", "medel_hanteringstid"]
SJUK_IDS = ["sjukfranvaro_12m", "sjukfranvaro", "sjukfranvaro_kort", "sjukfranvaro_lang"]
EKONOMI_IDS = ["intakter", "kostnader", "resultat", "budget_resultat", "budgetavvikelse", "helarsprognos_resultat", "prognosavvikelse"]
MANUELL = "Lönespecifikation manuell"
MASKINELL = "Lönespecifikation maskinell"
SERVICEGRAD_MAL = 85.0  # the plans' telephony target, used only when mal/ has no servicegrad target
BORTFALL = 0.30  # shrinkage for Erlang C staffing (breaks, training, absence); shown in the caption


def _ids(ids: list[str]) -> list[str]:
    """Keep the ids the catalogue actually declares (a neighbour unit may run with a smaller catalogue)."""
    return [i for i in ids if i in kpi.CATALOGUE]


def _p(period: Period, filters: Filters, **extra) -> dict:
    """Bound parameters shared by the page queries: period bounds and filter lists."""
    return {"start": period.start, "slut": period.end, "enheter": list(filters.units), **extra}


ENHET_VILLKOR = "(len($enheter::VARCHAR[]) = 0 OR list_contains($enheter::VARCHAR[], {kol}))"
KO_VILLKOR = "(len($koer::VARCHAR[]) = 0 OR list_contains($koer::VARCHAR[], ko))"
FORV_VILLKOR = "(len($forv::VARCHAR[]) = 0 OR list_contains($forv::VARCHAR[], forvaltning))"


def _serie(con, kpi_id: str, start: date, slut: date, filters: Filters, grain: str = "manad", by: str | None = None) -> pl.DataFrame:
    """kpi.series for an id the catalogue has, else an empty frame with the series columns."""
    if kpi_id not in kpi.CATALOGUE:
        return pl.DataFrame(
            schema={"period_start": pl.Date, "period": pl.Utf8, "grupp": pl.Utf8, "varde": pl.Float64, "taljare": pl.Float64, "namnare": pl.Float64}
        )
    return kpi.series(kpi_id, start, slut, filters, grain=grain, by=by, con=con)


def _ar_till_period(period: Period) -> tuple[date, date]:
    """January of the period's year through the period's last month: the window the page charts show."""
    return date(period.year, 1, 1), period.end


# --- Översikt -------------------------------------------------------------------------------------------------


def senaste_manader(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Latest month loaded per source (data freshness)."""
    delar = [
        # ekonomi: the latest month with booked actuals (a year-to-date extract budgets the months ahead too)
        # telephony through its monthly marts (the same months and row counts without scanning millions of rows)
        f"SELECT '{namn}' AS kalla, max({kol}) FILTER ({villkor}) AS senaste_manad, {rader} AS rader FROM {tabell}"
        for namn, tabell, kol, villkor, rader in [
            ("volymer", "volymer", "manad", "true", "count(*)"),
            ("bemanning", "bemanning", "manad", "true", "count(*)"),
            ("telefoni", "telefoni_manad", "manad", "true", "coalesce(sum(intervall), 0)::BIGINT"),
            ("samtal", "samtal_manad", "manad", "true", "coalesce(sum(samtal), 0)::BIGINT"),
            ("sjukfranvaro", "sjukfranvaro", "manad", "true", "count(*)"),
            ("ekonomi", "ekonomi", "manad", "utfall_kr IS NOT NULL", "count(*)"),
            ("prognos", "prognos", "prognosmanad", "true", "count(*)"),
        ]
    ]
    return query(con, " UNION ALL ".join(delar))


def senaste_korning(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The most recent ETL run (one row, or none)."""
    return query(con, "SELECT * FROM etl_korningar ORDER BY startad DESC LIMIT 1")


def _familjevarden(con, inds: list, bucket_list: list[tuple[date, date, str]], filters: Filters) -> list[dict]:
    """Values of many catalogue indicators per bucket: one catalogue SQL per formula family (kpi.formler)."""
    from kpi.formler import family_sums, indicator_value

    familjer: dict[tuple, list] = {}
    for ind in inds:
        familjer.setdefault((ind.familj, ind.fonster_manader), []).append(ind)
    slut = {s: e for s, e, _ in bucket_list}
    rader = []
    for (familj, fonster), grupp in familjer.items():
        df = family_sums(con, familj, bucket_list, filters, None, fonster, tuple(i.id for i in grupp))
        for r in df.iter_rows(named=True):
            rad = dict(r, period_slut=slut[r["period_start"]], period_key=f"{r['period_start']:%Y-%m}")
            for ind in grupp:
                rader.append({"period_start": r["period_start"], "varde": indicator_value(ind, rad)[0], "id": ind.id})
    return rader


def trender(con, ids: list[str], start: date, slut: date, filters: Filters) -> pl.DataFrame:
    """Monthly values of many indicators for the overview's sparklines (helper kept here, not in kpi core).

    Uses the same family_sums and indicator_value as kpi.series, one query per formula family instead of
    one per indicator; manual indicators (matched per measurement period) still go through kpi.series."""
    from kpi.period import buckets

    beraknade = [kpi.CATALOGUE[i] for i in ids if i in kpi.CATALOGUE and kpi.CATALOGUE[i].familj != "manuell"]
    delar = [
        _serie(con, i, start, slut, filters).select("period_start", "varde").with_columns(id=pl.lit(i))
        for i in ids
        if i not in kpi.CATALOGUE or kpi.CATALOGUE[i].familj == "manuell"
    ]
    schema = {"period_start": pl.Date, "varde": pl.Float64, "id": pl.Utf8}
    delar.append(pl.DataFrame(_familjevarden(con, beraknade, buckets(start, slut, "manad"), filters), schema=schema))
    return pl.concat([d.cast(schema) for d in delar]).sort("id", "period_start")


def foregaende_ar(con, period: Period, filters: Filters) -> list:
    """The same period last year; when this period has data only up to an earlier month, the same months last year.

    Otherwise T3 with September–October loaded would be compared with a whole T3 and counts would look halved."""
    forra = kpi.compute(Period(period.year - 1, tertial=period.tertial, month=period.month, ytd=period.ytd), filters, con=con)
    senaste = kpi.senaste_manad(con)
    if senaste is None or not period.start <= senaste < period.end:
        return forra
    start, slut = date(period.start.year - 1, period.start.month, 1), date(senaste.year - 1, senaste.month, 1)
    etikett = (
        f"{MANADER_KORT[start.month - 1]}–{MANADER_KORT[slut.month - 1]} {start.year}"
        if start != slut
        else f"{MANADER_KORT[start.month - 1]} {start.year}"
    )
    inds = [kpi.CATALOGUE[r.id] for r in forra if r.id in kpi.CATALOGUE and kpi.CATALOGUE[r.id].familj != "manuell"]
    varden = {r["id"]: r["varde"] for r in _familjevarden(con, inds, [(start, slut, etikett)], filters)}
    return [replace(r, varde=varden[r.id], period=etikett) if r.id in varden else r for r in forra]


def oversikt(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Every indicator with target and assessment, the same period last year, a 13-month trend, data freshness."""
    ids = [i.id for i in kpi.catalogue_with_data(con)]  # the ids compute() returns, known before it runs
    # The five parts are independent; run concurrently (each query takes its own cursor) they overlap DuckDB's
    # per-statement planning, which dominates at city scale: 360 → 250 ms warm (docs/benchmarks.md).
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="oversikt") as pool:
        nu = pool.submit(kpi.compute, period, filters, ids, con)
        forra = pool.submit(foregaende_ar, con, period, filters)
        trend = pool.submit(trender, con, ids, add_months(period.end, -12), period.end, filters)
        farskhet = pool.submit(senaste_manader, con)
        korning = pool.submit(senaste_korning, con)
        return {
            "indikatorer": nu.result(),
            "foregaende_ar": forra.result(),
            "trender": trend.result(),
            "farskhet": farskhet.result(),
            "senaste_korning": korning.result(),
        }


# --- Produktivitet --------------------------------------------------------------------------------------------


def volymer_per_kategori(con, period: Period, filters: Filters, start: date | None = None) -> pl.DataFrame:
    """Payslips per month split maskinell/manuell (stacked volumes)."""
    return query(
        con,
        f"""SELECT manad, kategori, sum(antal)::BIGINT AS antal FROM volymer
            WHERE manad BETWEEN $start AND $slut AND kategori IN ($mask, $man)
              AND {ENHET_VILLKOR.format(kol="enhet")} AND {FORV_VILLKOR}
            GROUP BY ALL ORDER BY manad, kategori""",
        _p(period, filters, start=start or period.start, forv=list(filters.forvaltningar), mask=MASKINELL, man=MANUELL),
    )


def topp_forvaltningar_manuell(con, period: Period, filters: Filters, antal: int = 10) -> pl.DataFrame:
    """The förvaltningar sending most manually reported payslips in the period, with their share of all manual."""
    return query(
        con,
        f"""SELECT forvaltning, sum(antal)::BIGINT AS manuella,
                   100.0 * sum(antal) / sum(sum(antal)) OVER () AS andel_av_manuella
            FROM volymer
            WHERE manad BETWEEN $start AND $slut AND kategori = $man AND {ENHET_VILLKOR.format(kol="enhet")} AND {FORV_VILLKOR}
            GROUP BY forvaltning ORDER BY manuella DESC, forvaltning LIMIT $antal""",
        _p(period, filters, man=MANUELL, forv=list(filters.forvaltningar), antal=antal),
    )


def produktivitet(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Payslips per FTE per month and unit, tertial values, volumes, electronic share, top manual förvaltningar, pension."""
    start, slut = _ar_till_period(period)
    return {
        "indikatorer": kpi.compute(period, filters, ids=_ids(PRODUKTIVITET_IDS), con=con),
        "loner_per_manad": _serie(con, "loner_per_arsarbetare", start, slut, filters, by="enhet"),
        "loner_per_tertial": _serie(con, "loner_per_arsarbetare", date(period.year - 2, 1, 1), slut, filters, grain="tertial"),
        "volymer": volymer_per_kategori(con, period, filters, start=start),
        "andel_maskinell": _serie(con, "andel_maskinell", date(period.year - 2, 1, 1), slut, filters),
        "topp_forvaltningar": topp_forvaltningar_manuell(con, period, filters),
        "pension": _serie(con, "pensionsarenden_per_handlaggare", date(period.year - 2, 1, 1), slut, filters, grain="tertial"),
    }


# --- Telefoni -------------------------------------------------------------------------------------------------


def telefoni_kartor(con, period: Period, filters: Filters) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Weekday × hour: average incoming calls per day, and the catalogue's servicegrad per weekday and hour."""
    inkommande = query(
        con,
        f"""SELECT isodow(datum) AS veckodag, hour(intervall_start) AS timme,
                   sum(inkommande)::DOUBLE / count(DISTINCT datum) AS inkommande_per_dag
            FROM telefoni WHERE manad BETWEEN $start AND $slut AND {KO_VILLKOR}
            GROUP BY ALL ORDER BY veckodag, timme""",
        {"start": period.start, "slut": period.end, "koer": list(filters.queues)},
    )
    # The service level comes from the catalogue formula itself (one bucket for the whole period), so the
    # heatmap follows the chosen servicegrad definition exactly as the tiles do.
    servicegrad = (
        kpi.series("servicegrad", period.start, period.end, filters, grain="ar", by="veckodag_timme", con=con)
        .filter(pl.col("grupp").is_not_null())
        .select(
            pl.col("grupp").str.split("|").list.get(0).cast(pl.Int64).alias("veckodag"),
            pl.col("grupp").str.split("|").list.get(1).cast(pl.Int64).alias("timme"),
            pl.col("varde").alias("servicegrad"),
        )
        .sort("veckodag", "timme")
    )

    def med_etiketter(df: pl.DataFrame) -> pl.DataFrame:
        return df.with_columns(
            pl.col("veckodag").replace_strict(dict(enumerate(VECKODAGAR, start=1)), return_dtype=pl.Utf8).alias("dag"),
            pl.format("{}:00", pl.col("timme").cast(pl.Utf8).str.zfill(2)).alias("tid"),
        )

    return (
        med_etiketter(inkommande).select("dag", "tid", "inkommande_per_dag"),
        med_etiketter(servicegrad).select("dag", "tid", "servicegrad"),
    )


def erlang_bemanning(con, period: Period, filters: Filters, mal_procent: float, troskel_s: int = 25, bortfall: float = BORTFALL) -> pl.DataFrame:
    """Per hour of day, over the period's latest month with calls: average calls and AHT → agents needed (Erlang C) vs answered."""
    df = query(
        con,
        # the latest month comes from the monthly mart (same months and queues as the intervals, already in memory),
        # so the interval files are opened once, not twice
        f"""WITH m AS (SELECT max(manad) AS manad FROM telefoni_manad WHERE manad BETWEEN $start AND $slut AND {KO_VILLKOR})
            SELECT any_value(m.manad) AS manad, hour(intervall_start) AS timme,
                   count(DISTINCT datum) AS dagar,
                   sum(inkommande)::DOUBLE AS inkommande,
                   sum(besvarade)::DOUBLE AS besvarade,
                   sum(total_samtalstid_s + total_efterarbetstid_s) AS hanteringstid_s
            FROM telefoni JOIN m USING (manad) WHERE {KO_VILLKOR}
            GROUP BY timme ORDER BY timme""",
        {"start": period.start, "slut": period.end, "koer": list(filters.queues)},
    )
    rader = []
    for r in df.iter_rows(named=True):
        samtal_per_timme = r["inkommande"] / r["dagar"] if r["dagar"] else 0.0
        aht = r["hanteringstid_s"] / r["besvarade"] if r["besvarade"] else 0.0
        agenter = erlang.agenter_som_behovs(samtal_per_timme, aht, 3600, mal_procent / 100, troskel_s)
        rader.append(
            {
                "manad": r["manad"],
                "tid": f"{r['timme']:02d}:00",
                "inkommande_per_dag": samtal_per_timme,
                "besvarade_per_dag": r["besvarade"] / r["dagar"] if r["dagar"] else 0.0,
                "hanteringstid_s": aht,
                "agenter": agenter,
                "arsarbetare": erlang.arsarbetare(agenter, bortfall),
            }
        )
    return pl.DataFrame(
        rader,
        schema={
            "manad": pl.Date,
            "tid": pl.Utf8,
            "inkommande_per_dag": pl.Float64,
            "besvarade_per_dag": pl.Float64,
            "hanteringstid_s": pl.Float64,
            "agenter": pl.Int64,
            "arsarbetare": pl.Float64,
        },
    )


def telefoni(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Service level and answer rate per month and queue, heatmaps, wait/handling times, Erlang C staffing."""
    start, slut = _ar_till_period(period)
    indikatorer = kpi.compute(period, filters, ids=_ids(TELEFONI_IDS), con=con)
    mal = next((r.mal for r in indikatorer if r.id == "servicegrad" and r.mal is not None), SERVICEGRAD_MAL)
    per_ko = pl.concat(
        [_serie(con, i, start, slut, filters, by="ko").with_columns(id=pl.lit(i)) for i in _ids(["servicegrad", "svarsfrekvens"])],
        how="diagonal_relaxed",
    )
    tider = pl.concat(
        [_serie(con, i, start, slut, filters).with_columns(id=pl.lit(i)) for i in _ids(["medel_vantetid", "medel_hanteringstid"])],
        how="diagonal_relaxed",
    )
    inkommande_karta, servicegrad_karta = telefoni_kartor(con, period, filters)
    return {
        "indikatorer": indikatorer,
        "per_ko": per_ko,
        "tider": tider,
        "inkommande_karta": inkommande_karta,
        "servicegrad_karta": servicegrad_karta,
        "bemanning": erlang_bemanning(con, period, filters, mal, filters.servicegrad_troskel_s),
    }


# --- Sjukfrånvaro ---------------------------------------------------------------------------------------------


def _per_enhet(con, period: Period, enheter: tuple[str, ...], ids: list[str]) -> list[dict]:
    """What kpi.compute gives for each unit alone, from one grouped query per indicator instead of one compute per unit."""
    from kpi.formler import indicator_value
    from kpi.targets import choose_target, load_targets

    targets = load_targets(con, period.end.year, ids)
    rader = []
    for kpi_id in ids:
        ind = kpi.CATALOGUE[kpi_id]
        # grain 'ar' puts a period within one year into a single bucket, clipped to the period itself
        serie = kpi.series(kpi_id, period.start, period.end, Filters(), grain="ar", by="enhet", con=con)
        per_grupp = {r["grupp"]: r for r in serie.iter_rows(named=True)}
        for enhet in enheter:
            r = per_grupp.get(enhet)
            varde, orsak = (r["varde"], r["orsak"]) if r else indicator_value(ind, {})[::3]
            target, mal_orsak, _ = choose_target(targets.get(kpi_id, []), (enhet,), ind.har_enhetsdimension, period.end.year)
            mal = target.arsmal if target else None
            status = kpi.assess(varde, mal, ind)
            if status == kpi.EJ_BEDOMD and orsak is None:
                orsak = mal_orsak
            rader.append({"enhet": enhet, "id": kpi_id, "namn": ind.namn, "varde": varde, "mal": mal, "status": status, "orsak": orsak})
    # unit by unit, indicators in page order — the order the per-unit compute loop gave
    ordning = {e: i for i, e in enumerate(enheter)}
    return sorted(rader, key=lambda r: ordning[r["enhet"]])


def sjukfranvaro(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """12-month rolling total, short and long per unit; suppressed units keep their reason from the KPI layer."""
    start = date(period.year - 2, 1, 1)
    per_enhet = _per_enhet(con, period, filters.units or tuple(kpi.enheter(con)), _ids(SJUK_IDS))
    return {
        "indikatorer": kpi.compute(period, filters, ids=_ids(SJUK_IDS), con=con),
        "per_enhet": pl.DataFrame(
            per_enhet,
            schema={"enhet": pl.Utf8, "id": pl.Utf8, "namn": pl.Utf8, "varde": pl.Float64, "mal": pl.Float64, "status": pl.Utf8, "orsak": pl.Utf8},
        ),
        "rullande": _serie(con, "sjukfranvaro_12m", start, period.end, filters, by="enhet"),
        "kort_lang": pl.concat(
            [_serie(con, i, start, period.end, filters).with_columns(id=pl.lit(i)) for i in _ids(["sjukfranvaro_kort", "sjukfranvaro_lang"])],
            how="diagonal_relaxed",
        ),
    }


# --- Ekonomi --------------------------------------------------------------------------------------------------


def ekonomi_per_manad(con, period: Period, filters: Filters) -> pl.DataFrame:
    """Per month of the year up to the period: revenue, costs, result (budget and actuals) and year-to-date result."""
    return query(
        con,
        f"""WITH m AS (
              SELECT manad,
                     -- a month budgeted but not yet booked has no actuals (NULL), not zero
                     CASE WHEN count(utfall_kr) > 0 THEN coalesce(sum(utfall_kr) FILTER (typ = 'intakt'), 0) END AS intakter,
                     CASE WHEN count(utfall_kr) > 0 THEN coalesce(sum(utfall_kr) FILTER (typ = 'kostnad'), 0) END AS kostnader,
                     sum(CASE WHEN typ = 'intakt' THEN budget_kr ELSE -budget_kr END) AS budget_resultat,
                     sum(CASE WHEN typ = 'intakt' THEN utfall_kr ELSE -utfall_kr END) AS resultat
              FROM ekonomi WHERE manad BETWEEN $start AND $slut AND {ENHET_VILLKOR.format(kol="ansvar")}
              GROUP BY manad)
            SELECT *, CASE WHEN resultat IS NOT NULL THEN sum(resultat) OVER (ORDER BY manad) END AS resultat_ackumulerat,
                      sum(budget_resultat) OVER (ORDER BY manad) AS budget_ackumulerad
            FROM m ORDER BY manad""",
        _p(period, filters, start=date(period.year, 1, 1)),
    )


def prognos_per_grupp(con, period: Period, filters: Filters) -> pl.DataFrame:
    """Latest full-year forecast up to the period vs the year's budget, per unit and account group (kr, positive)."""
    return query(
        con,
        f"""WITH senaste AS (
              SELECT max(prognosmanad) AS pm FROM prognos
              WHERE prognosmanad BETWEEN $arstart AND $slut AND {ENHET_VILLKOR.format(kol="ansvar")}),
            p AS (SELECT ansvar, kontogrupp, typ, sum(helarsprognos_kr) AS prognos FROM prognos, senaste
                  WHERE prognosmanad = senaste.pm AND {ENHET_VILLKOR.format(kol="ansvar")} GROUP BY ALL),
            b AS (SELECT ansvar, kontogrupp, typ, sum(budget_kr) AS budget FROM ekonomi
                  WHERE year(manad) = $ar AND {ENHET_VILLKOR.format(kol="ansvar")} GROUP BY ALL)
            SELECT coalesce(p.ansvar, b.ansvar) AS ansvar, coalesce(p.kontogrupp, b.kontogrupp) AS kontogrupp,
                   coalesce(p.typ, b.typ) AS typ, b.budget, p.prognos,
                   CASE WHEN coalesce(p.typ, b.typ) = 'intakt' THEN p.prognos - b.budget ELSE b.budget - p.prognos END AS avvikelse,
                   (SELECT pm FROM senaste) AS prognosmanad
            FROM p FULL JOIN b USING (ansvar, kontogrupp, typ)
            ORDER BY ansvar, typ DESC, kontogrupp""",
        {"arstart": date(period.year, 1, 1), "slut": period.end, "ar": period.year, "enheter": list(filters.units)},
    )


def prognosforandring(con, period: Period, filters: Filters) -> pl.DataFrame:
    """How the full-year forecast of the result moved month by month during the year, beside the year's budgeted result."""
    return query(
        con,
        f"""WITH b AS (SELECT sum(CASE WHEN typ = 'intakt' THEN budget_kr ELSE -budget_kr END) AS budget_resultat_ar
                       FROM ekonomi WHERE year(manad) = $ar AND {ENHET_VILLKOR.format(kol="ansvar")})
            SELECT prognosmanad,
                   sum(CASE WHEN typ = 'intakt' THEN helarsprognos_kr ELSE 0 END) AS intakter,
                   sum(CASE WHEN typ = 'kostnad' THEN helarsprognos_kr ELSE 0 END) AS kostnader,
                   sum(CASE WHEN typ = 'intakt' THEN helarsprognos_kr ELSE -helarsprognos_kr END) AS resultat,
                   any_value(b.budget_resultat_ar) AS budget_resultat_ar
            FROM prognos, b WHERE prognosmanad BETWEEN $start AND $slut AND {ENHET_VILLKOR.format(kol="ansvar")}
            GROUP BY prognosmanad ORDER BY prognosmanad""",
        _p(period, filters, start=date(period.year, 1, 1), ar=period.year),
    )


def avvikelser(con, period: Period, filters: Filters) -> pl.DataFrame:
    """Year-to-date budget vs actuals per unit and account group, largest deviation (in the result's favour or not) first."""
    return query(
        con,
        f"""SELECT ansvar, kontogrupp, typ, sum(budget_kr) AS budget, sum(utfall_kr) AS utfall,
                   CASE WHEN typ = 'intakt' THEN sum(utfall_kr) - sum(budget_kr) ELSE sum(budget_kr) - sum(utfall_kr) END AS avvikelse,
                   100.0 * (CASE WHEN typ = 'intakt' THEN sum(utfall_kr) - sum(budget_kr) ELSE sum(budget_kr) - sum(utfall_kr) END)
                       / nullif(sum(budget_kr), 0) AS avvikelse_procent
            FROM ekonomi WHERE manad BETWEEN $start AND $slut AND {ENHET_VILLKOR.format(kol="ansvar")}
            GROUP BY ansvar, kontogrupp, typ ORDER BY abs(avvikelse) DESC NULLS LAST, ansvar, kontogrupp""",
        _p(period, filters, start=date(period.year, 1, 1)),
    )


def ekonomi(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Budget, actuals and result per month and year to date, forecast per group, forecast movement, deviations."""
    return {
        "indikatorer": kpi.compute(period, filters, ids=_ids(EKONOMI_IDS), con=con),
        "per_manad": ekonomi_per_manad(con, period, filters),
        "prognos_per_grupp": prognos_per_grupp(con, period, filters),
        "prognosforandring": prognosforandring(con, period, filters),
        "avvikelser": avvikelser(con, period, filters),
    }


# --- Måluppfyllelse -------------------------------------------------------------------------------------------


def maluppfyllelse(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """The city's report table: Indikator | Periodens utfall | Årsmål | KF:s årsmål | Period | Bedömning."""
    resultat = kpi.compute(period, filters, con=con)
    tabell = pl.DataFrame(
        [
            {
                "Indikator": r.namn,
                "Periodens utfall": enligt_matt(r.varde, r.matt),
                "Årsmål": enligt_matt(r.mal, r.matt),
                "KF:s årsmål": enligt_matt(r.kf_mal, r.matt),
                "Period": r.period,
                "Bedömning": STATUS_ORD.get(r.status, r.status),
                "Kommentar": r.orsak or "",
            }
            for r in resultat
        ],
        schema={k: pl.Utf8 for k in ["Indikator", "Periodens utfall", "Årsmål", "KF:s årsmål", "Period", "Bedömning", "Kommentar"]},
    )
    return {"indikatorer": resultat, "tabell": tabell}


# --- Datakvalitet ---------------------------------------------------------------------------------------------


_SENASTE_VALIDERING = """SELECT * FROM etl_valideringar
    QUALIFY korning_id = max(korning_id) OVER (PARTITION BY kalla, fil)"""


def datakvalitet(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Recent ETL runs, files and rows per source, validation results, quarantined files with reasons, names read."""
    data = {
        "korningar": query(con, "SELECT * FROM etl_korningar ORDER BY startad DESC LIMIT 20"),
        "filer_per_kalla": query(
            con,
            """SELECT kalla, count(DISTINCT fil) AS filer,
                      count(DISTINCT fil) FILTER (WHERE utfall = 'avvisad') AS avvisade,
                      sum(rader) FILTER (WHERE utfall = 'inläst') AS inlasta_rader,
                      max(tidpunkt) AS senast
               FROM etl_filer GROUP BY kalla ORDER BY kalla""",
        ),
        # Each file's most recent validation: a re-run that skips unchanged files validates nothing,
        # and the page must still show how every loaded file fared.
        "regler_per_kalla": query(
            con,
            f"""WITH v AS ({_SENASTE_VALIDERING})
               SELECT kalla, regel, count(*) AS filer, count(*) FILTER (WHERE lyckades) AS godkanda,
                      count(*) FILTER (WHERE NOT lyckades) AS underkanda, sum(antal_fel)::BIGINT AS antal_fel
               FROM v GROUP BY ALL ORDER BY underkanda DESC, kalla, regel""",
        ),
        "valideringsfel": query(
            con,
            f"""WITH v AS ({_SENASTE_VALIDERING})
               SELECT kalla, fil, regel, kolumn, antal_fel, exempel, tidpunkt
               FROM v WHERE NOT lyckades ORDER BY tidpunkt DESC, kalla, fil, regel""",
        ),
        "avvisade": query(
            con,
            """SELECT fil, kalla, meddelande, tidpunkt, korning_id FROM etl_filer
               WHERE utfall = 'avvisad' ORDER BY tidpunkt DESC LIMIT 50""",
        ),
        "senaste_manader": senaste_manader(con),
        # Unit names and code values the ETL read in their canonical spelling, and unknown ones, for each file as
        # last loaded (etl_namn): 'LÖNEENHET NORD' → 'Löneenhet Nord', an alias from the unit register, an unknown unit.
        "namn": query(
            con,
            """WITH senast AS (SELECT fil, max(korning_id) AS korning_id FROM etl_filer WHERE utfall = 'inläst' GROUP BY fil)
               SELECT n.kalla, n.fil, n.kolumn, n.skrivet, n.tolkat, n.typ, n.rader, n.tidpunkt
               FROM etl_namn n JOIN senast s USING (fil, korning_id)
               ORDER BY n.typ = 'okand' DESC, n.kalla, n.kolumn, n.skrivet, n.fil""",
        ),
    }
    # the run log is written redacted; this keeps a lake written by an older version from showing a personnummer
    return {k: _maskerad(v) for k, v in data.items()}


def _maskerad(df: pl.DataFrame) -> pl.DataFrame:
    text = [c for c, t in df.schema.items() if t == pl.String]
    return df.with_columns(pl.col(c).map_elements(maskera, return_dtype=pl.String) for c in text) if text and df.height else df


# --- Om indikatorerna -----------------------------------------------------------------------------------------


RIKTNING = {"hogre": "Högre är bättre", "lagre": "Lägre är bättre"}
DIMENSION_NAMN = {"enhet": "enhet", "ko": "kö", "forvaltning": "förvaltning"}


def om(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Every indicator's definition, generated from the catalogue (one row per indicator, display columns)."""
    rader = [
        {
            "Avsnitt": ind.avsnitt,
            "Indikator": ind.namn,
            "Id": ind.id,
            "Definition": ind.definition,
            "Mått": ind.matt,
            "Riktning": RIKTNING.get(ind.riktning, ind.riktning),
            "Periodicitet": ind.periodicitet,
            "Tolerans för delvis": f"{enligt_matt(100 * ind.tolerans, '', 0)} % av målet",
            "Källor": ", ".join(ind.tabeller),
            # groupings that are not filters (weekday × hour for the heatmaps) are left out
            "Filter": ", ".join(DIMENSION_NAMN[d] for d in ind.dimensioner if d in DIMENSION_NAMN) or "inga",
            "Anmärkning": " ".join(
                t
                for t in [
                    ind.anmarkning or "",
                    f"Visas inte för grupper med färre än {ind.minsta_antal_anstallda} anställda." if ind.minsta_antal_anstallda else "",
                ]
                if t
            ),
        }
        for ind in kpi.CATALOGUE.values()
    ]
    return {"katalog": pl.DataFrame(rader, schema={k: pl.Utf8 for k in OM_KOLUMNER})}


OM_KOLUMNER = [
    "Avsnitt",
    "Indikator",
    "Id",
    "Definition",
    "Mått",
    "Riktning",
    "Periodicitet",
    "Tolerans för delvis",
    "Källor",
    "Filter",
    "Anmärkning",
]


SIDOR: dict[str, Callable[[duckdb.DuckDBPyConnection, Period, Filters], SidData]] = {
    "oversikt": oversikt,
    "produktivitet": produktivitet,
    "telefoni": telefoni,
    "sjukfranvaro": sjukfranvaro,
    "ekonomi": ekonomi,
    "maluppfyllelse": maluppfyllelse,
    "datakvalitet": datakvalitet,
    "om": om,
}
