"""The backend a test run uses: the whole suite runs on SQLite (the default) or on PostgreSQL
(``pytest --backend postgresql`` or ``DOSSIER_TEST_BACKEND=postgresql``).

Every test that needs a store gets its location from the ``db_url`` fixture: a SQLite file in the
SQLite pass, an empty database of its own on the session's throwaway PostgreSQL server in the
PostgreSQL pass (a new one, or one an earlier test had, emptied when that test ended). The
PostgreSQL pass runs only the tests that use a store (those whose fixtures include ``db_url``); the
rest ran in the SQLite pass already. Two markers change where a test runs:

- ``sqlite_only(reason)``: about SQLite files themselves; skipped, with the reason, on PostgreSQL.
- ``cross_backend``: compares a PostgreSQL store with a SQLite one; runs in the PostgreSQL pass only.

A guard keeps the suite honest: a test that opens a SQLite store without its location coming from
``db_url`` (or that opens one at all in the PostgreSQL pass) fails, unless it is marked as above.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dossier.store.backend import SqliteBackend, is_database_url
from dossier.store.lock import lock_path
from dossier.store.pg_lock import LOCK_KEY
from dossier.store.pgserver import PgServer, start_server

BACKENDS = ("sqlite", "postgresql")
STORE_FIXTURE = "db_url"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=BACKENDS,
        default=os.environ.get("DOSSIER_TEST_BACKEND", "sqlite"),
        help="the store backend the tests run on (default: $DOSSIER_TEST_BACKEND, else sqlite)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): about SQLite files; skipped on PostgreSQL")
    config.addinivalue_line("markers", "cross_backend: compares PostgreSQL with SQLite; PostgreSQL pass only")


def backend_of(config: pytest.Config) -> str:
    return str(config.getoption("--backend"))


def pytest_report_header(config: pytest.Config) -> str:
    return f"store backend: {backend_of(config)}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass keeps the tests that use a store and skips the SQLite-only ones; the SQLite
    pass leaves out the comparisons with PostgreSQL."""
    backend = backend_of(config)
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        cross = item.get_closest_marker("cross_backend") is not None
        uses_store = STORE_FIXTURE in getattr(item, "fixturenames", ())
        runs = not cross if backend == "sqlite" else (uses_store or cross)
        (keep if runs else drop).append(item)
        sqlite_only = item.get_closest_marker("sqlite_only")
        if runs and backend == "postgresql" and sqlite_only is not None:
            reason = sqlite_only.kwargs.get("reason") or (sqlite_only.args[0] if sqlite_only.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


class StoreLocations:
    """Where tests put their stores in this pass. ``locations(tmp_path, "name")`` is a fresh, empty
    location: ``tmp_path/name.sqlite`` on SQLite, a new database on the session's server on
    PostgreSQL. ``locations.missing(tmp_path)`` names a store that does not exist."""

    def __init__(self, backend: str, server: PgServer | None) -> None:
        self.backend = backend
        self.server = server

    def __call__(self, tmp_path: Path, name: str = "dossier") -> str:
        if self.server is None:
            return (tmp_path / f"{name}.sqlite").as_posix()
        return pg_database(self.server)

    def missing(self, tmp_path: Path, name: str = "missing") -> str:
        if self.server is None:
            return (tmp_path / f"{name}.sqlite").as_posix()
        return _database_url(self.server, f"missing_{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server (Debian's package) for the session, stopped at the end."""
    server = start_server()
    try:
        yield server
    finally:
        server.stop()


def _database_url(server: PgServer, name: str) -> str:
    return server.dsn.rsplit("/", 1)[0] + "/" + name


def pg_database(server: PgServer) -> str:
    """The URL of an empty database on the session's server, for one store. Its collation is ICU's
    en-US, as a typical server's databases sort text (not by code point, as SQLite does), so the
    PostgreSQL pass sees the differences in order a user's server would show."""
    import psycopg

    if _EMPTIED:
        dsn, name = _EMPTIED.pop()
    else:
        dsn, name = server.dsn, f"t{uuid.uuid4().hex[:16]}"
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
                " LOCALE 'C.UTF-8'"
            )
    _MADE.append((dsn, name))
    return _database_url(server, name)


_MADE: list[tuple[str, str]] = []  # (server, database) handed out, in order
_EMPTIED: list[tuple[str, str]] = []  # databases of finished tests, emptied to be handed out again


@pytest.fixture(autouse=True)
def _databases_last_as_long_as_their_test() -> Iterator[None]:
    """Empty the databases a test was given when it ends (its module's and the session's were made
    before it started, and stay), for later tests: emptying one (a new ``public`` schema, no store in
    it) is several times cheaper than copying ``template0`` again, and hundreds are handed out."""
    start = len(_MADE)
    yield
    given, _MADE[start:] = _MADE[start:], []
    for dsn, name in given:
        _EMPTIED.append(_emptied(dsn, name))


def _emptied(dsn: str, name: str) -> tuple[str, str]:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as admin:
        # whatever the test left connected (a killed build's session, say) goes first, and with it any
        # build lock it held, before the next test gets the database
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        deadline = time.monotonic() + 30
        left = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s"
        while admin.execute(left, (name,)).fetchone()[0]:
            assert time.monotonic() < deadline, f"sessions on {name} outlived pg_terminate_backend"
            time.sleep(0.01)
    with psycopg.connect(dsn.rsplit("/", 1)[0] + "/" + name, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return dsn, name


@pytest.fixture(scope="session")
def db_url(request: pytest.FixtureRequest) -> StoreLocations:
    """Fresh store locations on this pass's backend (see :class:`StoreLocations`)."""
    backend = backend_of(request.config)
    server = request.getfixturevalue("pg_server") if backend == "postgresql" else None
    return StoreLocations(backend, server)


@pytest.fixture(autouse=True)
def _stores_follow_the_pass(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Fail a test that opened a SQLite store its pass did not give it (see the module docstring)."""
    marked = any(request.node.get_closest_marker(m) for m in ("sqlite_only", "cross_backend"))
    from_pass = backend_of(request.config) == "sqlite" and STORE_FIXTURE in request.fixturenames
    if marked or from_pass:
        yield
        return
    opened: list[str] = []
    original = SqliteBackend.__init__

    def recording(self: SqliteBackend, path: Path) -> None:
        opened.append(str(path))
        original(self, path)

    monkeypatch.setattr(SqliteBackend, "__init__", recording)
    yield
    assert not opened, (
        f"opened SQLite store(s) {opened}: take the location from the db_url fixture, or mark the test"
        " sqlite_only(reason) if it is about SQLite files"
    )


@contextlib.contextmanager
def reader(db: str) -> Iterator[Any]:
    """A read-only connection to the store at ``db``, opened as any other reader would while a build
    writes; within one transaction its reads see one snapshot (SQLite's WAL; REPEATABLE READ)."""
    if is_database_url(db):
        import psycopg

        conn = psycopg.connect(db)
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
    else:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5, isolation_level=None)
        conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.close()


def reader_errors() -> tuple[type[Exception], ...]:
    """What a read raises when the store is not there, or not migrated, yet."""
    import psycopg

    return (sqlite3.Error, psycopg.Error)


def lock_holder(db: str) -> str | None:
    """Who holds the build lock of the store at ``db`` (what E036 would name; "" while the holder has
    yet to write it), or None when no one does and, for SQLite, no lock file is left."""
    if not is_database_url(db):
        path = lock_path(Path(db))
        return path.read_text().strip() if path.exists() else None
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        row = conn.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.objid = %s AND l.granted AND l.database ="
            " (SELECT oid FROM pg_database WHERE datname = current_database())",
            (LOCK_KEY,),
        ).fetchone()
    return (row[0] or "unknown") if row else None
