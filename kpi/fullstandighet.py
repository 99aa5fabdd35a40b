"""Completeness of the deliveries: each source's expected rhythm, declared once, and the source × month overview.

A cell is one source and one month of the last 13 ended months. Its status, in this order:

* **avvisad** — the latest delivery holding the month (by time) was rejected, after the last one that loaded it;
* **inläst** — the lake holds data for the month (for Agresso: booked actuals; for a yearly source: its year);
* **ingen leverans** — the rhythm expects nothing that month (no forecast in January and July);
* **saknas** — the delivery is due and not there; for the optional call log **ej levererad (valfri)** instead;
* **väntas** — not due yet.

The due-day rule: a month's (or year's) delivery is due `dagar` days after its reference day — the day after the
period ends for actuals (volumes, telephony, sick leave, booked Agresso months, forecasts, surveys), the period's first
day for plans (targets, goal hierarchy), which must be in place as the year starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl

from kpi.format import MANADER_KORT
from kpi.period import add_months
from lake import DEFAULT_QUARANTINE, query
from lake.schema import TABLES, manadstabeller

ALLA_MANADER = tuple(range(1, 13))
FONSTER = 13  # months shown: the last 13 ended months, so the same month last year is in view


@dataclass(frozen=True)
class Rytm:
    """How often a source is delivered and when a delivery is due."""

    kalla: str
    namn: str  # the row's Swedish name
    grain: str  # 'manad' | 'ar': what one delivery covers
    dagar: int  # due this many days after the reference day
    referens: str  # 'slut': the day after the period ends (actuals) | 'start': the period's first day (plans)
    beskrivning: str  # the rhythm in Swedish, as the legend states it
    manader: tuple[int, ...] = ALLA_MANADER  # months a delivery is expected
    valfri: bool = False  # an optional source: a missing month is not an error

    def forfaller(self, period_start: date) -> date:
        """The day the delivery for the period starting `period_start` is due."""
        if self.referens == "start":
            ref = period_start
        elif self.grain == "ar":
            ref = date(period_start.year + 1, 1, 1)
        else:
            ref = add_months(period_start, 1)
        return ref + timedelta(days=self.dagar)


# The expected delivery rhythm of every source (DESIGN.md §3), declared once: the overview, the legend and the docs read it.
LEVERANSRYTM: dict[str, Rytm] = {
    r.kalla: r
    for r in [
        Rytm("volymer", "Volymer", "manad", 10, "slut", "varje månad, senast 10 dagar efter månadens slut"),
        Rytm("bemanning", "Bemanning", "manad", 10, "slut", "varje månad, senast 10 dagar efter månadens slut"),
        Rytm("telefoni", "Telefoni (intervallrapport)", "manad", 5, "slut", "varje månad, senast 5 dagar efter månadens slut"),
        Rytm("samtal", "Samtalslogg (valfri)", "manad", 5, "slut", "valfri; när den levereras, varje månad", valfri=True),
        Rytm("sjukfranvaro", "Sjukfrånvaro", "manad", 15, "slut", "varje månad, senast 15 dagar efter månadens slut"),
        Rytm(
            "ekonomi",
            "Ekonomi (Agresso)",
            "manad",
            15,
            "slut",
            "utdrag hittills i år (eller per månad); en månad räknas som inläst när dess utfall är bokfört, senast 15 dagar efter månadens slut",
        ),
        Rytm(
            "prognos",
            "Prognos",
            "manad",
            15,
            "slut",
            "en helårsprognos per prognosmånad (februari–december utom juli), senast 15 dagar efter månadens slut",
            manader=(2, 3, 4, 5, 6, 8, 9, 10, 11, 12),
        ),
        Rytm("mal", "Årsmål", "ar", 31, "start", "en gång per år, senast 31 januari samma år"),
        Rytm("malstruktur", "Målstruktur", "ar", 31, "start", "en gång per år, senast 31 januari samma år"),
        Rytm("indikatorer", "Manuella indikatorer (enkäter)", "ar", 45, "slut", "en gång per år (enkäterna), senast 14 februari året efter"),
    ]
}

# status id → (symbol, word); the symbol and the word carry the status, colour only repeats it
STATUS = {
    "inlast": ("✓", "Inläst"),
    "avvisad": ("⚠", "Avvisad"),
    "saknas": ("✗", "Saknas"),
    "vantas": ("…", "Väntas"),
    "ej_levererad": ("–", "Ej levererad"),
    "ingen_leverans": ("○", "Ingen leverans"),
}
# the catalogue's colour-blind-safe status colours (kpi/format.STATUS_FARG), by meaning
STATUS_FARGNYCKEL = {
    "inlast": "uppfylls_helt",
    "avvisad": "uppfylls_delvis",
    "saknas": "uppfylls_ej",
    "vantas": "ej_bedomd",
    "ej_levererad": None,
    "ingen_leverans": None,
}

KOLUMNER = {
    "kalla": pl.String,
    "namn": pl.String,
    "manad": pl.Date,
    "period": pl.String,  # the partition the month belongs to: '2026-10', or '2026' for a yearly source
    "status": pl.String,
    "symbol": pl.String,
    "text": pl.String,
    "forfaller": pl.Date,
    "detalj": pl.String,  # Swedish: when and from which file, or why
}


def idag() -> date:
    """Today, or $VU_IDAG (ISO date) so a test or a demonstration can show the overview as of a fixed day."""
    varde = os.environ.get("VU_IDAG")
    return date.fromisoformat(varde) if varde else date.today()


def fonster(idag: date, antal: int = FONSTER) -> list[date]:
    """The first days of the last `antal` months that have ended before `idag`, oldest first."""
    sista = add_months(idag.replace(day=1), -1)
    return [add_months(sista, -i) for i in range(antal - 1, -1, -1)]


def _datum(d: date) -> str:
    return f"{d.day} {MANADER_KORT[d.month - 1]} {d.year}"


def _laddade(con: duckdb.DuckDBPyConnection, kalla: str, rytm: Rytm, start: date, slut: date) -> set[str]:
    """Partitions ('2026-10' or '2026') of the window the lake holds data for."""
    # table and column names come from the contract in lake/schema.py; the window's bounds are bound parameters
    if rytm.grain == "manad":
        t = manadstabeller()[kalla]
        sql = f"SELECT DISTINCT strftime({t.manad}, '%Y-%m') AS p FROM {t.name} WHERE {t.har_data} AND {t.manad} BETWEEN $1 AND $2"  # noqa: S608
        return set(query(con, sql, [start, slut])["p"].to_list())
    kolumn = TABLES[kalla].partition
    sql = f"SELECT DISTINCT CAST({kolumn} AS VARCHAR) AS p FROM {kalla} WHERE {kolumn} BETWEEN $1 AND $2"  # noqa: S608
    return set(query(con, sql, [start.year, slut.year])["p"].to_list())


def _leveranser(con: duckdb.DuckDBPyConnection, vantande: dict[str, pl.DataFrame] | None) -> pl.DataFrame:
    """Every loaded or rejected delivery per partition: kalla, period, utfall, tidpunkt, fil, meddelande, levererad_av."""
    sql = """SELECT f.kalla, f.fil, f.utfall, f.perioder, f.tidpunkt, f.meddelande, k.levererad_av
             FROM etl_filer f LEFT JOIN etl_korningar k USING (korning_id)
             WHERE f.utfall IN ('inläst', 'avvisad') AND coalesce(f.perioder, '') <> ''"""
    delar = [query(con, sql)]
    if vantande and not vantande["etl_filer"].is_empty():
        v = vantande["etl_filer"].join(vantande["etl_korningar"].select("korning_id", "levererad_av"), on="korning_id", how="left")
        delar.append(v.filter(pl.col("utfall").is_in(["inläst", "avvisad"]) & (pl.col("perioder").fill_null("") != "")).select(delar[0].columns))
    alla = pl.concat([d.cast(delar[0].schema) for d in delar], how="vertical")
    return alla.with_columns(period=pl.col("perioder").str.split(",")).explode("period").drop("perioder")


def fullstandighet(
    con: duckdb.DuckDBPyConnection, dag: date | None = None, vantande: dict[str, pl.DataFrame] | None = None, antal: int = FONSTER
) -> pl.DataFrame:
    """Source × month for the last `antal` ended months: status (with symbol and word), due day and a Swedish detail.

    `vantande`: run-log rows of rejected deliveries not yet committed (etl.korlogg.vantande_ramar), so a rejection shows
    at once. Rows in LEVERANSRYTM order, months oldest first.
    """
    dag = dag or idag()
    manader = fonster(dag, antal)
    start, slut = manader[0], manader[-1]
    leveranser = _leveranser(con, vantande)
    senaste: dict[tuple[str, str, str], dict] = {}
    for r in leveranser.sort("tidpunkt").iter_rows(named=True):
        senaste[(r["kalla"], r["period"], r["utfall"])] = r  # sorted by time: the last one stays
    rader = []
    for kalla, rytm in LEVERANSRYTM.items():
        laddade = _laddade(con, kalla, rytm, start, slut)
        for m in manader:
            period = f"{m:%Y-%m}" if rytm.grain == "manad" else str(m.year)
            period_start = m if rytm.grain == "manad" else date(m.year, 1, 1)
            forfaller = rytm.forfaller(period_start)
            inlast = senaste.get((kalla, period, "inläst"))
            avvisad = senaste.get((kalla, period, "avvisad"))
            if avvisad and (inlast is None or avvisad["tidpunkt"] > inlast["tidpunkt"]):
                status = "avvisad"
                vem = f" av {avvisad['levererad_av']}" if avvisad["levererad_av"] else ""
                galler = " Tidigare inläst data gäller." if period in laddade else ""
                detalj = f"{avvisad['fil']} avvisades {_datum(avvisad['tidpunkt'].date())}{vem}: {avvisad['meddelande']}.{galler}"
            elif period in laddade:
                status = "inlast"
                detalj = "Inläst"
                if inlast is not None:
                    vem = f" (levererad av {inlast['levererad_av']})" if inlast["levererad_av"] else ""
                    detalj = f"Inläst {_datum(inlast['tidpunkt'].date())} från {inlast['fil']}{vem}."
            elif m.month not in rytm.manader and rytm.grain == "manad":
                status, detalj = "ingen_leverans", "Ingen leverans väntas den här månaden."
            elif dag >= forfaller:
                status = "ej_levererad" if rytm.valfri else "saknas"
                detalj = (
                    "Valfri källa – inte levererad för månaden."
                    if rytm.valfri
                    else f"Saknas – skulle ha levererats senast {_datum(forfaller - timedelta(days=1))}."
                )
            else:
                status, detalj = "vantas", f"Väntas senast {_datum(forfaller - timedelta(days=1))}."
            symbol, text = STATUS[status]
            rader.append(
                {
                    "kalla": kalla,
                    "namn": rytm.namn,
                    "manad": m,
                    "period": period,
                    "status": status,
                    "symbol": symbol,
                    "text": text,
                    "forfaller": forfaller - timedelta(days=1),
                    "detalj": detalj,
                }
            )
    return pl.DataFrame(rader, schema=KOLUMNER)


def rytmer() -> pl.DataFrame:
    """The declared rhythms as a table: källa, namn, leverans (Swedish)."""
    return pl.DataFrame(
        [{"kalla": r.kalla, "namn": r.namn, "leverans": r.beskrivning} for r in LEVERANSRYTM.values()],
        schema={"kalla": pl.String, "namn": pl.String, "leverans": pl.String},
    )


def saknade(grid: pl.DataFrame) -> pl.DataFrame:
    """The cells that need someone to act (missing or rejected), newest month first."""
    return grid.filter(pl.col("status").is_in(["saknas", "avvisad"])).sort("manad", "kalla", descending=[True, False])


def vantande_korlogg(karantan: str | os.PathLike | None = None) -> dict[str, pl.DataFrame]:
    """Rejected deliveries' run-log rows waiting in the quarantine folder ($VU_QUARANTINE, else data/quarantine)."""
    from etl.korlogg import vantande_ramar

    return vantande_ramar(Path(karantan or os.environ.get("VU_QUARANTINE") or DEFAULT_QUARANTINE))
