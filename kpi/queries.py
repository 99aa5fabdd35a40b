"""Page data: ONE function per dashboard page, each `(con, period, filters) -> dict[str, DataFrame | list[KpiResult]]`.

`SIDOR` maps a page id to its function; the Streamlit page only lays out what its function returns, the benchmark (bench/)
times exactly these functions and `python -m kpi --sida ID` prints them. Every figure comes from the catalogue through
`kpi.compute` / `kpi.per_grupp` / `kpi.jamforelse` / `kpi.series` / `kpi.serier`: a function here composes them
(chooses indicators, periods and groupings, renames columns) and never writes a ratio, a sign convention, a target or an
assessment of its own. The only SQL left here reads the ETL run log (Datakvalitet) and data freshness.

| page id          | keys returned |
|------------------|---------------|
| `oversikt`       | indikatorer, foregaende_ar, farskhet, senaste_korning |
| `produktivitet`  | indikatorer, loner_per_manad, loner_per_tertial, volymer, andel_maskinell, topp_forvaltningar, pension |
| `telefoni`       | indikatorer, per_ko, tider, inkommande_karta, servicegrad_karta, bemanning |
| `sjukfranvaro`   | indikatorer, per_enhet, rullande, kort_lang |
| `ekonomi`        | indikatorer, per_manad, prognos_per_grupp, prognosforandring, avvikelser |
| `maluppfyllelse` | indikatorer, tabell, per_enhet |
| `datakvalitet`   | korningar, filer_per_kalla, regler_per_kalla, valideringsfel, avvisade, senaste_manader, namn |
| `leverera_data`  | fullstandighet, att_atgarda, rytmer |
| `om`             | katalog |
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import duckdb
import polars as pl

import kpi
from kpi import erlang, fullstandighet, sql
from kpi.format import STATUS_ORD, VECKODAGAR
from kpi.formler import FAMILJER
from kpi.period import Filters, Period
from kpi.targets import bedomningsregel
from lake import query
from lake.schema import manadstabeller
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
AVVIKELSE_IDS = ["budget_belopp", "utfall_belopp", "budgetavvikelse", "budgetavvikelse_procent"]
PROGNOS_IDS = ["arsbudget_belopp", "helarsprognos_belopp", "prognosavvikelse"]
KONTOGRUPP = ("enhet", "kontogrupp", "typ")
ERLANG_STANDARDMAL = 85.0  # the plans' telephony target (DESIGN.md §2), for staffing when mal/ has no servicegrad target
BORTFALL = 0.30  # shrinkage for Erlang C staffing (breaks, training, absence); shown in the caption


def _ids(ids: list[str]) -> list[str]:
    """Keep the ids the catalogue actually declares (a neighbour unit may run with a smaller catalogue)."""
    return [i for i in ids if i in kpi.CATALOGUE]


def _serie(con, ids: str | list[str], start: date, slut: date, filters: Filters, grain: str = "manad", by=None) -> pl.DataFrame:
    """kpi.serier for the ids the catalogue has (column `id` tells them apart)."""
    return kpi.serier(_ids([ids] if isinstance(ids, str) else ids), start, slut, filters, grain=grain, by=by, con=con)


def _ar_till_period(period: Period) -> tuple[date, date]:
    """January of the period's year through the period's last month: the window the page charts show."""
    return date(period.year, 1, 1), period.end


def _per_grupp_ram(grupper: list, dims: tuple[str, ...], kolumner: dict[str, str]) -> pl.DataFrame:
    """per_grupp results as a wide frame: one row per group, one column per indicator (`kolumner`: id → column)."""
    rader: dict[tuple, dict] = {}
    for g in grupper:
        nyckel = tuple(g.grupp[d] for d in dims)
        rad = rader.setdefault(nyckel, dict(zip(dims, nyckel)))
        if g.resultat.id in kolumner:
            rad[kolumner[g.resultat.id]] = g.resultat.varde
    schema = {d: pl.String for d in dims} | {k: pl.Float64 for k in kolumner.values()}
    return pl.DataFrame(list(rader.values()), schema=schema, orient="row") if rader else pl.DataFrame(schema=schema)


def _samtidigt(**delar: Callable[[], Any]) -> dict[str, Any]:
    """A page's independent parts side by side, results by name: each query takes its own cursor, and DuckDB's
    per-statement parsing and planning (most of a page's time at city scale, docs/prestanda.md) overlap on the cores."""
    with ThreadPoolExecutor(max_workers=min(len(delar), 4), thread_name_prefix="sida") as pool:
        pagaende = {namn: pool.submit(del_) for namn, del_ in delar.items()}
        return {namn: f.result() for namn, f in pagaende.items()}


# --- Översikt -------------------------------------------------------------------------------------------------


def senaste_manader(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Latest month loaded per source (data freshness); the contract in lake/schema.py says where and what counts."""
    delar = [
        f"SELECT '{kalla}' AS kalla, max({t.manad}) FILTER ({t.har_data}) AS senaste_manad, coalesce({t.rader}, 0)::BIGINT AS rader FROM {t.name}"
        for kalla, t in manadstabeller().items()
    ]
    return query(con, " UNION ALL ".join(delar))


def senaste_korning(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The most recent ETL run (one row, or none)."""
    return query(con, "SELECT * FROM etl_korningar ORDER BY startad DESC LIMIT 1")


def oversikt(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Every indicator with target and assessment, the comparable period last year, data freshness.

    No trend series: the tiles have no sparkline (ui/sida.ruta says why) and each area's page charts the trend, so
    computing thirteen months of every indicator here was work nobody saw."""
    ids = [i.id for i in kpi.catalogue_with_data(con)]  # the ids compute() returns, known before it runs
    senaste = kpi.senaste_manad(con)
    d = _samtidigt(
        # the period and last year's comparable one share a statement: one parse and plan instead of two
        indikatorer=lambda: kpi.med_jamforelse(period, filters, ids, con, senaste),
        farskhet=lambda: senaste_manader(con),
        senaste_korning=lambda: senaste_korning(con),
    )
    nu, forra = d["indikatorer"]
    return {"indikatorer": nu, "foregaende_ar": forra, "farskhet": d["farskhet"], "senaste_korning": d["senaste_korning"]}


# --- Produktivitet --------------------------------------------------------------------------------------------


def volymer_per_kategori(con, period: Period, filters: Filters, start: date | None = None) -> pl.DataFrame:
    """Payslips per month split maskinell/manuell (stacked volumes): the catalogue's two counts, by canonical category."""
    df = _serie(con, ["antal_maskinella", "antal_manuella"], start or period.start, period.end, filters)
    kategori = {"antal_maskinella": sql.MASKINELL, "antal_manuella": sql.MANUELL}
    return df.filter(pl.col("varde").is_not_null()).select(
        pl.col("period_start").alias("manad"),
        pl.col("id").replace_strict(kategori, return_dtype=pl.String).alias("kategori"),
        pl.col("varde").cast(pl.Int64).alias("antal"),
    )


def topp_forvaltningar_manuell(con, period: Period, filters: Filters, antal: int = 10) -> pl.DataFrame:
    """The förvaltningar sending most manually reported payslips in the period."""
    grupper = kpi.per_grupp(period, filters, ["antal_manuella"], "forvaltning", con=con)
    df = _per_grupp_ram(grupper, ("forvaltning",), {"antal_manuella": "manuella"})
    return df.filter(pl.col("manuella") > 0).sort(["manuella", "forvaltning"], descending=[True, False]).head(antal)


def produktivitet(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Payslips per FTE per month and unit, tertial values, volumes, electronic share, top manual förvaltningar, pension."""
    start, slut = _ar_till_period(period)
    tva_ar = date(period.year - 2, 1, 1)
    d = _samtidigt(
        indikatorer=lambda: kpi.compute(period, filters, ids=_ids(PRODUKTIVITET_IDS), con=con),
        loner_per_manad=lambda: _serie(con, "loner_per_arsarbetare", start, slut, filters, by="enhet").drop("id"),
        # one family over the same tertials: one statement for both charts, not the same one twice
        tertial=lambda: _serie(con, ["loner_per_arsarbetare", "pensionsarenden_per_handlaggare"], tva_ar, slut, filters, grain="tertial"),
        volymer=lambda: volymer_per_kategori(con, period, filters, start=start),
        andel_maskinell=lambda: _serie(con, "andel_maskinell", tva_ar, slut, filters).drop("id"),
        topp_forvaltningar=lambda: topp_forvaltningar_manuell(con, period, filters),
    )
    tertial = d.pop("tertial")
    d["loner_per_tertial"] = tertial.filter(pl.col("id") == "loner_per_arsarbetare").drop("id")
    d["pension"] = tertial.filter(pl.col("id") == "pensionsarenden_per_handlaggare").drop("id")
    return d


# --- Telefoni -------------------------------------------------------------------------------------------------


def _veckodag_timme(df: pl.DataFrame, namn: str) -> pl.DataFrame:
    """'1|08' groups as weekday and hour labels ('måndag', '08:00')."""
    if df.is_empty():
        return pl.DataFrame(schema={"dag": pl.String, "tid": pl.String, namn: pl.Float64})
    return (
        df.filter(pl.col("grupp").is_not_null())
        .with_columns(
            pl.col("grupp").str.split("|").list.get(0).cast(pl.Int64).alias("veckodag"),
            pl.col("grupp").str.split("|").list.get(1).alias("timme"),
        )
        .sort("veckodag", "timme")
        .select(
            pl.col("veckodag").replace_strict(dict(enumerate(VECKODAGAR, start=1)), return_dtype=pl.String).alias("dag"),
            pl.format("{}:00", "timme").alias("tid"),
            pl.col("varde").alias(namn),
        )
    )


def telefoni_kartor(con, period: Period, filters: Filters) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Weekday × hour over the period: incoming calls per day and the service level, both from the catalogue."""
    df = _serie(con, ["inkommande_per_dag", "servicegrad"], period.start, period.end, filters, grain="ar", by="veckodag_timme")
    return (
        _veckodag_timme(df.filter(pl.col("id") == "inkommande_per_dag"), "inkommande_per_dag"),
        _veckodag_timme(df.filter(pl.col("id") == "servicegrad"), "servicegrad"),
    )


def erlang_bemanning(con, period: Period, filters: Filters, mal_procent: float, troskel_s: int = 25, bortfall: float = BORTFALL) -> pl.DataFrame:
    """Per hour of day, over the period's latest month with calls: calls per day and AHT → agents needed (Erlang C)."""
    schema = {
        "manad": pl.Date,
        "tid": pl.String,
        "inkommande_per_dag": pl.Float64,
        "besvarade_per_dag": pl.Float64,
        "hanteringstid_s": pl.Float64,
        "agenter": pl.Int64,
        "arsarbetare": pl.Float64,
        "mal_procent": pl.Float64,
    }
    manader = _serie(con, "antal_inkommande_samtal", period.start, period.end, filters).filter(pl.col("varde") > 0)
    if manader.is_empty():
        return pl.DataFrame(schema=schema)
    manad = manader["period_start"].max()
    per_timme = _serie(con, ["inkommande_per_dag", "besvarade_per_dag", "medel_hanteringstid"], manad, manad, filters, by="timme")
    varden = {(r["id"], r["grupp"]): r["varde"] for r in per_timme.iter_rows(named=True)}
    rader = []
    for timme in sorted({g for _, g in varden if g is not None}):
        samtal = varden.get(("inkommande_per_dag", timme)) or 0.0
        aht = varden.get(("medel_hanteringstid", timme)) or 0.0
        agenter = erlang.agenter_som_behovs(samtal, aht, 3600, mal_procent / 100, troskel_s)
        rader.append(
            {
                "manad": manad,
                "tid": f"{timme}:00",
                "inkommande_per_dag": samtal,
                "besvarade_per_dag": varden.get(("besvarade_per_dag", timme)) or 0.0,
                "hanteringstid_s": aht,
                "agenter": agenter,
                "arsarbetare": erlang.arsarbetare(agenter, bortfall),
                "mal_procent": mal_procent,
            }
        )
    return pl.DataFrame(rader, schema=schema, orient="row")


def telefoni(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Service level and answer rate per month and queue, heatmaps, wait/handling times, Erlang C staffing."""
    start, slut = _ar_till_period(period)

    def indikatorer_och_bemanning() -> tuple[list, pl.DataFrame]:
        indikatorer = kpi.compute(period, filters, ids=_ids(TELEFONI_IDS), con=con)
        # Erlang C staffs for the service-level target the tiles assess against
        mal = next((r.mal for r in indikatorer if r.id == "servicegrad" and r.mal is not None), ERLANG_STANDARDMAL)
        return indikatorer, erlang_bemanning(con, period, filters, mal, filters.servicegrad_troskel_s)

    d = _samtidigt(
        indikatorer=indikatorer_och_bemanning,
        per_ko=lambda: _serie(con, ["servicegrad", "svarsfrekvens"], start, slut, filters, by="ko"),
        tider=lambda: _serie(con, ["medel_vantetid", "medel_hanteringstid"], start, slut, filters),
        kartor=lambda: telefoni_kartor(con, period, filters),
    )
    return {
        "indikatorer": d["indikatorer"][0],
        "per_ko": d["per_ko"],
        "tider": d["tider"],
        "inkommande_karta": d["kartor"][0],
        "servicegrad_karta": d["kartor"][1],
        "bemanning": d["indikatorer"][1],
    }


# --- Sjukfrånvaro ---------------------------------------------------------------------------------------------


def sjukfranvaro(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """12-month rolling total, short and long per unit; suppressed units keep their reason from the KPI layer."""
    start = date(period.year - 2, 1, 1)
    d = _samtidigt(
        indikatorer=lambda: kpi.compute(period, filters, ids=_ids(SJUK_IDS), con=con),
        grupper=lambda: kpi.per_grupp(period, filters, _ids(SJUK_IDS), "enhet", con=con),
        rullande=lambda: _serie(con, "sjukfranvaro_12m", start, period.end, filters, by="enhet").drop("id"),
        kort_lang=lambda: _serie(con, ["sjukfranvaro_kort", "sjukfranvaro_lang"], start, period.end, filters),
    )
    per_enhet = pl.DataFrame(
        [
            {"enhet": g.grupp["enhet"], "id": g.resultat.id, "namn": g.resultat.namn, "varde": g.resultat.varde, "mal": g.resultat.mal,
             "status": g.resultat.status, "orsak": g.resultat.orsak}
            for g in d.pop("grupper")
        ],
        schema={"enhet": pl.Utf8, "id": pl.Utf8, "namn": pl.Utf8, "varde": pl.Float64, "mal": pl.Float64, "status": pl.Utf8, "orsak": pl.Utf8},
    )  # fmt: skip
    ordning = {i: n for n, i in enumerate(SJUK_IDS)}
    return {
        "indikatorer": d["indikatorer"],
        "per_enhet": per_enhet.sort("enhet", pl.col("id").replace_strict(ordning, return_dtype=pl.Int64)),
        "rullande": d["rullande"],
        "kort_lang": d["kort_lang"],
    }


# --- Ekonomi --------------------------------------------------------------------------------------------------


def hittills_i_ar(period: Period) -> Period:
    """January through the period's last month: 'hittills i år' (booked months only, on both sides — kpi/sql.py BOKFORD)."""
    return Period(period.year, month=period.end.month, ytd=True)


def ekonomi_per_manad(con, period: Period, filters: Filters) -> pl.DataFrame:
    """Per month of the year up to the period: revenue, costs, result and budgeted result, and both summed from January."""
    start, slut = _ar_till_period(period)
    df = _serie(con, ["intakter", "kostnader", "resultat", "budget_resultat"], start, slut, filters)
    schema = {k: pl.Float64 for k in ["intakter", "kostnader", "budget_resultat", "resultat", "resultat_ackumulerat", "budget_ackumulerad"]}
    if df.is_empty() or df["varde"].drop_nulls().is_empty():
        return pl.DataFrame(schema={"manad": pl.Date} | schema)
    bred = df.pivot(on="id", index="period_start", values="varde").rename({"period_start": "manad"})
    for i in ["intakter", "kostnader", "resultat", "budget_resultat"]:
        if i not in bred.columns:
            bred = bred.with_columns(pl.lit(None, pl.Float64).alias(i))
    ack = {
        i: kpi.ackumulerad(i, df.filter(pl.col("id") == i))["varde"].to_list()
        for i in ("resultat", "budget_resultat")
    }  # fmt: skip
    bred = bred.sort("manad").with_columns(
        pl.Series("resultat_ackumulerat", ack["resultat"], pl.Float64),
        pl.Series("budget_ackumulerad", ack["budget_resultat"], pl.Float64),
    )
    # months not yet booked carry no figures at all (the budget of a month is compared only once it is booked)
    return bred.filter(pl.col("resultat").is_not_null()).select("manad", *schema)


def prognos_per_grupp(con, period: Period, filters: Filters) -> pl.DataFrame:
    """The latest full-year forecast per unit and account group against the whole year's budget (amounts positive)."""
    grupper = kpi.per_grupp(period, filters, _ids(PROGNOS_IDS), KONTOGRUPP, con=con)
    df = _per_grupp_ram(grupper, KONTOGRUPP, {"arsbudget_belopp": "budget", "helarsprognos_belopp": "prognos", "prognosavvikelse": "avvikelse"})
    return df.rename({"enhet": "ansvar"}).sort("ansvar", "typ", "kontogrupp", descending=[False, True, False])


def prognosforandring(con, period: Period, filters: Filters) -> pl.DataFrame:
    """The full-year forecast of the result as it stood at the end of each month of the year, beside the year's budget."""
    start, slut = _ar_till_period(period)
    senaste = kpi.senaste_manad(con, ("prognos",))
    slut = min(slut, senaste) if senaste is not None and senaste >= start else slut
    df = _serie(con, ["helarsprognos_resultat", "arsbudget_resultat"], start, slut, filters)
    schema = {"prognosmanad": pl.Date, "resultat": pl.Float64, "budget_resultat_ar": pl.Float64}
    if df.is_empty():
        return pl.DataFrame(schema=schema)
    bred = df.pivot(on="id", index="period_start", values="varde")
    for i in ("helarsprognos_resultat", "arsbudget_resultat"):
        if i not in bred.columns:
            bred = bred.with_columns(pl.lit(None, pl.Float64).alias(i))
    return (
        bred.filter(pl.col("helarsprognos_resultat").is_not_null())
        .select(
            pl.col("period_start").alias("prognosmanad"),
            pl.col("helarsprognos_resultat").alias("resultat"),
            pl.col("arsbudget_resultat").alias("budget_resultat_ar"),
        )
        .sort("prognosmanad")
    )


def avvikelser(con, period: Period, filters: Filters) -> pl.DataFrame:
    """Year-to-date budget vs actuals per unit and account group (booked months only), largest deviation first."""
    grupper = kpi.per_grupp(hittills_i_ar(period), filters, _ids(AVVIKELSE_IDS), KONTOGRUPP, con=con)
    df = _per_grupp_ram(
        grupper,
        KONTOGRUPP,
        {"budget_belopp": "budget", "utfall_belopp": "utfall", "budgetavvikelse": "avvikelse", "budgetavvikelse_procent": "avvikelse_procent"},
    )
    return df.rename({"enhet": "ansvar"}).sort(pl.col("avvikelse").abs(), "ansvar", "kontogrupp", descending=[True, False, False], nulls_last=True)


def ekonomi(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Budget, actuals and result per month and year to date, forecast per group, forecast movement, deviations."""
    return _samtidigt(
        indikatorer=lambda: kpi.compute(period, filters, ids=_ids(EKONOMI_IDS), con=con),
        per_manad=lambda: ekonomi_per_manad(con, period, filters),
        prognos_per_grupp=lambda: prognos_per_grupp(con, period, filters),
        prognosforandring=lambda: prognosforandring(con, period, filters),
        avvikelser=lambda: avvikelser(con, period, filters),
    )


# --- Måluppfyllelse -------------------------------------------------------------------------------------------


def enhetsindikatorer(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tile indicators that can be split per unit (the unit × indicator matrix)."""
    return [i.id for i in kpi.catalogue_with_data(con) if "enhet" in i.dimensioner and "enhet" in FAMILJER[i.familj]["grupper"]]


def maluppfyllelse(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """The city's report table (Indikator | Periodens utfall | Årsmål | KF:s årsmål | Period | Bedömning) and every indicator per unit."""
    d = _samtidigt(
        resultat=lambda: kpi.compute(period, filters, con=con),
        grupper=lambda: kpi.per_grupp(period, filters, enhetsindikatorer(con), "enhet", con=con),
    )
    resultat, grupper = d["resultat"], d["grupper"]
    tabell = pl.DataFrame(
        [
            {
                "Indikator": r.namn,
                "Periodens utfall": r.varde_text,
                "Årsmål": r.mal_text,
                "KF:s årsmål": r.text(r.kf_mal),
                "Period": r.period,
                "Bedömning": STATUS_ORD.get(r.status, r.status),
                "Kommentar": r.orsak or "",
            }
            for r in resultat
        ],
        schema={k: pl.Utf8 for k in ["Indikator", "Periodens utfall", "Årsmål", "KF:s årsmål", "Period", "Bedömning", "Kommentar"]},
    )
    per_enhet = pl.DataFrame(
        [
            {"enhet": g.grupp["enhet"], "id": r.id, "namn": r.namn, "varde": r.varde, "mal": r.mal, "status": r.status, "orsak": r.orsak,
             "varde_text": r.varde_text, "mal_text": r.mal_text, "matt": r.visning.enhet}
            for g in grupper
            for r in [g.resultat]
        ],
        schema={"enhet": pl.Utf8, "id": pl.Utf8, "namn": pl.Utf8, "varde": pl.Float64, "mal": pl.Float64, "status": pl.Utf8, "orsak": pl.Utf8,
                "varde_text": pl.Utf8, "mal_text": pl.Utf8, "matt": pl.Utf8},
    )  # fmt: skip
    return {"indikatorer": resultat, "tabell": tabell, "per_enhet": per_enhet}


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
            """SELECT f.fil, f.kalla, f.meddelande, f.tidpunkt, f.korning_id, k.levererad_av
               FROM etl_filer f LEFT JOIN etl_korningar k USING (korning_id)
               WHERE f.utfall = 'avvisad' ORDER BY f.tidpunkt DESC LIMIT 50""",
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


def leverera_data(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters, karantan: str | None = None) -> SidData:
    """Completeness of the deliveries: source × month over the last 13 ended months, the cells to act on, each source's rhythm.

    Rejected deliveries still waiting in the quarantine folder for the next run's commit count too (etl/korlogg.py).
    """
    grid = fullstandighet.fullstandighet(con, vantande=fullstandighet.vantande_korlogg(karantan))
    return {"fullstandighet": _maskerad(grid), "att_atgarda": _maskerad(fullstandighet.saknade(grid)), "rytmer": fullstandighet.rytmer()}


def med_vantande(d: SidData, vantande: dict[str, pl.DataFrame]) -> SidData:
    """Datakvalitet's run-log tables with the rejected deliveries not yet committed (newest first), so a rejection shows at once."""
    filer = vantande["etl_filer"].join(vantande["etl_korningar"].select("korning_id", "levererad_av"), on="korning_id", how="left")
    if filer.is_empty():
        return d
    ut = dict(d)
    ut["korningar"] = pl.concat([vantande["etl_korningar"].select(d["korningar"].columns), d["korningar"]], how="vertical_relaxed")
    ut["avvisade"] = pl.concat(
        [filer.filter(pl.col("utfall") == "avvisad").select(d["avvisade"].columns), d["avvisade"]], how="vertical_relaxed"
    ).sort("tidpunkt", descending=True)
    fel = vantande["etl_valideringar"].filter(~pl.col("lyckades")).select(d["valideringsfel"].columns)
    ut["valideringsfel"] = pl.concat([fel, d["valideringsfel"]], how="vertical_relaxed").sort("tidpunkt", descending=True)
    return {k: _maskerad(v) if isinstance(v, pl.DataFrame) else v for k, v in ut.items()}


def _maskerad(df: pl.DataFrame) -> pl.DataFrame:
    # plain Python, not map_elements: a Python callback from polars' threads hung the server when 20 sessions opened
    # Datakvalitet at once (scripts/lasttest.py)
    text = [c for c, t in df.schema.items() if t == pl.String]
    if not text or not df.height:
        return df
    return df.with_columns(pl.Series(c, [None if v is None else maskera(v) for v in df[c].to_list()], dtype=pl.String) for c in text)


# --- Om indikatorerna -----------------------------------------------------------------------------------------


RIKTNING = {"hogre": "Högre är bättre", "lagre": "Lägre är bättre"}
DIMENSION_NAMN = {"enhet": "enhet", "ko": "kö", "forvaltning": "förvaltning"}
OM_KOLUMNER = [
    "Avsnitt",
    "Indikator",
    "Id",
    "Definition",
    "Mått",
    "Visas i",
    "Riktning",
    "Periodicitet",
    "Bedömning",
    "Källor",
    "Filter",
    "Anmärkning",
]


def om_katalogen() -> pl.DataFrame:
    """Every indicator's definition, generated from the catalogue (one row per indicator, display columns)."""
    rader = []
    for ind in kpi.CATALOGUE.values():
        anmarkningar = [ind.anmarkning or ""]
        if ind.minsta_antal_anstallda:
            anmarkningar.append(
                f"Visas inte för grupper med färre än {ind.minsta_antal_anstallda} anställda; små enheter slås ihop så att "
                "de inte kan räknas fram ur andra urval."
            )
        if not ind.visas:
            anmarkningar.append("Hjälpmått i sidornas diagram och tabeller (ingen egen ruta, inget årsmål).")
        rader.append(
            {
                "Avsnitt": ind.avsnitt,
                "Indikator": ind.namn,
                "Id": ind.id,
                "Definition": ind.definition,
                "Mått": ind.matt,
                "Visas i": ind.visning.enhet,
                "Riktning": RIKTNING.get(ind.riktning, ind.riktning),
                "Periodicitet": ind.periodicitet,
                "Bedömning": bedomningsregel(ind) if ind.visas else "",
                "Källor": ", ".join(ind.tabeller),
                # groupings that are not filters (weekday × hour for the heatmaps) are left out
                "Filter": ", ".join(DIMENSION_NAMN[d] for d in ind.dimensioner if d in DIMENSION_NAMN) or "inga",
                "Anmärkning": " ".join(t for t in anmarkningar if t),
            }
        )
    return pl.DataFrame(rader, schema={k: pl.Utf8 for k in OM_KOLUMNER})


def om(con: duckdb.DuckDBPyConnection, period: Period, filters: Filters) -> SidData:
    """Every indicator's definition and assessment rule, generated from the catalogue."""
    return {"katalog": om_katalogen()}


SIDOR: dict[str, Callable[[duckdb.DuckDBPyConnection, Period, Filters], SidData]] = {
    "oversikt": oversikt,
    "produktivitet": produktivitet,
    "telefoni": telefoni,
    "sjukfranvaro": sjukfranvaro,
    "ekonomi": ekonomi,
    "maluppfyllelse": maluppfyllelse,
    "datakvalitet": datakvalitet,
    "leverera_data": leverera_data,
    "om": om,
}
