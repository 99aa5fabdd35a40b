"""The goal follow-up as report sections: the year's goal tree in the plan's order with proposals, the people's final
assessments and analyses from the follow-up store, and each goal's indicators — nothing invented where nothing is written."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from kpi import Period
from kpi.format import STATUS_ORD, STATUS_SYMBOL
from report.model import Enhetsdel, Malavsnitt, Sida, Tabellrad
from report.text import slutsats
from uppfoljning import (
    AKTIVITETSSTATUS,
    TILLSTAND,
    Malrad,
    Periodstatus,
    UppfoljningFel,
    Uppfoljningsdatabas,
    las_maltrad,
    maluppfoljning,
    standarddatabas,
    tid_text,
)


@dataclass(frozen=True)
class Maldel:
    """The goal part of a report: one Sida per goal in the plan's order, and a line about the period's state for the title page."""

    sidor: list[Sida]
    lage: str  # 'T2 2026 är fastställd (Vera, …).' / 'T2 2026 är inte fastställd …' / why the analyses are missing


def _tabellrad(r) -> Tabellrad:
    return Tabellrad((r.namn, r.varde_text, r.mal_text, r.text(r.kf_mal), r.period, STATUS_ORD[r.status]), r.status)


def _enhetsdel(enhet: str | None, rad: Malrad) -> Enhetsdel:
    b, a = rad.bedomning, rad.analys
    aktiviteter = tuple(
        (
            x.aktivitet.text,
            f"{x.aktivitet.startdatum:%Y-%m-%d} – {x.aktivitet.slutdatum:%Y-%m-%d}",
            AKTIVITETSSTATUS[x.status] + ("" if x.senaste else " (förslag)"),
            x.senaste.kommentar if x.senaste else "",
        )
        for x in rad.aktiviteter
    )
    return Enhetsdel(
        enhet=enhet or "Hela verksamheten",
        slutlig=b.bedomning if b else None,
        motivering=b.motivering if b else "",
        bedomd_av=f"{b.forfattare}, {tid_text(b.sparad)}" if b else "",
        analys=a.analys if a else None,
        atgarder=a.atgarder if a else "",
        tillstand=a.tillstand if a else None,
        skriven_av=f"{a.forfattare}, {tid_text(a.sparad)}" if a else "",
        aktiviteter=aktiviteter,
    )


def _forslag_till_text(rad: Malrad, resultat: dict) -> str:
    """One generated sentence per counted indicator with a value (report.text.slutsats), as a labelled suggestion."""
    return " ".join(slutsats(resultat[i.indikator.id]) for i in rad.indikatorer if i.raknas and i.indikator.id in resultat)


def _bedomning_text(del_: Enhetsdel | None, rad: Malrad) -> tuple[str, str]:
    """(status id, 'symbol word') the goal is shown with at a glance: the final assessment, else the proposal marked as such."""
    if del_ is not None and del_.slutlig is not None:
        return del_.slutlig, f"{STATUS_SYMBOL[del_.slutlig]} {STATUS_ORD[del_.slutlig]}"
    return rad.forslag.status, f"{STATUS_SYMBOL[rad.forslag.status]} {STATUS_ORD[rad.forslag.status]} (förslag)"


def maldel(
    period: Period,
    resultat: list,
    enheter: list[str | None],
    con: duckdb.DuckDBPyConnection,
    db: Uppfoljningsdatabas | None = None,
) -> Maldel:
    """The goal sections for the period and units (analysis units: uppfoljning.analysenheter), from the store (default: the app's)."""
    trad = las_maltrad(con, period.year)
    if not trad:
        return Maldel([], f"Det finns ingen målstruktur för {period.year}.")
    efter_id = {r.id: r for r in resultat}
    db = db if db is not None else standarddatabas()
    try:
        per_enhet = [maluppfoljning(trad, period, resultat, db, e) for e in enheter]
        status: Periodstatus | None = db.periodstatus(period)
        lage = (
            f"{period.label} är fastställd ({status.senaste.forfattare}, {tid_text(status.senaste.sparad)})."
            if status.faststalld
            else f"{period.label} är inte fastställd: analyser och bedömningar kan fortfarande ändras."
        )
    except UppfoljningFel as fel:
        per_enhet = [maluppfoljning(trad, period, resultat)]
        enheter = [None]
        lage = f"Analyserna kunde inte hämtas: {fel.meddelande}"
    flera = len(enheter) > 1
    sidor = []
    overordnade: list[str] = []  # the goals above the current one, by depth
    for i, rad in enumerate(per_enhet[0]):
        mal = rad.mal
        overordnade[rad.djup :] = [f"{mal.niva_namn}: {mal.text}"]
        delar = tuple(_enhetsdel(e, rader[i]) for e, rader in zip(enheter, per_enhet)) if mal.kraver_analys else ()
        undermal = ()
        if not mal.kraver_analys and mal.delmal:
            barn = {d.id for d in mal.delmal}
            undermal = tuple(
                Tabellrad((f"{x.mal.niva_namn}: {x.mal.text}", text, _analyslage(x, [r[j] for r in per_enhet], enheter)), status)
                for j, x in enumerate(per_enhet[0])
                if x.mal.id in barn
                for status, text in [_bedomning_text(None if flera else _enhetsdel(enheter[0], x), x)]
            )
        avsnitt = Malavsnitt(
            mal_id=mal.id,
            niva=mal.niva_namn,
            djup=rad.djup,
            text=mal.text,
            foljs_upp=mal.kraver_analys,
            plan=tuple(
                (n, t)
                for n, t in (("Förväntat resultat", mal.forvantat_resultat), ("Arbetssätt", mal.arbetssatt), ("Uppföljning", mal.uppfoljning))
                if t
            ),  # fmt: skip
            forslag=rad.forslag.status,
            forslag_motivering=rad.forslag.motivering,
            delar=delar,
            forslag_till_text=_forslag_till_text(rad, efter_id) if any(d.analys is None for d in delar) else "",
            indikatorer=tuple(_tabellrad(efter_id[x.indikator.id]) for x in rad.indikatorer if x.indikator.id in efter_id),
            undermal=undermal,
        )
        # The goal's place in the hierarchy is the slide's source line (the PDF shows it by heading levels).
        sokvag = " › ".join(overordnade[:-1])
        sidor.append(
            Sida(
                titel=avsnitt.rubrik,
                figur=None,
                text="",
                fotnot=f"{period.label} · {sokvag}" if sokvag else period.label,
                period=period.label,
                malavsnitt=avsnitt,
            )
        )
    return Maldel(sidor, lage)


def _analyslage(rad: Malrad, per_enhet: list[Malrad], enheter: list[str | None]) -> str:
    """'Klar', 'Utkast' or 'Saknas' for a goal's analysis (per unit when several); '–' for a goal that has none of its own."""
    if not rad.mal.kraver_analys:
        return "–"
    lagen = [TILLSTAND[r.analys.tillstand] if r.analys else "Saknas" for r in per_enhet]
    if len(lagen) == 1:
        return lagen[0]
    return ", ".join(f"{e}: {x.lower()}" for e, x in zip(enheter, lagen))
