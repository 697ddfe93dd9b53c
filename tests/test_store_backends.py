"""The store on both backends. The whole suite runs once per backend (``tests/backend_pass.py``);
the tests marked ``cross_backend`` run in the PostgreSQL pass and compare what a PostgreSQL store gives
with what a SQLite file gives for the same corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import CORPUS, seed
from dossier.engine.compare import comparable_export
from dossier.incremental import remove
from dossier.pipeline import build
from dossier.store.backend import normalise, sqlite_null_order
from dossier.store.in_list import in_lists, padded
from dossier.store.search import search
from dossier.store.sqlite import Store


@pytest.fixture(scope="module")
def sqlite_built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The example corpus built into a SQLite file, to compare the PostgreSQL pass's store with."""
    store = Store(tmp_path_factory.mktemp("sqlite") / "dossier.sqlite")
    build([CORPUS.as_posix()], store)
    yield store
    store.close()


@pytest.mark.cross_backend
def test_the_example_corpus_on_postgresql_exports_what_sqlite_exports(
    built_store: Store, sqlite_built: Store
) -> None:
    assert built_store.dialect == "postgresql" and sqlite_built.dialect == "sqlite"
    assert comparable_export(built_store) == comparable_export(sqlite_built)
    assert built_store.counts() == sqlite_built.counts()


@pytest.mark.cross_backend
def test_search_on_postgresql_is_as_diacritic_insensitive_as_on_sqlite(
    built_store: Store, sqlite_built: Store
) -> None:
    for typed in ("binh nhuong", "Bình Nhưỡng", "BÌNH NHƯỠNG"):
        on_pg = search(built_store, typed, limit=50)
        on_sqlite = search(sqlite_built, typed, limit=50)
        assert on_pg.total == on_sqlite.total > 0
        assert {h.article_id for h in on_pg.hits} == {h.article_id for h in on_sqlite.hits}


def test_adding_and_removing_a_source(store: Store) -> None:
    rest = [p.as_posix() for p in sorted(CORPUS.glob("*.txt")) if not p.name.startswith(("000", "002"))]
    build(rest, store)
    without = comparable_export(store)
    build([seed("000").as_posix(), *rest], store)
    assert store.counts()["articles"] == 4
    remove(store, seed("000").as_posix())
    assert comparable_export(store) == without


def test_rows_sort_nulls_as_sqlite_does_on_postgresql() -> None:
    assert sqlite_null_order("SELECT a FROM t ORDER BY a, b DESC LIMIT 3") == (
        "SELECT a FROM t ORDER BY a NULLS FIRST, b DESC NULLS LAST LIMIT 3"
    )
    assert normalise("postgresql:/u@h:5432/db") == "postgresql://u@h:5432/db"


@pytest.mark.cross_backend
def test_questions_are_answered_alike_on_both_backends(built_store: Store, sqlite_built: Store) -> None:
    from dossier.ask import ask

    question = "Hiệp ước được ký khi nào?"
    on_pg, on_sqlite = ask(built_store, question), ask(sqlite_built, question)
    assert on_pg.known and on_pg.answer == on_sqlite.answer
    assert [(c.article, c.line) for c in on_pg.citations][:1] == [
        (c.article, c.line) for c in on_sqlite.citations
    ][:1]


def test_in_lists_come_in_few_shapes_and_test_the_same_values() -> None:
    assert padded([]) == []
    for n in range(1, 600):
        values = list(range(n))
        out = padded(values)
        assert out[:n] == values and set(out) == set(values)
        assert len(out) & (len(out) - 1) == 0 and len(out) < 2 * n  # a power of two, below twice n
    assert len({len(padded(list(range(n)))) for n in range(1, 513)}) == 10
    # a long list in bounded parts, each padded and with its placeholders, all values in order
    parts = list(in_lists(list(range(1_100)), 500))
    assert [len(part) for part, _ in parts] == [512, 512, 128]
    assert all(marks == ",".join("?" * len(part)) for part, marks in parts)
    assert [v for part, _ in parts for v in dict.fromkeys(part)] == list(range(1_100))
    assert list(in_lists([], 500)) == []
