"""The timeline: the stored events in chronological order, filtered by entity and dates, with their
evidence; rendered as text for ``dossier timeline`` and grouped by year and month for the HTML page.

The data is computed once (:func:`timeline`) and rendered several ways, as the exports do.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dossier.errors import DossierError
from dossier.store import event_pages
from dossier.store.aggregates import article_summaries
from dossier.store.sqlite import Store
from dossier.timex.values import granularity_of, interval

MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Evidence:
    article: str
    line: int
    text: str
    title: str = ""
    outlet: str | None = None
    published: str | None = None
    source_uri: str = ""


@dataclass
class Entry:
    id: str
    date: str | None
    date_end: str | None
    type: str
    summary: str
    participants: list[tuple[str, str]]  # (entity id, name)
    place: tuple[str, str] | None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def year(self) -> str:
        span = interval(self.date)
        return f"{span[0].year:04d}" if span else "undated"

    @property
    def month(self) -> str:
        """The month heading: the month name for a date with a month, else the precision it has."""
        granularity = granularity_of(self.date or "")
        span = interval(self.date)
        if span and granularity in ("day", "month"):
            return MONTHS[span[0].month]
        return {"quarter": "quarter", "decade": "decade", "century": "century"}.get(granularity or "", "year")


def _bound(value: str | None, end: bool) -> date | None:
    if not value:
        return None
    span = interval(value)
    if span is None:
        raise DossierError("E050", value=value)
    return span[1] if end else span[0]


def timeline(
    store: Store,
    entity: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Entry]:
    """The stored events in chronological order (undated last), each with its participants' names and
    every piece of evidence (article title, outlet, date, source file and line). ``entity`` keeps the
    events that name it (by id, or by a name or alias, compared folded); ``date_from``/``date_to``
    (values of any precision: 2023, 2023-09, 2023-09-13) keep the events whose dates overlap that span;
    ``limit``/``offset`` give one page of them. Filtered and ordered in the store: only the page's
    events, evidence, entities and articles are read."""
    return list(iter_timeline(store, entity, date_from, date_to, limit, offset))


def iter_timeline(
    store: Store,
    entity: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[Entry]:
    """:func:`timeline`, one entry at a time (a page of events is read at a time)."""
    start, stop = _bound(date_from, end=False), _bound(date_to, end=True)
    where = event_pages.EventFilter(
        entities=event_pages.named(store, entity) if entity else None,
        first=start.isoformat() if start else None,
        last=stop.isoformat() if stop else None,
    )
    page: list[dict[str, Any]] = []
    for event in event_pages.events(store, where, "chronological", limit, offset):
        page.append(event)
        if len(page) == 100:
            yield from _entries(store, page)
            page = []
    yield from _entries(store, page)


def _entries(store: Store, events: list[dict[str, Any]]) -> list[Entry]:
    ids = {p for e in events for p in [*e["participants"], e.get("place")] if p}
    entities = event_pages.entity_names(store, ids)
    articles = article_summaries(store, sorted({v["article"] for e in events for v in e["evidence"]}))
    return [_entry(e, entities, articles) for e in events]


def _name(entities: dict[str, dict[str, Any]], entity_id: str) -> str:
    entity = entities.get(entity_id)
    return entity["name"] if entity else entity_id


def _entry(event: dict[str, Any], entities: dict[str, Any], articles: dict[str, Any]) -> Entry:
    evidence = []
    for ev in event["evidence"]:
        art = articles.get(ev["article"], {})
        evidence.append(
            Evidence(
                article=ev["article"],
                line=ev["line"],
                text=ev["text"],
                title=art.get("title", ""),
                outlet=art.get("outlet"),
                published=art.get("published"),
                source_uri=art.get("source_uri", ""),
            )
        )
    evidence.sort(key=lambda e: (e.published or "9999", e.source_uri, e.line))
    place = event.get("place")
    return Entry(
        id=event["id"],
        date=event.get("date"),
        date_end=event.get("date_end"),
        type=event["type"],
        summary=event.get("summary", ""),
        participants=[(p, _name(entities, p)) for p in event["participants"]],
        place=(place, _name(entities, place)) if place else None,
        evidence=evidence,
    )


def grouped(entries: list[Entry]) -> list[tuple[str, list[tuple[str, list[Entry]]]]]:
    """Entries by year, then by month (or "year", "decade" … for dates without a month), in order."""
    years: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        years[entry.year][entry.month].append(entry)
    return [(year, list(months.items())) for year, months in years.items()]


def render_text(entries: list[Entry], evidence_chars: int = 140) -> str:
    """The timeline as plain text: one block per event with its evidence, source file and line."""
    if not entries:
        return "no events\n"
    lines = []
    for entry in entries:
        when = entry.date or "undated"
        if entry.date_end:
            when += f"–{entry.date_end}"
        who = ", ".join(name for _, name in entry.participants) or "—"
        where = f" @ {entry.place[1]}" if entry.place else ""
        lines.append(f"{when:<12} {entry.type:<15} {who}{where}")
        for ev in entry.evidence:
            text = " ".join(ev.text.split())
            if len(text) > evidence_chars:
                text = text[: evidence_chars - 1] + "…"
            origin = f"{ev.source_uri.rsplit('/', 1)[-1]}:{ev.line}"
            lines.append(f"{'':13}- {origin} ({ev.outlet or '?'}, {ev.published or 'undated'}): {text}")
    return "\n".join(lines) + "\n"


def page(store: Store) -> dict[str, Any]:
    """What the HTML timeline page shows: the entries grouped by year and month, and the chart (an
    SVG whose every text is escaped, so it is marked safe for the template). Statements that are not
    news are left out (:mod:`dossier.timeline_select`); ``hidden`` says how many."""
    from markupsafe import Markup

    from dossier.timeline_chart import svg
    from dossier.timeline_select import for_page

    names = {
        r[0]: [r[1], *json.loads(r[2] or "[]")]
        for r in store.conn.execute("SELECT id, name, aliases FROM entities").tuples()
    }
    entries, hidden = for_page(timeline(store), names)
    chart = Markup(svg(entries))
    return {"groups": grouped(entries), "chart": chart, "count": len(entries), "hidden": hidden}
