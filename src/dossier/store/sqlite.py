"""The embedded store: one SQLite file in WAL mode.

Writes go through :meth:`Store.save`, one transaction per source, so a crash mid-build leaves the
store as it was before that source. Reads return plain dicts shaped like the export contract.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dossier.models import Article, EventMention, ProcessedSource, Source, TimeExpr, stable_id
from dossier.store import bulk_indexes, event_pages, search_index
from dossier.store.backend import connect, normalise
from dossier.store.schema import INSERTION_ORDER, MIGRATIONS, ddl_for

_COUNT_QUERIES = {
    "sources": "SELECT COUNT(*) FROM sources WHERE status != 'superseded'",
    "articles": "SELECT COUNT(*) FROM articles",
    "sentences": "SELECT COUNT(*) FROM sentences",
    "entities": "SELECT COUNT(*) FROM entities",
    "mentions": "SELECT COUNT(*) FROM mentions",
    "times": "SELECT COUNT(*) FROM times",
    "events": "SELECT COUNT(*) FROM events",
    "quotes": "SELECT COUNT(*) FROM quotes",
    "claims": "SELECT COUNT(*) FROM claims",
}


_ANNOTATION_DELETES = [
    "DELETE FROM mentions WHERE article_id = ?",
    "DELETE FROM times WHERE article_id = ?",
    "DELETE FROM quotes WHERE article_id = ?",
    "DELETE FROM event_mentions WHERE article_id = ?",
    "DELETE FROM claim_mentions WHERE article_id = ?",
]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """The store on one of two backends (:mod:`dossier.store.backend`): a SQLite file (the default) or
    a PostgreSQL database (``postgresql://…``). The SQL is the same on both (``?`` placeholders); only
    some DDL differs (:func:`dossier.store.schema.ddl_for`)."""

    def __init__(self, path: str | Path) -> None:
        target = normalise(path)
        self.conn: Any = connect(target)
        self.dialect = self.conn.dialect
        # a file path for SQLite (its lock and WAL files sit beside it); the URL for PostgreSQL
        self.path: Any = Path(path) if self.dialect == "sqlite" else target
        self._batch_limit = 0  # inside batched(): articles per transaction
        self._batch_open = False
        self._batch_count = 0
        self._migrate()

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        c = self.conn
        c.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {r[0] for r in c.execute("SELECT name FROM _migrations")}
        for name, ddl in MIGRATIONS:
            if name in done:
                continue
            c.execute("BEGIN IMMEDIATE")
            try:
                for statement in ddl_for(name, ddl, self.dialect).split(";"):
                    if statement.strip():
                        c.execute(statement)
                c.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))
                c.execute("COMMIT")
            except Exception:
                c.execute("ROLLBACK")
                raise

    def migrations(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM _migrations ORDER BY name")]

    # -- writes ----------------------------------------------------------------------------------
    def source_state(self, sha256: str) -> dict[str, Any] | None:
        """The stored row for these bytes (without their text), or None."""
        row = self.conn.execute(
            "SELECT id, uri, status, error, version, pipeline_version FROM sources WHERE sha256 = ?",
            (sha256,),
        ).fetchone()
        return dict(row) if row else None

    def start_build(self) -> None:
        """Forget the bytes :meth:`first_in_build` met in an earlier build on this connection."""
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS build_met (sha256 TEXT PRIMARY KEY)")
        self.conn.execute("DELETE FROM build_met")

    def first_in_build(self, sha256: str) -> bool:
        """Whether these bytes are met for the first time since :meth:`start_build` (and remember them).
        Kept in a temporary table of this connection, not in memory: however many files a build
        reads, it holds none of their digests."""
        if self.conn.execute("SELECT 1 FROM build_met WHERE sha256 = ?", (sha256,)).fetchone():
            return False
        self.conn.execute("INSERT INTO build_met (sha256) VALUES (?)", (sha256,))
        return True

    @contextlib.contextmanager
    def batched(self, articles: int = 500) -> Iterator[None]:
        """Group the :meth:`save` calls made inside into transactions of whole sources, each committed
        once it holds about ``articles`` articles, and at the end. Writing many small sources at once
        is much cheaper: a commit writes every page the transaction changed (the search index is not
        among the savings: FTS5 writes a segment at each source's savepoint). A crash loses the sources
        of the open transaction, never part of one: the next build processes them again. Any other
        write commits the open transaction first."""
        self._batch_limit = max(1, articles)
        try:
            yield
        finally:
            self._batch_limit = 0
            self.flush()

    def flush(self) -> None:
        """Commit the sources saved in a :meth:`batched` block so far."""
        if self._batch_open:
            self._batch_open, self._batch_count = False, 0
            self.conn.execute("COMMIT")

    def save(self, done: ProcessedSource, pipeline_version: str) -> None:
        """Write one processed source and everything derived from it, in one transaction (or inside
        the open transaction of a :meth:`batched` block, all or nothing of it).

        Replaces what an earlier run stored for the same bytes. A source whose uri was stored before
        with other bytes becomes a new version; the older versions' articles are removed.
        """
        if self._batch_limit:
            self._save_in_batch(done, pipeline_version)
            return
        with self.batched(1):  # a transaction of its own: a batch of one
            self._save_in_batch(done, pipeline_version)

    def _save_in_batch(self, done: ProcessedSource, pipeline_version: str) -> None:
        """Write one source under a savepoint of the batch's transaction (opened if need be)."""
        c = self.conn
        if self._replaces_stored(done.source) and bulk_indexes.deferred(self):
            bulk_indexes.restore(self)  # the deletes below go through them
        if not self._batch_open:
            c.execute("BEGIN IMMEDIATE")
            self._batch_open = True
        c.execute("SAVEPOINT source")
        try:
            self._write_source(done, pipeline_version)
            c.execute("RELEASE source")
        except BaseException:
            c.execute("ROLLBACK TO source")
            c.execute("RELEASE source")
            raise
        self._batch_count += max(1, len(done.articles))
        if self._batch_count >= self._batch_limit:
            self.flush()

    def _replaces_stored(self, src: Source) -> bool:
        """Whether writing this source deletes stored rows (the same bytes, or a version of its uri)."""
        row = self.conn.execute(
            "SELECT 1 FROM sources WHERE id = ? OR uri = ? LIMIT 1", (src.id, src.uri)
        ).fetchone()
        return row is not None

    def _write_source(self, done: ProcessedSource, pipeline_version: str) -> None:
        src = done.source
        doc = done.document
        c = self.conn
        search_index.unindex_source(c, src.id)
        c.execute("DELETE FROM sources WHERE id = ?", (src.id,))
        # a failed read of a changed file must not throw away the last good version
        older = (
            c.execute(
                "SELECT id, version FROM sources WHERE uri = ? AND status != 'superseded'", (src.uri,)
            ).fetchall()
            if done.status == "ok"
            else []
        )
        prior = c.execute("SELECT MAX(version) FROM sources WHERE uri = ?", (src.uri,)).fetchone()[0]
        version = (prior or 0) + 1
        for row in older:
            search_index.unindex_source(c, row["id"])
            c.execute("DELETE FROM articles WHERE source_id = ?", (row["id"],))
            c.execute(
                "UPDATE sources SET status = 'superseded', text = NULL, column_maps = NULL WHERE id = ?",
                (row["id"],),
            )
        c.execute(
            "INSERT INTO sources (id, uri, sha256, bytes, media_type, encoding, status, error, version,"
            " fetched_from, pipeline_version, ingested_at, text, column_maps)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                src.id,
                src.uri,
                src.sha256,
                src.size,
                src.media_type,
                done.encoding,
                done.status,
                done.error,
                version,
                src.fetched_from,
                pipeline_version,
                _now(),
                doc.text if doc else None,
                json.dumps(doc.column_maps) if doc and doc.column_maps else None,
            ),
        )
        ids = [art.id for art in done.articles]  # a computed property: read once
        c.executemany(
            "INSERT INTO articles (id, source_id, ordinal, start_line, end_line, title,"
            " published, published_time, outlet, original_outlet, authors, translator,"
            " contributors, language, text, offsets, duplicate_of)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    aid,
                    src.id,
                    ordinal,
                    art.start_line,
                    art.end_line,
                    art.title,
                    art.published,
                    art.published_time,
                    art.outlet,
                    art.original_outlet,
                    json.dumps(art.authors, ensure_ascii=False),
                    art.translator,
                    json.dumps(art.contributors, ensure_ascii=False),
                    art.language,
                    art.text,
                    json.dumps(art.offsets.to_json()),
                    art.duplicate_of,
                )
                for ordinal, (aid, art) in enumerate(zip(ids, done.articles, strict=True))
            ],
        )
        # a sentence's text is the article's text between its offsets: only those are stored
        c.executemany(
            'INSERT INTO sentences (article_id, idx, start, "end", line) VALUES (?,?,?,?,?)',
            [
                (aid, s.index, s.start, s.end, s.line)
                for aid, art in zip(ids, done.articles, strict=True)
                for s in art.sentences
            ],
        )
        self._save_annotations(list(zip(ids, done.articles, strict=True)))
        search_index.index_articles(c, done.articles)

    def annotate(self, article: Article) -> None:
        """Replace the stored annotations of one stored article by those ``article`` carries."""
        self.flush()
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            for table in _ANNOTATION_DELETES:
                c.execute(table, (article.id,))
            self._save_annotations([(article.id, article)])
            search_index.refresh_meta(c, article)
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def replace_entities(self, entities: list[dict[str, Any]]) -> None:
        """Store the entity table: every entity the mentions refer to, with its names (and how many
        mentions it has, ``mention_count``, which orders the entity list)."""
        self._replace(
            ["DELETE FROM entities"],
            "INSERT INTO entities (id, type, name, wikidata, aliases, origin, confidence, description,"
            " mention_count) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    e["id"],
                    e["type"],
                    e["name"],
                    e.get("wikidata"),
                    json.dumps(e.get("aliases", []), ensure_ascii=False),
                    e.get("origin", "kb"),
                    e.get("confidence", 1.0),
                    e.get("description"),
                    e.get("mention_count", 0),
                )
                for e in entities
            ],
        )

    def replace_events(self, events: list[dict[str, Any]]) -> None:
        """Store the merged timeline events, each with ``evidence``: [{article, line, text}]."""
        from dossier.store.corpus_io import write_events  # corpus_io builds on this module

        write_events(self, [events])

    def replace_claims(self, claims: list[dict[str, Any]]) -> None:
        """Store the grouped claims, each with ``evidence``: [{article, line, text, stance}]."""
        from dossier.store.corpus_io import write_claims  # corpus_io builds on this module

        write_claims(self, claims)

    def set_duplicates(self, duplicate_of: dict[str, str | None]) -> None:
        """Point each article id at its canonical copy (or None); articles not named are left as they are."""
        self._replace(
            [],
            "UPDATE articles SET duplicate_of = ? WHERE id = ?",
            [(canonical, art) for art, canonical in duplicate_of.items()],
        )

    def relink_entities(self, mapping: dict[str, str]) -> None:
        """Rename entity ids wherever annotations refer to them (mentions, quote speakers, event
        participants and places, claim holders), in one transaction: merged clusters of new entities."""
        self.flush()
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            for old, new in mapping.items():
                c.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (new, old))
                c.execute("UPDATE quotes SET speaker = ? WHERE speaker = ?", (new, old))
                c.execute("UPDATE event_mentions SET place = ? WHERE place = ?", (new, old))
                for table, column in (("event_mentions", "participants"), ("claim_mentions", "holders")):
                    c.execute(
                        f"UPDATE {table} SET {column} = REPLACE({column}, ?, ?) WHERE {column} LIKE ?",
                        (json.dumps(old), json.dumps(new), f"%{json.dumps(old)}%"),
                    )
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def mention_rows(self) -> list[dict[str, Any]]:
        """Every stored mention with all its columns (type, confidence, method, name), article order."""
        rows = self.conn.execute(
            'SELECT article_id AS article, entity_id AS entity, type, line, start, "end", text, confidence,'
            " method, name FROM mentions ORDER BY article_id, start"
        )
        return [dict(r) for r in rows]

    def _replace(
        self,
        deletes: list[str],
        insert: str,
        rows: list[tuple[Any, ...]],
        insert2: str = "",
        rows2: list[tuple[Any, ...]] | None = None,
    ) -> None:
        self.flush()
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            for statement in deletes:
                c.execute(statement)
            c.executemany(insert, rows)
            if insert2:
                c.executemany(insert2, rows2 or [])
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def _save_annotations(self, articles: list[tuple[str, Article]]) -> None:
        """Insert the annotations of (article id, article) pairs, one statement per table."""
        c = self.conn
        c.executemany(
            'INSERT INTO mentions (article_id, entity_id, type, line, start, "end", text, confidence, method,'
            " name) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (aid, m.entity_id, m.type, m.line, m.start, m.end, m.text, m.confidence, m.method, m.name)
                for aid, art in articles
                for m in art.mentions
            ],
        )
        self._save_times([(aid, t) for aid, art in articles for t in art.times])
        c.executemany(
            'INSERT INTO quotes (id, article_id, speaker, speaker_text, text, kind, start, "end", line,'
            " end_line) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    stable_id("quo", aid, q.start, q.end),
                    aid,
                    q.speaker,
                    q.speaker_text,
                    q.text,
                    q.kind,
                    q.start,
                    q.end,
                    q.line,
                    q.end_line or q.line,
                )
                for aid, art in articles
                for q in art.quotes
            ],
        )
        self._save_event_mentions([(aid, e) for aid, art in articles for e in art.events])
        c.executemany(
            "INSERT INTO claim_mentions (article_id, sentence, line, stance, proposition, key, holders, text)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [
                (aid, k.sentence, k.line, k.stance, k.proposition, k.key, json.dumps(k.holders), k.text)
                for aid, art in articles
                for k in art.claims
            ],
        )

    def _save_times(self, times: list[tuple[str, TimeExpr]]) -> None:
        self.conn.executemany(
            'INSERT INTO times (article_id, line, start, "end", text, value, value_end, granularity, basis)'
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (aid, t.line, t.start, t.end, t.text, t.value, t.value_end, t.granularity, t.basis)
                for aid, t in times
            ],
        )

    def _save_event_mentions(self, events: list[tuple[str, EventMention]]) -> None:
        self.conn.executemany(
            "INSERT INTO event_mentions (article_id, sentence, line, type, date, date_end, participants,"
            " place, summary, text) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    aid,
                    e.sentence,
                    e.line,
                    e.type,
                    e.date,
                    e.date_end,
                    json.dumps(e.participants),
                    e.place,
                    e.summary,
                    e.text,
                )
                for aid, e in events
            ],
        )

    def replace_times_and_events(
        self, article_id: str, times: list[TimeExpr], events: list[EventMention]
    ) -> None:
        """Replace one stored article's time expressions and event mentions (the events corpus stage
        re-dates an undated article), leaving its other annotations as they are."""
        self.flush()
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            c.execute("DELETE FROM times WHERE article_id = ?", (article_id,))
            c.execute("DELETE FROM event_mentions WHERE article_id = ?", (article_id,))
            self._save_times([(article_id, t) for t in times])
            self._save_event_mentions([(article_id, e) for e in events])
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def set_build_state(self, key: str, value: str | None) -> None:
        """Remember ``value`` under ``key`` (None forgets it), committed at once."""
        if value is None:
            self.conn.execute("DELETE FROM build_state WHERE key = ?", (key,))
        else:
            self.conn.execute(
                "INSERT INTO build_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def build_state(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM build_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- reads -----------------------------------------------------------------------------------
    def sources(self) -> list[dict[str, Any]]:
        rows = self.conn.stream(
            "SELECT id, uri, sha256, bytes, media_type, encoding, status, error, version, fetched_from,"
            " ingested_at FROM sources ORDER BY uri, version"
        )
        return [dict(r) for r in rows]

    def source_lines(self, source_id: str) -> list[str]:
        row = self.conn.execute("SELECT text FROM sources WHERE id = ?", (source_id,)).fetchone()
        return row["text"].split("\n") if row and row["text"] is not None else []

    def _group_concat(self, expr: str) -> str:
        """SQL joining ``expr`` over a group with commas, in this store's dialect."""
        return f"GROUP_CONCAT({expr})" if self.dialect == "sqlite" else f"STRING_AGG({expr}, ',')"

    def _article(self, row: Any) -> dict[str, Any]:
        art = dict(row)
        art["authors"] = json.loads(art["authors"])
        art["contributors"] = json.loads(art["contributors"])
        art["offsets"] = json.loads(art["offsets"])
        return art

    def articles(self) -> Iterator[dict[str, Any]]:
        """Every current article in chronological order (undated last), with its source's uri."""
        rows = self.conn.stream(
            "SELECT a.*, s.uri AS source_uri FROM articles a JOIN sources s ON s.id = a.source_id"
            " ORDER BY a.published IS NULL, a.published, a.published_time, s.uri, a.ordinal"
        )
        for row in rows:
            yield self._article(row)

    def article(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT a.*, s.uri AS source_uri FROM articles a JOIN sources s ON s.id = a.source_id"
            " WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return self._article(row) if row else None

    def sentences(self, article_id: str) -> list[dict[str, Any]]:
        """The article's sentences in order: idx, start, end, line and text (its article's text between
        start and end, which is all the store keeps of it)."""
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return []
        text = row[0]
        rows = self.conn.execute(
            'SELECT idx, start, "end", line FROM sentences WHERE article_id = ? ORDER BY idx', (article_id,)
        )
        return [{**dict(r), "text": text[r["start"] : r["end"]]} for r in rows]

    def entities(self) -> list[dict[str, Any]]:
        return list(self.iter_entities())

    def iter_entities(self) -> Iterator[dict[str, Any]]:
        """Every entity by name, with its aliases, how many mentions it has and the articles they are
        in (counted from the mentions, one entity at a time)."""
        for r in self.conn.stream("SELECT * FROM entities ORDER BY name"):
            ent = dict(r)
            ent["aliases"] = json.loads(ent["aliases"])
            ids = self.conn.execute(
                f"SELECT COUNT(*), {self._group_concat('DISTINCT article_id')} FROM mentions"
                " WHERE entity_id = ?",
                (ent["id"],),
            ).fetchone()
            ent["mention_count"] = ids[0]
            ent["articles"] = sorted(ids[1].split(",")) if ids[1] else []
            yield ent

    def mentions(self) -> list[dict[str, Any]]:
        return list(self.iter_mentions())

    def iter_mentions(self) -> Iterator[dict[str, Any]]:
        rows = self.conn.stream(
            'SELECT entity_id AS entity, article_id AS article, line, start, "end", text FROM mentions'
            " ORDER BY article_id, start"
        )
        return (dict(r) for r in rows)

    def times(self) -> list[dict[str, Any]]:
        return list(self.iter_times())

    def iter_times(self) -> Iterator[dict[str, Any]]:
        rows = self.conn.stream(
            "SELECT article_id AS article, line, text, value, value_end, granularity, basis FROM times"
            " ORDER BY article_id, start"
        )
        return (dict(r) for r in rows)

    def events(self) -> list[dict[str, Any]]:
        return list(self.iter_events())

    def iter_events(self) -> Iterator[dict[str, Any]]:
        """Every event by date (undated last), with its participants and its evidence in the order it
        was written; read a page at a time (:mod:`dossier.store.event_pages`)."""
        return event_pages.events(self, order="stored")

    def quotes(self) -> list[dict[str, Any]]:
        """Quotations and statements of canonical articles: a near-verbatim copy's quotes are its
        canonical copy's, and are not listed twice."""
        return list(self.iter_quotes())

    def iter_quotes(self) -> Iterator[dict[str, Any]]:
        rows = self.conn.stream(
            "SELECT q.id, q.speaker, q.speaker_text, q.text, q.article_id AS article, q.line, q.end_line,"
            ' q.kind, q.start, q."end" FROM quotes q JOIN articles a ON a.id = q.article_id'
            " WHERE a.duplicate_of IS NULL ORDER BY q.article_id, q.start"
        )
        return (dict(r) for r in rows)

    def event_mentions(self) -> list[dict[str, Any]]:
        """Every stored event mention (``participants`` decoded), in article and sentence order."""
        rows = self.conn.execute(
            "SELECT article_id AS article, sentence, line, type, date, date_end, participants, place,"
            " summary, text FROM event_mentions ORDER BY article_id, sentence"
        )
        return [{**dict(r), "participants": json.loads(r["participants"])} for r in rows]

    def claim_mentions(self) -> list[dict[str, Any]]:
        """Every stored claim mention (``holders`` decoded), in article and sentence order."""
        rows = self.conn.execute(
            "SELECT article_id AS article, sentence, line, stance, proposition, key, holders, text"
            " FROM claim_mentions ORDER BY article_id, sentence"
        )
        return [{**dict(r), "holders": json.loads(r["holders"])} for r in rows]

    def claims(self) -> list[dict[str, Any]]:
        return list(self.iter_claims())

    def iter_claims(self) -> Iterator[dict[str, Any]]:
        for r in self.conn.stream("SELECT * FROM claims ORDER BY id"):
            clm = dict(r)
            clm["asserted_by"] = json.loads(clm["asserted_by"])
            clm["denied_by"] = json.loads(clm["denied_by"])
            clm["evidence"] = [
                dict(e)
                for e in self.conn.execute(
                    "SELECT article_id AS article, line, text, stance FROM claim_evidence WHERE claim_id = ?"
                    f" ORDER BY {INSERTION_ORDER[self.dialect]}",
                    (clm["id"],),
                )
            ]
            yield clm

    def counts(self) -> dict[str, int]:
        out = {name: self.conn.execute(sql).fetchone()[0] for name, sql in _COUNT_QUERIES.items()}
        by_status = self.conn.execute("SELECT status, COUNT(*) FROM sources GROUP BY status").fetchall()
        for status, n in by_status:
            out[f"sources_{status}"] = n
        return out

    def failures(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT uri, error, ingested_at FROM sources WHERE status = 'error' ORDER BY uri"
        )
        return [dict(r) for r in rows]
