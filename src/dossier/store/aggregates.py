"""Read-only summaries the explorer shows that the store's row readers do not give: per-entity
mentions over time, who appears with whom, articles per day per outlet, an article's annotations.

Plain functions over a :class:`Store`; a second backend provides the same functions with the same
results. Every function returns lists and dicts of plain values.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from dossier.store.in_list import in_lists

if TYPE_CHECKING:
    from dossier.store.sqlite import Store


def entity_names(store: Store) -> dict[str, dict[str, Any]]:
    """Every entity id the store knows — from the entity table, and from mentions whose entity has no
    row yet — with its display name, type and mention count."""
    out: dict[str, dict[str, Any]] = {}
    for row in store.conn.execute("SELECT id, name, type FROM entities"):
        out[row["id"]] = {"id": row["id"], "name": row["name"], "type": row["type"], "mentions": 0}
    rows = store.conn.execute(
        "SELECT entity_id, MIN(type) AS type, MAX(name) AS name, COUNT(*) AS n FROM mentions"
        " GROUP BY entity_id"
    ).fetchall()
    for row in rows:
        ent = out.get(row["entity_id"])
        if ent is None:
            surface = store.conn.execute(
                "SELECT text, COUNT(*) AS n FROM mentions WHERE entity_id = ? GROUP BY text"
                " ORDER BY n DESC, text LIMIT 1",
                (row["entity_id"],),
            ).fetchone()
            name = row["name"] or (surface["text"] if surface else row["entity_id"])
            ent = out[row["entity_id"]] = {
                "id": row["entity_id"],
                "name": name,
                "type": row["type"],
                "mentions": 0,
            }
        ent["mentions"] = row["n"]
    return out


def entity_row(store: Store, entity_id: str) -> dict[str, Any] | None:
    """The entity's stored row (aliases decoded), or a row made from its mentions, or None."""
    row = store.conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is not None:
        ent = dict(row)
        ent["aliases"] = json.loads(ent["aliases"] or "[]")
        return ent
    names = store.conn.execute(
        # one row per surface text on both backends (PostgreSQL takes no bare columns beside GROUP BY)
        "SELECT text, MIN(type) AS type, MAX(name) AS name, COUNT(*) AS n FROM mentions WHERE entity_id = ?"
        " GROUP BY text ORDER BY n DESC, text",
        (entity_id,),
    ).fetchall()
    if not names:
        return None
    return {
        "id": entity_id,
        "type": names[0]["type"],
        "name": names[0]["name"] or names[0]["text"],
        "wikidata": None,
        "aliases": [r["text"] for r in names],
        "origin": "mentions",
        "description": None,
    }


def entity_mentions_by_month(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """[{month: YYYY-MM or 'undated', mentions, articles}] for one entity, by the articles' dates."""
    # PostgreSQL sorts by an output column only by its bare name: the comparison needs the subquery
    rows = store.conn.execute(
        "SELECT * FROM (SELECT COALESCE(substr(a.published, 1, 7), 'undated') AS month, COUNT(*) AS mentions,"
        " COUNT(DISTINCT a.id) AS articles FROM mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.entity_id = ? GROUP BY month) AS by_month ORDER BY month = 'undated', month",
        (entity_id,),
    )
    return [dict(r) for r in rows]


def entity_articles(store: Store, entity_id: str, limit: int = 200) -> list[dict[str, Any]]:
    """The articles that mention an entity, newest first, with how often they do."""
    rows = store.conn.execute(
        "SELECT a.id, a.title, a.published, a.outlet, s.uri AS source_uri, COUNT(*) AS mentions"
        " FROM mentions m JOIN articles a ON a.id = m.article_id JOIN sources s ON s.id = a.source_id"
        " WHERE m.entity_id = ? GROUP BY a.id, s.uri ORDER BY a.published IS NULL, a.published DESC LIMIT ?",
        (entity_id, limit),
    )
    return [dict(r) for r in rows]


def entity_quotes(store: Store, entity_id: str, limit: int = 200) -> list[dict[str, Any]]:
    """What the entity said: quotes whose speaker is it, with their articles."""
    rows = store.conn.execute(
        "SELECT q.id, q.text, q.speaker_text, q.kind, q.line, a.id AS article, a.title, a.published,"
        " s.uri AS source_uri FROM quotes q JOIN articles a ON a.id = q.article_id"
        " JOIN sources s ON s.id = a.source_id WHERE q.speaker = ?"
        " ORDER BY a.published IS NULL, a.published, q.line LIMIT ?",
        (entity_id, limit),
    )
    return [dict(r) for r in rows]


_SENTENCE_ENTITIES = """
    SELECT DISTINCT m.article_id AS a, s.idx AS i, m.entity_id AS e
    FROM mentions m JOIN sentences s
      ON s.article_id = m.article_id AND m.start >= s.start AND m.start < s."end"
"""


def cooccurrence(store: Store) -> Counter[tuple[str, str]]:
    """How many sentences name both entities, for every pair (ids in sorted order) that share one."""
    pairs: Counter[tuple[str, str]] = Counter()
    by_sentence: dict[tuple[str, int], set[str]] = {}
    for row in store.conn.execute(_SENTENCE_ENTITIES):
        by_sentence.setdefault((row["a"], row["i"]), set()).add(row["e"])
    for ents in by_sentence.values():
        ordered = sorted(ents)
        for x in range(len(ordered)):
            for y in range(x + 1, len(ordered)):
                pairs[(ordered[x], ordered[y])] += 1
    return pairs


def coverage(store: Store) -> list[dict[str, Any]]:
    """Articles per publication date per outlet: [{date, outlet, articles}], dates as stored (a day,
    a month or a year), undated articles under date None, unknown outlets under outlet None."""
    rows = store.conn.execute(
        "SELECT published AS date, outlet, COUNT(*) AS articles FROM articles"
        " GROUP BY published, outlet ORDER BY published IS NULL, published, outlet"
    )
    return [dict(r) for r in rows]


def outlets(store: Store) -> list[str]:
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY 1"
        )
    ]


def article_annotations(store: Store, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """One article's mentions, time expressions, quotes, event and claim mentions, by offset."""
    c = store.conn
    return {
        "mentions": [
            dict(r)
            for r in c.execute(
                'SELECT entity_id AS entity, type, line, start, "end", text, name FROM mentions'
                " WHERE article_id = ? ORDER BY start",
                (article_id,),
            )
        ],
        "times": [
            dict(r)
            for r in c.execute(
                'SELECT line, start, "end", text, value, value_end, granularity, basis FROM times'
                " WHERE article_id = ? ORDER BY start",
                (article_id,),
            )
        ],
        "quotes": [
            dict(r)
            for r in c.execute(
                'SELECT id, speaker, speaker_text, text, kind, start, "end", line, end_line FROM quotes'
                " WHERE article_id = ? ORDER BY start",
                (article_id,),
            )
        ],
        "events": [
            {**dict(r), "participants": json.loads(r["participants"])}
            for r in c.execute(
                "SELECT sentence, line, type, date, date_end, participants, place, summary, text"
                " FROM event_mentions WHERE article_id = ? ORDER BY sentence",
                (article_id,),
            )
        ],
        "claims": [
            {**dict(r), "holders": json.loads(r["holders"])}
            for r in c.execute(
                "SELECT sentence, line, stance, proposition, key, holders, text FROM claim_mentions"
                " WHERE article_id = ? ORDER BY sentence",
                (article_id,),
            )
        ],
    }


def article_summaries(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title, date, outlet and source of the named articles."""
    out: dict[str, dict[str, Any]] = {}
    for chunk, marks in in_lists(ids, 500):
        for r in store.conn.execute(
            "SELECT a.id, a.title, a.published, a.outlet, s.uri AS source_uri FROM articles a"
            f" JOIN sources s ON s.id = a.source_id WHERE a.id IN ({marks})",
            chunk,
        ):
            out[r["id"]] = dict(r)
    return out


def list_articles(store: Store, limit: int = 100, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """(how many articles, one page of them newest first)."""
    total = store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    rows = store.conn.execute(
        "SELECT a.id, a.title, a.published, a.outlet, s.uri AS source_uri FROM articles a"
        " JOIN sources s ON s.id = a.source_id ORDER BY a.published IS NULL, a.published DESC, a.id"
        " LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return total, [dict(r) for r in rows]


def entity_list(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """The stored entities, most mentioned first (by the count the entities stage keeps), then by
    name: [{id, name, type, mentions}], ``limit`` of them (all when None). Read from the entity table
    alone, so its cost grows with the entities, not with the mentions."""
    rows = store.conn.execute(
        "SELECT id, name, type, mention_count AS mentions FROM entities ORDER BY mention_count DESC, name"
        + (" LIMIT ?" if limit is not None else ""),
        (limit,) if limit is not None else (),
    )
    return [dict(r) for r in rows]


def entity_refs(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Name and type of the named entities: from the entity table, else (an id no row has yet) from
    its mentions, as :func:`entity_names` gives them. Ids the store does not know are left out."""
    wanted = sorted(set(ids))
    out: dict[str, dict[str, Any]] = {}
    for part, marks in in_lists(wanted, 500):
        for r in store.conn.execute(f"SELECT id, name, type FROM entities WHERE id IN ({marks})", part):
            out[r["id"]] = {"id": r["id"], "name": r["name"], "type": r["type"]}
    for entity_id in wanted:
        if entity_id in out:
            continue
        row = store.conn.execute(
            "SELECT MIN(type) AS type, MAX(name) AS name FROM mentions WHERE entity_id = ?", (entity_id,)
        ).fetchone()
        if row is None or row["type"] is None:
            continue
        surface = store.conn.execute(
            "SELECT text, COUNT(*) AS n FROM mentions WHERE entity_id = ? GROUP BY text"
            " ORDER BY n DESC, text LIMIT 1",
            (entity_id,),
        ).fetchone()
        name = row["name"] or (surface["text"] if surface else entity_id)
        out[entity_id] = {"id": entity_id, "name": name, "type": row["type"]}
    return out
