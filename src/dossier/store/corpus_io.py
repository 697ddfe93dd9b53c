"""What the corpus stages read and write shard by shard, so that none of them loads the corpus.

The corpus stages (duplicates, entities, events, claims) work on keys: event mentions by type and
date, duplicate candidates by LSH band, new entities by blocking key. These functions read one key's
rows at a time and write results in one transaction, on the store's connection (portable SQL with
``?`` placeholders).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dossier.store.sqlite import Store


@contextlib.contextmanager
def transaction(store: Store) -> Iterator[None]:
    """One write transaction on the store's connection: committed at the end, rolled back on error."""
    c = store.conn
    c.execute("BEGIN IMMEDIATE")
    try:
        yield
        c.execute("COMMIT")
    except BaseException:
        c.execute("ROLLBACK")
        raise


def person_ids(store: Store) -> set[str]:
    """The ids of the entities some mention calls a person."""
    return {r[0] for r in store.conn.execute("SELECT DISTINCT entity_id FROM mentions WHERE type = 'person'")}


def event_dates(store: Store) -> list[tuple[str, str]]:
    """Every distinct (type, date) of the dated event mentions of canonical articles."""
    rows = store.conn.execute(
        "SELECT DISTINCT m.type, m.date FROM event_mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE a.duplicate_of IS NULL AND m.date IS NOT NULL ORDER BY m.type, m.date"
    )
    return [(r[0], r[1]) for r in rows]


def event_mentions_of(store: Store, kind: str, dates: list[str]) -> list[dict[str, Any]]:
    """The event mentions of canonical articles of one type and one of ``dates`` (a shard)."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(dates), 500):  # bounded parameter lists
        part = dates[start : start + 500]
        rows = store.conn.execute(
            "SELECT m.article_id AS article, m.sentence, m.line, m.type, m.date, m.date_end,"
            " m.participants, m.place, m.summary, m.text FROM event_mentions m"
            " JOIN articles a ON a.id = m.article_id WHERE a.duplicate_of IS NULL AND m.type = ?"
            f" AND m.date IN ({','.join('?' * len(part))})",
            (kind, *part),
        )
        out.extend({**dict(r), "participants": json.loads(r["participants"])} for r in rows)
    return out


def write_events(store: Store, batches: Iterable[list[dict[str, Any]]]) -> int:
    """Replace the timeline by the events of ``batches`` (shaped as ``Store.replace_events`` takes
    them), written batch by batch in one transaction; returns how many were written."""
    c = store.conn
    written = 0
    with transaction(store):
        c.execute("DELETE FROM event_evidence")
        c.execute("DELETE FROM events")
        for events in batches:
            c.executemany(
                "INSERT INTO events (id, date, date_end, type, summary, participants, place)"
                " VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        e["id"],
                        e.get("date"),
                        e.get("date_end"),
                        e["type"],
                        e.get("summary", ""),
                        json.dumps(e.get("participants", [])),
                        e.get("place"),
                    )
                    for e in events
                ],
            )
            c.executemany(
                "INSERT INTO event_evidence (event_id, article_id, line, text) VALUES (?,?,?,?)",
                [
                    (e["id"], v["article"], v["line"], v["text"])
                    for e in events
                    for v in e.get("evidence", [])
                ],
            )
            written += len(events)
    return written
