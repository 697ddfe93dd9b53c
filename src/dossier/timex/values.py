"""TIMEX3-like time values and the calendar arithmetic behind them.

A value carries exactly the precision the text gives: ``2023-09-13`` (day), ``2023-09`` (month),
``2023-Q3`` (quarter), ``2023`` (year), ``199X`` (decade), ``19XX`` (century). Every value stands for
an interval of days; :func:`interval` gives it, so that values of different precision can be compared
(``2023-09`` holds ``2023-09-13``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_VALUE = re.compile(
    r"^(?:(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?|-Q(?P<q>[1-4]))?|(?P<dec>\d{3})X|(?P<cen>\d{2})XX)$"
)


@dataclass(frozen=True)
class Anchor:
    """The date relative expressions are resolved against, with the precision it is known to."""

    day: date
    precision: str = "day"  # day | month | year

    @classmethod
    def parse(cls, value: str | None) -> Anchor | None:
        """An anchor from an ISO value with day, month or year precision; None for anything else."""
        if not value:
            return None
        span = interval(value)
        if span is None:
            return None
        precision = granularity_of(value)
        if precision not in ("day", "month", "year"):
            return None
        return cls(span[0] if precision == "day" else span[1], precision)

    def knows(self, granularity: str) -> bool:
        """Whether the anchor is precise enough to resolve a shift of this granularity."""
        order = {"day": 0, "week": 0, "month": 1, "quarter": 2, "year": 2, "decade": 3, "century": 3}
        return order[self.precision] <= order.get(granularity, 0)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clipped to the month's last day."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_years(day: date, years: int) -> date:
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def granularity_of(value: str) -> str | None:
    m = _VALUE.match(value)
    if not m:
        return None
    if m["dec"]:
        return "decade"
    if m["cen"]:
        return "century"
    if m["q"]:
        return "quarter"
    return "day" if m["d"] else "month" if m["m"] else "year"


def interval(value: str | None) -> tuple[date, date] | None:
    """The first and last day a value stands for; None for anything that is not a value."""
    m = _VALUE.match(value or "")
    if not m:
        return None
    try:
        if m["dec"]:
            start = int(m["dec"]) * 10
            return date(max(start, 1), 1, 1), date(start + 9, 12, 31)
        if m["cen"]:
            start = int(m["cen"]) * 100
            return date(max(start, 1), 1, 1), date(start + 99, 12, 31)
        year = int(m["y"])
        if m["q"]:
            first = 3 * (int(m["q"]) - 1) + 1
            return date(year, first, 1), month_end(year, first + 2)
        if m["d"]:
            day = date(year, int(m["m"]), int(m["d"]))
            return day, day
        if m["m"]:
            month = int(m["m"])
            return date(year, month, 1), month_end(year, month)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def format_value(start: date, granularity: str) -> str:
    """The value of the ``granularity`` unit that holds ``start``."""
    if granularity == "day":
        return start.isoformat()
    if granularity == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if granularity == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if granularity == "year":
        return f"{start.year:04d}"
    if granularity == "decade":
        return f"{start.year // 10:03d}X"
    if granularity == "century":
        return f"{start.year // 100:02d}XX"
    raise ValueError(f"unknown granularity {granularity}")


def containing(start: date, end: date) -> tuple[str, str] | None:
    """(value, granularity) of the smallest day, month or year that holds the whole span: how a week or
    a part of a week is written with the granularities the contract knows."""
    if start == end:
        return start.isoformat(), "day"
    if (start.year, start.month) == (end.year, end.month):
        return format_value(start, "month"), "month"
    if start.year == end.year:
        return format_value(start, "year"), "year"
    return None


def sort_key(value: str | None) -> tuple[date, int]:
    """Chronological order of values of any precision: by first day, the wider one first; values that
    are not values last."""
    span = interval(value)
    if span is None:
        return date.max, 0
    return span[0], -(span[1] - span[0]).days
