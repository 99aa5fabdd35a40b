"""Named SQL expressions, each written once (like dbt macros): signed amounts, category and role predicates, booked rows.

Every formula family in kpi/formler.py composes these; nothing else in the project writes them. Code-like values are
canonical after the ETL's staging (case, spaces, Unicode form; etl/kallor.py `Kolumn.kanon`), so the predicates compare
exactly — a lake written before that normalisation must be loaded again (`python -m etl` after removing data/parquet)."""

from __future__ import annotations

# Canonical category and role names (the source spec in etl/ writes them so).
MASKINELL = "Lönespecifikation maskinell"
MANUELL = "Lönespecifikation manuell"
PENSIONSARENDE = "Pensionsärende"
FORSAKRINGSARENDE = "Försäkringsärende"
LONEADMINISTRATOR = "Löneadministratör"
PENSIONSHANDLAGGARE = "Pensionshandläggare"
INTAKT, KOSTNAD = "intakt", "kostnad"  # ekonomi.typ / prognos.typ


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def en_av(kolumn: str, *varden: str) -> str:
    """`kolumn` is one of the values: exactly, because the ETL writes code-like values in their canonical spelling."""
    return f"{kolumn} IN ({', '.join(_sql_text(v) for v in varden)})"


def signerat(kolumn: str, tabell: str = "d") -> str:
    """An amount with the result's sign: revenue positive, costs negative (Parquet stores both positive, `typ` says which)."""
    return f"CASE WHEN {tabell}.typ = '{INTAKT}' THEN {tabell}.{kolumn} ELSE -{tabell}.{kolumn} END"


LONESPEC = en_av("d.kategori", MASKINELL, MANUELL)
ARE_MASKINELL = en_av("d.kategori", MASKINELL)
ARE_MANUELL = en_av("d.kategori", MANUELL)
PENSIONSARENDEN = en_av("d.kategori", PENSIONSARENDE, FORSAKRINGSARENDE)
ARE_LONEADM = en_av("d.roll", LONEADMINISTRATOR)
ARE_PENSIONSHANDL = en_av("d.roll", PENSIONSHANDLAGGARE)
ARE_LON_ELLER_PENSION = en_av("d.roll", LONEADMINISTRATOR, PENSIONSHANDLAGGARE)
ARE_INTAKT = f"d.typ = '{INTAKT}'"
ARE_KOSTNAD = f"d.typ = '{KOSTNAD}'"
# A year-to-date Agresso extract budgets months not yet booked (empty Utfall): those rows are not outcome, and their
# budget is left out wherever budget meets outcome, so "hittills i år" means the same months on both sides.
BOKFORD = "d.utfall_kr IS NOT NULL"
SIGNERAT_UTFALL = signerat("utfall_kr")
SIGNERAD_BUDGET = signerat("budget_kr")
SIGNERAD_PROGNOS = signerat("helarsprognos_kr")
