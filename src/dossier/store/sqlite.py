"""The embedded store: one SQLite file in WAL mode.

Writes go through :meth:`Store.save`, one transaction per source, so a crash mid-build leaves the
store as it was before that source. Reads return plain dicts shaped like the export contract.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dossier.errors import DossierError
from dossier.models import ProcessedSource
from dossier.store.schema import MIGRATIONS

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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise DossierError("E009", path=self.path, reason=exc) from exc
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA synchronous=NORMAL")
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
                for statement in ddl.split(";"):
                    if statement.strip():
                        c.execute(statement)
                c.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))
                c.execute("COMMIT")
            except sqlite3.Error:
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

    def save(self, done: ProcessedSource, pipeline_version: str) -> None:
        """Write one processed source and everything derived from it, in one transaction.

        Replaces what an earlier run stored for the same bytes. A source whose uri was stored before
        with other bytes becomes a new version; the older versions' articles are removed.
        """
        src = done.source
        doc = done.document
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
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
            for ordinal, art in enumerate(done.articles):
                c.execute(
                    "INSERT INTO articles (id, source_id, ordinal, start_line, end_line, title,"
                    " published, published_time, outlet, original_outlet, authors, translator,"
                    " contributors, language, text, offsets, duplicate_of)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        art.id,
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
                    ),
                )
                c.executemany(
                    'INSERT INTO sentences (article_id, idx, start, "end", line, text) VALUES (?,?,?,?,?,?)',
                    [(art.id, s.index, s.start, s.end, s.line, s.text) for s in art.sentences],
                )
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    # -- reads -----------------------------------------------------------------------------------
    def sources(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT id, uri, sha256, bytes, media_type, encoding, status, error, version, fetched_from,"
            " ingested_at FROM sources ORDER BY uri, version"
        )
        return [dict(r) for r in rows]

    def source_lines(self, source_id: str) -> list[str]:
        row = self.conn.execute("SELECT text FROM sources WHERE id = ?", (source_id,)).fetchone()
        return row["text"].split("\n") if row and row["text"] is not None else []

    def _article(self, row: sqlite3.Row) -> dict[str, Any]:
        art = dict(row)
        art["authors"] = json.loads(art["authors"])
        art["contributors"] = json.loads(art["contributors"])
        art["offsets"] = json.loads(art["offsets"])
        return art

    def articles(self) -> Iterator[dict[str, Any]]:
        """Every current article in chronological order (undated last), with its source's uri."""
        rows = self.conn.execute(
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
        rows = self.conn.execute(
            'SELECT idx, start, "end", line, text FROM sentences WHERE article_id = ? ORDER BY idx',
            (article_id,),
        )
        return [dict(r) for r in rows]

    def entities(self) -> list[dict[str, Any]]:
        out = []
        for r in self.conn.execute("SELECT * FROM entities ORDER BY name"):
            ent = dict(r)
            ent["aliases"] = json.loads(ent["aliases"])
            ids = self.conn.execute(
                "SELECT COUNT(*), GROUP_CONCAT(DISTINCT article_id) FROM mentions WHERE entity_id = ?",
                (ent["id"],),
            ).fetchone()
            ent["mention_count"] = ids[0]
            ent["articles"] = sorted(ids[1].split(",")) if ids[1] else []
            out.append(ent)
        return out

    def mentions(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            'SELECT entity_id AS entity, article_id AS article, line, start, "end", text FROM mentions'
            " ORDER BY article_id, start"
        )
        return [dict(r) for r in rows]

    def times(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT article_id AS article, line, text, value, granularity, basis FROM times"
            " ORDER BY article_id, start"
        )
        return [dict(r) for r in rows]

    def events(self) -> list[dict[str, Any]]:
        out = []
        for r in self.conn.execute("SELECT * FROM events ORDER BY date IS NULL, date, id"):
            evt = dict(r)
            evt["participants"] = json.loads(evt["participants"])
            evt["evidence"] = [
                dict(e)
                for e in self.conn.execute(
                    "SELECT article_id AS article, line, text FROM event_evidence WHERE event_id = ?",
                    (evt["id"],),
                )
            ]
            out.append(evt)
        return out

    def quotes(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT id, speaker, speaker_text, text, article_id AS article, line FROM quotes ORDER BY id"
        )
        return [dict(r) for r in rows]

    def claims(self) -> list[dict[str, Any]]:
        out = []
        for r in self.conn.execute("SELECT * FROM claims ORDER BY id"):
            clm = dict(r)
            clm["asserted_by"] = json.loads(clm["asserted_by"])
            clm["denied_by"] = json.loads(clm["denied_by"])
            clm["evidence"] = [
                dict(e)
                for e in self.conn.execute(
                    "SELECT article_id AS article, line, text FROM claim_evidence WHERE claim_id = ?",
                    (clm["id"],),
                )
            ]
            out.append(clm)
        return out

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
