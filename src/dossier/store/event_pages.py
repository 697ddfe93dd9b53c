"""Timeline queries that read only what they return: events filtered and ordered in SQL, a page at a
time, with the evidence, participants and articles of that page only.

Filters use the columns the events stage writes for them: ``day_first``/``day_last`` (the first and
last day of an event's date, for chronological order and date spans) and ``event_participants`` (the
participants and place of each event, for entity filters). Used by :mod:`dossier.timeline` (the
``timeline`` command, the HTML export) and the explorer's timeline and entity pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dossier.store.in_list import in_lists
from dossier.store.schema import INSERTION_ORDER
from dossier.vi.text import fold

if TYPE_CHECKING:
    from dossier.store.sqlite import Store

# Each order in two parts, the events with a date and then those without (last), each part ordered as
# an index lists it (events_days, events_date), so that a page is read without sorting every event.
# chronological: by first day, the wider of two dates that start on one day first, then type and id
# (dossier.timex.values.sort_key); "stored": by the date as written, then id (the explorer's order).
ORDERS = {
    "chronological": (
        ("e.day_first IS NOT NULL", "e.day_first, e.day_last DESC, e.type, e.id"),
        ("e.day_first IS NULL", "e.type, e.id"),
    ),
    "stored": (("e.date IS NOT NULL", "e.date, e.id"), ("e.date IS NULL", "e.id")),
}
# a prefix compared with "~" after it, as Python compares strings: by code point on both backends
_BYTES = {"sqlite": "", "postgresql": ' COLLATE "C"'}
_CHUNK = 500


@dataclass
class EventFilter:
    """Which events a query keeps. ``entities``: events any of which takes part in (or is the place
    of); ``first``/``last``: ISO days the event's date span must meet (events without a date span are
    left out when one is given); ``prefix_from``/``prefix_to``: the explorer's filter, dates written
    ``YYYY[-MM[-DD]]`` compared as text with the event's date and end; ``type``: the event type."""

    entities: set[str] | None = None
    first: str | None = None
    last: str | None = None
    prefix_from: str | None = None
    prefix_to: str | None = None
    type: str | None = None

    def where(self, dialect: str) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.entities is not None:
            ids = sorted(self.entities)
            if not ids:
                return "1 = 0", []
            marks = ",".join("?" * len(ids))
            clauses.append(f"e.id IN (SELECT event_id FROM event_participants WHERE entity_id IN ({marks}))")
            params.extend(ids)
        if self.first or self.last:
            clauses.append("e.day_first IS NOT NULL")
        if self.first:
            clauses.append("e.day_last >= ?")
            params.append(self.first)
        if self.last:
            clauses.append("e.day_first <= ?")
            params.append(self.last)
        if self.prefix_from or self.prefix_to:
            clauses.append("e.date IS NOT NULL")
            text = _BYTES[dialect]
            if self.prefix_to:
                clauses.append(f"e.date{text} <= (? || '~'){text}")
                params.append(self.prefix_to)
            if self.prefix_from:
                clauses.append(f"(COALESCE(e.date_end, e.date) || '~'){text} >= ?{text}")
                params.append(self.prefix_from)
        if self.type:
            clauses.append("e.type = ?")
            params.append(self.type)
        return " AND ".join(clauses) or "1 = 1", params


def events(
    store: Store,
    where: EventFilter | None = None,
    order: str = "chronological",
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[dict[str, Any]]:
    """The events ``where`` keeps, in ``order`` (a key of :data:`ORDERS`), ``limit`` of them from
    ``offset`` (all when None), each with its ``participants`` decoded and its ``evidence`` (article,
    line, text, in the order it was written). Rows are streamed; evidence is read ``_CHUNK`` events
    at a time."""
    clause, params = (where or EventFilter()).where(store.dialect)
    chunk: list[Any] = []
    skipped = 0  # rows of the first part that the offset passed over
    for part, (condition, order_by) in enumerate(ORDERS[order]):
        sql = (
            "SELECT e.id, e.date, e.date_end, e.type, e.summary, e.participants, e.place FROM events e"
            f" WHERE {clause} AND {condition} ORDER BY {order_by}"
        )
        start = offset if part == 0 else max(0, offset - skipped)
        if part == 1 and offset:
            # the second part starts after all of the first: how many the offset took from it
            first = ORDERS[order][0][0]
            skipped = int(
                store.conn.execute(
                    f"SELECT COUNT(*) FROM events e WHERE {clause} AND {first}", params
                ).fetchone()[0]
            )
            start = max(0, offset - skipped)
        if limit is not None:
            rows: Iterable[Any] = store.conn.execute(sql + " LIMIT ? OFFSET ?", (*params, limit, start))
        else:
            skip = (" LIMIT -1" if store.dialect == "sqlite" else "") + " OFFSET ?"  # SQLite needs a LIMIT
            rows = store.conn.stream(sql + skip, (*params, start))
        for row in rows:
            chunk.append(row)
            if limit is not None:
                limit -= 1
            if len(chunk) == _CHUNK:
                yield from _with_evidence(store, chunk)
                chunk = []
        if limit is not None and limit <= 0:
            break
    yield from _with_evidence(store, chunk)


def _with_evidence(store: Store, rows: list[Any]) -> Iterator[dict[str, Any]]:
    evidence = evidence_of(store, [r["id"] for r in rows])
    for r in rows:
        yield {
            **dict(r),
            "participants": json.loads(r["participants"]),
            "evidence": evidence.get(r["id"], []),
        }


def count(store: Store, where: EventFilter | None = None) -> int:
    """How many events ``where`` keeps."""
    clause, params = (where or EventFilter()).where(store.dialect)
    return int(store.conn.execute(f"SELECT COUNT(*) FROM events e WHERE {clause}", params).fetchone()[0])


def evidence_of(store: Store, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each event's evidence (article, line, text) in the order it was written."""
    out: dict[str, list[dict[str, Any]]] = {}
    for part, marks in in_lists(event_ids, _CHUNK):
        rows = store.conn.execute(
            "SELECT event_id, article_id AS article, line, text FROM event_evidence"
            f" WHERE event_id IN ({marks})"
            f" ORDER BY event_id, {INSERTION_ORDER[store.dialect]}",
            part,
        )
        for r in rows:
            out.setdefault(r["event_id"], []).append(
                {"article": r["article"], "line": r["line"], "text": r["text"]}
            )
    return out


def named(store: Store, wanted: str) -> set[str]:
    """The entity ids ``wanted`` names: itself (an id), and every stored entity whose name or an alias
    is ``wanted`` (compared without case and diacritics)."""
    key = fold(wanted.strip())
    out = {wanted}
    for row in store.conn.execute("SELECT id, name, aliases FROM entities").tuples():
        if key in {fold(n) for n in [row[1], *json.loads(row[2] or "[]")]}:
            out.add(row[0])
    return out


def entity_names(store: Store, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The stored rows (id, name, type, aliases decoded) of the named entities."""
    wanted = sorted(set(ids))
    out: dict[str, dict[str, Any]] = {}
    for part, marks in in_lists(wanted, _CHUNK):
        for r in store.conn.execute(
            f"SELECT id, name, type, aliases FROM entities WHERE id IN ({marks})", part
        ):
            out[r["id"]] = {**dict(r), "aliases": json.loads(r["aliases"] or "[]")}
    return out


def involved(store: Store, limit: int) -> list[str]:
    """The ids of the entities that take part in the most events (at most ``limit``)."""
    rows = store.conn.execute(
        "SELECT entity_id, COUNT(*) AS n FROM event_participants GROUP BY entity_id"
        " ORDER BY n DESC, entity_id LIMIT ?",
        (limit,),
    )
    return [r[0] for r in rows]
