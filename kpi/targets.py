"""Targets (årsmål from the `mal` table) and the assessment words of DESIGN.md §5."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

import lake
from kpi.catalogue import Indicator
from kpi.minne import per_anslutning

UPPFYLLS_HELT = "uppfylls_helt"
UPPFYLLS_DELVIS = "uppfylls_delvis"
UPPFYLLS_EJ = "uppfylls_ej"
EJ_BEDOMD = "ej_bedomd"

# Float noise (e.g. 900 × 0.95) must not push a value that sits exactly on a boundary to the wrong side.
_EPS = 1e-9


@dataclass(frozen=True)
class Target:
    """The target that applies to one selection: årsmål, KF:s årsmål and the unit it came from (None = general)."""

    arsmal: float | None
    kf_arsmal: float | None
    enhet: str | None = None


def load_targets(con: duckdb.DuckDBPyConnection, year: int, ids: list[str]) -> dict[str, list[Target]]:
    """All target rows for the year and indicators: {indikator: [Target, ...]} (the year's rows read once per connection)."""

    def las() -> dict[str, list[Target]]:
        df = lake.query(con, "SELECT indikator, enhet, arsmal, kf_arsmal FROM mal WHERE ar = $ar", {"ar": year})
        alla: dict[str, list[Target]] = {}
        for row in df.iter_rows(named=True):
            alla.setdefault(row["indikator"], []).append(Target(row["arsmal"], row["kf_arsmal"], row["enhet"]))
        return alla

    alla = per_anslutning(con, ("mal", year), las)
    return {i: alla[i] for i in ids if i in alla}


def choose_target(rows: list[Target], units: tuple[str, ...], has_unit_dimension: bool, year: int) -> tuple[Target | None, str | None, str | None]:
    """(target, orsak when missing, anmarkning): a unit's own target overrides the general one; units with different targets fall back to the general one."""
    general = next((t for t in rows if t.enhet is None), None)
    chosen, note = general, None
    if units and has_unit_dimension:
        per_unit = {t.enhet: t for t in rows if t.enhet is not None}
        effective = [per_unit.get(u, general) for u in units]
        values = {(t.arsmal, t.kf_arsmal) if t else None for t in effective}
        if len(values) == 1:
            chosen = effective[0]
        else:
            note = (
                "Valda enheter har olika årsmål – det gemensamma årsmålet används"
                if general
                else "Valda enheter har olika årsmål och det saknas ett gemensamt årsmål"
            )
    if chosen is None or chosen.arsmal is None:
        if units and has_unit_dimension and not note and len(units) == 1:
            return chosen, f"Inget årsmål för {year} ({units[0]})", note
        return chosen, f"Inget årsmål för {year}", note
    return chosen, None, note


# The tolerance of a 0-kr target (resultat, budgetavvikelse, prognosavvikelse): 1 % of the period's budgeted costs.
TOLERANS_AV_OMSLUTNING = 0.01


def assess(value: float | None, target: float | None, ind: Indicator, bas: float | None = None) -> str:
    """Uppfylls helt / delvis / ej / Ej bedömd for a value against a target, in the indicator's direction.

    `bas` is the turnover (budgeted costs) that sets the tolerance when the target is 0 kr."""
    if value is None or target is None:
        return EJ_BEDOMD
    # Assessed as shown, so a tile never reads '85,0 %' next to 'Uppfylls delvis' for a target of 85, nor '−0 tkr'
    # next to 'Uppfylls ej' for a result target of 0.
    shown = ind.visning.avrundad(value)
    band = toleransband(target, ind, bas)
    gap = shown - target if ind.hogre_ar_battre else target - shown  # ≥ 0 means met
    if gap >= -_EPS:
        return UPPFYLLS_HELT
    if gap >= -band - _EPS * max(1.0, abs(target)):
        return UPPFYLLS_DELVIS
    return UPPFYLLS_EJ


def toleransband(target: float, ind: Indicator, bas: float | None = None) -> float:
    """How far a value may miss its target and still be 'Uppfylls delvis' (DESIGN.md §5)."""
    if target == 0 and ind.tolerans_bas:
        return TOLERANS_AV_OMSLUTNING * abs(bas or 0.0)
    return ind.tolerans * abs(target)


def bedomningsregel(ind: Indicator) -> str:
    """The assessment rule applied to an indicator, in Swedish (shown on its page and on Om indikatorerna)."""
    nar = "minst" if ind.hogre_ar_battre else "högst"
    tolerans = f"{ind.tolerans * 100:.0f}".replace(".", ",")
    text = f"Uppfylls helt när utfallet (avrundat som det visas) är {nar} årsmålet; delvis när det missar målet med högst {tolerans} % av målet; annars ej."
    if ind.tolerans_bas:
        text += (
            f" När årsmålet är 0 kr är toleransen {TOLERANS_AV_OMSLUTNING * 100:.0f} % av periodens budgeterade kostnader "
            "(omslutningen): ett underskott inom den är delvis, ett större ej."
        )
    return text + " Ej bedömd när utfall eller årsmål saknas."


def bedomningsregel_allman() -> str:
    """The assessment rule for a page or report with many indicators, in Swedish."""
    return (
        "Bedömning: Uppfylls helt när utfallet, avrundat som det visas, når årsmålet i indikatorns riktning; Uppfylls delvis "
        "när det missar med högst indikatorns tolerans (normalt 5 % av målet; när årsmålet är 0 kr, som för resultat, "
        f"budgetavvikelse och prognosavvikelse, {TOLERANS_AV_OMSLUTNING * 100:.0f} % av periodens budgeterade kostnader); "
        "annars Uppfylls ej. Ej bedömd när utfall eller årsmål saknas eller indikatorn inte gäller urvalet."
    )
