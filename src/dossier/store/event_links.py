"""Reads and writes for joining undated event mentions to timeline events (``stages/event_join.py``):
the undated mentions of canonical articles, the events of some types, and added evidence rows."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from dossier.store.corpus_io import transaction

if TYPE_CHECKING:
    from dossier.store.sqlite import Store


def undated_mentions(store: Store) -> list[dict[str, Any]]:
    """The event mentions without a date of the canonical articles, in article and sentence order."""
    rows = store.conn.execute(
        "SELECT m.article_id AS article, m.sentence, m.line, m.type, m.participants, m.text"
        " FROM event_mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE a.duplicate_of IS NULL AND m.date IS NULL ORDER BY m.article_id, m.sentence"
    )
    return [{**dict(r), "participants": json.loads(r["participants"])} for r in rows]


def events_of_types(store: Store, types: list[str]) -> list[dict[str, Any]]:
    """The timeline events of the given types: id, type, participants and the (article, line) pairs
    they already cite."""
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
    rows = store.conn.execute(
        "SELECT v.event_id, v.article_id, v.line FROM event_evidence v JOIN events e ON e.id = v.event_id"
        f" WHERE e.type IN ({marks})",
        types,
    )
    for event_id, article, line in rows:
        events[event_id]["cited"].add((article, line))
    return list(events.values())


def add_evidence(store: Store, rows: list[dict[str, Any]]) -> None:
    """Add evidence (``event``, ``article``, ``line``, ``text``) to stored events, in one transaction."""
    if not rows:
        return
    with transaction(store):
        store.conn.executemany(
            "INSERT INTO event_evidence (event_id, article_id, line, text) VALUES (?,?,?,?)",
            [(r["event"], r["article"], r["line"], r["text"]) for r in rows],
        )
