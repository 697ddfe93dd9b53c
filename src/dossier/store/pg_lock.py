"""One build at a time per PostgreSQL store: a session-level advisory lock.

The lock belongs to a connection of its own, so the server releases it when that connection ends —
when the build finishes or its process dies, even by ``kill -9``. A second build is refused at once
with E036 and the pid of the server process holding the lock's connection.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from dossier.errors import DossierError
from dossier.store.backend import _redact

LOCK_KEY = 0x646F7373  # "doss": one key per database, shared by every dossier build


@contextlib.contextmanager
def pg_build_lock(dsn: str) -> Iterator[None]:
    """Hold the build lock of the PostgreSQL store at ``dsn``; raise E036 when another build holds it."""
    import psycopg

    try:
        conn = psycopg.connect(dsn, autocommit=True)
    except psycopg.Error as exc:
        raise DossierError("E009", path=_redact(dsn), reason=str(exc).strip()) from exc
    try:
        got = conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()
        if not got or not got[0]:
            row = conn.execute(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND granted",
                (LOCK_KEY,),
            ).fetchone()
            raise DossierError("E036", path=_redact(dsn), pid=f"{row[0] if row else 'unknown'} (server)")
        yield
    finally:
        conn.close()
