"""Reporting periods (år, tertial, månad, hittills i år) and the filters every KPI query takes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpi.format import MANADER, MANADER_KORT

TERTIAL_MANADER = {1: (1, 4), 2: (5, 8), 3: (9, 12)}
GRAINS = ("manad", "tertial", "ar")
SERVICEGRAD_DEFINITIONER = {
    "inkommande": "besvarade inom tröskeln ÷ inkommande",
    "besvarade": "besvarade inom tröskeln ÷ besvarade",
    "inkommande_utan_korta_avbrutna": "besvarade inom tröskeln ÷ (inkommande − avbrutna inom 5 s)",
}


def add_months(d: date, n: int) -> date:
    """First day of the month n months after d's month (n may be negative)."""
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_start(d: date) -> date:
    """First day of d's month."""
    return date(d.year, d.month, 1)


def tertial_of(month: int) -> int:
    """1 for jan–apr, 2 for maj–aug, 3 for sep–dec."""
    return (month - 1) // 4 + 1


@dataclass(frozen=True)
class Period:
    """A reporting period: a year, a tertial or a month of a year, optionally from January (hittills i år)."""

    year: int
    tertial: int | None = None
    month: int | None = None
    ytd: bool = False

    def __post_init__(self):
        if not 1900 <= int(self.year) <= 2999:
            raise ValueError(f"Ogiltigt år: {self.year}")
        if self.tertial is not None and self.month is not None:
            raise ValueError("Ange antingen tertial eller månad, inte båda")
        if self.tertial is not None and self.tertial not in TERTIAL_MANADER:
            raise ValueError(f"Ogiltigt tertial: {self.tertial} (1, 2 eller 3)")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"Ogiltig månad: {self.month} (1–12)")

    @property
    def _first_last_month(self) -> tuple[int, int]:
        if self.month is not None:
            first, last = self.month, self.month
        elif self.tertial is not None:
            first, last = TERTIAL_MANADER[self.tertial]
        else:
            first, last = 1, 12
        return (1 if self.ytd else first), last

    @property
    def start(self) -> date:
        """First day of the period's first month."""
        return date(self.year, self._first_last_month[0], 1)

    @property
    def end(self) -> date:
        """First day of the period's last month (data are monthly, so months are named by their first day)."""
        return date(self.year, self._first_last_month[1], 1)

    @property
    def months(self) -> list[date]:
        """Every month in the period, as first days."""
        first, last = self._first_last_month
        return [date(self.year, m, 1) for m in range(first, last + 1)]

    @property
    def label(self) -> str:
        """Swedish label: '2025', 'T2 2025', 'mars 2025', 'jan–mar 2025'."""
        first, last = self._first_last_month
        if first == 1 and last == 12:
            return str(self.year)
        if self.ytd:
            if first == last:
                return f"{MANADER_KORT[first - 1]} {self.year}"
            return f"{MANADER_KORT[first - 1]}–{MANADER_KORT[last - 1]} {self.year}"
        if self.tertial is not None:
            return f"T{self.tertial} {self.year}"
        return f"{MANADER[self.month - 1]} {self.year}"

    @property
    def key(self) -> str:
        """Machine-friendly key: '2025', '2025-T2', '2025-03', '2025-01..2025-03'."""
        if self.ytd and self.start != self.end:
            return f"{self.start:%Y-%m}..{self.end:%Y-%m}"
        if self.month is not None:
            return f"{self.year}-{self.month:02d}"
        if self.tertial is not None:
            return f"{self.year}-T{self.tertial}"
        return str(self.year)

    @classmethod
    def parse(cls, text: str, ytd: bool = False) -> Period:
        """'2025' → helår, '2025-T2' → tertial, '2025-03' or '202503' → månad."""
        t = text.strip().upper()
        try:
            if len(t) == 4:
                return cls(int(t), ytd=ytd)
            if "-T" in t:
                y, n = t.split("-T")
                return cls(int(y), tertial=int(n), ytd=ytd)
            if len(t) == 6 and t.isdigit():
                return cls(int(t[:4]), month=int(t[4:]), ytd=ytd)
            y, m = t.split("-")[:2]
            return cls(int(y), month=int(m), ytd=ytd)
        except (ValueError, TypeError) as exc:
            # Keep the specific reason (e.g. 'Ogiltig månad: 13 (1–12)') when the parts were numbers.
            why = str(exc) if str(exc).startswith("Ogiltig") else "använd 2025, 2025-T2 eller 2025-03"
            raise ValueError(f"Kan inte tolka perioden '{text}': {why[0].lower()}{why[1:]}") from exc

    @classmethod
    def containing(cls, d: date, grain: str) -> Period:
        """The month, tertial or year that contains d."""
        if grain == "manad":
            return cls(d.year, month=d.month)
        if grain == "tertial":
            return cls(d.year, tertial=tertial_of(d.month))
        if grain == "ar":
            return cls(d.year)
        raise ValueError(f"Okänd periodlängd: {grain} (manad, tertial eller ar)")


def buckets(start: date, end: date, grain: str) -> list[tuple[date, date, str]]:
    """Split start..end (months, inclusive) into month/tertial/year buckets: (first month, last month, label), clipped to the range."""
    start, end = month_start(start), month_start(end)
    if end < start:
        raise ValueError("Slutmånaden ligger före startmånaden")
    out: list[tuple[date, date, str]] = []
    d = start
    while d <= end:
        p = Period.containing(d, grain)
        last = min(p.end, end)
        out.append((d, last, p.label))
        d = add_months(last, 1)
    return out


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(v for v in value if v is not None and str(v) != "")


# Filter dimension → the Filters field holding its values (also the bound parameter's name in SQL).
FILTERFALT = {"enhet": "units", "ko": "queues", "forvaltning": "forvaltningar"}


class Behorighetsfel(ValueError):
    """A selection outside the signed-in user's unit scope (shown as is: the text is Swedish)."""


@dataclass(frozen=True)
class Filters:
    """Selection for every KPI: units (enheter), telephony queues, förvaltningar — empty = all — and telephony options."""

    units: tuple[str, ...] = ()
    queues: tuple[str, ...] = ()
    forvaltningar: tuple[str, ...] = ()
    servicegrad_definition: str = "inkommande"  # see SERVICEGRAD_DEFINITIONER
    servicegrad_troskel_s: int = 25  # threshold for the call-log service level (samtal)
    # The signed-in user's unit scope (login): None = every unit. With a scope, "all units" means all of the
    # user's units and a unit outside it is refused here, where every query's selection is built.
    omfang: tuple[str, ...] | None = None

    def __post_init__(self):
        object.__setattr__(self, "units", _as_tuple(self.units))
        if self.omfang is not None:
            omfang = _as_tuple(self.omfang)
            object.__setattr__(self, "omfang", omfang)
            if not omfang:
                raise Behorighetsfel("Du har inte behörighet till någon enhet.")
            utanfor = [u for u in self.units if u not in omfang]
            if utanfor:
                raise Behorighetsfel(f"Du har inte behörighet till {', '.join(utanfor)}. Dina enheter: {', '.join(omfang)}.")
            if not self.units:
                object.__setattr__(self, "units", omfang)
        object.__setattr__(self, "queues", _as_tuple(self.queues))
        object.__setattr__(self, "forvaltningar", _as_tuple(self.forvaltningar))
        if self.servicegrad_definition not in SERVICEGRAD_DEFINITIONER:
            raise ValueError(f"Okänd definition av servicegrad: {self.servicegrad_definition} ({', '.join(SERVICEGRAD_DEFINITIONER)})")
        if not 0 <= int(self.servicegrad_troskel_s) <= 3600:
            raise ValueError(f"Ogiltig tröskel för servicegrad: {self.servicegrad_troskel_s} s")

    def villkor(self, dimension: str, kolumn: str) -> tuple[str, dict]:
        """(SQL, params): `kolumn` is one of the selected values of a dimension ('enhet', 'ko', 'forvaltning'); empty = all."""
        falt = FILTERFALT[dimension]
        return f"(len(${falt}::VARCHAR[]) = 0 OR list_contains(${falt}::VARCHAR[], {kolumn}))", {falt: list(getattr(self, falt))}

    def parametrar(self) -> dict:
        """Every filter dimension's bound values, by parameter name."""
        return {falt: list(getattr(self, falt)) for falt in FILTERFALT.values()}

    def beskrivning(self, dimensioner: tuple[str, ...] = ("enhet", "ko", "forvaltning")) -> str:
        """The selection in Swedish for headings and captions: 'Alla enheter', 'Löneenhet Nord · Kö: Pension'."""
        delar = []
        if "enhet" in dimensioner:
            delar.append(", ".join(self.units) if self.units else "Alla enheter")
        if "ko" in dimensioner and (self.queues or "enhet" not in dimensioner):
            delar.append(("Kö: " + ", ".join(self.queues)) if self.queues else "Alla köer")
        if "forvaltning" in dimensioner and self.forvaltningar:
            delar.append("Förvaltning: " + ", ".join(self.forvaltningar))
        return " · ".join(delar)
