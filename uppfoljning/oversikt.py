"""The follow-up of a period as pages and reports need it: the goal tree with proposals, final assessments, analyses and activities."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kpi.period import Period
from kpi.targets import EJ_BEDOMD
from uppfoljning.lagring import Aktivitetsversion, Analysversion, Bedomningsversion, Saknad, Uppfoljningsdatabas, period_av
from uppfoljning.malstruktur import Aktivitet, Mal, Malindikator, Maltrad
from uppfoljning.regler import Forslag, foreslagen_aktivitetsstatus, foreslagen_bedomning, raknas_i_period, referensdatum


@dataclass(frozen=True)
class Indikatorrad:
    """An indicator under a goal in the period: its KPI assessment and whether it counts for the goal's proposal."""

    indikator: Malindikator
    status: str  # from the KPI results given; 'ej_bedomd' when none was given
    raknas: bool  # False for a yearly indicator in a tertial
    analys: Analysversion | None = None  # an analysis written for this indicator under this goal (optional)


@dataclass(frozen=True)
class Aktivitetsrad:
    """An activity in the period: proposed status (försenad past slutdatum) and the newest recorded one."""

    aktivitet: Aktivitet
    forslag: str
    senaste: Aktivitetsversion | None

    @property
    def status(self) -> str:
        """The recorded status, else the proposal."""
        return self.senaste.status if self.senaste else self.forslag


@dataclass(frozen=True)
class Malrad:
    """One goal of the tree in the period, with everything written about it."""

    mal: Mal
    djup: int  # 0 = KF:s inriktningsmål
    indikatorer: tuple[Indikatorrad, ...]
    forslag: Forslag
    bedomning: Bedomningsversion | None  # the person's final assessment, None until set
    analys: Analysversion | None  # the goal's own analysis (newest version), None until written
    aktiviteter: tuple[Aktivitetsrad, ...]

    @property
    def slutlig(self) -> str | None:
        """The final assessment id, or None when not yet set."""
        return self.bedomning.bedomning if self.bedomning else None

    @property
    def analys_klar(self) -> bool:
        """True when the newest analysis is marked klar."""
        return self.analys is not None and self.analys.tillstand == "klar"


def _statusar(kpi: Mapping[str, str] | Iterable[Any]) -> dict[str, str]:
    """{indikator: status} from a mapping or from KPI results (anything with .id and .status)."""
    if isinstance(kpi, Mapping):
        return dict(kpi)
    return {r.id: r.status for r in kpi}


def _tidigare_perioder(p: Period) -> list[Period]:
    """Earlier follow-up periods of the same year, newest first: T1 before T2; T3, T2, T1 before the year."""
    sista = 3 if p.tertial is None else p.tertial - 1
    return [Period(p.year, tertial=t) for t in range(sista, 0, -1)]


def _forslag(mal: Mal, rader: dict[str, tuple[Indikatorrad, ...]], minne: dict[str, Forslag]) -> Forslag:
    """The goal's proposal: its own counting indicators, or when none of them can be assessed, its sub-goals' proposals."""
    if mal.id in minne:
        return minne[mal.id]
    egna = foreslagen_bedomning(r.status for r in rader[mal.id] if r.raknas)
    if egna.status == EJ_BEDOMD and mal.delmal:
        fran_delmal = [_forslag(d, rader, minne) for d in mal.delmal]
        if any(f.status != EJ_BEDOMD for f in fran_delmal):
            egna = foreslagen_bedomning((f.status for f in fran_delmal), vad="delmål")
    minne[mal.id] = egna
    return egna


def maluppfoljning(
    trad: Maltrad,
    period: Period | str,
    indikatorstatus: Mapping[str, str] | Iterable[Any] = (),
    db: Uppfoljningsdatabas | None = None,
    enhet: str | None = None,
    idag: date | None = None,
) -> list[Malrad]:
    """Every goal of the year depth-first, with indicator assessments, proposal, final assessment, analysis and activities.

    `indikatorstatus` is the period's KPI assessment per indicator for the selection (`{id: status}` or the KpiResult
    list from kpi.compute); `db` None gives the tree and proposals only — call it so when `db` raised
    DatabasOtillganglig, and the page still shows the goals, indicators and proposals.
    """
    p = period_av(period)
    statusar = _statusar(indikatorstatus)
    analyser: dict[str, Analysversion] = {}
    per_indikator: dict[tuple[str, str], Analysversion] = {}
    bedomningar: dict[str, Bedomningsversion] = {}
    aktiviteter: dict[str, Aktivitetsversion] = {}
    tidigare_status: dict[str, str] = {}
    if db is not None:
        for a in db.analyser(p, enheter=[enhet]):
            if a.indikator is None:
                analyser[a.mal_id] = a
            else:
                per_indikator[(a.mal_id, a.indikator)] = a
        bedomningar = {b.mal_id: b for b in db.bedomningar(p, enheter=[enhet])}
        aktiviteter = {a.aktivitet_id: a for a in db.aktivitetsstatusar(p, enheter=[enhet])}
        for tidigare in _tidigare_perioder(p):
            # a status recorded in an earlier tertial of the year is the starting point for this period's proposal
            for a in db.aktivitetsstatusar(tidigare, enheter=[enhet]):
                tidigare_status.setdefault(a.aktivitet_id, a.status)
    rader = {
        m.id: tuple(
            Indikatorrad(i, statusar.get(i.id, EJ_BEDOMD), raknas_i_period(i.periodicitet, p), per_indikator.get((m.id, i.id))) for i in m.indikatorer
        )
        for m, _ in trad.alla()
    }
    per = referensdatum(p, idag)
    minne: dict[str, Forslag] = {}
    ut = []
    for mal, djup in trad.alla():
        akt = tuple(
            Aktivitetsrad(
                a,
                foreslagen_aktivitetsstatus(
                    a.startdatum, a.slutdatum, per, aktiviteter[a.id].status if a.id in aktiviteter else tidigare_status.get(a.id)
                ),
                aktiviteter.get(a.id),
            )
            for a in mal.aktiviteter
        )
        ut.append(Malrad(mal, djup, rader[mal.id], _forslag(mal, rader, minne), bedomningar.get(mal.id), analyser.get(mal.id), akt))
    return ut


def saknade_analyser(trad: Maltrad, period: Period | str, db: Uppfoljningsdatabas, enheter: Iterable[str | None] = (None,)) -> list[Saknad]:
    """Goals that need an analysis (Mal.kraver_analys) × units without a klar one for the period, in the plan's order."""
    return db.saknade_analyser(period, [m.id for m, _ in trad.alla() if m.kraver_analys], enheter)
