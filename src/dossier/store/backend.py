"""The two database backends behind one small interface: SQLite (the default, one file, WAL) and
PostgreSQL (``postgresql://…``).

The store writes portable SQL with ``?`` placeholders; the PostgreSQL backend turns them into
``%s``. Rows come back as :class:`Row`, readable by column name or position on both backends.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from dossier.errors import DossierError


class Row:
    """A result row that behaves as :class:`sqlite3.Row` does on both backends: ``row["id"]`` and
    ``row[0]`` both work, iterating and unpacking give the values, and ``dict(row)`` the columns."""

    __slots__ = ("_names", "_values", "_index")

    def __init__(
        self, names: Sequence[str], values: Sequence[Any], index: dict[str, int] | None = None
    ) -> None:
        self._names = names
        self._values = tuple(values)
        self._index = index if index is not None else {n: i for i, n in enumerate(names)}

    def __getitem__(self, key: str | int) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._names)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, Row | tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._names, self._values, strict=True))!r})"


class Result:
    """The rows of one statement, iterated once."""

    def __init__(self, cursor: Any, lastrowid: int | None = None) -> None:
        self._cursor = cursor
        desc = cursor.description
        self._names = [d[0] for d in desc] if desc else []
        self.lastrowid = lastrowid if lastrowid is not None else getattr(cursor, "lastrowid", None)

    def __iter__(self) -> Iterator[Row]:
        index = {n: i for i, n in enumerate(self._names)}
        for values in self._cursor:
            yield Row(self._names, values, index)

    def tuples(self) -> Iterator[tuple[Any, ...]]:
        """The rows as plain tuples of values (cheaper than :class:`Row` for bulk reads)."""
        for values in self._cursor:
            yield tuple(values)

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

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        """The rows of a query, fetched as they are read (not all at once): for reading a whole table."""
        yield from self.execute(sql, params)

    def commit(self) -> None:
        self.execute("COMMIT")

    @contextlib.contextmanager
    def small_cache(self) -> Iterator[None]:
        """Statements that read and write in one pass (creating an index) or sort every row of a large
        table run with little cache."""
        yield

    @contextlib.contextmanager
    def small_heap(self) -> Iterator[None]:
        """Work that reads in order and writes in sorted runs (the corpus stages) runs in little
        database memory."""
        yield

    def rollback(self) -> None:
        self.execute("ROLLBACK")

    def close(self) -> None:
        raise NotImplementedError


CACHE_KIB = 16 * 1024  # SQLite's page cache per connection
# SQLite sorts for CREATE INDEX in memory up to the cache size, beside the cache: making the set-aside
# indexes of 10,000 articles again peaked 17 MB higher at 16 MB than at 2 MB, and took more CPU
SMALL_CACHE_KIB = 2 * 1024
# SQLite's memory while the corpus stages run. With the build's cache each stage's sorts took up to 16 MB
# beside the 16 MB cache, and the stages peaked 17-22 MB above the sources phase at 10,000 articles. They
# read in index order and write sorted runs: a 10,000-article build took the same CPU with these limits
# as without (corpus stages 17.8 / 18.0 s, the two builds side by side), and peaked at 125 MB, not 140.
CORPUS_CACHE_KIB = 4 * 1024
SMALL_HEAP_KIB = 6 * 1024  # the page caches, sorts and statements of all connections


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
        # A build writes transactions of tens of MB; with SQLite's default 2 MB page cache their pages
        # spill to the log and are read back many times (at 1,000 articles: 175 reads and 177 writes
        # per article, 44 and 133 with 16 MB). Allocated as pages are used, so readers pay little.
        self.raw.execute(f"PRAGMA cache_size=-{CACHE_KIB}")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        return Result(self.raw.execute(sql, params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.raw.executemany(sql, rows)

    def begin(self) -> None:
        # IMMEDIATE takes the write lock at once, so two writers serialise instead of deadlocking
        self.raw.execute("BEGIN IMMEDIATE")

    @contextlib.contextmanager
    def small_cache(self) -> Iterator[None]:
        with self._pragmas(cache_size=-SMALL_CACHE_KIB):  # frees the pages beyond it
            yield

    @contextlib.contextmanager
    def small_heap(self) -> Iterator[None]:
        # A sort is given as much memory as the page cache; the soft heap limit (one for the process)
        # makes every page cache reuse its pages instead of growing past it
        with self._pragmas(cache_size=-CORPUS_CACHE_KIB, soft_heap_limit=SMALL_HEAP_KIB * 1024):
            yield

    @contextlib.contextmanager
    def _pragmas(self, **values: int) -> Iterator[None]:
        """Set integer pragmas (names from this module, never from input), each given back after."""
        before = {name: int(self.raw.execute(f"PRAGMA {name}").fetchone()[0]) for name in values}
        for name, value in values.items():
            self.raw.execute(f"PRAGMA {name}={int(value)}")
        try:
            yield
        finally:
            for name, value in reversed(before.items()):
                self.raw.execute(f"PRAGMA {name}={value}")

    def close(self) -> None:
        self.raw.close()


class PostgresBackend(Backend):
    dialect = "postgresql"

    def __init__(self, dsn: str) -> None:
        import psycopg

        try:
            self.raw = psycopg.connect(dsn, autocommit=True)
        except psycopg.Error as exc:
            # a store that is not there is E011 on both backends (libpq gives no SQLSTATE here)
            if re.search(r'database ".*" does not exist', str(exc)):
                raise DossierError("E011", path=_redact(dsn)) from exc
            raise DossierError("E009", path=_redact(dsn), reason=str(exc).strip()) from exc

    @staticmethod
    def _sql(sql: str) -> str:
        if sql.strip().upper() == "BEGIN IMMEDIATE":  # SQLite's "take the write lock now"
            return "BEGIN"
        return sqlite_null_order(sql).replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        text = self._sql(sql)
        # an insert into a table with a generated id says which id it got, as SQLite's lastrowid does
        returning = text.lstrip().upper().startswith(_RETURNING_ID) and "RETURNING" not in text.upper()
        cursor = self.raw.execute(text + " RETURNING id" if returning else text, params)  # type: ignore[arg-type]
        if returning:
            row = cursor.fetchone()
            return Result(cursor, lastrowid=row[0] if row else None)
        return Result(cursor)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(self._sql(sql), rows)  # type: ignore[arg-type]

    def begin(self) -> None:
        self.raw.execute("BEGIN")

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        # a server-side cursor: rows come in batches (a plain cursor fetches the whole result first);
        # WITH HOLD lets it outlive the statement's own transaction on this autocommit connection
        self._streams = getattr(self, "_streams", 0) + 1
        with self.raw.cursor(name=f"dossier_stream_{self._streams}", withhold=True) as cur:
            cur.itersize = 2000
            cur.execute(self._sql(sql), params)  # type: ignore[arg-type]
            names = [d[0] for d in cur.description or []]
            index = {n: i for i, n in enumerate(names)}
            for values in cur:
                yield Row(names, values, index)

    def close(self) -> None:
        self.raw.close()


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\b(LIMIT|OFFSET|FETCH|FOR)\b", re.IGNORECASE)


def sqlite_null_order(sql: str) -> str:
    """``sql`` with every ORDER BY key sorting NULLs as SQLite does (first ascending, last descending),
    so that both backends list rows in one order. Keys that say NULLS already are left alone."""
    out, pos = [], 0
    for m in _ORDER_BY.finditer(sql):
        if m.start() < pos:
            continue
        out.append(sql[pos : m.end()])
        i, depth, keys, start = m.end(), 0, [], m.end()
        while i < len(sql):
            ch = sql[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                keys.append(sql[start:i])
                start = i + 1
            elif depth == 0 and _CLAUSE_END.match(sql, i) and sql[i - 1].isspace():
                break
            i += 1
        keys.append(sql[start:i])
        fixed = []
        for key in keys:
            body = key.rstrip()
            tail = key[len(body) :]
            upper = body.upper()
            if "NULLS" not in upper:
                body += " NULLS LAST" if upper.endswith("DESC") else " NULLS FIRST"
            fixed.append(body + tail)
        out.append(",".join(fixed))
        pos = i
    out.append(sql[pos:])
    return "".join(out)


_RETURNING_ID = ("INSERT INTO SEARCH_MAP ",)  # tables whose id the database generates


def is_database_url(target: str | Path) -> bool:
    """Whether a store location names a PostgreSQL database rather than a SQLite file. A URL that went
    through ``Path`` (``postgresql:/u@h/db``, one slash lost) still counts."""
    return str(target).startswith(("postgresql:/", "postgres:/"))


def normalise(target: str | Path) -> str:
    """The store location as a string: a PostgreSQL URL with its ``//`` restored, else the path."""
    text = str(target)
    for scheme in ("postgresql:", "postgres:"):
        if text.startswith(scheme + "/") and not text.startswith(scheme + "//"):
            return scheme + "//" + text[len(scheme) + 1 :]
    return text


def _redact(dsn: str) -> str:
    """A DSN without its password, for messages."""
    if "@" in dsn and "://" in dsn:
        scheme, rest = dsn.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return dsn


def connect(target: str | Path) -> Backend:
    """The backend for a store location: a ``postgresql://`` URL or a SQLite file path."""
    text = normalise(target)
    if is_database_url(text):
        return PostgresBackend(text)
    return SqliteBackend(Path(target))
