"""Search over articles and sentences, insensitive to diacritics, tone placement and case.

The API is backend-neutral: :func:`search` and :func:`search_sentences` take a store, a query as a
user typed it (see :mod:`dossier.store.search_query` for the syntax) and :class:`Filters`, and return
plain dataclasses. The SQLite store answers with FTS5 tables over folded text (migration
``0003_search_fts``), kept in step with the articles by :func:`index_articles` and
:func:`unindex_source`, which :meth:`Store.save` calls inside its transaction.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from dossier.errors import DossierError
from dossier.store.search_query import Query, highlight, parse, score_sentence
from dossier.vi.text import fold, match_key

if TYPE_CHECKING:
    from dossier.models import Article
    from dossier.store.sqlite import Store

SENTENCE_SLOTS = 4096  # sentences per article that are indexed (rowid = map id * 4096 + idx)
EVENT_TYPES = (
    "meeting",
    "visit",
    "agreement",
    "military-test",
    "military-action",
    "statement",
    "accusation",
    "denial",
    "sanction",
    "transfer",
    "cyberattack",
    "other",
)
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_MAX_LIMIT = 200
_ARTICLE_EXACT = "{title_exact body_exact}"
_SENTENCE_EXACT = "{text_exact}"


@dataclass(frozen=True)
class Filters:
    """What narrows a search. Every field is optional; set fields must all hold.

    ``entity`` is an entity id (or a name or alias of one); ``outlet`` an outlet name (compared
    without diacritics or case); ``date_from``/``date_to`` are YYYY, YYYY-MM or YYYY-MM-DD and keep
    articles whose publication date overlaps the range (a month-only date overlaps every day of its
    month); ``event_type`` keeps articles that report an event of that type.
    """

    entity: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    event_type: str | None = None

    def active(self) -> bool:
        return any((self.entity, self.outlet, self.date_from, self.date_to, self.event_type))


Segments = list[tuple[str, bool]]  # text cut into (piece, is_hit) runs


@dataclass
class SentenceHit:
    article_id: str
    idx: int
    line: int
    text: str
    segments: Segments
    score: float = 0.0
    # filled by search_sentences (a sentence found alone needs its article's name)
    title: str = ""
    source_uri: str = ""
    published: str | None = None
    outlet: str | None = None


@dataclass
class ArticleHit:
    article_id: str
    title: str
    title_segments: Segments
    published: str | None
    outlet: str | None
    source_uri: str
    start_line: int
    end_line: int
    score: float
    snippets: list[SentenceHit] = field(default_factory=list)


@dataclass
class Results:
    query: str
    fts: str
    total: int
    hits: list[ArticleHit]
    took_ms: float


@dataclass
class SentenceResults:
    query: str
    fts: str
    hits: list[SentenceHit]
    took_ms: float


class _FoldTable(dict[int, str]):
    """``fold`` one character at a time, remembered: str.translate with it folds at C speed."""

    def __missing__(self, code: int) -> str:
        value = fold(chr(code))
        self[code] = value
        return value


_FOLD = _FoldTable()
_WORDS = re.compile(r"\w+")


def fast_fold(text: str) -> str:
    """The same as :func:`dossier.vi.text.fold` (it folds character by character), much faster."""
    return text.translate(_FOLD)


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return match_key(word)


def exact_words(text: str) -> str:
    """The text's words as :func:`match_key` spells them, space-separated: what the exact columns hold.
    Word by word, remembered: Vietnamese has a few thousand syllables."""
    return " ".join(map(_word_key, _WORDS.findall(text)))


# -- keeping the index in step with the store ---------------------------------------------------------
def index_articles(conn: sqlite3.Connection, articles: Iterable[Article]) -> None:
    """Add articles (with their sentences) to the search tables; replaces what was indexed under the
    same article ids. Runs inside the caller's transaction."""
    for art in articles:
        _index_one(conn, art.id, art.title, art.text, [(s.index, s.text) for s in art.sentences])


def _index_one(
    conn: sqlite3.Connection, article_id: str, title: str | None, text: str, sentences: list[tuple[int, str]]
) -> None:
    _unindex(conn, [article_id])
    key = conn.execute("INSERT INTO search_map (article_id) VALUES (?)", (article_id,)).lastrowid
    assert key is not None
    title = title or ""
    conn.execute(
        "INSERT INTO search_articles (rowid, title, body, title_exact, body_exact) VALUES (?, ?, ?, ?, ?)",
        (key, fast_fold(title), fast_fold(text), exact_words(title), exact_words(text)),
    )
    conn.executemany(
        "INSERT INTO search_sentences (rowid, text, text_exact) VALUES (?, ?, ?)",
        [(key * SENTENCE_SLOTS + idx, fast_fold(t), exact_words(t)) for idx, t in sentences if idx < SENTENCE_SLOTS],
    )


def unindex_source(conn: sqlite3.Connection, source_id: str) -> None:
    """Remove a source's articles from the search tables (before they are deleted)."""
    ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE source_id = ?", (source_id,))]
    _unindex(conn, ids)


def _unindex(conn: sqlite3.Connection, article_ids: list[str]) -> None:
    for article_id in article_ids:
        row = conn.execute("SELECT id FROM search_map WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            continue
        key = row[0]
        conn.execute("DELETE FROM search_articles WHERE rowid = ?", (key,))
        conn.execute(
            "DELETE FROM search_sentences WHERE rowid BETWEEN ? AND ?",
            (key * SENTENCE_SLOTS, key * SENTENCE_SLOTS + SENTENCE_SLOTS - 1),
        )
        conn.execute("DELETE FROM search_map WHERE id = ?", (key,))


def reindex(store: Store) -> int:
    """Rebuild the search tables from the stored articles and sentences; returns the articles indexed.

    Needed once for a store written before the search tables existed; :func:`search` does it by itself
    when it sees articles that are not indexed.
    """
    c = store.conn
    c.execute("BEGIN IMMEDIATE")
    try:
        for table in ("search_articles", "search_sentences", "search_map"):
            c.execute(f"DELETE FROM {table}")
        rows = c.execute("SELECT id, title, text FROM articles").fetchall()
        for row in rows:
            sentences = [(s["idx"], s["text"]) for s in store.sentences(row["id"])]
            _index_one(c, row["id"], row["title"], row["text"], sentences)
        c.execute("COMMIT")
    except BaseException:
        c.execute("ROLLBACK")
        raise
    return len(rows)


def ensure_index(store: Store) -> None:
    """Index the store's articles if some are not indexed yet (a store older than the search tables)."""
    if getattr(store, "_search_checked", False):
        return
    c = store.conn
    n_articles = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    n_indexed = c.execute("SELECT COUNT(*) FROM search_map").fetchone()[0]
    if n_articles != n_indexed:
        reindex(store)
    store._search_checked = True  # type: ignore[attr-defined]


# -- filters -------------------------------------------------------------------------------------------
def _check_date(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    value = value.strip()
    if not _DATE.fullmatch(value):
        raise DossierError("E041", name=name, value=value, reason="expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _entity_ids(conn: sqlite3.Connection, entity: str) -> list[str]:
    """The entity ids meant by an id, a name or an alias (compared without diacritics or case)."""
    if conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity,)).fetchone():
        return [entity]
    if conn.execute("SELECT 1 FROM mentions WHERE entity_id = ? LIMIT 1", (entity,)).fetchone():
        return [entity]
    key = fold(entity.strip())
    out = []
    for row in conn.execute("SELECT id, name, aliases FROM entities"):
        names = [row["name"], *_json_list(row["aliases"])]
        if any(fold(n) == key for n in names):
            out.append(row["id"])
    return out


def _json_list(text: str | None) -> list[str]:
    import json

    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _filter_sql(conn: sqlite3.Connection, filters: Filters) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``a`` (articles) and their parameters; unknown values raise E041."""
    where: list[str] = []
    params: list[Any] = []
    if filters.entity:
        ids = _entity_ids(conn, filters.entity)
        if not ids:
            raise DossierError("E041", name="entity", value=filters.entity, reason="no such entity in the store")
        where.append(f"a.id IN (SELECT article_id FROM mentions WHERE entity_id IN ({','.join('?' * len(ids))}))")
        params.extend(ids)
    if filters.outlet:
        key = fold(filters.outlet.strip())
        outlets = [
            r[0]
            for r in conn.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")
            if fold(r[0]) == key
        ]
        if not outlets:
            raise DossierError("E041", name="outlet", value=filters.outlet, reason="no article from this outlet")
        where.append(f"a.outlet IN ({','.join('?' * len(outlets))})")
        params.extend(outlets)
    date_from = _check_date("from", filters.date_from)
    date_to = _check_date("to", filters.date_to)
    if date_from or date_to:
        # the publication date's span overlaps [from, to]; '~' sorts after digits and '-', so
        # "2023-09~" is the end of September 2023 and of every day in it
        where.append("a.published IS NOT NULL")
        if date_to:
            where.append("a.published <= ?")
            params.append(date_to + "~")
        if date_from:
            where.append("a.published || '~' >= ?")
            params.append(date_from)
    if filters.event_type:
        if filters.event_type not in EVENT_TYPES:
            raise DossierError(
                "E041", name="event_type", value=filters.event_type, reason="expected one of " + ", ".join(EVENT_TYPES)
            )
        where.append(
            "a.id IN (SELECT article_id FROM event_mentions WHERE type = ?"
            " UNION SELECT ev.article_id FROM event_evidence ev JOIN events e ON e.id = ev.event_id"
            " WHERE e.type = ?)"
        )
        params.extend([filters.event_type, filters.event_type])
    return where, params


# -- search --------------------------------------------------------------------------------------------
def _run(conn: sqlite3.Connection, query: Query, sql: str, params: list[Any]) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        # the parser quotes every word, so this is rare; it still must not surface as a crash
        raise DossierError("E040", query=query.text, reason=f"the search index refused it ({exc})") from exc


def _limit(limit: int) -> int:
    return max(1, min(int(limit), _MAX_LIMIT))


def search(
    store: Store, query: str, filters: Filters | None = None, limit: int = 20, offset: int = 0
) -> Results:
    """Articles matching ``query`` and ``filters``, best first (BM25, title words weigh triple), each with
    up to two highlighted sentences that show why it matched. An empty query with filters lists the
    filtered articles newest first. Raises DossierError E040 for a query that cannot be read and E041
    for a filter value that cannot be used."""
    started = time.perf_counter()
    filters = filters or Filters()
    ensure_index(store)
    conn = store.conn
    where, params = _filter_sql(conn, filters)
    limit = _limit(limit)
    offset = max(0, int(offset))
    if not (query or "").strip():
        if not filters.active():
            raise DossierError("E040", query=query or "", reason="there is no word to search for")
        cond = " AND ".join(where)
        total = conn.execute(f"SELECT COUNT(*) FROM articles a WHERE {cond}", params).fetchone()[0]
        rows = conn.execute(
            "SELECT a.id, a.title, a.published, a.outlet, a.start_line, a.end_line, s.uri AS source_uri,"
            " 0.0 AS score FROM articles a JOIN sources s ON s.id = a.source_id"
            f" WHERE {cond} ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        hits = [_article_hit(r, None) for r in rows]
        return Results(query or "", "", total, hits, (time.perf_counter() - started) * 1000)
    parsed = parse(query)
    fts = parsed.fts(_ARTICLE_EXACT)
    cond = "".join(f" AND {w}" for w in where)
    if where:
        count_sql = (
            "SELECT COUNT(*) FROM search_articles f JOIN search_map m ON m.id = f.rowid"
            f" JOIN articles a ON a.id = m.article_id WHERE search_articles MATCH ?{cond}"
        )
    else:
        count_sql = "SELECT COUNT(*) FROM search_articles WHERE search_articles MATCH ?"
    total = _run(conn, parsed, count_sql, [fts, *params])[0][0]
    rows = _run(
        conn,
        parsed,
        "SELECT a.id, a.title, a.published, a.outlet, a.start_line, a.end_line, s.uri AS source_uri,"
        " m.id AS key, bm25(search_articles, 3.0, 1.0, 3.0, 1.0) AS score"
        " FROM search_articles f JOIN search_map m ON m.id = f.rowid"
        " JOIN articles a ON a.id = m.article_id JOIN sources s ON s.id = a.source_id"
        f" WHERE search_articles MATCH ?{cond} ORDER BY score LIMIT ? OFFSET ?",
        [fts, *params, limit, offset],
    )
    hits = [_article_hit(r, parsed) for r in rows]
    _attach_snippets(conn, parsed, hits, [r["key"] for r in rows])
    return Results(query, fts, total, hits, (time.perf_counter() - started) * 1000)


def _article_hit(row: sqlite3.Row, parsed: Query | None) -> ArticleHit:
    title = row["title"] or ""
    return ArticleHit(
        article_id=row["id"],
        title=title,
        title_segments=highlight(title, fast_fold(title), parsed) if parsed else [(title, False)],
        published=row["published"],
        outlet=row["outlet"],
        source_uri=row["source_uri"],
        start_line=row["start_line"],
        end_line=row["end_line"],
        # bm25 is lower for better matches; shown the other way round
        score=round(-float(row["score"]), 4),
    )


def _attach_snippets(conn: sqlite3.Connection, parsed: Query, hits: list[ArticleHit], keys: list[int]) -> None:
    """Give each hit its (at most two) best sentences, highlighted, in text order."""
    for hit, key in zip(hits, keys, strict=True):
        lo = key * SENTENCE_SLOTS
        folded = {
            r[0] - lo: r[1]
            for r in conn.execute(
                "SELECT rowid, text FROM search_sentences WHERE rowid BETWEEN ? AND ?", (lo, lo + SENTENCE_SLOTS - 1)
            )
        }
        rows = {
            r["idx"]: r
            for r in conn.execute("SELECT idx, line, text FROM sentences WHERE article_id = ?", (hit.article_id,))
            if r["idx"] in folded
        }
        scored = sorted(
            ((score_sentence(r["text"], folded[idx], parsed), idx) for idx, r in rows.items()),
            key=lambda p: (-p[0], p[1]),
        )
        for score, idx in sorted(scored[:2], key=lambda p: p[1]):
            if score <= 0:
                continue
            r = rows[idx]
            hit.snippets.append(
                SentenceHit(
                    article_id=hit.article_id,
                    idx=idx,
                    line=r["line"],
                    text=r["text"],
                    segments=highlight(r["text"], folded[idx], parsed),
                    score=score,
                )
            )


def search_sentences(
    store: Store, query: str, filters: Filters | None = None, limit: int = 20, any_word: bool = False
) -> SentenceResults:
    """Sentences matching ``query`` and ``filters``, best first (BM25 over sentences), highlighted.

    With ``any_word`` a sentence needs only one of the query's words (ranking still prefers sentences
    with more of them): what a question answerer wants when a question's words are spread out.
    """
    started = time.perf_counter()
    filters = filters or Filters()
    ensure_index(store)
    conn = store.conn
    parsed = parse(query)
    fts = parsed.any_fts if any_word and parsed.any_fts else parsed.fts(_SENTENCE_EXACT)
    where, params = _filter_sql(conn, filters)
    cond = "".join(f" AND {w}" for w in where)
    rows = _run(
        conn,
        parsed,
        "SELECT f.rowid AS rid, f.text AS folded, bm25(search_sentences) AS score, m.id AS key, m.article_id"
        " FROM search_sentences f JOIN search_map m ON m.id = f.rowid / ?"
        " JOIN articles a ON a.id = m.article_id"
        f" WHERE search_sentences MATCH ?{cond} ORDER BY score LIMIT ?",
        [SENTENCE_SLOTS, fts, *params, _limit(limit)],
    )
    hits: list[SentenceHit] = []
    for r in rows:
        idx = r["rid"] - r["key"] * SENTENCE_SLOTS
        s = conn.execute(
            "SELECT se.line, se.text, a.title, a.published, a.outlet, so.uri FROM sentences se"
            " JOIN articles a ON a.id = se.article_id JOIN sources so ON so.id = a.source_id"
            " WHERE se.article_id = ? AND se.idx = ?",
            (r["article_id"], idx),
        ).fetchone()
        if s is None:
            continue
        hits.append(
            SentenceHit(
                article_id=r["article_id"],
                idx=idx,
                line=s["line"],
                text=s["text"],
                segments=highlight(s["text"], r["folded"], parsed),
                score=round(-float(r["score"]), 4),
                title=s["title"],
                source_uri=s["uri"],
                published=s["published"],
                outlet=s["outlet"],
            )
        )
    return SentenceResults(query, fts, hits, (time.perf_counter() - started) * 1000)
