"""The goal hierarchy of a year as read from the lake's malstruktur table: goals in the plan's order, with indicators and activities."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import duckdb

import lake
from etl.malstruktur import NIVAER
from kpi.catalogue import CATALOGUE

# Goals whose analysis is written every period even without indicators of their own: the nämnd's and the unit's.
ANALYSNIVAER = ("namndmal", "enhetsmal")


@dataclass(frozen=True)
class Malindikator:
    """An indicator that follows a goal, with the periodicitet the plan gives it."""

    id: str
    namn: str
    periodicitet: str  # 'månad' | 'tertial' | 'år'
    manuell: bool  # declared in the goal file as a manual indicator (not in the catalogue)

    @property
    def i_katalogen(self) -> bool:
        """True when the KPI catalogue declares the indicator."""
        return self.id in CATALOGUE


@dataclass(frozen=True)
class Aktivitet:
    """An activity of a goal, with its planned dates."""

    id: str
    mal_id: str
    text: str
    startdatum: date
    slutdatum: date


@dataclass
class Mal:
    """A goal: level, texts, its indicators, activities and sub-goals (in the plan's order)."""

    id: str
    ar: int
    niva: str  # etl.malstruktur.NIVAER key
    text: str
    overordnat: str | None
    forvantat_resultat: str | None = None
    arbetssatt: str | None = None
    uppfoljning: str | None = None
    indikatorer: list[Malindikator] = field(default_factory=list)
    aktiviteter: list[Aktivitet] = field(default_factory=list)
    delmal: list[Mal] = field(default_factory=list)

    @property
    def niva_namn(self) -> str:
        """'Nämndmål', 'KF:s mål' …"""
        return NIVAER[self.niva]

    @property
    def kraver_analys(self) -> bool:
        """Whether the goal gets its own written analysis each period: nämndmål, enhetsmål, and any goal with indicators or activities."""
        return self.niva in ANALYSNIVAER or bool(self.indikatorer) or bool(self.aktiviteter)


@dataclass
class Maltrad:
    """One year's goal hierarchy: top goals (KF:s inriktningsmål) with everything below them."""

    ar: int
    rotter: list[Mal]

    def alla(self) -> Iterator[tuple[Mal, int]]:
        """Every goal depth-first in the plan's order, with its depth (0 = KF:s inriktningsmål)."""

        def ga(mal: Mal, djup: int) -> Iterator[tuple[Mal, int]]:
            yield mal, djup
            for barn in mal.delmal:
                yield from ga(barn, djup + 1)

        for rot in self.rotter:
            yield from ga(rot, 0)

    def mal(self, mal_id: str) -> Mal | None:
        """The goal with this id, or None."""
        return next((m for m, _ in self.alla() if m.id == mal_id), None)

    def aktiviteter(self) -> list[Aktivitet]:
        """Every activity of the year in the plan's order."""
        return [a for m, _ in self.alla() for a in m.aktiviteter]

    def indikator_ids(self) -> list[str]:
        """Every indicator id that follows some goal, once each, in the plan's order."""
        return list(dict.fromkeys(i.id for m, _ in self.alla() for i in m.indikatorer))

    def __bool__(self) -> bool:
        return bool(self.rotter)


def ar_med_malstruktur(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years that have a goal hierarchy in the lake, ascending."""
    return lake.query(con, "SELECT DISTINCT ar FROM malstruktur ORDER BY ar")["ar"].to_list()


def las_maltrad(con: duckdb.DuckDBPyConnection, ar: int) -> Maltrad:
    """The year's goal hierarchy from the lake (empty when the year has none)."""
    rader = lake.query(con, "SELECT * FROM malstruktur WHERE ar = $ar ORDER BY ordning", {"ar": int(ar)}).to_dicts()
    mal: dict[str, Mal] = {}
    for r in rader:
        if r["radtyp"] == "mal":
            mal[r["id"]] = Mal(r["id"], r["ar"], r["niva"], r["text"], r["overordnat"], r["forvantat_resultat"], r["arbetssatt"], r["uppfoljning"])
    rotter: list[Mal] = []
    for r in rader:
        agare = mal.get(r["overordnat"]) if r["overordnat"] else None
        if r["radtyp"] == "mal":
            # validation guarantees the parent; a goal without one (only an inriktningsmål) is a root
            (agare.delmal if agare else rotter).append(mal[r["id"]])
        elif r["radtyp"] == "indikator" and agare:
            namn = CATALOGUE[r["id"]].namn if r["id"] in CATALOGUE else (r["text"] or r["id"])
            agare.indikatorer.append(Malindikator(r["id"], namn, r["periodicitet"], bool(r["manuell"])))
        elif r["radtyp"] == "aktivitet" and agare:
            agare.aktiviteter.append(Aktivitet(r["id"], agare.id, r["text"], r["startdatum"], r["slutdatum"]))
    return Maltrad(int(ar), rotter)
