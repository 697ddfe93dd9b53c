"""Search on a PostgreSQL store: the same folded text as on SQLite, in ``tsvector`` columns.

The indexing code writes the same rows on both backends (:mod:`dossier.store.search_index`); on
PostgreSQL the folded and exact columns feed generated ``tsvector`` columns with GIN indexes
(migration ``0003_search_index``, PostgreSQL variant). A query is parsed once
(:mod:`dossier.store.search_query`) into an FTS5 expression; :func:`to_tsquery` turns that expression
into a ``tsquery``, so a query means the same on both backends and is as insensitive to diacritics,
tone placement and case (the text and the query are folded by the same code before either database
sees them). Ranking is ``ts_rank_cd`` with title words weighing triple, plus the rank of the exact
spellings typed; highlighting and snippets are the SQLite path's own code.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from dossier.errors import DossierError
from dossier.store.search_query import Query

if TYPE_CHECKING:
    from dossier.store.search import Filters, Results
    from dossier.store.sqlite import Store

_TOKEN = re.compile(r'"([^"]*)"(\*)?|\{[^}]*\}\s*:|\(|\)|\b(?:AND|OR|NOT)\b|(\w+)(\*)?')
_WORD = re.compile(r"\w+")
_WEIGHTS = "{0.1, 0.1, 0.1, 0.3}"  # D, C, B, A: a title word (A) weighs three body words


def to_tsquery(fts: str) -> str:
    """The ``tsquery`` text (for ``to_tsquery('simple', …)``) of an FTS5 expression as the query parser
    writes it: quoted words and phrases, ``"w"*`` prefixes, AND, OR, NOT (binary), brackets. Column
    filters (``{title_exact body_exact} :``) are dropped: the caller picks the vector. Bare words (the
    filter tokens) are words too."""
    out: list[str] = []
    for m in _TOKEN.finditer(fts):
        tok = m.group(0)
        if m.group(1) is not None or m.group(3) is not None:  # a quoted or a bare word (a filter token)
            words = _WORD.findall(m.group(1) if m.group(1) is not None else m.group(3))
            if not words:
                continue
            if m.group(2) or m.group(4):
                out.append(
                    " <-> ".join(f"'{w}'" for w in words[:-1])
                    + (" <-> " if len(words) > 1 else "")
                    + f"'{words[-1]}':*"
                )
            else:
                out.append("(" + " <-> ".join(f"'{w}'" for w in words) + ")")
        elif tok == "AND":
            out.append("&")
        elif tok == "OR":
            out.append("|")
        elif tok == "NOT":
            out.append("& !")
        elif tok in "()":
            out.append(tok)
    text = " ".join(out)
    # FTS5 joins juxtaposed terms with an implicit AND; tsquery needs it written
    return re.sub(r"(\)|'|\*)\s+(?=\(|')", r"\1 & ", text)


def _exact_query(parsed: Query) -> str | None:
    """The exact spellings the user typed, any of them: what ranks a document higher."""
    words = sorted({w for spellings in parsed.exact.values() for w in spellings for w in _WORD.findall(w)})
    return " | ".join(f"'{w}'" for w in words) if words else None


def _run(conn: Any, query: str, sql: str, params: list[Any]) -> list[Any]:
    import psycopg

    try:
        return conn.execute(sql, params).fetchall()
    except psycopg.Error as exc:
        raise DossierError("E040", query=query, reason=f"the search index refused it ({exc})") from exc


def meta_keys(conn: Any, meta: str) -> list[int]:
    """The keys of the articles whose filter tokens satisfy ``meta`` (an FTS5 expression of tokens)."""
    rows = conn.execute(
        "SELECT rowid FROM search_articles WHERE tsv @@ to_tsquery('simple', ?)", (to_tsquery(meta),)
    )
    return [r[0] for r in rows]


def has_token(conn: Any, token: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM search_articles WHERE tsv @@ to_tsquery('simple', ?) LIMIT 1", (f"'{token}'",)
    ).fetchone()
    return row is not None


def search(store: Store, query: str, filters: Filters, limit: int, offset: int, started: float) -> Results:
    """:func:`dossier.store.search.search` on PostgreSQL (the caller has checked the query is not
    empty and normalised ``limit`` and ``offset``)."""
    from dossier.store import search as base

    conn = store.conn
    plan = base._plan(conn, filters)
    parsed = base.parse(query)
    where = "tsv @@ to_tsquery('simple', ?)"
    params: list[Any] = [to_tsquery(parsed.core)]
    if plan.meta:
        where += " AND tsv @@ to_tsquery('simple', ?)"
        params.append(to_tsquery(plan.meta))
    exact = _exact_query(parsed)
    boost = "ts_rank(tsv_exact, to_tsquery('simple', ?))" if exact else "0"
    sql = (
        f"SELECT rowid AS key, ts_rank_cd('{_WEIGHTS}', tsv, to_tsquery('simple', ?)) + {boost} AS score"
        f" FROM search_articles WHERE {where} ORDER BY score DESC, rowid DESC"
    )
    args = [params[0], *([exact] if exact else []), *params]
    rows = _run(conn, query, sql if plan.check_dates else sql + f" LIMIT {offset + limit}", args)
    count = _run(
        conn,
        query,
        f"SELECT COUNT(*) FROM (SELECT 1 FROM search_articles WHERE {where} LIMIT ?) q",
        [*params, base.COUNT_CAP + 1],
    )
    total = int(count[0][0])
    if plan.check_dates:
        dates = base._dates_of(conn, [r[0] for r in rows])
        rows = [r for r in rows if base._in_period(dates.get(r[0]), filters)]
        total = len(rows)
    page = [(r[0], float(r[1])) for r in rows[offset : offset + limit]]
    hits = base._hits(conn, page, parsed)
    base._attach_snippets(conn, parsed, hits, [k for k, _ in page])
    took = (time.perf_counter() - started) * 1000
    return base.Results(
        query,
        to_tsquery(parsed.core),
        min(total, base.COUNT_CAP),
        hits,
        took,
        ranking="ts_rank",
        total_capped=total > base.COUNT_CAP,
    )


def sentence_rows(conn: Any, query: str, fts: str, n: int) -> list[tuple[int, str, float]]:
    """(rowid, folded text, score as SQLite's bm25 gives it: lower is better) of the best sentences."""
    rows = _run(
        conn,
        query,
        "SELECT rowid, text, ts_rank_cd(tsv, to_tsquery('simple', ?)) AS score FROM search_sentences"
        " WHERE tsv @@ to_tsquery('simple', ?) ORDER BY score DESC, rowid LIMIT ?",
        [to_tsquery(fts), to_tsquery(fts), n],
    )
    return [(r[0], r[1], -float(r[2])) for r in rows]
