"""The slide catalogue: every chart an APT deck or a report page can show, looked up by id."""

# Each entry's `bygg(period, filters, con) -> Sida` returns the Plotly figure (from ui/diagram.py, so slides look like
# the pages) with its generated takeaway. Values, targets and assessments come from kpi.compute / kpi.series /
# kpi.queries; nothing is computed here.
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb
import plotly.graph_objects as go
import polars as pl

import diagram
import kpi
from kpi import CATALOGUE, Filters, Period
from kpi.format import STATUS_FARG, STATUS_ORD, STATUS_SYMBOL, STATUS_TEXTFARG, manadsspann
from kpi.period import add_months
from kpi.queries import ekonomi_per_manad, hittills_i_ar
from report.model import Sida
from report.text import slutsats

STANDARDSET = (
    "maluppfyllelse",
    "loner_per_arsarbetare",
    "andel_maskinell",
    "servicegrad",
    "svarsfrekvens",
    "sjukfranvaro_12m",
    "ekonomi_resultat",
)
"""The deck a new meeting starts from (before anyone has saved their own set)."""

# Raw economy amounts are context, not slides of their own: the economy slide and its takeaway cover them.
_INTE_EGEN_BILD = {"intakter", "kostnader", "budget_resultat", "budgetavvikelse", "helarsprognos_resultat", "prognosavvikelse"}


@dataclass(frozen=True)
class Bildtyp:
    """One chart in the catalogue: id, Swedish title and the function that builds it for a period and selection."""

    id: str
    titel: str
    bygg: Callable[[Period, Filters, duckdb.DuckDBPyConnection], Sida]
    tabell: bool = False  # the slide is a table (the screen splits it into parts of a few rows, report/apt.py)


def fotnot(*delar: str | None) -> str:
    """The small source line: the given parts joined with ' · ', one closing full stop."""
    return " · ".join(d.rstrip(".") for d in delar if d) + "."


def _fonster(ind, period: Period, manader: int, senaste: date | None) -> tuple[date, date, str]:
    """The chart's time window and grain: `manader` months for monthly data, longer for tertial/yearly measurements."""
    # A running tertial or year ends with the latest loaded month, not with empty months still to come.
    slut = min(period.end, senaste) if senaste is not None and senaste >= period.start else period.end
    if ind.familj == "manuell" and ind.periodicitet == "år":
        return date(period.end.year - 4, 1, 1), period.end, "ar"
    if ind.familj == "manuell" and ind.periodicitet == "tertial":
        return date(period.end.year - 1, 1, 1), period.end, "tertial"
    return add_months(slut, 1 - manader), slut, "manad"


def indikatorfigur(
    resultat, period: Period, filters: Filters, con: duckdb.DuckDBPyConnection, manader: int = 13, senaste: date | None = None
) -> tuple[go.Figure, str, str]:
    """One indicator over time (line per month, bars per tertial/year) against its own target line: figure, grain, months shown."""
    ind = kpi.indicator(resultat.id, con)
    start, slut, grain = _fonster(ind, period, manader, senaste or kpi.senaste_manad(con))
    df = kpi.series(resultat.id, start, slut, filters, grain=grain, con=con)
    if grain == "manad":
        fig = diagram.linje_mot_mal(df, mal=resultat.mal, matt=ind.visning, mal_etikett="Årsmål", stor=True)
    else:
        fig = diagram.staplar(df, x="period", y="varde", mal=resultat.mal, matt=ind.visning, mal_etikett="Årsmål", varde_etiketter=True, stor=True)
    if df.is_empty() or df["varde"].drop_nulls().is_empty():
        fig.add_annotation(text=resultat.orsak or "Ingen data för perioden", showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    visat = manadsspann(start, slut) if grain == "manad" else f"{start.year}–{slut.year}" if start.year != slut.year else str(slut.year)
    return fig, {"manad": "per månad", "tertial": "per tertial", "ar": "per år"}[grain], visat


def _indikatorbild(ind_id: str) -> Callable[[Period, Filters, duckdb.DuckDBPyConnection], Sida]:
    """A slide for one catalogue indicator: its chart over the last 13 months and the takeaway for the period."""

    def bygg(period: Period, filters: Filters, con: duckdb.DuckDBPyConnection) -> Sida:
        ind = kpi.indicator(ind_id, con)
        resultat = kpi.compute(period, filters, ids=[ind_id], con=con)[0]
        fig, per, visat = indikatorfigur(resultat, period, filters, con)
        return Sida(
            titel=ind.namn,
            figur=fig,
            text=slutsats(resultat),
            fotnot=fotnot(
                ind.definition,
                resultat.anmarkning,
                f"Diagram: utfall {per} {visat} med årsmålet streckat",
                f"{period.label}, {filters.beskrivning()}",
            ),
            period=visat,
        )

    return bygg


def _maluppfyllelse(period: Period, filters: Filters, con: duckdb.DuckDBPyConnection) -> Sida:
    """The goal indicators as a large table: value, target and assessment (colour + symbol + word)."""
    resultat = [r for r in kpi.compute(period, filters, con=con) if r.mal is not None]
    farg = [STATUS_FARG[r.status] for r in resultat]
    vit = "#ffffff"
    fig = go.Figure(
        go.Table(
            columnwidth=[46, 18, 18, 26],
            header={
                "values": ["<b>Indikator</b>", "<b>Utfall</b>", "<b>Årsmål</b>", "<b>Bedömning</b>"],
                "align": ["left", "right", "right", "left"],
                "fill_color": "#333333",
                "font": {"color": vit, "size": 22},
                "height": 34,
            },
            cells={
                "values": [
                    [r.namn for r in resultat],
                    [r.varde_text for r in resultat],
                    [r.mal_text for r in resultat],
                    [f"{STATUS_SYMBOL[r.status]} {STATUS_ORD[r.status]}" for r in resultat],
                ],
                "align": ["left", "right", "right", "left"],
                "fill_color": [["#ffffff"] * len(resultat), ["#ffffff"] * len(resultat), ["#ffffff"] * len(resultat), farg],
                "font": {"size": 22, "color": [["#222222"] * len(resultat)] * 3 + [[STATUS_TEXTFARG[r.status] for r in resultat]]},
                "height": 28,
                "line": {"color": "#dddddd"},
            },
        )
    )
    diagram.grundlayout(fig, "", "", stor=True)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, height=90 + 30 * (len(resultat) + 1))
    antal = {s: sum(1 for r in resultat if r.status == s) for s in STATUS_ORD}
    bedomda = len(resultat) - antal["ej_bedomd"]
    if bedomda:
        text = (
            f"{antal['uppfylls_helt']} av {bedomda} bedömda indikatorer uppfylls helt {period.label}, "
            f"{antal['uppfylls_delvis']} delvis och {antal['uppfylls_ej']} inte."
        )
    else:
        text = f"Ingen indikator med årsmål kan bedömas för {period.label}."
    if antal["ej_bedomd"]:
        text += f" {antal['ej_bedomd']} saknar utfall."
    return Sida(
        titel="Måluppfyllelse",
        figur=fig,
        text=text,
        fotnot=fotnot("Indikatorer med årsmål", f"{period.label}, {filters.beskrivning()}"),
        period=period.label,
    )


def _ekonomi_resultat(period: Period, filters: Filters, con: duckdb.DuckDBPyConnection) -> Sida:
    """Accumulated result vs budget from January over the booked months, with the latest full-year forecast in the takeaway."""
    per_manad = ekonomi_per_manad(con, period, filters)
    lang = (
        per_manad.unpivot(index="manad", on=["resultat_ackumulerat", "budget_ackumulerad"], variable_name="grupp", value_name="varde").with_columns(
            pl.col("grupp").replace({"resultat_ackumulerat": "Utfall", "budget_ackumulerad": "Budget"})
        )
        if not per_manad.is_empty()
        else pl.DataFrame(schema={"manad": pl.Date, "grupp": pl.Utf8, "varde": pl.Float64})
    )
    belopp = CATALOGUE["resultat"].visning
    fig = diagram.linje_mot_mal(lang, x="manad", matt=belopp, stor=True)
    hittills = hittills_i_ar(period)
    visat = manadsspann(per_manad["manad"].min(), per_manad["manad"].max()) if not per_manad.is_empty() else hittills.label
    r = {x.id: x for x in kpi.compute(hittills, filters, ids=["resultat", "budgetavvikelse", "helarsprognos_resultat", "prognosavvikelse"], con=con)}
    if r["resultat"].varde is None:
        text = f"Resultat {visat}: {r['resultat'].orsak or 'uppgift saknas'}."
    else:
        text = f"Resultatet {visat} är {r['resultat'].varde_text}"
        storlek, tecken = r["budgetavvikelse"].visning.skillnad(r["budgetavvikelse"].varde, 0)
        if tecken is not None:
            text += ", i nivå med budget" if not tecken else f", {storlek} {'bättre' if tecken > 0 else 'sämre'} än budget"
        text += "."
    if r["helarsprognos_resultat"].varde is not None:
        text += f" Helårsprognos {r['helarsprognos_resultat'].varde_text}"
        storlek, tecken = r["prognosavvikelse"].visning.skillnad(r["prognosavvikelse"].varde, 0)
        if tecken:
            text += f" ({storlek} {'över' if tecken > 0 else 'under'} årsbudgeten)"
        text += "."
    return Sida(
        titel=f"Resultat mot budget {period.year}, ackumulerat",
        figur=fig,
        text=text,
        fotnot=fotnot(
            "Resultat = intäkter − kostnader, summerat från januari över bokförda månader", f"Belopp i {belopp.enhet}", filters.beskrivning()
        ),
        period=visat,
    )


MALBILD = "mal_och_analys"
"""The goal follow-up in a deck: one slide (or more) per goal of the period's tertial, in the plan's order."""


def malsidor(period: Period, filters: Filters, con: duckdb.DuckDBPyConnection) -> list[Sida]:
    """The goals of the follow-up period the chosen period falls in, with the written analyses of the selection's units."""
    from report.malrapport import maldel
    from uppfoljning import analysenheter, uppfoljningsperiod

    foljs_upp = uppfoljningsperiod(period)
    return maldel(foljs_upp, kpi.compute(foljs_upp, filters, con=con), analysenheter(filters), con).sidor


def _forsta_malsidan(period: Period, filters: Filters, con: duckdb.DuckDBPyConnection) -> Sida:
    sidor = malsidor(period, filters, con)
    return sidor[0] if sidor else Sida(titel="Mål och analys", figur=None, text=f"Det finns ingen målstruktur för {period.year}.")


def katalog() -> dict[str, Bildtyp]:
    """Every available slide by id: the goal table, the goals with their analyses, the economy summary and one chart per indicator."""
    bilder = [
        Bildtyp("maluppfyllelse", "Måluppfyllelse", _maluppfyllelse, tabell=True),
        Bildtyp(MALBILD, "Mål, bedömning och analys", _forsta_malsidan),
    ]
    for ind in CATALOGUE.values():
        if ind.id in _INTE_EGEN_BILD:
            continue
        bilder.append(Bildtyp(ind.id, ind.namn, _indikatorbild(ind.id)))
    bilder.append(Bildtyp("ekonomi_resultat", "Resultat mot budget (ackumulerat)", _ekonomi_resultat))
    return {b.id: b for b in bilder}


KATALOG = katalog()


def bygg_sidor(ids: list[str] | tuple[str, ...], period: Period, filters: Filters, con: duckdb.DuckDBPyConnection) -> list[Sida]:
    """One slide per id, in order (MALBILD: its first goal; a deck expands it, see report.dokument.apt_deck); unknown ids are a Swedish error."""
    okanda = [i for i in ids if i not in KATALOG]
    if okanda:
        raise ValueError(f"Okänd bild: {', '.join(okanda)}. Tillgängliga: {', '.join(KATALOG)}")
    return [KATALOG[i].bygg(period, filters, con) for i in ids]
