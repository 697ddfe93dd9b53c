"""Keeping the search index in step with the store: folded and exact copies of every article and
sentence, and each article's filter tokens (year, month, outlet, entities, event types).

:meth:`Store.save` calls :func:`index_articles` and :func:`unindex_source` inside its transaction, and
:meth:`Store.annotate` calls :func:`refresh_meta`; :func:`ensure_index` indexes a store written before
the index existed. Searching is :mod:`dossier.store.search`.

On SQLite the FTS5 tables are *contentless*: they hold the index, not a second copy of the text. What
was indexed for an article is recomputed from what the store keeps (its title and text, its
sentences' offsets, and the filter tokens ``search_map.meta`` records) whenever it has to be taken out
of the index, which FTS5 needs to be told exactly. Should the folding code change between indexing
and unindexing, the recomputed text would differ: so a signature of the folding is kept in
``build_state``, and when it no longer matches the whole index is emptied and rebuilt instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from dossier.store import corpus_io
from dossier.store.in_list import in_lists
from dossier.vi.text import fold, match_key

if TYPE_CHECKING:
    from dossier.models import Article
    from dossier.store.sqlite import Store

SENTENCE_SLOTS = 4096  # sentences per article that are indexed (rowid = map id * 4096 + idx)
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_FOLD_STATE = "search_fold"  # build_state key: the signature of the folding the index was made with
_INDEX_FORM = 2  # what entry() writes (whitespace runs made single spaces): part of the signature
_PROBE = (
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ Hoà Hòa Thuỷ Thủy "
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ "
    "ÄÖÜßÇÑØÅÆŒİıſ Ωμ ǅ ﬁ ² Пхеньян 平壤 평양 e\u0301 a_b 2023-09-13 «x» “y” – — … ‘z’"
)


_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return match_key(word)


def exact_words(text: str) -> str:
    """The text's words as :func:`match_key` spells them, space-separated: what the exact columns hold.
    Word by word, remembered: Vietnamese has a few thousand syllables."""
    return " ".join(map(_word_key, _WORDS.findall(text)))


@lru_cache(maxsize=1)
def fold_signature() -> str:
    """A signature of what indexing does to text (:func:`fold`, :func:`exact_words`), taken on a
    probe of Vietnamese and other scripts: it changes when the folding code does."""
    text = f"{_INDEX_FORM}|{fold(_PROBE)}|{exact_words(_PROBE)}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# -- what an article puts in the index ------------------------------------------------------------------
@dataclass
class Entry:
    """An article's rows in the search tables: its ``search_articles`` values and its sentences'."""

    title: str
    body: str
    title_exact: str
    body_exact: str
    sentences: list[tuple[int, str, str]]  # (idx, folded, exact)


class _TokenForms(dict[str, tuple[str, str]]):
    """Each whitespace-separated token's fold and exact words, remembered (news text has a few thousand
    distinct tokens). Words never cross whitespace, so a text's forms are its tokens' forms joined.
    Cleared when it grows large."""

    def __missing__(self, token: str) -> tuple[str, str]:
        if len(self) > 1 << 15:
            self.clear()
        value = (fold(token), exact_words(token))
        self[token] = value
        return value


_FORMS = _TokenForms()


def _forms(text: str) -> tuple[str, str]:
    """(folded, exact words) of a text, its whitespace runs made single spaces (the index splits on
    them anyway, so it holds the same tokens as for the text as written)."""
    pairs = list(map(_FORMS.__getitem__, text.split()))
    return " ".join([p[0] for p in pairs]), " ".join([p[1] for p in pairs if p[1]])


def entry(title: str | None, text: str, spans: Sequence[tuple[int, int, int]]) -> Entry:
    """What indexing an article writes, from its title, text and sentences (idx, start, end: offsets in
    ``text``). A function of the stored article alone, so that it can be recomputed to unindex it.

    The body's forms are its sentences' joined when the sentences hold all of the text but whitespace
    (no word runs across a boundary), else they are read from the whole text."""
    sentences: dict[int, tuple[str, str]] = {}
    tiled = True
    previous = 0
    for idx, start, end in sorted(spans, key=lambda s: s[1]):
        if tiled and (
            start < previous
            or (start > previous and not text[previous:start].isspace())
            or (start == previous and _crosses(text, start))
        ):
            tiled = False
        sentences[idx] = _forms(text[start:end])
        previous = end
    if tiled and text[previous:].strip():
        tiled = False
    if tiled:
        ordered = [sentences[idx] for idx, _, _ in sorted(spans, key=lambda s: s[1])]
        body = (" ".join(f for f, _ in ordered if f), " ".join(x for _, x in ordered if x))
    else:
        body = _forms(text)
    title_forms = _forms(title or "")
    return Entry(
        title=title_forms[0],
        body=body[0],
        title_exact=title_forms[1],
        body_exact=body[1],
        sentences=[(idx, *sentences[idx]) for idx, _, _ in spans if idx < SENTENCE_SLOTS],
    )


def _crosses(text: str, at: int) -> bool:
    """Whether a word runs across offset ``at`` (word characters on both sides of it)."""
    if at <= 0 or at >= len(text):
        return False
    found = _WORDS.match(text, at - 1, at + 1)
    return found is not None and found.end() == at + 1


@lru_cache(maxsize=65536)
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
        out.append(token("o", fold(outlet).strip()))
    out.extend(token("e", e) for e in sorted(set(entities)))
    out.extend(token("t", t) for t in sorted(set(event_types)))
    return " ".join(out)


# -- writing and deleting rows ------------------------------------------------------------------------
_INSERT_ARTICLE = (
    "INSERT INTO search_articles (rowid, title, body, title_exact, body_exact, meta)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
_INSERT_SENTENCE = "INSERT INTO search_sentences (rowid, text, text_exact) VALUES (?, ?, ?)"
# FTS5's delete command for contentless tables: the row's id and exactly the values it was indexed with
_DELETE_ARTICLE = (
    "INSERT INTO search_articles (search_articles, rowid, title, body, title_exact, body_exact, meta)"
    " VALUES ('delete', ?, ?, ?, ?, ?, ?)"
)
_DELETE_SENTENCE = (
    "INSERT INTO search_sentences (search_sentences, rowid, text, text_exact) VALUES ('delete', ?, ?, ?)"
)


def _article_row(key: int, e: Entry, meta: str) -> tuple[Any, ...]:
    return (key, e.title, e.body, e.title_exact, e.body_exact, meta)


def _sentence_rows(key: int, e: Entry) -> list[tuple[int, str, str]]:
    return [(key * SENTENCE_SLOTS + idx, folded, exact) for idx, folded, exact in e.sentences]


def _ready(conn: Any) -> None:
    """Before the index is written: on SQLite, make sure it was made by the folding of this code (see
    the module doc); if not, empty it (the first search refills it)."""
    if conn.dialect != "sqlite" or getattr(conn, "_search_fold_checked", False):
        return
    row = conn.execute("SELECT value FROM build_state WHERE key = ?", (_FOLD_STATE,)).fetchone()
    if row is None or row[0] != fold_signature():
        if row is not None or conn.execute("SELECT 1 FROM search_map LIMIT 1").fetchone() is not None:
            _clear(conn)
        conn.execute(
            "INSERT INTO build_state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (_FOLD_STATE, fold_signature()),
        )
    conn._search_fold_checked = True


def clear(store: Store) -> None:
    """Empty the search tables (the first search indexes the store again)."""
    store.flush()
    _clear(store.conn)
    store._search_checked = False  # type: ignore[attr-defined]


def _clear(conn: Any) -> None:
    """Empty the search tables."""
    if conn.dialect == "sqlite":
        for table in ("search_articles", "search_sentences"):
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    else:
        for table in ("search_articles", "search_sentences"):
            conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM search_map")


def _next_key(conn: Any) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM search_map").fetchone()[0]) + 1


def index_articles(conn: Any, articles: Iterable[Article]) -> None:
    """Add articles (with their sentences) to the search tables; replaces what was indexed under the
    same article ids. Runs inside the caller's transaction."""
    items = [
        (
            art.id,
            art.published,
            entry(art.title, art.text, [(s.index, s.start, s.end) for s in art.sentences]),
            meta_tokens(
                art.published, art.outlet, [m.entity_id for m in art.mentions], [e.type for e in art.events]
            ),
        )
        for art in articles
    ]
    _write(conn, items)


def _write(conn: Any, items: list[tuple[str, str | None, Entry, str]]) -> None:
    """Index (article id, published, entry, meta) items, each replacing what its id had."""
    if not items:
        return
    _ready(conn)
    _unindex(conn, _indexed(conn, [article_id for article_id, _, _, _ in items]))
    first = _next_key(conn)
    keyed = [(first + i, *item) for i, item in enumerate(items)]
    conn.executemany(
        "INSERT INTO search_map (id, article_id, published, meta) VALUES (?, ?, ?, ?)",
        [(key, article_id, published, meta) for key, article_id, published, _, meta in keyed],
    )
    conn.executemany(_INSERT_ARTICLE, [_article_row(key, e, meta) for key, _, _, e, meta in keyed])
    conn.executemany(_INSERT_SENTENCE, [row for key, _, _, e, _ in keyed for row in _sentence_rows(key, e)])


def _indexed(conn: Any, article_ids: list[str]) -> list[str]:
    """Those of the articles that are in the index."""
    out: list[str] = []
    for part, marks in in_lists(article_ids, 500):
        out.extend(
            r[0]
            for r in conn.execute(f"SELECT article_id FROM search_map WHERE article_id IN ({marks})", part)
        )
    return out


def refresh_meta(conn: Any, article: Article) -> None:
    """Re-derive an indexed article's filter tokens from its (new) annotations."""
    row = conn.execute(
        "SELECT m.id, m.meta, a.published, a.outlet, a.title, a.text FROM search_map m"
        " JOIN articles a ON a.id = m.article_id WHERE m.article_id = ?",
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
    if conn.dialect == "sqlite":
        _ready(conn)
        e = entry(row["title"], row["text"], _spans(conn, article.id))
        conn.execute(_DELETE_ARTICLE, _article_row(row["id"], e, row["meta"]))
        conn.execute(_INSERT_ARTICLE, _article_row(row["id"], e, meta))
    else:
        conn.execute("UPDATE search_articles SET meta = ? WHERE rowid = ?", (meta, row["id"]))
    conn.execute("UPDATE search_map SET meta = ? WHERE id = ?", (meta, row["id"]))


def _spans(conn: Any, article_id: str) -> list[tuple[int, int, int]]:
    rows = conn.execute('SELECT idx, start, "end" FROM sentences WHERE article_id = ?', (article_id,))
    return [(r[0], r[1], r[2]) for r in rows]


def unindex_source(conn: Any, source_id: str) -> None:
    """Remove a source's articles from the search tables (before they are deleted)."""
    ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE source_id = ?", (source_id,))]
    _unindex(conn, ids)


def _unindex(conn: Any, article_ids: list[str]) -> None:
    for article_id in article_ids:
        row = conn.execute(
            "SELECT m.id, m.meta, a.title, a.text FROM search_map m"
            " LEFT JOIN articles a ON a.id = m.article_id WHERE m.article_id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            continue
        key = row["id"]
        if conn.dialect == "sqlite":
            _ready(conn)
            if row["text"] is None:  # indexed, but its article is gone: what to delete is unknown
                _clear(conn)
                return
            e = entry(row["title"], row["text"], _spans(conn, article_id))
            conn.execute(_DELETE_ARTICLE, _article_row(key, e, row["meta"]))
            conn.executemany(_DELETE_SENTENCE, _sentence_rows(key, e))
        else:
            conn.execute("DELETE FROM search_articles WHERE rowid = ?", (key,))
            conn.execute(
                "DELETE FROM search_sentences WHERE rowid BETWEEN ? AND ?",
                (key * SENTENCE_SLOTS, key * SENTENCE_SLOTS + SENTENCE_SLOTS - 1),
            )
        conn.execute("DELETE FROM search_map WHERE id = ?", (key,))


def reindex(store: Store, batch: int = 200) -> int:
    """Rebuild the search tables from the stored articles and sentences; returns the articles indexed.

    Needed once for a store written before the search tables existed (or after a migration emptied
    them); :func:`search` does it by itself when it sees articles that are not indexed. Reads the
    articles ``batch`` at a time."""
    store.flush()
    c = store.conn
    count = 0
    c.execute("BEGIN IMMEDIATE")
    try:
        _clear(c)
        select = "SELECT id, title, text, published, outlet FROM articles"
        for rows in corpus_io.pages_by_id(c, select, "TRUE", batch):
            items = []
            for row in rows:
                entities = [
                    r[0]
                    for r in c.execute("SELECT entity_id FROM mentions WHERE article_id = ?", (row["id"],))
                ]
                types = [
                    r[0]
                    for r in c.execute("SELECT type FROM event_mentions WHERE article_id = ?", (row["id"],))
                ]
                meta = meta_tokens(row["published"], row["outlet"], entities, types)
                items.append(
                    (
                        row["id"],
                        row["published"],
                        entry(row["title"], row["text"], _spans(c, row["id"])),
                        meta,
                    )
                )
            _write(c, items)
            count += len(items)
        c.execute("COMMIT")
    except BaseException:
        c.execute("ROLLBACK")
        raise
    return count


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
