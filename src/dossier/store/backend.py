"""The two database backends behind one small interface: SQLite (the default, one file, WAL) and
PostgreSQL (``postgresql://…``).

The store writes portable SQL with ``?`` placeholders; the PostgreSQL backend turns them into
``%s``. Rows come back as :class:`Row`, readable by column name or position on both backends.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from dossier.errors import DossierError


class Row(dict[str, Any]):
    """A result row: ``row["id"]`` and ``row[0]`` both work."""

    def __init__(self, names: Sequence[str], values: Sequence[Any]) -> None:
        super().__init__(zip(names, values, strict=True))
        self._values = tuple(values)

    def __getitem__(self, key: str | int) -> Any:  # type: ignore[override]
        if isinstance(key, int):
            return self._values[key]
        return super().__getitem__(key)


class Result:
    """The rows of one statement, iterated once."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        desc = cursor.description
        self._names = [d[0] for d in desc] if desc else []

    def __iter__(self) -> Iterator[Row]:
        for values in self._cursor:
            yield Row(self._names, values)

    def fetchone(self) -> Row | None:
        values = self._cursor.fetchone()
        return Row(self._names, values) if values is not None else None

    def fetchall(self) -> list[Row]:
        return list(self)


class Backend:
    dialect = "sqlite"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def begin(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        self.execute("ROLLBACK")

    def close(self) -> None:
        raise NotImplementedError


class SqliteBackend(Backend):
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        try:
            self.raw = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise DossierError("E009", path=path, reason=exc) from exc
        self.raw.execute("PRAGMA journal_mode=WAL")
        self.raw.execute("PRAGMA foreign_keys=ON")
        self.raw.execute("PRAGMA synchronous=NORMAL")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        return Result(self.raw.execute(sql, params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.raw.executemany(sql, rows)

    def begin(self) -> None:
        # IMMEDIATE takes the write lock at once, so two writers serialise instead of deadlocking
        self.raw.execute("BEGIN IMMEDIATE")

    def close(self) -> None:
        self.raw.close()


class PostgresBackend(Backend):
    dialect = "postgresql"

    def __init__(self, dsn: str) -> None:
        import psycopg

        try:
            self.raw = psycopg.connect(dsn, autocommit=True)
        except psycopg.Error as exc:
            raise DossierError("E009", path=_redact(dsn), reason=str(exc).strip()) from exc

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        return Result(self.raw.execute(self._sql(sql), params))  # type: ignore[arg-type]

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(self._sql(sql), rows)  # type: ignore[arg-type]

    def begin(self) -> None:
        self.raw.execute("BEGIN")

    def close(self) -> None:
        self.raw.close()


def _redact(dsn: str) -> str:
    """A DSN without its password, for messages."""
    if "@" in dsn and "://" in dsn:
        scheme, rest = dsn.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return dsn


def connect(target: str | Path) -> Backend:
    """The backend for a store location: a ``postgresql://`` URL or a SQLite file path."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(text)
    return SqliteBackend(Path(target))
