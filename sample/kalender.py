"""Swedish working-day calendar: months in a range, public holidays, pay days."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def parse_month(text: str) -> date:
    """'2024-03' → date(2024, 3, 1); raises ValueError on anything else."""
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def months(start: date, end: date) -> list[date]:
    """First days of every month from start to end inclusive."""
    out, current = [], date(start.year, start.month, 1)
    while current <= end:
        out.append(current)
        current = next_month(current)
    return out


def next_month(d: date) -> date:
    """First day of the month after d."""
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _easter(year: int) -> date:
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 — the published algorithm's names
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@cache
def holidays(year: int) -> frozenset[date]:
    """Weekday-relevant Swedish public holidays and the customary days off (julafton, nyårsafton, midsommarafton)."""
    easter = _easter(year)
    midsommarafton = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    return frozenset(
        {
            date(year, 1, 1),
            date(year, 1, 6),
            easter - timedelta(days=2),
            easter + timedelta(days=1),
            date(year, 5, 1),
            easter + timedelta(days=39),
            date(year, 6, 6),
            midsommarafton,
            date(year, 12, 24),
            date(year, 12, 25),
            date(year, 12, 26),
            date(year, 12, 31),
        }
    )


def is_working_day(d: date) -> bool:
    """Monday–Friday and not a holiday."""
    return d.weekday() < 5 and d not in holidays(d.year)


@cache
def working_days(month: date) -> tuple[date, ...]:
    """Working days of the month starting at `month`."""
    days, d = [], month
    while d.month == month.month:
        if is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return tuple(days)


def pay_day(month: date) -> date:
    """The 25th, or the last working day before it when the 25th is a weekend or holiday."""
    d = date(month.year, month.month, 25)
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d
