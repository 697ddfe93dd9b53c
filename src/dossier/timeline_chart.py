"""The timeline as an SVG picture, drawn by the project's own code (no script, no external asset).

Two panels: every year that has events, one column per year (years without events are left out and
the gap is marked), each event a square coloured by its type; then, month by month, the two years
with the most events, where news is densest. Each square carries the event's date, type and summary
as its tooltip. Every piece of text is XML-escaped: summaries come from article text.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from dossier.timeline import MONTHS, Entry
from dossier.timex.values import granularity_of, interval

COLOURS = {
    "meeting": "#1f77b4",
    "visit": "#17becf",
    "agreement": "#2ca02c",
    "military-test": "#d62728",
    "military-action": "#8c1c13",
    "statement": "#9e9e9e",
    "accusation": "#ff7f0e",
    "denial": "#bcbd22",
    "sanction": "#9467bd",
    "transfer": "#8c564b",
    "cyberattack": "#e377c2",
    "other": "#555555",
}
BOX = 9  # side of one event's square
GAP = 2
LEFT = 30
MAX_ROWS = 14  # squares in one column before a busy year grows wider
COLUMN_GAP = 9


def _square(x: float, y: float, entry: Entry) -> str:
    when = entry.date or "undated"
    tip = f"{when} · {entry.type} · {entry.summary}"
    href = f"#{entry.id}"
    return (
        f'<a href="{escape(href)}"><rect x="{x:.1f}" y="{y:.1f}" width="{BOX}" height="{BOX}" '
        f'fill="{COLOURS.get(entry.type, "#555")}"><title>{escape(tip)}</title></rect></a>'
    )


def _columns(
    labels: list[str], stacks: list[list[Entry]], top: float, title: str, breaks: set[int]
) -> tuple[list[str], float, float]:
    """One panel: a block of squares per label, at most MAX_ROWS high (a busy year grows wider, not
    taller), bottom-aligned on a baseline, with the labels below. Returns the parts, the y below the
    panel and its width."""
    rows = min(MAX_ROWS, max((len(s) for s in stacks), default=1))
    base = top + 22 + max(rows, 1) * (BOX + GAP)
    parts = [f'<text x="{LEFT}" y="{top + 12:.0f}" class="panel">{escape(title)}</text>']
    x = float(LEFT)
    for i, (label, stack) in enumerate(zip(labels, stacks, strict=True)):
        if i in breaks:  # years without events between this column and the previous one
            parts.append(f'<text x="{x - 2:.1f}" y="{base + 4:.1f}" class="gap">⋯</text>')
            x += 8
        wide = max(1, -(-len(stack) // MAX_ROWS))
        for j, entry in enumerate(stack):
            col, row = divmod(j, MAX_ROWS)
            parts.append(_square(x + col * (BOX + GAP), base - (row + 1) * (BOX + GAP), entry))
        parts.append(
            f'<text x="{x + 2:.1f}" y="{base + 10:.1f}" class="tick" '
            f'transform="rotate(60 {x + 2:.1f} {base + 10:.1f})">{escape(label)}</text>'
        )
        x += wide * (BOX + GAP) + COLUMN_GAP
    parts.append(f'<line x1="{LEFT - 4}" y1="{base:.1f}" x2="{x:.1f}" y2="{base:.1f}" class="axis"/>')
    return parts, base + 50, x


def svg(entries: list[Entry]) -> str:
    """The chart of these entries as an SVG document (empty string when no entry has a date)."""
    dated = [e for e in entries if interval(e.date)]
    if not dated:
        return ""
    by_year: dict[int, list[Entry]] = defaultdict(list)
    for entry in dated:
        by_year[interval(entry.date)[0].year].append(entry)  # type: ignore[index]
    years = sorted(by_year)
    breaks = {i for i in range(1, len(years)) if years[i] - years[i - 1] > 1}
    title = "Events per year (years without events left out)"
    parts, y, width = _columns([str(y) for y in years], [by_year[y] for y in years], 4, title, breaks)
    dense = sorted(sorted(by_year, key=lambda y: len(by_year[y]), reverse=True)[:2])
    labels, stacks = [], []
    for year in dense:
        months: dict[int, list[Entry]] = defaultdict(list)
        for entry in by_year[year]:
            if granularity_of(entry.date or "") in ("day", "month"):
                months[interval(entry.date)[0].month].append(entry)  # type: ignore[index]
        for month in range(1, 13):
            labels.append(f"{MONTHS[month]} {year}")
            stacks.append(months.get(month, []))
    more, y, width2 = _columns(labels, stacks, y, f"Month by month: {', '.join(map(str, dense))}", set())
    parts += more
    legend_y = y + 4
    x = LEFT
    for kind, colour in COLOURS.items():
        parts.append(f'<rect x="{x}" y="{legend_y:.0f}" width="{BOX}" height="{BOX}" fill="{colour}"/>')
        parts.append(f'<text x="{x + BOX + 3}" y="{legend_y + BOX:.0f}" class="tick">{escape(kind)}</text>')
        x += 14 + 7 * len(kind)
    width = max(width, width2, x) + 20
    height = legend_y + 24
    style = (
        "<style>.panel{font:bold 13px sans-serif}.tick{font:10px sans-serif}"
        ".gap{font:bold 12px sans-serif;fill:#999}.axis{stroke:#333;stroke-width:1}</style>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="Timeline chart">'
        f"{style}{''.join(parts)}</svg>"
    )
