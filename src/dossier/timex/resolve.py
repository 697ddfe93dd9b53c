"""Resolving a :class:`Spec` to a value: against the anchor (the article's publication date), or the
time the text spoke of last (the reference), in the direction the words and the tense give.

Underspecified dates (a weekday, a month without a year, a day and month without a year) point back
from the anchor unless the sentence speaks of the future (``sẽ``, ``dự kiến``) or the words do
(``thứ Hai tới``). Without an anchor precise enough for the shift, a relative expression stays
unresolved: nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dossier.timex.spec import Spec
from dossier.timex.values import (
    Anchor,
    add_months,
    add_years,
    containing,
    format_value,
    month_end,
    week_of,
)

# A day-and-month date a day after the anchor is still read as this year's: captures are stamped in
# one time zone and report events in another.
_DAY_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class Resolved:
    value: str
    granularity: str
    start: date
    end: date
    value_end: str | None = None


Span = tuple[date, date]


def _unit_span(day: date, unit: str) -> Span:
    if unit == "day":
        return day, day
    if unit == "week":
        return week_of(day)
    if unit == "month":
        return date(day.year, day.month, 1), month_end(day.year, day.month)
    if unit == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        return date(day.year, first, 1), month_end(day.year, first + 2)
    if unit == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if unit == "decade":
        start = day.year // 10 * 10
        return date(start, 1, 1), date(start + 9, 12, 31)
    start = day.year // 100 * 100
    return date(max(start, 1), 1, 1), date(start + 99, 12, 31)


def _shift(day: date, unit: str, steps: int) -> date:
    if unit == "day":
        return day + timedelta(days=steps)
    if unit == "week":
        return day + timedelta(weeks=steps)
    if unit == "month":
        return add_months(day, steps)
    if unit == "quarter":
        return add_months(day, 3 * steps)
    if unit == "year":
        return add_years(day, steps)
    if unit == "decade":
        return add_years(day, 10 * steps)
    return add_years(day, 100 * steps)


def _week_part(span: Span, part: str | None) -> Span:
    monday = span[0]
    if part == "early":
        return monday, monday + timedelta(days=2)
    if part == "mid":
        return monday + timedelta(days=1), monday + timedelta(days=3)
    if part == "late":  # cuối tuần: the weekend
        return monday + timedelta(days=5), monday + timedelta(days=6)
    return span


def _finish(span: Span, granularity: str) -> Resolved | None:
    if granularity == "week":
        written = containing(*span)
        if written is None:
            return None
        return Resolved(written[0], written[1], span[0], span[1])
    return Resolved(format_value(span[0], granularity), granularity, span[0], span[1])


def _clip_to_tense(span: Span, anchor: Anchor, tense: int, shift: int) -> Span:
    """The part of this week (or this month) on the side of the anchor the tense points to."""
    if shift != 0 or anchor.precision != "day":
        return span
    if tense < 0 and span[0] <= anchor.day <= span[1]:
        return span[0], min(span[1], anchor.day)
    if tense > 0 and span[0] <= anchor.day <= span[1]:
        return max(span[0], anchor.day), span[1]
    return span


def _relative(spec: Spec, anchor: Anchor | None, reference: Resolved | None, tense: int) -> Resolved | None:
    unit, steps = spec.shift_unit or "day", spec.shift or 0
    if spec.from_reference:
        if reference is None:
            return None
        if unit == "day" and reference.granularity != "day":
            return None
        if unit in ("week", "month") and reference.granularity not in ("day", "month"):
            return None
        base = reference.start
    else:
        if anchor is None or not anchor.knows(unit):
            return None
        base = anchor.day
    span = _unit_span(_shift(base, unit, steps), unit)
    if unit == "week":
        span = _week_part(span, spec.part)
        if anchor is not None and not spec.from_reference and spec.part is None:
            span = _clip_to_tense(span, anchor, tense, steps)
    return _finish(span, unit)


def _weekday(spec: Spec, anchor: Anchor | None, tense: int) -> Resolved | None:
    if anchor is None or anchor.precision != "day" or spec.weekday is None:
        return None
    today = anchor.day
    if spec.week_offset is not None:
        monday = week_of(today)[0] + timedelta(weeks=spec.week_offset)
        day = monday + timedelta(days=spec.weekday)
    else:
        direction = spec.direction or tense
        if direction > 0:
            # "thứ Hai tới" is never today; "sẽ … vào thứ Hai" may be
            ahead = (spec.weekday - today.weekday()) % 7 or (7 if spec.direction else 0)
            day = today + timedelta(days=ahead)
        else:
            day = today - timedelta(days=(today.weekday() - spec.weekday) % 7)
    return Resolved(day.isoformat(), "day", day, day)


def _year_for(spec: Spec, anchor: Anchor | None, tense: int) -> int | None:
    """The year of a date that names its month (and day) but no year: the one nearest the anchor in
    the direction of the tense."""
    if spec.year is not None:
        return spec.year
    if anchor is None:
        return None
    if spec.year_offset is not None:
        return anchor.day.year + spec.year_offset
    if anchor.precision == "year" or spec.month is None:
        return None
    direction = spec.direction or tense
    year = anchor.day.year
    if spec.day is not None and anchor.precision == "day":
        # a day and month without a year: the occurrence nearest the anchor; the tense decides only
        # between two nearly as near (news of a date is usually news of these weeks)
        options = []
        for y in (year - 1, year, year + 1):
            try:
                options.append((y, (date(y, spec.month, spec.day) - anchor.day).days))
            except ValueError:  # 29/2 outside a leap year
                continue
        if not options:
            return None
        options.sort(key=lambda o: abs(o[1]))
        if len(options) > 1 and abs(abs(options[0][1]) - abs(options[1][1])) < 30:
            ahead = [o for o in options[:2] if o[1] > _DAY_SLACK.days]
            behind = [o for o in options[:2] if o[1] <= _DAY_SLACK.days]
            chosen = ahead if direction > 0 and ahead else behind or options
            return chosen[0][0]
        return options[0][0]
    if direction > 0:
        return year if spec.month >= anchor.day.month else year + 1
    return year if spec.month <= anchor.day.month else year - 1


def _absolute(spec: Spec, anchor: Anchor | None, tense: int) -> Resolved | None:
    g = spec.granularity
    if g == "century":
        if spec.century is None:
            return None
        start = spec.century * 100
        return Resolved(f"{spec.century:02d}XX", g, date(max(start, 1), 1, 1), date(start + 99, 12, 31))
    if g == "decade":
        decade = spec.decade
        if decade is None and spec.decade2 is not None:
            if anchor is not None:
                century = anchor.day.year // 100
                decade = (century * 100 + spec.decade2) // 10
                if decade * 10 > anchor.day.year:
                    decade -= 10
            else:
                decade = (1900 + spec.decade2) // 10 if spec.decade2 >= 30 else (2000 + spec.decade2) // 10
        if decade is None:
            return None
        return Resolved(f"{decade:03d}X", g, date(decade * 10, 1, 1), date(decade * 10 + 9, 12, 31))
    year = _year_for(spec, anchor, tense)
    if year is None or not 1 <= year <= 9999:
        return None
    try:
        if g == "quarter" and spec.quarter:
            first = 3 * (spec.quarter - 1) + 1
            return _finish((date(year, first, 1), month_end(year, first + 2)), "quarter")
        if g == "day" and spec.month and spec.day:
            day = date(year, spec.month, spec.day)
            return _finish((day, day), "day")
        if g == "month" and spec.month:
            return _finish((date(year, spec.month, 1), month_end(year, spec.month)), "month")
        if g == "year":
            return _finish((date(year, 1, 1), date(year, 12, 31)), "year")
    except ValueError:
        return None
    return None


def _recent(anchor: Anchor | None, window_days: int) -> Resolved | None:
    """``gần đây``: the anchor's year, when the window of recent days lies inside it."""
    if anchor is None or anchor.precision != "day":
        return None
    start = anchor.day - timedelta(days=window_days)
    if start.year != anchor.day.year:
        return None
    return Resolved(
        f"{anchor.day.year:04d}", "year", date(anchor.day.year, 1, 1), date(anchor.day.year, 12, 31)
    )


def resolve(
    spec: Spec,
    anchor: Anchor | None,
    reference: Resolved | None,
    tense: int,
    recent_window_days: int = 90,
) -> Resolved | None:
    """The value of ``spec``; None when the anchor (or reference) it needs is missing or not precise
    enough. ``tense`` is -1 (past, the default of news) or +1 (future)."""
    if spec.granularity == "recent":
        return _recent(anchor, recent_window_days)
    if spec.weekday is not None and spec.day is None:
        return _weekday(spec, anchor, tense)
    if spec.shift_unit is not None:
        return _relative(spec, anchor, reference, tense)
    out = _absolute(spec, anchor, tense)
    if out is None or spec.end is None:
        return out
    end_spec = spec.end
    end = _absolute(end_spec, anchor, tense)
    if end is None or end.start < out.start:
        return out
    return Resolved(out.value, out.granularity, out.start, end.end, value_end=end.value)
