"""Parquet table contracts: one place that names every column the ETL writes and the KPI layer reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """A Parquet table: its columns (DuckDB types), partition key, grain and the facts every reader derives from it."""

    name: str
    columns: dict[str, str]
    partition: str  # column whose value names the partition file (one file per month or year)
    grain: str
    manad: str | None = None  # month column of a fact table (bounds scans, gives the latest month with data)
    enhet: str | None = None  # unit column (ekonomi and prognos call it ansvar); None = the table has no units
    ko: str | None = None  # telephony queue column
    har_data: str = "true"  # SQL condition for a row that counts as data (a year-to-date extract budgets unbooked months)
    stor: bool = False  # millions of rows: stays a Parquet view and is read through its monthly mart where possible
    mart: str | None = None  # the monthly mart that answers month, queue and row-count questions for a large table
    rader: str = "count(*)"  # SQL for how many source rows the table's rows stand for (a mart row sums many)

    def __post_init__(self):
        for kolumn in (self.manad, self.enhet, self.ko, self.partition):
            if kolumn is not None and kolumn not in self.columns:
                raise ValueError(f"{self.name}: okänd kolumn {kolumn}")


# The telephony marts' sums of interval rows (telefoni_manad, telefoni_vecka): their columns and the SQL that makes them.
_INTERVALLSUMMOR = {
    "intervall": "BIGINT",  # interval rows summed
    "intervall_med_korta": "BIGINT",  # of which report avbrutna_inom_5s
    "inkommande": "BIGINT",
    "besvarade": "BIGINT",
    "besvarade_inom_25s": "BIGINT",
    "avbrutna": "BIGINT",
    "avbrutna_inom_5s": "BIGINT",
    "total_vantetid_s": "DOUBLE",
    "total_samtalstid_s": "DOUBLE",
    "total_efterarbetstid_s": "DOUBLE",
}
_INTERVALLSUMMOR_SQL = """count(*) AS intervall, count(avbrutna_inom_5s) AS intervall_med_korta,
                  sum(inkommande) AS inkommande, sum(besvarade) AS besvarade,
                  sum(besvarade_inom_25s) AS besvarade_inom_25s, sum(avbrutna) AS avbrutna,
                  sum(avbrutna_inom_5s) AS avbrutna_inom_5s, sum(total_vantetid_s) AS total_vantetid_s,
                  sum(total_samtalstid_s) AS total_samtalstid_s, sum(total_efterarbetstid_s) AS total_efterarbetstid_s"""

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "volymer",
            {"manad": "DATE", "enhet": "VARCHAR", "forvaltning": "VARCHAR", "kategori": "VARCHAR", "antal": "BIGINT"},
            "manad",
            "månad × enhet × förvaltning × kategori",
            manad="manad",
            enhet="enhet",
        ),
        Table(
            "bemanning",
            {"manad": "DATE", "enhet": "VARCHAR", "roll": "VARCHAR", "arsarbetare": "DOUBLE", "anstallda": "BIGINT"},
            "manad",
            "månad × enhet × roll",
            manad="manad",
            enhet="enhet",
        ),
        Table(
            "telefoni",
            {
                "datum": "DATE",
                "manad": "DATE",
                "intervall_start": "TIME",
                "intervall_slut": "TIME",
                "ko": "VARCHAR",
                "inkommande": "BIGINT",
                "besvarade": "BIGINT",
                "besvarade_inom_25s": "BIGINT",
                "avbrutna": "BIGINT",
                "avbrutna_inom_5s": "BIGINT",  # NULL when the export lacks the column
                "total_vantetid_s": "DOUBLE",
                "langsta_vantetid_s": "DOUBLE",
                "total_samtalstid_s": "DOUBLE",
                "total_efterarbetstid_s": "DOUBLE",
            },
            "manad",
            "datum × intervall × kö",
            manad="manad",
            ko="ko",
            stor=True,
            mart="telefoni_manad",
        ),
        Table(
            "samtal",
            {
                "starttid": "TIMESTAMP",
                "manad": "DATE",
                "ko": "VARCHAR",
                "vantetid_s": "DOUBLE",
                "samtalstid_s": "DOUBLE",
                "efterarbete_s": "DOUBLE",
                "besvarad": "BOOLEAN",
            },
            "manad",
            "ett samtal",
            manad="manad",
            ko="ko",
            stor=True,
            mart="samtal_manad",
        ),
        Table(
            "sjukfranvaro",
            {
                "manad": "DATE",
                "enhet": "VARCHAR",
                "anstallda": "BIGINT",
                "ordinarie_arbetstid_h": "DOUBLE",
                "sjuk_dag1_14_h": "DOUBLE",
                "sjuk_dag15_h": "DOUBLE",
            },
            "manad",
            "månad × enhet (personnivå aggregeras i ETL)",
            manad="manad",
            enhet="enhet",
        ),
        Table(
            "ekonomi",
            {
                "manad": "DATE",
                "ansvar": "VARCHAR",
                "kontogrupp": "VARCHAR",
                "konto": "VARCHAR",  # NULL when the export has no Konto column
                "typ": "VARCHAR",  # 'intakt' | 'kostnad'
                "budget_kr": "DOUBLE",  # revenue and costs both positive
                "utfall_kr": "DOUBLE",
            },
            "manad",
            "månad × ansvar × kontogrupp (× konto)",
            manad="manad",
            enhet="ansvar",
            har_data="utfall_kr IS NOT NULL",
        ),
        Table(
            "prognos",
            {
                "prognosmanad": "DATE",
                "ansvar": "VARCHAR",
                "kontogrupp": "VARCHAR",
                "typ": "VARCHAR",
                "helarsprognos_kr": "DOUBLE",
            },
            "prognosmanad",
            "prognosmånad × ansvar × kontogrupp",
            manad="prognosmanad",
            enhet="ansvar",
        ),
        Table(
            "mal",
            {"ar": "INTEGER", "indikator": "VARCHAR", "enhet": "VARCHAR", "arsmal": "DOUBLE", "kf_arsmal": "DOUBLE"},
            "ar",
            "år × indikator × enhet (enhet NULL = gäller alla)",
            enhet="enhet",
        ),
        Table(
            "indikatorer",
            {
                "ar": "INTEGER",
                "indikator": "VARCHAR",
                "period": "VARCHAR",  # normalised: '2024', '2024-T2', '2024-05'
                "period_typ": "VARCHAR",  # 'ar' | 'tertial' | 'manad'
                "period_start": "DATE",
                "period_slut": "DATE",  # first day of the period's last month, like Period.end ('2024-T2' → 2024-08-01)
                "enhet": "VARCHAR",  # NULL = hela verksamheten
                "utfall": "DOUBLE",
            },
            "ar",
            "indikator × period × enhet",
            enhet="enhet",
        ),
        # The city's goal hierarchy for a year (DESIGN.md §7): one row per goal, per indicator under a goal and per
        # activity, in the plan's own order. Columns that do not apply to a row's type are NULL.
        Table(
            "malstruktur",
            {
                "ar": "INTEGER",
                "ordning": "INTEGER",  # 1, 2, … in the delivery's row order within the year: the plan's order
                "radtyp": "VARCHAR",  # 'mal' | 'indikator' | 'aktivitet'
                "id": "VARCHAR",  # goal id, indicator id (catalogue or manual) or activity id
                "niva": "VARCHAR",  # goals: 'kf_inriktningsmal' | 'kf_mal' | 'namndmal' | 'enhetsmal'
                "overordnat": "VARCHAR",  # goals: parent goal id (NULL for an inriktningsmål); indicators, activities: their goal
                "text": "VARCHAR",  # goal text, activity text, or a manual indicator's name
                "forvantat_resultat": "VARCHAR",  # goals only
                "arbetssatt": "VARCHAR",  # goals only
                "uppfoljning": "VARCHAR",  # goals only
                "manuell": "BOOLEAN",  # indicators: TRUE = manual indicator (indikatorer/) not declared in the catalogue
                "periodicitet": "VARCHAR",  # indicators: 'månad' | 'tertial' | 'år' (as kpi.catalogue.PERIODICITET)
                "startdatum": "DATE",  # activities only
                "slutdatum": "DATE",  # activities only
            },
            "ar",
            "år × rad i målstrukturen (mål, indikator under ett mål, aktivitet)",
        ),
        # ETL run log, appended one file per run (partition = korning_id)
        Table(
            "etl_korningar",
            {
                "korning_id": "VARCHAR",
                "startad": "TIMESTAMP",
                "klar": "TIMESTAMP",
                "status": "VARCHAR",  # 'ok' | 'avvisade_filer' | 'avbruten' (died or failed before its commit; recorded by the next run)
                "filer": "INTEGER",
                "inlasta_filer": "INTEGER",
                "avvisade_filer": "INTEGER",
                "rader": "BIGINT",
                "meddelande": "VARCHAR",  # why an 'avbruten' run stopped, when known
                # who delivered the file through the app (etl.leverera): the signed-in user's name; NULL for a folder run.
                # Lakes written before this column read it as NULL (lake.connect casts a missing column).
                "levererad_av": "VARCHAR",
            },
            "korning_id",
            "en ETL-körning",
        ),
        Table(
            "etl_filer",
            {
                "korning_id": "VARCHAR",
                "kalla": "VARCHAR",
                "fil": "VARCHAR",  # path relative to the raw folder
                "sha256": "VARCHAR",
                "storlek_bytes": "BIGINT",
                "rader": "BIGINT",
                "utfall": "VARCHAR",  # 'inläst' | 'oförändrad' | 'avvisad' | 'ignorerad' (not a delivery: a lock file, a folder)
                # partitions replaced, comma separated; for an 'avvisad' file those it would have replaced (where readable)
                "perioder": "VARCHAR",
                "okanda_kolumner": "VARCHAR",
                "meddelande": "VARCHAR",
                "tidpunkt": "TIMESTAMP",
                "enhetsregister": "VARCHAR",  # checksum of the unit register the file was loaded with ('' = none)
            },
            "korning_id",
            "körning × fil",
        ),
        Table(
            "etl_valideringar",
            {
                "korning_id": "VARCHAR",
                "kalla": "VARCHAR",
                "fil": "VARCHAR",
                "regel": "VARCHAR",  # Swedish description of the rule
                "expectation": "VARCHAR",  # GX expectation type
                "kolumn": "VARCHAR",
                "lyckades": "BOOLEAN",
                "antal_fel": "BIGINT",
                "exempel": "VARCHAR",  # 'rad 14: -3; rad 20: abc'
                "tidpunkt": "TIMESTAMP",
            },
            "korning_id",
            "körning × fil × regel",
        ),
        # Values a loaded file's text columns had rewritten to their canonical spelling, or that were not recognised
        Table(
            "etl_namn",
            {
                "korning_id": "VARCHAR",
                "kalla": "VARCHAR",
                "fil": "VARCHAR",
                "kolumn": "VARCHAR",  # Swedish header, e.g. 'Enhet', 'Ansvar', 'Kategori'
                "skrivet": "VARCHAR",  # as written (trimmed; invisible characters shown as [U+200B])
                "tolkat": "VARCHAR",  # the spelling loaded; NULL for an unknown value (loaded as written)
                "typ": "VARCHAR",  # 'alias' | 'variant' (case, spaces, Unicode form) | 'normaliserad' | 'okand'
                "rader": "BIGINT",
                "tidpunkt": "TIMESTAMP",
            },
            "korning_id",
            "körning × fil × kolumn × värde",
        ),
        # Monthly marts of the two large telephony tables, written by the ETL beside every detail partition
        # (same partition name, same atomic write) so KPI queries read thousands of rows instead of millions.
        Table(
            "telefoni_manad",
            {
                "manad": "DATE",
                "ko": "VARCHAR",
                **_INTERVALLSUMMOR,
            },
            "manad",
            "månad × kö (summa av telefoni)",
            manad="manad",
            ko="ko",
            rader="sum(intervall)",
        ),
        # Weekday × hour of the interval report, and the days each queue had intervals: the heatmaps and Erlang C read
        # these instead of the interval rows (tens of millions at city scale).
        Table(
            "telefoni_vecka",
            {
                "manad": "DATE",
                "ko": "VARCHAR",
                "veckodag": "INTEGER",  # ISO weekday, 1 = Monday
                "timme": "INTEGER",  # hour the interval starts in
                **_INTERVALLSUMMOR,
            },
            "manad",
            "månad × kö × veckodag × timme (summa av telefoni)",
            manad="manad",
            ko="ko",
            rader="sum(intervall)",
        ),
        Table(
            "telefoni_dagar",
            {"manad": "DATE", "ko": "VARCHAR", "datum": "DATE"},
            "manad",
            "månad × kö × dag med intervall (för samtal per dag)",
            manad="manad",
            ko="ko",
        ),
        Table(
            "samtal_manad",
            {
                "manad": "DATE",
                "ko": "VARCHAR",
                "besvarad": "BOOLEAN",
                "vantetid_tak_s": "INTEGER",  # ceil(väntetid), capped: 3601 for answered, 61 for abandoned calls
                "samtal": "BIGINT",
                "vantetid_s": "DOUBLE",
                "hanteringstid_s": "DOUBLE",  # samtalstid + efterarbete (missing parts as 0)
            },
            "manad",
            "månad × kö × utfall × hel sekund väntetid (summa av samtal)",
            manad="manad",
            ko="ko",
            rader="sum(samtal)",
        ),
    ]
}

# The one definition of each mart: DuckDB SQL over its source table's rows, bound as `d`.
# `vantetid_s <= T` equals `vantetid_tak_s <= T` for every whole-second T up to the cap, so any service-level
# threshold (0–3600 s) and short-abandon limit (≤ 60 s) is still exact on the mart.
MARTS: dict[str, tuple[str, str]] = {
    "telefoni_manad": (
        "telefoni",
        f"""SELECT manad, ko, {_INTERVALLSUMMOR_SQL}
           FROM d GROUP BY 1, 2""",  # noqa: S608 (constants only)
    ),
    "telefoni_vecka": (
        "telefoni",
        f"""SELECT manad, ko, CAST(EXTRACT(isodow FROM datum) AS INTEGER) AS veckodag,
                  CAST(EXTRACT(hour FROM intervall_start) AS INTEGER) AS timme, {_INTERVALLSUMMOR_SQL}
           FROM d GROUP BY 1, 2, 3, 4""",  # noqa: S608 (constants only)
    ),
    "telefoni_dagar": ("telefoni", """SELECT DISTINCT manad, ko, datum FROM d"""),
    "samtal_manad": (
        "samtal",
        """SELECT manad, ko, besvarad,
                  CAST(least(ceil(vantetid_s), CASE WHEN besvarad THEN 3601 ELSE 61 END) AS INTEGER) AS vantetid_tak_s,
                  count(*) AS samtal, sum(vantetid_s) AS vantetid_s,
                  sum(coalesce(samtalstid_s, 0) + coalesce(efterarbete_s, 0)) AS hanteringstid_s
           FROM d GROUP BY 1, 2, 3, 4""",  # noqa: S608 (constants only)
    ),
}

SOURCES = ["volymer", "bemanning", "telefoni", "samtal", "sjukfranvaro", "ekonomi", "prognos", "mal", "indikatorer", "malstruktur"]


def manadstabeller() -> dict[str, Table]:
    """Source fact tables with a month column, each as the table to read for month and row questions (its mart when large)."""
    return {t.name: TABLES[t.mart] if t.mart else t for t in TABLES.values() if t.name in SOURCES and t.manad}


def enhetstabeller() -> dict[str, Table]:
    """Tables that name units, with their unit column."""
    return {t.name: t for t in TABLES.values() if t.enhet}
