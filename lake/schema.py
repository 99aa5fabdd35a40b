"""Parquet table contracts: one place that names every column the ETL writes and the KPI layer reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """A Parquet table: its columns (DuckDB types), partition key and grain."""

    name: str
    columns: dict[str, str]
    partition: str  # column whose value names the partition file (one file per month or year)
    grain: str


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "volymer",
            {"manad": "DATE", "enhet": "VARCHAR", "forvaltning": "VARCHAR", "kategori": "VARCHAR", "antal": "BIGINT"},
            "manad",
            "månad × enhet × förvaltning × kategori",
        ),
        Table(
            "bemanning",
            {"manad": "DATE", "enhet": "VARCHAR", "roll": "VARCHAR", "arsarbetare": "DOUBLE", "anstallda": "BIGINT"},
            "manad",
            "månad × enhet × roll",
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
        ),
        Table(
            "mal",
            {"ar": "INTEGER", "indikator": "VARCHAR", "enhet": "VARCHAR", "arsmal": "DOUBLE", "kf_arsmal": "DOUBLE"},
            "ar",
            "år × indikator × enhet (enhet NULL = gäller alla)",
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
                "perioder": "VARCHAR",  # partitions replaced, comma separated
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
            },
            "manad",
            "månad × kö (summa av telefoni)",
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
        ),
    ]
}

# The one definition of each mart: DuckDB SQL over its source table's rows, bound as `d`.
# `vantetid_s <= T` equals `vantetid_tak_s <= T` for every whole-second T up to the cap, so any service-level
# threshold (0–3600 s) and short-abandon limit (≤ 60 s) is still exact on the mart.
MARTS: dict[str, tuple[str, str]] = {
    "telefoni_manad": (
        "telefoni",
        """SELECT manad, ko, count(*) AS intervall, count(avbrutna_inom_5s) AS intervall_med_korta,
                  sum(inkommande) AS inkommande, sum(besvarade) AS besvarade,
                  sum(besvarade_inom_25s) AS besvarade_inom_25s, sum(avbrutna) AS avbrutna,
                  sum(avbrutna_inom_5s) AS avbrutna_inom_5s, sum(total_vantetid_s) AS total_vantetid_s,
                  sum(total_samtalstid_s) AS total_samtalstid_s, sum(total_efterarbetstid_s) AS total_efterarbetstid_s
           FROM d GROUP BY 1, 2""",
    ),
    "samtal_manad": (
        "samtal",
        """SELECT manad, ko, besvarad,
                  CAST(least(ceil(vantetid_s), CASE WHEN besvarad THEN 3601 ELSE 61 END) AS INTEGER) AS vantetid_tak_s,
                  count(*) AS samtal, sum(vantetid_s) AS vantetid_s,
                  sum(coalesce(samtalstid_s, 0) + coalesce(efterarbete_s, 0)) AS hanteringstid_s
           FROM d GROUP BY 1, 2, 3, 4""",
    ),
}

SOURCES = ["volymer", "bemanning", "telefoni", "samtal", "sjukfranvaro", "ekonomi", "prognos", "mal", "indikatorer"]
