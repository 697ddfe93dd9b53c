"""The coverage chart: articles per day per outlet as stacked bars, placed for a plain SVG."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from dossier.web.schemas import Coverage, CoverageBar, CoverageCell

# Colour-blind-safe (Okabe–Ito and Tol), then grey for the rest.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288", "#88CCEE"]
OTHER = "#999999"
PLOT_HEIGHT = 240
LEFT, TOP, BOTTOM = 40, 10, 40
MIN_WIDTH = 960
DAY_WIDTH = 3


def _day(value: str | None) -> dt.date | None:
    if value and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def coverage_chart(cells: list[dict[str, Any]]) -> Coverage:
    """Place one bar segment per (day, outlet) with articles; dates that give no day are counted apart."""
    by_day: dict[dt.date, dict[str, int]] = defaultdict(dict)
    not_by_day = 0
    totals: dict[str, int] = defaultdict(int)
    for cell in cells:
        day = _day(cell["date"])
        outlet = cell["outlet"] or "unknown outlet"
        totals[outlet] += cell["articles"]
        if day is None:
            not_by_day += cell["articles"]
            continue
        by_day[day][outlet] = by_day[day].get(outlet, 0) + cell["articles"]
    outlets = sorted(totals, key=lambda o: (-totals[o], o))
    colours = {o: PALETTE[i] if i < len(PALETTE) else OTHER for i, o in enumerate(outlets)}
    out_cells = [CoverageCell(date=c["date"], outlet=c["outlet"], articles=c["articles"]) for c in cells]
    if not by_day:
        return Coverage(
            cells=out_cells,
            outlets=outlets,
            first_day=None,
            last_day=None,
            days=0,
            bars=[],
            colours=colours,
            ticks=[],
            width=MIN_WIDTH,
            height=PLOT_HEIGHT + TOP + BOTTOM,
            max_per_day=0,
            not_by_day=not_by_day,
        )
    first, last = min(by_day), max(by_day)
    days = (last - first).days + 1
    width = max(MIN_WIDTH, LEFT + days * DAY_WIDTH + 20)
    step = (width - LEFT - 20) / days
    top = max(sum(v.values()) for v in by_day.values())
    scale = PLOT_HEIGHT / top
    bars: list[CoverageBar] = []
    for day in sorted(by_day):
        x = LEFT + (day - first).days * step
        y = TOP + PLOT_HEIGHT
        for outlet in outlets:
            n = by_day[day].get(outlet)
            if not n:
                continue
            h = n * scale
            y -= h
            bars.append(
                CoverageBar(
                    date=day.isoformat(),
                    outlet=outlet,
                    articles=n,
                    x=round(x, 1),
                    y=round(y, 1),
                    height=round(h, 1),
                )
            )
    ticks = []
    month = dt.date(first.year, first.month, 1)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    every = max(1, months // 12)
    i = 0
    while month <= last:
        if month >= first and i % every == 0:
            ticks.append((round(LEFT + (month - first).days * step, 1), month.strftime("%Y-%m")))
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        i += 1
    return Coverage(
        cells=out_cells,
        outlets=outlets,
        first_day=first.isoformat(),
        last_day=last.isoformat(),
        days=days,
        bars=bars,
        colours=colours,
        ticks=ticks,
        width=int(width),
        height=PLOT_HEIGHT + TOP + BOTTOM,
        max_per_day=top,
        not_by_day=not_by_day,
    )


def bar_width(chart: Coverage) -> float:
    """The width of one day's bar on the chart."""
    if not chart.days:
        return 0.0
    return max(1.0, (chart.width - LEFT - 20) / chart.days - 0.5)
