"""The store on both backends: SQLite and PostgreSQL (a real server from Debian's package, started once
per session by the ``pg_server`` fixture) hold and give back the same dossier."""

from __future__ import annotations

import pytest

from conftest import CORPUS, pg_database, seed
from dossier.cli import app
from dossier.engine.compare import comparable_export
from dossier.errors import DossierError
from dossier.incremental import remove
from dossier.pipeline import build
from dossier.store.backend import normalise, sqlite_null_order
from dossier.store.pg_lock import pg_build_lock
from dossier.store.search import search
from dossier.store.sqlite import Store


@pytest.fixture(scope="module")
def pg_built(pg_server) -> Store:
    """The example corpus built into a PostgreSQL database."""
    store = Store(pg_database(pg_server))
    build([CORPUS.as_posix()], store)
    yield store
    store.close()


def test_the_example_corpus_on_postgresql_exports_what_sqlite_exports(
    pg_built: Store, built_store: Store
) -> None:
    assert pg_built.dialect == "postgresql" and built_store.dialect == "sqlite"
    assert comparable_export(pg_built) == comparable_export(built_store)
    assert pg_built.counts() == built_store.counts()


def test_search_on_postgresql_is_as_diacritic_insensitive_as_on_sqlite(
    pg_built: Store, built_store: Store
) -> None:
    for typed in ("binh nhuong", "Bình Nhưỡng", "BÌNH NHƯỠNG"):
        on_pg = search(pg_built, typed, limit=50)
        on_sqlite = search(built_store, typed, limit=50)
        assert on_pg.total == on_sqlite.total > 0
        assert {h.article_id for h in on_pg.hits} == {h.article_id for h in on_sqlite.hits}


def test_adding_and_removing_a_source_on_each_backend(backend_store: Store) -> None:
    rest = [p.as_posix() for p in sorted(CORPUS.glob("*.txt")) if not p.name.startswith(("000", "002"))]
    build(rest, backend_store)
    without = comparable_export(backend_store)
    build([seed("000").as_posix(), *rest], backend_store)
    assert backend_store.counts()["articles"] == 4
    remove(backend_store, seed("000").as_posix())
    assert comparable_export(backend_store) == without


def test_a_second_build_on_a_postgresql_store_is_refused(pg_server) -> None:
    url = pg_database(pg_server)
    with Store(url) as store, pg_build_lock(url), pytest.raises(DossierError, match="E036"):
        build([seed("001").as_posix()], store)


def test_the_command_line_takes_a_postgresql_url(pg_server, runner) -> None:
    url = pg_database(pg_server)
    built = runner.invoke(app, ["build", seed("001").as_posix(), "--db", url])
    assert built.exit_code == 0, built.output
    status = runner.invoke(app, ["status", "--db", url])
    assert status.exit_code == 0 and "1" in status.output


def test_rows_sort_nulls_as_sqlite_does_on_postgresql() -> None:
    assert sqlite_null_order("SELECT a FROM t ORDER BY a, b DESC LIMIT 3") == (
        "SELECT a FROM t ORDER BY a NULLS FIRST, b DESC NULLS LAST LIMIT 3"
    )
    assert normalise("postgresql:/u@h:5432/db") == "postgresql://u@h:5432/db"


def test_questions_are_answered_alike_on_both_backends(pg_built: Store, built_store: Store) -> None:
    from dossier.ask import ask

    question = "Hiệp ước được ký khi nào?"
    on_pg, on_sqlite = ask(pg_built, question), ask(built_store, question)
    assert on_pg.known and on_pg.answer == on_sqlite.answer
    assert [(c.article, c.line) for c in on_pg.citations][:1] == [
        (c.article, c.line) for c in on_sqlite.citations
    ][:1]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # per-thread connections
def test_the_explorer_serves_a_postgresql_store(pg_built: Store) -> None:
    from starlette.testclient import TestClient

    from dossier.web.app import create_app

    client = TestClient(create_app(pg_built.path))
    pages = ["/", "/search?q=binh+nhuong", "/timeline", "/entities", "/network", "/coverage", "/claims"]
    pages += ["/api/search?q=binh+nhuong", "/api/timeline", "/api/entities", "/api/network", "/api/coverage"]
    pages += [
        "/api/claims",
        "/api/sentences?q=hiep+uoc",
        "/api/ask?q=Hi%E1%BB%87p+%C6%B0%E1%BB%9Bc+k%C3%BD+khi+n%C3%A0o",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert client.get("/api/search?q=binh+nhuong").json()["total"] > 0
