"""Secondary indexes set aside while a build loads many articles, and made again after it."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CORPUS
from dossier.pipeline import build
from dossier.store import bulk_indexes
from dossier.store.sqlite import Store


def _copy(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def _watch(store: Store) -> tuple[list[bool], object]:
    seen: list[bool] = []
    return seen, lambda uri: seen.append(bulk_indexes.deferred(store))


def _indexes(store: Store) -> set[str]:
    return set(bulk_indexes.definitions(store, bulk_indexes.DEFERRED))


def test_a_build_into_an_empty_store_sets_the_indexes_aside_and_makes_them_again(
    store: Store, tmp_path: Path
) -> None:
    folder = _copy(tmp_path, ["000_b7a7014f5b1b76c4.txt", "003_ecbc9c42466f50f7.txt"])
    assert _indexes(store) == set(bulk_indexes.DEFERRED)
    seen, watch = _watch(store)
    report = build([str(folder)], store, on_source=watch)  # type: ignore[arg-type]
    assert report.articles > 0
    assert seen and all(seen)  # aside from the first source on
    assert not bulk_indexes.deferred(store)
    assert _indexes(store) == set(bulk_indexes.DEFERRED)


def test_a_small_addition_keeps_the_indexes(store: Store, tmp_path: Path) -> None:
    build([str(_copy(tmp_path, ["000_b7a7014f5b1b76c4.txt", "002_b1ed203a062417c6.txt"]))], store)
    seen, watch = _watch(store)
    build([str(_copy(tmp_path, ["003_ecbc9c42466f50f7.txt"]))], store, on_source=watch)  # type: ignore[arg-type]
    assert seen and not any(seen)
    assert _indexes(store) == set(bulk_indexes.DEFERRED)


def test_a_store_left_with_its_indexes_aside_answers_alike_and_the_next_build_finishes_it(
    store: Store, tmp_path: Path
) -> None:
    folder = _copy(tmp_path, ["000_b7a7014f5b1b76c4.txt", "002_b1ed203a062417c6.txt"])
    build([str(folder)], store)
    quotes, mentions = store.quotes(), store.conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
    bulk_indexes.defer(store)  # as a build stopped while loading leaves it
    assert bulk_indexes.deferred(store) and not _indexes(store)
    assert store.quotes() == quotes
    report = build([str(folder)], store)  # nothing new to write
    assert report.articles == 0 and not bulk_indexes.deferred(store)
    assert _indexes(store) == set(bulk_indexes.DEFERRED)
    assert store.conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0] == mentions


def test_writing_over_a_stored_source_makes_the_indexes_again_first(store: Store, tmp_path: Path) -> None:
    changed = tmp_path / "in" / "zz_changed.txt"
    _copy(tmp_path, [])
    shutil.copy(CORPUS / "003_ecbc9c42466f50f7.txt", changed)
    build([str(changed)], store)
    before = {a["id"] for a in store.articles()}
    # many new sources first (the store's articles are outnumbered: indexes set aside), then a new
    # version of the stored one, whose old articles are deleted
    folder = _copy(tmp_path, ["000_b7a7014f5b1b76c4.txt", "002_b1ed203a062417c6.txt"])
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nMột dòng mới.\n", encoding="utf-8")
    seen, watch = _watch(store)
    build([str(folder)], store, on_source=watch)  # type: ignore[arg-type]
    assert True in seen[:-1] and seen[-1] is False  # made again before the old version's articles went
    assert _indexes(store) == set(bulk_indexes.DEFERRED)
    versions = [s for s in store.sources() if s["uri"].endswith("zz_changed.txt")]
    assert [s["status"] for s in versions] == ["superseded", "ok"]
    stale = before - {a["id"] for a in store.articles() if a["source_uri"].endswith("zz_changed.txt")}
    assert all(store.article(a) is None for a in stale)


def test_the_indexes_are_made_with_a_small_cache_and_the_cache_is_given_back(
    store: Store, tmp_path: Path
) -> None:
    build([str(_copy(tmp_path, ["000_b7a7014f5b1b76c4.txt"]))], store)
    bulk_indexes.defer(store)

    def cache() -> int:
        return store.conn.execute("PRAGMA cache_size").fetchone()[0] if store.dialect == "sqlite" else 0

    before = cache()
    with store.conn.small_cache():
        if store.dialect == "sqlite":
            assert cache() > before  # negative: KiB, fewer of them
    bulk_indexes.restore(store)
    assert _indexes(store) == set(bulk_indexes.DEFERRED)
    assert cache() == before
