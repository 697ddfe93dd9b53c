"""Keeping the search index in step with the store: folded and exact copies of every article and
sentence, and each article's filter tokens (year, month, outlet, entities, event types).

:meth:`Store.save` calls :func:`index_articles` and :func:`unindex_source` inside its transaction, and
:meth:`Store.annotate` calls :func:`refresh_meta`; :func:`ensure_index` indexes a store written before
the index existed. Searching is :mod:`dossier.store.search`.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from dossier.vi.text import fold, match_key

if TYPE_CHECKING:
    from dossier.models import Article
    from dossier.store.sqlite import Store

SENTENCE_SLOTS = 4096  # sentences per article that are indexed (rowid = map id * 4096 + idx)
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


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
        _index_one(
            conn,
            art.id,
            art.title,
            art.text,
            [(s.index, s.text) for s in art.sentences],
            meta_tokens(
                art.published, art.outlet, [m.entity_id for m in art.mentions], [e.type for e in art.events]
            ),
            art.published,
        )


def refresh_meta(conn: sqlite3.Connection, article: Article) -> None:
    """Re-derive an indexed article's filter tokens from its (new) annotations."""
    row = conn.execute(
        "SELECT m.id, a.published, a.outlet FROM search_map m JOIN articles a ON a.id = m.article_id"
        " WHERE m.article_id = ?",
        (article.id,),
    ).fetchone()
    if row is None:
        return
    meta = meta_tokens(
        row["published"],
        row["outlet"],
        [m.entity_id for m in article.mentions],
        [e.type for e in article.events],
    )
    conn.execute("UPDATE search_articles SET meta = ? WHERE rowid = ?", (meta, row["id"]))


def token(kind: str, value: str) -> str:
    """A filter token no typed word is likely to equal (tokens are plain letters and digits)."""
    return f"qq{kind}{hashlib.sha1(value.encode('utf-8')).hexdigest()[:16]}"


def meta_tokens(
    published: str | None, outlet: str | None, entities: Iterable[str], event_types: Iterable[str]
) -> str:
    """The filter tokens of an article: its year and month, outlet, entities and event types."""
    out = []
    if published and _DATE.fullmatch(published):
        out.append(f"qqy{published[:4]}")
        if len(published) >= 7:
            out.append(f"qqm{published[:4]}{published[5:7]}")
        else:
            out.append(f"qqyonly{published[:4]}")
    if outlet:
        out.append(token("o", fast_fold(outlet).strip()))
    out.extend(token("e", e) for e in sorted(set(entities)))
    out.extend(token("t", t) for t in sorted(set(event_types)))
    return " ".join(out)


def _index_one(
    conn: sqlite3.Connection,
    article_id: str,
    title: str | None,
    text: str,
    sentences: list[tuple[int, str]],
    meta: str,
    published: str | None,
) -> None:
    _unindex(conn, [article_id])
    key = conn.execute(
        "INSERT INTO search_map (article_id, published) VALUES (?, ?)", (article_id, published)
    ).lastrowid
    assert key is not None
    title = title or ""
    conn.execute(
        "INSERT INTO search_articles (rowid, title, body, title_exact, body_exact, meta)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (key, fast_fold(title), fast_fold(text), exact_words(title), exact_words(text), meta),
    )
    conn.executemany(
        "INSERT INTO search_sentences (rowid, text, text_exact) VALUES (?, ?, ?)",
        [
            (key * SENTENCE_SLOTS + idx, fast_fold(t), exact_words(t))
            for idx, t in sentences
            if idx < SENTENCE_SLOTS
        ],
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
        rows = c.execute("SELECT id, title, text, published, outlet FROM articles").fetchall()
        for row in rows:
            sentences = [(s["idx"], s["text"]) for s in store.sentences(row["id"])]
            entities = [
                r[0] for r in c.execute("SELECT entity_id FROM mentions WHERE article_id = ?", (row["id"],))
            ]
            types = [
                r[0] for r in c.execute("SELECT type FROM event_mentions WHERE article_id = ?", (row["id"],))
            ]
            meta = meta_tokens(row["published"], row["outlet"], entities, types)
            _index_one(c, row["id"], row["title"], row["text"], sentences, meta, row["published"])
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
