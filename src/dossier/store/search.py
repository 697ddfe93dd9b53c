"""Search over articles and sentences, insensitive to diacritics, tone placement and case.

The API is backend-neutral: :func:`search` and :func:`search_sentences` take a store, a query as a
user typed it (see :mod:`dossier.store.search_query` for the syntax) and :class:`Filters`, and return
plain dataclasses. The SQLite store answers with FTS5 tables over folded text (migration
``0003_search_index``), kept in step with the articles by :mod:`dossier.store.search_index`.
"""

from __future__ import annotations

import heapq
import re
import sqlite3
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dossier.errors import DossierError
from dossier.store import search_pg
from dossier.store.in_list import in_lists
from dossier.store.search_index import SENTENCE_SLOTS, ensure_index, token
from dossier.store.search_query import Query, highlight, parse, score_sentence
from dossier.vi.text import fold

if TYPE_CHECKING:
    from dossier.store.sqlite import Store

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
BM25_MAX_DF = 2000  # BM25 ranks a query whose every word is in at most this many articles
CANDIDATES = 1000  # a query with a commoner word is ranked among its newest this many matches
COUNT_CAP = CANDIDATES  # totals are exact up to here
_MAX_ATOMS = 8
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
    ranking: str = "bm25"  # bm25 | recent-N (see search()) | date (filters only)
    total_capped: bool = False  # more than COUNT_CAP articles match


@dataclass
class SentenceResults:
    query: str
    fts: str
    hits: list[SentenceHit]
    took_ms: float


# -- filters -------------------------------------------------------------------------------------------
def _check_date(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    value = value.strip()
    if not _DATE.fullmatch(value):
        raise DossierError(
            "E041", name=name, value=value, reason="expected a date as YYYY, YYYY-MM or YYYY-MM-DD"
        )
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


@dataclass
class _FilterPlan:
    meta: str | None  # an FTS5 expression over the meta column, or None
    check_dates: bool  # whether matches must still be checked against the period (day bounds)


def _months(lo: str, hi: str) -> list[str]:
    y, m = int(lo[:4]), int(lo[5:7])
    out = []
    while (y, m) <= (int(hi[:4]), int(hi[5:7])) and len(out) <= 400:
        out.append(f"{y}{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _plan(conn: sqlite3.Connection, filters: Filters) -> _FilterPlan:
    """Turn filters into meta-token conditions (index look-ups) plus exact SQL checks where needed;
    unknown values raise E041."""
    terms: list[str] = []
    check = False
    if filters.entity:
        ids = _entity_ids(conn, filters.entity)
        if not ids:
            raise DossierError(
                "E041", name="entity", value=filters.entity, reason="no such entity in the store"
            )
        terms.append("(" + " OR ".join(token("e", i) for i in ids) + ")")
    if filters.outlet:
        outlet = token("o", fold(filters.outlet.strip()))
        if not _index_has(conn, outlet):
            raise DossierError(
                "E041", name="outlet", value=filters.outlet, reason="no article from this outlet"
            )
        terms.append(outlet)
    date_from = _check_date("from", filters.date_from)
    date_to = _check_date("to", filters.date_to)
    if date_from or date_to:
        lo = (
            (date_from or "1000")[:7]
            if date_from and len(date_from) >= 7
            else f"{(date_from or '1000')[:4]}-01"
        )
        hi = date_to[:7] if date_to and len(date_to) >= 7 else f"{(date_to or '2999')[:4]}-12"
        if date_from and date_to and date_to < date_from[: len(date_to)]:
            raise DossierError(
                "E041", name="to", value=date_to, reason=f"the period ends before it starts ({date_from})"
            )
        years = list(range(int(lo[:4]), int(hi[:4]) + 1))
        if len(years) > 30:
            check = True
        else:
            months = _months(lo, hi)
            # an article dated only by its year overlaps every month of that year
            tokens = [f"qqm{m}" for m in months] + [f"qqyonly{y}" for y in years]
            terms.append("(" + " OR ".join(tokens) + ")")
            check = bool((date_from and len(date_from) == 10) or (date_to and len(date_to) == 10))
    if filters.event_type:
        if filters.event_type not in EVENT_TYPES:
            raise DossierError(
                "E041",
                name="event_type",
                value=filters.event_type,
                reason="expected one of " + ", ".join(EVENT_TYPES),
            )
        terms.append(token("t", filters.event_type))
    # the tokens are unlike any word, so no column filter is needed (and FTS5 is faster without one)
    meta = "(" + " AND ".join(terms) + ")" if terms else None
    return _FilterPlan(meta, check)


def _index_has(conn: Any, token: str) -> bool:
    """Whether some indexed article carries the filter token."""
    if conn.dialect == "postgresql":
        return search_pg.has_token(conn, token)
    found = conn.execute("SELECT 1 FROM search_articles WHERE search_articles MATCH ? LIMIT 1", (token,))
    return found.fetchone() is not None


def _meta_keys(conn: Any, meta: str) -> list[int]:
    """The keys of the indexed articles whose filter tokens satisfy ``meta``."""
    if conn.dialect == "postgresql":
        return search_pg.meta_keys(conn, meta)
    rows = conn.execute("SELECT rowid FROM search_articles WHERE search_articles MATCH ?", (meta,))
    return [r[0] for r in rows]


# -- search --------------------------------------------------------------------------------------------
def _run(conn: sqlite3.Connection, query: Query, sql: str, params: list[Any]) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        # the parser quotes every word, so this is rare; it still must not surface as a crash
        raise DossierError("E040", query=query.text, reason=f"the search index refused it ({exc})") from exc


def _limit(limit: int) -> int:
    return max(1, min(int(limit), _MAX_LIMIT))


def _capped_count(conn: sqlite3.Connection, parsed: Query | None, match: str, cap: int) -> int:
    sql = (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM search_articles WHERE search_articles MATCH ? LIMIT {int(cap)})"
    )
    if parsed is None:
        return int(conn.execute(sql, (match,)).fetchone()[0])
    return int(_run(conn, parsed, sql, [match])[0][0])


def _dates_of(conn: sqlite3.Connection, keys: list[int]) -> dict[int, str | None]:
    out: dict[int, str | None] = {}
    for chunk, marks in in_lists(keys, 900):
        out.update(
            conn.execute(f"SELECT id, published FROM search_map WHERE id IN ({marks})", chunk).fetchall()
        )
    return out


def _in_period(published: str | None, filters: Filters) -> bool:
    """Whether a publication date (at its own precision) overlaps the filters' period."""
    if not filters.date_from and not filters.date_to:
        return True
    if not published:
        return False
    return published <= (filters.date_to or "9999") + "~" and published + "~" >= (filters.date_from or "0000")


def search(
    store: Store, query: str, filters: Filters | None = None, limit: int = 20, offset: int = 0
) -> Results:
    """Articles matching ``query`` and ``filters``, best first, each with up to two highlighted sentences
    that show why it matched. An empty query with filters lists the filtered articles newest first.

    Ranking: BM25 (title words weigh triple, words spelt as typed count extra) when every query word
    occurs in at most :data:`BM25_MAX_DF` articles — BM25 reads every article that has a word, so its
    cost grows with the commonest word. A query with a commoner word is ranked among its
    :data:`CANDIDATES` most recently added matches: those with the words in the title first, then the
    newest. ``Results.ranking`` says which was used and ``Results.total`` is exact up to
    :data:`COUNT_CAP` (``total_capped`` beyond).

    Raises DossierError E040 for a query that cannot be read and E041 for a filter value that cannot
    be used."""
    started = time.perf_counter()
    filters = filters or Filters()
    ensure_index(store)
    conn = store.conn
    plan = _plan(conn, filters)
    limit = _limit(limit)
    offset = max(0, int(offset))
    if not (query or "").strip():
        if not filters.active():
            raise DossierError("E040", query=query or "", reason="there is no word to search for")
        return _list_filtered(conn, plan, filters, limit, offset, started)
    if conn.dialect == "postgresql":
        return search_pg.search(store, query, filters, limit, offset, started)
    parsed = parse(query)
    expr = parsed.fts(_ARTICLE_EXACT)
    match = f"({expr}) AND {plan.meta}" if plan.meta else expr
    # the boosts only rank: the plain expression finds the same articles, faster
    plain = f"({parsed.core}) AND {plan.meta}" if plan.meta else parsed.core
    common = (
        any(
            _capped_count(conn, parsed, atom, BM25_MAX_DF + 1) > BM25_MAX_DF
            for atom in parsed.atoms[:_MAX_ATOMS]
        )
        or len(parsed.atoms) > _MAX_ATOMS
    )
    if not common:
        ranking = "bm25"
        total = _capped_count(conn, parsed, plain, COUNT_CAP + 1)
        sql = (
            "SELECT rowid AS key, bm25(search_articles, 3.0, 1.0, 3.0, 1.0, 0.0) AS score"
            " FROM search_articles"
            " WHERE search_articles MATCH ? ORDER BY score"
        )
        rows = _run(conn, parsed, sql if plan.check_dates else sql + f" LIMIT {offset + limit}", [match])
        dates = _dates_of(conn, [r["key"] for r in rows]) if plan.check_dates else {}
        ranked = [
            (r["key"], -float(r["score"]))
            for r in rows
            if not plan.check_dates or _in_period(dates.get(r["key"]), filters)
        ]
        if plan.check_dates:
            total = len(ranked)
    else:
        ranking = f"recent-{CANDIDATES}"
        keys = [
            r[0]
            for r in _run(
                conn,
                parsed,
                "SELECT rowid FROM search_articles WHERE search_articles MATCH ? ORDER BY rowid DESC LIMIT ?",
                [plain, CANDIDATES + 1],
            )
        ]
        more = len(keys) > CANDIDATES  # the count stops where the candidates do
        keys = keys[:CANDIDATES]
        dates = _dates_of(conn, keys)
        keys = [k for k in keys if _in_period(dates.get(k), filters)]
        total = len(keys) + (COUNT_CAP + 1 if more else 0)
        title_match = (
            "{title title_exact} : (" + parsed.core + ")" + (f" AND {plan.meta}" if plan.meta else "")
        )
        in_title = set()
        if keys:
            in_title = {
                r[0]
                for r in _run(
                    conn,
                    parsed,
                    "SELECT rowid FROM search_articles WHERE search_articles MATCH ? AND rowid >= ?",
                    [title_match, min(keys)],
                )
            }
        # title matches first, then the latest published (undated last), then the latest added
        best = heapq.nlargest(
            offset + limit,
            ((3.0 if k in in_title else 0.0, dates.get(k) or "", k) for k in keys),
        )
        ranked = [(k, score) for score, _, k in best]
    page = ranked[offset : offset + limit]
    hits = _hits(conn, page, parsed)
    _attach_snippets(conn, parsed, hits, [k for k, _ in page])
    took = (time.perf_counter() - started) * 1000
    return Results(
        query, expr, min(total, COUNT_CAP), hits, took, ranking=ranking, total_capped=total > COUNT_CAP
    )


def _hits(conn: sqlite3.Connection, page: list[tuple[int, float]], parsed: Query | None) -> list[ArticleHit]:
    if not page:
        return []
    marks = ",".join("?" * len(page))
    rows = {
        r["key"]: r
        for r in conn.execute(
            "SELECT m.id AS key, a.id, a.title, a.published, a.outlet, a.start_line, a.end_line,"
            " s.uri AS source_uri"
            " FROM search_map m JOIN articles a ON a.id = m.article_id JOIN sources s ON s.id = a.source_id"
            f" WHERE m.id IN ({marks})",
            [k for k, _ in page],
        )
    }
    return [_article_hit(rows[k], parsed, score) for k, score in page if k in rows]


def _list_filtered(
    conn: sqlite3.Connection, plan: _FilterPlan, filters: Filters, limit: int, offset: int, started: float
) -> Results:
    """The filtered articles, newest first (no words to match)."""
    if plan.meta:
        dates = _dates_of(conn, _meta_keys(conn, plan.meta))
    else:
        dates = dict(conn.execute("SELECT id, published FROM search_map").fetchall())
    kept = [k for k in dates if _in_period(dates[k], filters)]
    kept.sort(key=lambda k: (dates[k] or "", k), reverse=True)  # newest first, undated last
    page = [(k, 0.0) for k in kept[offset : offset + limit]]
    return Results(
        "", "", len(kept), _hits(conn, page, None), (time.perf_counter() - started) * 1000, ranking="date"
    )


def _article_hit(row: sqlite3.Row, parsed: Query | None, score: float) -> ArticleHit:
    title = row["title"] or ""
    return ArticleHit(
        article_id=row["id"],
        title=title,
        title_segments=highlight(title, fold(title), parsed) if parsed else [(title, False)],
        published=row["published"],
        outlet=row["outlet"],
        source_uri=row["source_uri"],
        start_line=row["start_line"],
        end_line=row["end_line"],
        score=round(score, 4),
    )


def _attach_snippets(
    conn: sqlite3.Connection, parsed: Query, hits: list[ArticleHit], keys: list[int]
) -> None:
    """Give each hit its (at most two) best sentences, highlighted, in text order."""
    for hit in hits:
        # what the index holds of each sentence is its fold: recomputed here, not read back
        article = conn.execute("SELECT text FROM articles WHERE id = ?", (hit.article_id,)).fetchone()
        text = article[0] if article else ""
        rows = {
            r["idx"]: {"line": r["line"], "text": text[r["start"] : r["end"]]}
            for r in conn.execute(
                'SELECT idx, line, start, "end" FROM sentences WHERE article_id = ?', (hit.article_id,)
            )
            if r["idx"] < SENTENCE_SLOTS
        }
        folded = {idx: fold(r["text"]) for idx, r in rows.items()}
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
    plan = _plan(conn, filters)
    allowed: set[int] | None = None
    if filters.active():
        if plan.meta:
            dates = _dates_of(conn, _meta_keys(conn, plan.meta))
        else:
            dates = dict(conn.execute("SELECT id, published FROM search_map").fetchall())
        allowed = {k for k, d in dates.items() if _in_period(d, filters)}
    fts = parsed.any_fts if any_word and parsed.any_fts else parsed.fts(_SENTENCE_EXACT)
    want = _limit(limit)
    n = want if allowed is None else max(want * 20, 1000)
    if conn.dialect == "postgresql":
        rows = search_pg.sentence_rows(conn, query, fts, n)
    else:
        rows = [
            (r[0], None, r[1])
            for r in _run(
                conn,
                parsed,
                "SELECT rowid AS rid, bm25(search_sentences, 1.0, 1.0) AS score"
                " FROM search_sentences WHERE search_sentences MATCH ? ORDER BY score LIMIT ?",
                [fts, n],
            )
        ]
    hits: list[SentenceHit] = []
    for r in rows:
        key, idx = divmod(r[0], SENTENCE_SLOTS)
        if allowed is not None and key not in allowed:
            continue
        s = conn.execute(
            'SELECT se.article_id, se.line, substr(a.text, se.start + 1, se."end" - se.start) AS text,'
            " a.title, a.published, a.outlet, so.uri FROM search_map m"
            " JOIN sentences se ON se.article_id = m.article_id AND se.idx = ?"
            " JOIN articles a ON a.id = m.article_id JOIN sources so ON so.id = a.source_id WHERE m.id = ?",
            (idx, key),
        ).fetchone()
        if s is None:
            continue
        hits.append(
            SentenceHit(
                article_id=s["article_id"],
                idx=idx,
                line=s["line"],
                text=s["text"],
                # the sentence folded character by character (what the index holds is its tokens)
                segments=highlight(s["text"], fold(s["text"]), parsed),
                score=round(-float(r[2]), 4),
                title=s["title"],
                source_uri=s["uri"],
                published=s["published"],
                outlet=s["outlet"],
            )
        )
        if len(hits) >= want:
            break
    return SentenceResults(query, fts, hits, (time.perf_counter() - started) * 1000)
