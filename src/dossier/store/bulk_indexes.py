"""Secondary indexes set aside while a build loads many articles at once, and made again after.

Every stored article adds entries to indexes keyed by its random id (its mentions, times, quotes, event
and claim mentions) or by entity, speaker, date and outlet. Once those indexes outgrow the page cache,
each entry reads and rewrites a page of its own, a cost that grows with the store (adding 1,000
articles to a store of 100,000: a quarter of the time spent writing them, half of the bytes written).
A build that adds at least as many articles as the store held drops them, writes, and creates them
again in one sorted pass (17 CPU seconds for 100,000 articles).

Their definitions wait in ``build_state`` until they are back, so a build stopped half way leaves a store
that answers every query (more slowly) and that the next build finishes. A write that replaces stored
rows (a source written again, a new version of one) deletes through those indexes: they are made again
first (:func:`restore`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dossier.store import corpus_io

if TYPE_CHECKING:
    from dossier.store.sqlite import Store

DEFERRED = (
    "mentions_entity",
    "mentions_article",
    "times_article",
    "quotes_article",
    "quotes_speaker",
    "event_mentions_article",
    "event_mentions_type_date",
    "claim_mentions_article",
    "claim_mentions_key",
    "articles_published",
    "articles_outlet",
    "articles_canonical",
)
STATE = "deferred_indexes"  # build_state key: {index name: its CREATE INDEX statement}


def definitions(store: Store, names: Sequence[str]) -> dict[str, str]:
    """The CREATE INDEX statements of those of the indexes that exist."""
    marks = ",".join("?" * len(names))
    if store.dialect == "sqlite":
        sql = f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks})"
    else:
        sql = (
            "SELECT indexname, indexdef FROM pg_indexes"
            f" WHERE schemaname = current_schema() AND indexname IN ({marks})"
        )
    return {r[0]: r[1] for r in store.conn.execute(sql, list(names)) if r[1]}


def deferred(store: Store) -> bool:
    """Whether indexes are set aside."""
    return store.build_state(STATE) is not None


def defer(store: Store) -> None:
    """Drop the :data:`DEFERRED` indexes (committing the open batch first), remembering them."""
    with corpus_io.transaction(store):
        found = definitions(store, DEFERRED)
        if not found:
            return
        waiting = json.loads(store.build_state(STATE) or "{}")
        store.set_build_state(STATE, json.dumps({**waiting, **found}))
        for name in found:  # names from DEFERRED, never from input
            store.conn.execute(f"DROP INDEX {name}")


def restore(store: Store) -> None:
    """Create the indexes set aside again (committing the open batch first); nothing when none are."""
    saved = store.build_state(STATE)
    if saved is None:
        return
    with corpus_io.transaction(store), store.conn.small_cache():
        waiting: dict[str, str] = json.loads(saved)
        present = definitions(store, list(waiting))
        for name, sql in waiting.items():
            if name not in present:
                store.conn.execute(sql)
        store.set_build_state(STATE, None)


class Loader:
    """When a build sets the indexes aside: once the articles it wrote reach the number the store held
    when it began (at once for an empty store), and only once (a write that replaced stored rows may
    have made them again). The store is not counted: whether it holds more than twice what was written
    is asked each time the written count doubles, reading that many index entries at most."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.written = 0
        self.tried = False
        self._next_look = 0

    def before_save(self, articles: int) -> None:
        """Called before a source with ``articles`` articles is written."""
        if not self.tried and self.written >= self._next_look:
            self._next_look = max(1, 2 * self.written)
            if not self._holds_more_than(2 * self.written):
                self.tried = True
                defer(self.store)
        self.written += articles

    def _holds_more_than(self, n: int) -> bool:
        row = self.store.conn.execute("SELECT 1 FROM articles LIMIT 1 OFFSET ?", (n,)).fetchone()
        return row is not None
