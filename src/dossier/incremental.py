"""Keeping a store current: removing what came from a source, and pruning files deleted from a folder.

A rebuild after new files arrive already processes only those (sources are keyed by the sha256 of
their bytes) and the corpus stages fold them into what exists: duplicates are looked up in the stored
LSH bands, events are re-merged shard by shard. Removing a source deletes every version of it, its
articles and everything derived from them (sentences, annotations, search rows, evidence); the
corpus stages then recompute the cross-article objects, so an event or claim that only that source
supported is gone and one that others also support stays, with their evidence only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dossier.config import Options
from dossier.errors import DossierError
from dossier.pipeline import FINALIZE_PENDING, Context, finalize
from dossier.stages.ingest import is_url
from dossier.store import bulk_indexes, corpus_io, search_index
from dossier.store.lock import build_lock
from dossier.store.sqlite import Store


@dataclass
class Removal:
    uris: list[str] = field(default_factory=list)
    articles: int = 0


def matching_uris(store: Store, target: str) -> list[str]:
    """The stored uris ``target`` names: that uri, or every uri under it when it is a folder."""
    folder = target.rstrip("/") + "/"
    rows = store.conn.execute(
        "SELECT DISTINCT uri FROM sources WHERE uri = ? OR substr(uri, 1, ?) = ? ORDER BY uri",
        (target, len(folder), folder),
    )
    return [r[0] for r in rows]


def _delete_uri(store: Store, uri: str) -> int:
    """Delete every version of one source and what derives from it; returns its article count."""
    c = store.conn
    ids = [r[0] for r in c.execute("SELECT id FROM sources WHERE uri = ?", (uri,))]
    articles = 0
    for source_id in ids:
        articles += c.execute("SELECT COUNT(*) FROM articles WHERE source_id = ?", (source_id,)).fetchone()[0]
        search_index.unindex_source(c, source_id)
        c.execute("DELETE FROM articles WHERE source_id = ?", (source_id,))
        c.execute("DELETE FROM sources WHERE id = ?", (source_id,))
    return articles


def remove_uris(store: Store, uris: list[str], ctx: Context | None = None, finish: bool = True) -> Removal:
    """Delete the sources ``uris`` (one transaction each), then recompute the cross-article objects
    (``finish``; else the next build does, as it would after a crash). The caller holds the lock."""
    done = Removal()
    if not uris:
        return done
    bulk_indexes.restore(store)  # deleting goes through them
    store.set_build_state(FINALIZE_PENDING, "1")  # a crash from here on is finished by the next build
    for uri in uris:
        with corpus_io.transaction(store):
            done.articles += _delete_uri(store, uri)
        done.uris.append(uri)
    if finish:
        finalize(store, ctx or Context())
        store.set_build_state(FINALIZE_PENDING, None)
    return done


def remove(store: Store, target: str, ctx: Context | None = None) -> Removal:
    """Remove the stored source ``target`` (a uri as stored, or a folder holding stored files) and what
    came only from it. Raises E073 when nothing stored matches; E036 when a build holds the store."""
    with build_lock(store.path):
        uris = matching_uris(store, target)
        if not uris:
            raise DossierError("E073", target=target)
        return remove_uris(store, uris, ctx)


def vanished(store: Store, folders: list[str]) -> list[str]:
    """Stored file uris under ``folders`` whose file no longer exists."""
    out: list[str] = []
    for folder in folders:
        if is_url(folder) or not Path(folder).is_dir():
            continue
        out.extend(uri for uri in matching_uris(store, Path(folder).as_posix()) if not Path(uri).exists())
    return out


def prune(store: Store, folders: list[str], options: Options | None = None, finish: bool = True) -> Removal:
    """Remove the sources of files deleted from ``folders`` since they were stored; with ``finish``
    False the cross-article objects are left for the build that follows to recompute."""
    with build_lock(store.path):
        ctx = Context(options=options or Options())
        return remove_uris(store, vanished(store, folders), ctx, finish=finish)
