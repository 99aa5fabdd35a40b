"""Proposal rules of the follow-up: a goal's assessment from its indicators, an activity's status from its dates.

Målbedömning (förslag)
    Ett måls förslag till bedömning räknas fram ur bedömningarna av de indikatorer som följer målet och som
    följs upp i perioden (en indikator med periodicitet År räknas bara för helåret, Tertial och Månad i varje
    tertial och helåret). Indikatorer som är *Ej bedömd* (inget utfall eller inget årsmål) räknas inte.
      1. Ingen indikator kan bedömas            → Ej bedömd
      2. Alla bedömda indikatorer uppfylls helt → Uppfylls helt
      3. Mer än hälften uppfylls ej             → Uppfylls ej
      4. Annars (någon delvis eller ej)         → Uppfylls delvis
    Ett mål utan egna bedömda indikatorer får förslaget ur sina delmåls förslag med samma regel.
    Förslaget är ett förslag: den ansvariga sätter den slutliga bedömningen och motiverar den när den avviker.

Goal assessment (proposal)
    From the assessments of the goal's indicators that are followed up in the period (a yearly indicator counts
    for the year only; tertial and monthly ones in every tertial and the year); 'ej_bedomd' ones are left out.
    None assessed → ej_bedomd; all helt → helt; more than half ej → ej; otherwise → delvis. A goal with no
    assessed indicators of its own takes the same rule over its sub-goals' proposals.

Aktivitetsstatus (förslag) / activity status (proposal), on a reference date (the period's last day, or today
if earlier): recorded *klar* stays klar; past slutdatum and not klar → försenad; otherwise a recorded status
stands; before startdatum → ej påbörjad; else → pågår.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from kpi.format import STATUS_ORD
from kpi.period import Period
from kpi.targets import EJ_BEDOMD, UPPFYLLS_DELVIS, UPPFYLLS_EJ, UPPFYLLS_HELT

BEDOMNINGAR = (UPPFYLLS_HELT, UPPFYLLS_DELVIS, UPPFYLLS_EJ, EJ_BEDOMD)

EJ_PABORJAD, PAGAR, KLAR, FORSENAD = "ej_paborjad", "pagar", "klar", "forsenad"
AKTIVITETSSTATUS = {EJ_PABORJAD: "Ej påbörjad", PAGAR: "Pågår", KLAR: "Klar", FORSENAD: "Försenad"}


@dataclass(frozen=True)
class Forslag:
    """A proposed assessment, the Swedish sentence that explains it, and how many inputs had each assessment."""

    status: str
    motivering: str
    antal: dict[str, int]

    @property
    def ord(self) -> str:
        """The assessment in the city's words ('Uppfylls delvis')."""
        return STATUS_ORD[self.status]


@dataclass(frozen=True)
class _Ord:
    ental: str
    plural: str
    ingen: str
    den_bedomda: str


_ORD = {
    "indikatorer": _Ord("indikator", "indikatorer", "Ingen indikator", "Den bedömda indikatorn"),
    "delmål": _Ord("delmål", "delmål", "Inget delmål", "Det bedömda delmålet"),
}


def foreslagen_bedomning(statusar: Iterable[str], vad: str = "indikatorer") -> Forslag:
    """The proposal from assessment ids of a goal's indicators (or, vad='delmål', its sub-goals' proposals) by the rule above."""
    lista = list(statusar)
    okanda = [s for s in lista if s not in BEDOMNINGAR]
    if okanda:
        raise ValueError(f"Okänd bedömning: {okanda[0]!r}")
    o = _ORD[vad]
    antal = {s: lista.count(s) for s in BEDOMNINGAR}
    bedomda = len(lista) - antal[EJ_BEDOMD]

    def alla(status: str) -> str:
        return f"{o.den_bedomda if bedomda == 1 else f'Alla {bedomda} bedömda {o.plural}'} {STATUS_ORD[status].lower()}"

    if bedomda == 0:
        text = f"{o.ingen} kan bedömas för perioden" if lista else f"Målet har inga {o.plural} som följs upp i perioden"
        return Forslag(EJ_BEDOMD, text + ".", antal)
    ej_bedomda = f" ({antal[EJ_BEDOMD]} {o.ental if antal[EJ_BEDOMD] == 1 else o.plural} kunde inte bedömas)" if antal[EJ_BEDOMD] else ""
    if antal[UPPFYLLS_HELT] == bedomda:
        return Forslag(UPPFYLLS_HELT, f"{alla(UPPFYLLS_HELT)}{ej_bedomda}.", antal)
    if 2 * antal[UPPFYLLS_EJ] > bedomda:
        if antal[UPPFYLLS_EJ] == bedomda:
            return Forslag(UPPFYLLS_EJ, f"{alla(UPPFYLLS_EJ)}{ej_bedomda}.", antal)
        return Forslag(UPPFYLLS_EJ, f"{antal[UPPFYLLS_EJ]} av {bedomda} bedömda {o.plural} uppfylls ej – mer än hälften{ej_bedomda}.", antal)
    delar = [f"{antal[s]} {STATUS_ORD[s].lower()}" for s in (UPPFYLLS_HELT, UPPFYLLS_DELVIS, UPPFYLLS_EJ) if antal[s]]
    if len(delar) == 1:
        return Forslag(UPPFYLLS_DELVIS, f"{alla(UPPFYLLS_DELVIS)}{ej_bedomda}.", antal)
    return Forslag(UPPFYLLS_DELVIS, f"Av {bedomda} bedömda {o.plural}: {', '.join(delar)}{ej_bedomda}.", antal)


def raknas_i_period(periodicitet: str, period: Period) -> bool:
    """Whether an indicator with this periodicitet ('månad' | 'tertial' | 'år') counts for the period's proposal."""
    if period.month is not None or period.ytd:
        raise ValueError("Målen följs upp per tertial och helår, inte per månad")
    return period.tertial is None or periodicitet in ("månad", "tertial")


def periodens_sista_dag(period: Period) -> date:
    """The last calendar day of the period (30 april for T1)."""
    slut = period.end
    nasta = date(slut.year + (slut.month == 12), slut.month % 12 + 1, 1)
    return nasta - timedelta(days=1)


def referensdatum(period: Period, idag: date | None = None) -> date:
    """The day activities are judged on: the period's last day, or today while the period is still running."""
    idag = idag or date.today()
    return min(idag, periodens_sista_dag(period))


def foreslagen_aktivitetsstatus(startdatum: date | None, slutdatum: date | None, per: date, senaste: str | None = None) -> str:
    """Proposed status on the date `per`, given the last recorded status (None when none is recorded)."""
    if senaste is not None and senaste not in AKTIVITETSSTATUS:
        raise ValueError(f"Okänd aktivitetsstatus: {senaste!r}")
    if senaste == KLAR:
        return KLAR
    if slutdatum is not None and per > slutdatum:
        return FORSENAD
    if senaste is not None:
        return senaste
    if startdatum is not None and per < startdatum:
        return EJ_PABORJAD
    return PAGAR
