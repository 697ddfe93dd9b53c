"""Crash safety: ``kill -9`` of a real ``dossier build`` at several points leaves the store consistent,
and the next build finishes the job: its export equals the export of an uninterrupted build."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from backend_pass import StoreLocations, reader, reader_errors
from conftest import CORPUS, seed
from dossier.exports import build_export
from dossier.pipeline import build
from dossier.store.sqlite import Store

DOSSIER = Path(sys.executable).with_name("dossier")  # the command users run, from this environment
SOURCES = len(list(CORPUS.glob("*.txt")))


def _export(store: Store) -> dict[str, Any]:
    return build_export(store, generated_at="2000-01-01T00:00:00Z")


@pytest.fixture(scope="module")
def uninterrupted(built_store: Store) -> dict[str, Any]:
    """The export of the corpus built in one go (the session's ``built_store``)."""
    return _export(built_store)


def _committed(db: str) -> int:
    """Sources committed so far, read the way any reader would while the build writes."""
    try:
        with reader(db) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0])
    except reader_errors():
        return 0  # not created yet, or not migrated yet


def _has_tables(db: str) -> bool:
    """Whether the store exists and its tables were created (a build killed early may leave neither)."""
    try:
        with reader(db) as conn:
            conn.execute("SELECT COUNT(*) FROM sources").fetchone()
        return True
    except reader_errors():
        return False


def _build_and_kill(db: str, when: Callable[[float, int], bool]) -> int | None:
    """Run ``dossier build`` on the corpus and SIGKILL it as soon as ``when(seconds, committed)``
    holds; the exit status (-9 when killed, 0 when it finished first)."""
    proc = subprocess.Popen(
        [str(DOSSIER), "build", CORPUS.as_posix(), "--db", db],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    started = time.monotonic()
    try:
        while proc.poll() is None and time.monotonic() - started < 120:
            if when(time.monotonic() - started, _committed(db)):
                proc.kill()
                break
            time.sleep(0.005)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    return proc.returncode


def _assert_consistent(db: str) -> None:
    with reader(db) as conn:
        if not db.startswith("postgresql:"):  # the server checks pages and references itself
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # a source is stored whole or not at all: every stored ok source has its articles and those
        # their sentences
        bare = conn.execute(
            "SELECT uri FROM sources s WHERE status = 'ok' AND NOT EXISTS"
            " (SELECT 1 FROM articles a WHERE a.source_id = s.id)"
        ).fetchall()
        assert bare == []
        empty = conn.execute(
            "SELECT id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences t WHERE t.article_id = a.id)"
        ).fetchall()
        assert empty == []


def _after(sources: int, pause: float = 0.0) -> Callable[[float, int], bool]:
    """Holds ``pause`` seconds after ``sources`` sources are committed."""
    seen: list[float] = []

    def when(t: float, n: int) -> bool:
        if n >= sources and not seen:
            seen.append(t)
        return bool(seen) and t - seen[0] >= pause

    return when


# Points in the order a build reaches them; each kill lands in a build that resumes the one before.
# The compilation (26 articles) is the third source and takes most of a build: a kill a little after
# the second source lands inside its processing or its one big transaction.
KILL_POINTS: dict[str, Callable[[], Callable[[float, int], bool]]] = {
    "while-starting": lambda: lambda t, n: t > 0.3,
    "after-the-first-source": lambda: _after(1),
    "inside-the-compilation": lambda: _after(2, pause=random.Random(2).uniform(0.05, 0.8)),
    "after-the-last-source": lambda: _after(SOURCES),
}


def test_builds_killed_at_several_points_are_finished_by_the_next(
    tmp_path: Path, db_url: StoreLocations, uninterrupted: dict[str, Any]
):
    """Four builds, each killed with SIGKILL at a later point, each resuming what the one before left;
    after every kill the store is consistent, and a last build gives what one uninterrupted build
    gives (the same export, byte for byte as JSON values)."""
    db = db_url(tmp_path)
    killed = []
    for point, when in KILL_POINTS.items():
        status = _build_and_kill(db, when())
        assert status in (-9, 0), point
        killed.append((point, status))
        if _has_tables(db):
            _assert_consistent(db)
    assert sum(1 for _, status in killed if status == -9) >= 3, killed
    with Store(db) as store:  # no lock is left by the killed builds
        report = build([CORPUS.as_posix()], store)
        assert len(report.added) + len(report.unchanged) == SOURCES
        assert store.build_state("finalize_pending") is None
        assert _export(store) == uninterrupted
    _assert_consistent(db)


def test_a_build_that_finds_everything_stored_still_finishes_a_killed_ones_corpus_stages(store: Store):
    """The state a build killed after its last write leaves: sources stored, the cross-article
    objects not recomputed, the pending mark set. The next build has nothing to read, and still
    recomputes them."""
    build([seed("003").as_posix()], store)
    entities = store.entities()
    assert entities and store.build_state("finalize_pending") is None
    store.set_build_state("finalize_pending", "1")
    store.replace_entities([])
    report = build([seed("003").as_posix()], store)
    assert report.added == [] and len(report.unchanged) == 1
    assert store.entities() == entities
    assert store.build_state("finalize_pending") is None
