"""Reads and writes for joining undated event mentions to timeline events (``stages/event_join.py``):
the undated mentions of canonical articles, the events of some types, and added evidence rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dossier.store.corpus_io import ROW_ORDER, _add_evidence, transaction

if TYPE_CHECKING:
    from dossier.store.sqlite import Store


def undated_types(store: Store) -> list[str]:
    """The types of the event mentions without a date of the canonical articles."""
    rows = store.conn.execute(
        "SELECT DISTINCT m.type FROM event_mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE a.duplicate_of IS NULL AND m.date IS NULL ORDER BY m.type"
    )
    return [r[0] for r in rows]


def undated_mentions(
    store: Store, kind: str | None = None, with_text: bool = True
) -> Iterator[dict[str, Any]]:
    """The event mentions without a date of the canonical articles (of one type, or all), in article
    and sentence order, as they are read (at 100,000 articles one type has ~60,000: 17 MB held as a
    list); ``with_text`` False leaves their text out (``text`` is None)."""
    where = " AND m.type = ?" if kind is not None else ""
    rows = store.conn.execute(
        f"SELECT m.article_id AS article, m.sentence, m.line, m.type, m.participants,"
        f" {'m.text' if with_text else 'NULL'} AS text"
        " FROM event_mentions m JOIN articles a ON a.id = m.article_id"
        f" WHERE a.duplicate_of IS NULL AND m.date IS NULL{where}"
        f" ORDER BY m.article_id, m.sentence, m.{ROW_ORDER[store.dialect]}",
        (kind,) if kind is not None else (),
    )
    for r in rows:
        yield {**dict(r), "participants": json.loads(r["participants"])}


def events_of_types(store: Store, types: list[str], with_cited: bool = True) -> list[dict[str, Any]]:
    """The timeline events of the given types: id, type, participants and (``with_cited``) the
    (article, line) pairs they already cite."""
    if not types:
        return []
    marks = ",".join("?" * len(types))
    events = {
        r["id"]: {
            "id": r["id"],
            "type": r["type"],
            "participants": json.loads(r["participants"]),
            "cited": set(),
        }
        for r in store.conn.execute(
            f"SELECT id, type, participants FROM events WHERE type IN ({marks}) ORDER BY id", types
        )
    }
    if with_cited:
        rows = store.conn.execute(
            "SELECT v.event_id, v.article_id, v.line FROM event_evidence v JOIN events e ON e.id = v.event_id"
            f" WHERE e.type IN ({marks})",
            types,
        )
        for event_id, article, line in rows:
            events[event_id]["cited"].add((article, line))
    return list(events.values())


def cites(store: Store, event_id: str, where: tuple[str, int]) -> bool:
    """Whether a stored event cites that (article, line) already."""
    row = store.conn.execute(
        "SELECT 1 FROM event_evidence WHERE event_id = ? AND article_id = ? AND line = ? LIMIT 1",
        (event_id, *where),
    ).fetchone()
    return row is not None


def add_evidence(store: Store, rows: list[dict[str, Any]]) -> None:
    """Add evidence (``event``, ``article``, ``line``, ``text``; a row whose text is None names its
    mention's ``sentence``, whose text is copied) to stored events, in one transaction."""
    if not rows:
        return
    with transaction(store):
        _add_evidence(
            store, [(r["event"], r["article"], r["line"], r["text"], r.get("sentence")) for r in rows]
        )
