"""One build at a time per PostgreSQL store: a session-level advisory lock.

The lock belongs to a connection of its own, so the server releases it when that connection ends —
when the build finishes or its process dies, even by ``kill -9``. A second build is refused at once
with E036 naming the holder as SQLite's lock file does: the build's pid (and host), which its lock
connection carries as its ``application_name``.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator

from dossier.errors import DossierError
from dossier.store.backend import _redact

LOCK_KEY = 0x646F7373  # "doss": one key per database, shared by every dossier build


_PREFIX = "dossier build "


def holder_name() -> str:
    """How a build's lock connection names itself to the server: its pid, and its host (a build may
    run on another machine than the one a second build is started on)."""
    return f"{_PREFIX}{os.getpid()} on {socket.gethostname()}"[:63]  # the server keeps 63 bytes


@contextlib.contextmanager
def pg_build_lock(dsn: str) -> Iterator[None]:
    """Hold the build lock of the PostgreSQL store at ``dsn``; raise E036 when another build holds it."""
    import psycopg

    try:
        conn = psycopg.connect(dsn, autocommit=True, application_name=holder_name())
    except psycopg.Error as exc:
        raise DossierError("E009", path=_redact(dsn), reason=str(exc).strip()) from exc
    try:
        got = conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()
        if not got or not got[0]:
            row = conn.execute(
                "SELECT a.application_name, l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND l.objid = %s AND l.granted"
                " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                (LOCK_KEY,),
            ).fetchone()
            holder = (row[0] or f"{row[1]} (server)") if row else "unknown"
            raise DossierError("E036", path=_redact(dsn), pid=holder.removeprefix(_PREFIX))
        yield
    finally:
        conn.close()
