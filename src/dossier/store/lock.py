"""One build at a time per store: an exclusive lock on a file beside the database.

Each source is written in its own transaction, so two builds interleaving would never corrupt the
store; but both would process the same inputs and recompute the cross-article objects over each
other's half-written batches. The second build is therefore refused at once with a reason (E036),
while readers (``dossier status``, exports, the web server) go on reading through SQLite's WAL.

The lock is ``flock`` on ``<db>.lock``: the kernel releases it when the holder dies, even by
``kill -9``, so a crashed build never leaves a store locked. A clean exit removes the file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from dossier.errors import DossierError
from dossier.store.backend import is_database_url
from dossier.store.pg_lock import pg_build_lock

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; builds there are not serialised
    fcntl = None  # type: ignore[assignment]


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def _holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 32).decode("ascii", errors="replace").strip() or "unknown"
    except OSError:
        return "unknown"


@contextlib.contextmanager
def build_lock(db: Path) -> Iterator[None]:
    """Hold the build lock of the store at ``db`` for the duration; raise E036 when another process
    holds it. An in-memory store needs no lock."""
    if is_database_url(str(db)):  # PostgreSQL: an advisory lock on the server
        with pg_build_lock(str(db)):
            yield
        return
    if fcntl is None or str(db) == ":memory:":
        yield
        return
    path = lock_path(db)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pid = _holder(fd)
            os.close(fd)
            raise DossierError("E036", path=db, pid=pid) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        # the holder removed the file between our open and our lock: lock the new one instead
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still held, so no one can lock the removed file and think it valid
        os.close(fd)
