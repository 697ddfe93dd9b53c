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
            f" AND m.date IN ({','.join('?' * len(part))})"
            # a content order, the same on every backend (merging breaks ties by input order)
            " ORDER BY m.article_id, m.sentence, m.line, m.date, m.participants, m.place, m.text, m.summary",
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


# -- duplicates: LSH bands and confirmed pairs ----------------------------------------------------------
def unseen_articles(store: Store, batch: int = 200) -> Iterator[list[tuple[str, str]]]:
    """(id, text) of the articles whose LSH bands are not stored yet, ``batch`` at a time (by id, so
    that marking a batch seen while reading the next is safe)."""
    last = ""
    while True:
        rows = store.conn.execute(
            "SELECT a.id, a.text FROM articles a LEFT JOIN dedup_seen s ON s.article_id = a.id"
            " WHERE s.article_id IS NULL AND a.id > ? ORDER BY a.id LIMIT ?",
            (last, batch),
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [(r[0], r[1]) for r in rows]


def add_bands(store: Store, bands: list[tuple[str, list[int] | None]]) -> None:
    """Store the band hashes of a batch of articles (None: too short to compare) and mark them seen."""
    c = store.conn
    c.executemany(
        "INSERT INTO dedup_bands (article_id, band, hash) VALUES (?,?,?)",
        [(art, i, h) for art, hashes in bands if hashes for i, h in enumerate(hashes)],
    )
    c.executemany("INSERT INTO dedup_seen (article_id) VALUES (?)", [(art,) for art, _ in bands])


def band_candidates(store: Store, article_ids: list[str]) -> set[tuple[str, str]]:
    """Pairs (smaller id, larger id) of stored articles sharing a band hash with one of ``article_ids``."""
    out: set[tuple[str, str]] = set()
    for start in range(0, len(article_ids), 500):
        part = article_ids[start : start + 500]
        rows = store.conn.execute(
            "SELECT DISTINCT n.article_id, o.article_id FROM dedup_bands n JOIN dedup_bands o"
            " ON o.band = n.band AND o.hash = n.hash AND o.article_id != n.article_id"
            f" WHERE n.article_id IN ({','.join('?' * len(part))})",
            part,
        )
        out.update((min(a, b), max(a, b)) for a, b in rows)
    return out


def add_pairs(store: Store, pairs: Iterable[tuple[str, str]]) -> None:
    store.conn.executemany(
        "INSERT INTO dedup_pairs (earlier, later) VALUES (?,?) ON CONFLICT DO NOTHING", list(pairs)
    )


def article_text(store: Store, article_id: str) -> str | None:
    row = store.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def duplicate_pairs(store: Store) -> list[tuple[str, str]]:
    """Every confirmed near-verbatim pair."""
    return [(r[0], r[1]) for r in store.conn.execute("SELECT earlier, later FROM dedup_pairs")]


def copy_facts(store: Store, article_ids: list[str]) -> list[dict[str, Any]]:
    """What choosing a canonical copy needs, for the given articles."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(article_ids), 500):
        part = article_ids[start : start + 500]
        rows = store.conn.execute(
            "SELECT a.id, a.published, a.published_time, LENGTH(a.text) AS length, s.uri, a.start_line"
            " FROM articles a JOIN sources s ON s.id = a.source_id"
            f" WHERE a.id IN ({','.join('?' * len(part))})",
            part,
        )
        out.extend(dict(r) for r in rows)
    return out


def current_duplicates(store: Store) -> dict[str, str]:
    """Every article that now points at a canonical copy, and that copy."""
    rows = store.conn.execute("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")
    return {r[0]: r[1] for r in rows}


# -- entities ------------------------------------------------------------------------------------------
def mention_counts(store: Store) -> Iterator[dict[str, Any]]:
    """The mentions counted by (entity, type, surface text, method, confidence), by entity."""
    rows = store.conn.execute(
        "SELECT entity_id AS entity, type, text, method, confidence, COUNT(*) AS n FROM mentions"
        " GROUP BY entity_id, type, text, method, confidence"
        " ORDER BY entity_id, type, text, method, confidence"
    )
    for r in rows:
        yield dict(r)


def entity_ids(store: Store) -> set[str]:
    """The ids of the stored entities."""
    return {r[0] for r in store.conn.execute("SELECT id FROM entities")}


# -- claims and undated articles -----------------------------------------------------------------------
def canonical_claim_mentions(store: Store) -> list[dict[str, Any]]:
    """The keyed claim mentions of canonical articles (``holders`` decoded), with their article's
    ``published`` date, in article and sentence order."""
    rows = store.conn.execute(
        "SELECT m.article_id AS article, m.sentence, m.line, m.stance, m.proposition, m.key, m.holders,"
        " m.text, a.published FROM claim_mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE a.duplicate_of IS NULL AND m.key IS NOT NULL AND m.key != ''"
        " ORDER BY m.article_id, m.sentence"
    )
    return [{**dict(r), "holders": json.loads(r["holders"])} for r in rows]


def has_undated(store: Store) -> bool:
    """Whether some canonical article has no publication date."""
    row = store.conn.execute(
        "SELECT 1 FROM articles WHERE published IS NULL AND duplicate_of IS NULL LIMIT 1"
    ).fetchone()
    return row is not None
