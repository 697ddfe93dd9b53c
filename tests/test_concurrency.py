"""Concurrent use of one store: readers and the web server answer while a build writes (SQLite's WAL,
PostgreSQL's snapshots), and a second build on the same store is refused at once with a reason (E036)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from backend_pass import StoreLocations, lock_holder, reader
from conftest import CORPUS, seed
from dossier.cli import app
from dossier.errors import DossierError
from dossier.pipeline import build
from dossier.store.lock import build_lock
from dossier.store.sqlite import Store

DOSSIER = Path(sys.executable).with_name("dossier")


def _start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(DOSSIER), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    if proc.stderr:
        proc.stderr.close()


@pytest.fixture
def running_build(tmp_path: Path, db_url: StoreLocations) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``dossier build`` of the corpus into a fresh store, running; stopped at teardown if still."""
    db = db_url(tmp_path)
    Store(db).close()  # the server needs the store to exist
    proc = _start("build", CORPUS.as_posix(), "--db", db)
    try:
        yield db, proc
    finally:
        _stop(proc)


def _snapshot(db: str) -> tuple[int, int, int]:
    """(sources, articles, sentences) read in one transaction, which must be self-consistent."""
    with reader(db) as conn:
        counts = tuple(
            conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("sources", "articles", "sentences")
        )
        bare = conn.execute(
            "SELECT COUNT(*) FROM sources s WHERE status = 'ok'"
            " AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.source_id = s.id)"
        ).fetchone()[0]
    assert bare == 0  # never half a source
    return counts  # type: ignore[return-value]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _refused_while_running(db: str, first: subprocess.Popen[bytes], runner: CliRunner) -> None:
    """A second ``dossier build`` on the store the running build holds exits at once with E036."""
    deadline = time.monotonic() + 60
    while not lock_holder(db) and first.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert first.poll() is None, "the first build ended before the second could start"
    second = runner.invoke(app, ["build", seed("003").as_posix(), "--db", db])
    assert second.exit_code == 2
    assert "E036" in second.output and str(first.pid) in second.output


def test_while_a_build_writes_readers_and_the_server_answer_and_a_second_build_is_refused(
    running_build: tuple[str, subprocess.Popen[bytes]], built_store: Store, runner: CliRunner
):
    db, build_proc = running_build
    port = _free_port()
    server = _start("serve", "--db", db, "--port", str(port))
    try:
        _refused_while_running(db, build_proc, runner)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            snapshots: list[tuple[int, int, int]] = []
            answered = 0
            while build_proc.poll() is None:
                snapshots.append(_snapshot(db))
                try:
                    pages = [
                        client.get("/api/articles"),
                        client.get("/articles"),
                        client.get("/api/search?q=Putin"),
                    ]
                except httpx.TransportError:
                    assert server.poll() is None, "the server died"
                    time.sleep(0.1)  # still starting
                    continue
                assert [p.status_code for p in pages] == [200, 200, 200]
                answered += 1
            assert build_proc.returncode == 0  # neither the readers nor the refused build disturbed it
            assert answered >= 3, "the server answered too few times while the build ran"
            for before, after in zip(snapshots, snapshots[1:], strict=False):  # reads only ever see more
                assert all(a <= b for a, b in zip(before, after, strict=True)), (before, after)
            assert len(set(snapshots)) > 1  # and saw the build progress
            assert client.get("/api/articles").status_code == 200
    finally:
        _stop(server)
    assert _snapshot(db) == (5, built_store.counts()["articles"], built_store.counts()["sentences"])
    assert lock_holder(db) is None  # a finished build leaves nothing behind


def test_the_lock_refuses_in_process_and_is_released(tmp_path: Path, db_url: StoreLocations):
    db = db_url(tmp_path)
    with Store(db) as store:
        with build_lock(store.path):
            assert str(os.getpid()) in (lock_holder(db) or "")
            with pytest.raises(DossierError) as err:
                build([seed("003").as_posix()], store)
            assert err.value.code == "E036"
            assert store.counts()["sources"] == 0
        assert lock_holder(db) is None
        assert len(build([seed("003").as_posix()], store).added) == 1
