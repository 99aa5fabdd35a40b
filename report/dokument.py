"""Assemble exports from the KPI layer: an APT deck from a slide set, and the tertial report; render and write them."""

from __future__ import annotations

from dataclasses import replace

import duckdb

import kpi
from kpi import Filters, Period
from kpi.format import STATUS_ORD, manad
from report import malrapport, render
from report.model import Dokument, Sida, Tabellrad
from report.pdf_export import skriv_pdf
from report.pptx_export import skriv_pptx
from report.slides import MALBILD, bygg_sidor, fotnot, indikatorfigur, malsidor
from report.text import kommentar, slutsats
from uppfoljning import Uppfoljningsdatabas, analysenheter

FORMAT = ("pdf", "pptx")
TERTIAL_NAMN = {1: "januari–april", 2: "maj–augusti", 3: "september–december"}


def foregaende_tertial(period: Period) -> Period:
    """T1 2026 → T3 2025, T2 2026 → T1 2026."""
    return Period(period.year - 1, tertial=3) if period.tertial == 1 else Period(period.year, tertial=period.tertial - 1)


def tabellrad(r) -> Tabellrad:
    """A Måluppfyllelse row formatted exactly like `python -m kpi` prints it."""
    return Tabellrad((r.namn, r.varde_text, r.mal_text, r.text(r.kf_mal), r.period, STATUS_ORD[r.status]), r.status)


def _underlag_text(con: duckdb.DuckDBPyConnection) -> str:
    senaste = kpi.senaste_manad(con)
    return f"Underlag t.o.m. {manad(senaste)}" if senaste else "Inget underlag inläst"


def apt_deck(ids: list[str] | tuple[str, ...], period: Period, filters: Filters, con: duckdb.DuckDBPyConnection, namn: str = "APT") -> Dokument:
    """A meeting's deck: a title slide, then one slide per chosen chart for the period and units."""
    sidor: list[Sida] = []
    for i in ids:
        # the goal follow-up is one entry in a set but one slide (or more) per goal in the deck
        sidor += malsidor(period, filters, con) if i == MALBILD else bygg_sidor([i], period, filters, con)
    return Dokument(titel=namn, undertitel=f"{period.label} · {filters.beskrivning()}\n{_underlag_text(con)}", sidor=sidor)


def _sammanfattning(resultat, period: Period) -> str:
    """One sentence for the title page: how many goal indicators are met, or why nothing can be assessed."""
    med_mal = [r for r in resultat if r.mal is not None]
    if not any(r.varde is not None for r in resultat):
        return f"Det finns inget utfall för {period.label} i underlaget."
    if not med_mal:
        return f"Det finns inga årsmål för {period.year}; tabellen visar utfallen utan bedömning."
    antal = {s: sum(1 for r in med_mal if r.status == s) for s in STATUS_ORD}
    return (
        f"Av {len(med_mal)} indikatorer med årsmål uppfylls {antal['uppfylls_helt']} helt, "
        f"{antal['uppfylls_delvis']} delvis och {antal['uppfylls_ej']} inte"
        + (f"; {antal['ej_bedomd']} kan inte bedömas." if antal["ej_bedomd"] else ".")
    )


def tertialrapport(
    year: int,
    tertial: int,
    filters: Filters,
    con: duckdb.DuckDBPyConnection,
    ids: list[str] | tuple[str, ...] | None = None,
    db: Uppfoljningsdatabas | None = None,
) -> Dokument:
    """Title page, the goals in the city's order (goal → assessment → analysis and åtgärder → indicators) with the people's
    own text from the follow-up store (default: the app's), the Måluppfyllelse table and one page per indicator."""
    period = Period(year, tertial=tertial)
    alla = kpi.compute(period, filters, con=con)
    maldel = malrapport.maldel(period, alla, analysenheter(filters), con, db)
    nu = alla if ids is None else kpi.compute(period, filters, ids=ids, con=con)
    valda = [r.id for r in nu]
    senaste = kpi.senaste_manad(con)
    fore = {r.id: r for r in kpi.compute(foregaende_tertial(period), filters, ids=valda, con=con)}
    # A tertial still running is compared with the same loaded months last year, as on Översikt.
    forra = {r.id: r for r in kpi.jamforelse(period, filters, ids=valda, con=con, senaste=senaste)}
    # Charts run from January last year, so the page shows this tertial beside the previous ones and last year's.
    manader = period.end.month + 12
    sidor = []
    for r in nu:
        if ids is None and r.mal is None:
            continue  # the report follows up goals: indicators without an årsmål stand in the table only
        ind = kpi.indicator(r.id, con)
        fig, per, visat = indikatorfigur(r, period, filters, con, manader=manader, senaste=senaste)
        sidor.append(
            Sida(
                titel=r.namn,
                figur=fig,
                text=kommentar(r, fore.get(r.id), forra.get(r.id)),
                fotnot=fotnot(
                    f"Definition: {ind.definition}", r.anmarkning, f"Diagrammet visar utfallet {per} {visat} med årsmålet som streckad linje"
                ),
                nyckeltal=(
                    (f"Utfall {r.period}", r.varde_text),
                    ("Årsmål", r.mal_text),
                    (f"Utfall {fore[r.id].period}", r.text(fore[r.id].varde)),
                    (f"Utfall {forra[r.id].period}", r.text(forra[r.id].varde)),
                ),
                status=r.status,
                period=visat,
                alt=f"{r.namn}, diagram {per} {visat}. {slutsats(r)}",
            )
        )
    noter = [f"{r.namn}: {r.orsak}" for r in nu if r.orsak and r.varde is None]
    tabell_fotnot = (
        "● Uppfylls helt · ◐ Uppfylls delvis · ○ Uppfylls ej · – Ej bedömd. "
        + kpi.bedomningsregel_allman()
        + ("\n" + "\n".join(noter) if noter else "")
    )
    return Dokument(
        titel=f"Tertialrapport T{tertial} {year}",
        undertitel=(
            f"{TERTIAL_NAMN[tertial]} {year} · {filters.beskrivning()}\n{_underlag_text(con)}\n\n{_sammanfattning(nu, period)}\n{maldel.lage}"
        ),
        sidor=sidor,
        malavsnitt=maldel.sidor,
        tabell=[tabellrad(r) for r in nu],
        tabell_rubrik=f"Måluppfyllelse T{tertial} {year}",
        tabell_fotnot=tabell_fotnot,
    )


def rendera(dok: Dokument, format: str) -> Dokument:
    """Render every chart of the document to PNG in one Chromium session, sized for slides or for A4."""
    original = [s.figur for s in dok.sidor if s.figur is not None]
    figurer = [render.bild_dict(f) for f in original]
    bredd, hojd = (render.PDF_BREDD, render.PDF_HOJD) if format == "pdf" else (render.BILD_BREDD, render.BILD_HOJD)
    bilder = render.png_batch(figurer, bredd, [render.hojd_for(f, hojd) for f in original])
    return replace(dok, bilder=bilder)


def skriv(dok: Dokument, format: str) -> bytes:
    """Render the charts and write the document as PDF or PowerPoint bytes."""
    if format not in FORMAT:
        raise ValueError(f"Okänt format: {format} (pdf eller pptx)")
    dok = rendera(dok, format)
    return skriv_pdf(dok) if format == "pdf" else skriv_pptx(dok)
