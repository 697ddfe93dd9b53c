"""Shared fixtures: the example corpus, a built store, a CLI runner and a real local HTTP server."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from dossier.models import Article, Mention, OffsetMap, Segment, Sentence, Source
from dossier.pipeline import build
from dossier.stages import dates
from dossier.stages.decode import decode
from dossier.stages.split import split
from dossier.store.sqlite import Store
from dossier.timex import Anchor

if TYPE_CHECKING:
    from backend_pass import StoreLocations

# the store backend of this run, fresh store locations on it (the db_url fixture) and what runs where
pytest_plugins = ["backend_pass"]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
SHARED = ROOT.parent / "shared"


def seed(prefix: str) -> Path:
    """The example capture whose name starts with ``prefix`` (000 … 004)."""
    return next(CORPUS.glob(f"{prefix}_*.txt"))


def split_text(text: str, uri: str = "mem.txt") -> list[Article]:
    return split(decode(Source(uri=uri, data=text.encode("utf-8"), media_type="text/plain")))


def made_article(text: str, published: str | None, names: dict[str, tuple[str, str]]) -> Article:
    """An article of one-line paragraphs, sentences split at . ! ?, every name of ``names`` (text →
    (entity id, type)) as a mention, times resolved against ``published``."""
    segments, start = [], 0
    for i, line in enumerate(text.split("\n")):
        segments.append(Segment(start, i + 1, 0, len(line)))
        start += len(line) + 1
    art = Article(
        source_id="src-test", start_line=1, end_line=text.count("\n") + 1, title="t", text=text,
        offsets=OffsetMap(segments), published=published,
    )  # fmt: skip
    for m in re.finditer(r"[^.!?\n]+[.!?]?", text):
        if m.group().strip():
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            line = art.offsets.line_of(start)
            art.sentences.append(Sentence(len(art.sentences), start, m.end(), m.group().strip(), line))
    pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    art.mentions = [
        Mention(m.start(), m.end(), m.group(), *names[m.group()], line=art.offsets.line_of(m.start()))
        for m in pattern.finditer(text)
    ]
    dates.annotate(art, Anchor.parse(published))
    return art


def split_file(path: Path) -> list[Article]:
    return split(decode(Source(uri=path.as_posix(), data=path.read_bytes(), media_type="text/plain")))


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory, db_url: StoreLocations) -> Iterator[Store]:
    """The example corpus built once into a store that tests only read."""
    store = Store(db_url(tmp_path_factory.mktemp("built")))
    build([CORPUS.as_posix()], store)
    yield store
    store.close()


@pytest.fixture
def store(tmp_path: Path, db_url: StoreLocations) -> Iterator[Store]:
    """An empty store on this run's backend."""
    s = Store(db_url(tmp_path))
    yield s
    s.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        if self.path == "/error":
            self.send_error(500, "server error")
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/to-ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/bai.txt")
            self.end_headers()
            return
        if self.path in ("/slow", "/trickle"):
            self._slowly(trickle=self.path == "/trickle")
            return
        super().do_GET()

    def _slowly(self, trickle: bool) -> None:
        """/slow answers nothing for 10 s; /trickle sends its headers, then a byte every 0.2 s for 10 s.
        Both stop as soon as the server shuts down, so that no thread outlives the test."""
        stopping: threading.Event = self.server.stopping  # type: ignore[attr-defined]
        if not trickle:
            stopping.wait(10)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        for _ in range(50):
            if stopping.wait(0.2):
                return
            try:
                self.wfile.write(b"a")
                self.wfile.flush()
            except OSError:
                return


@pytest.fixture
def http_server(tmp_path: Path, http_requests: list[str]) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on a free loopback port serving files from a temporary folder."""
    root = tmp_path / "www"
    root.mkdir()

    def handler(*args: object, **kwargs: object) -> _Handler:
        return _Handler(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = http_requests  # type: ignore[attr-defined]
    server.stopping = threading.Event()  # type: ignore[attr-defined]
    server.block_on_close = True  # server_close waits for the handler threads
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.stopping.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def http_requests() -> list[str]:
    """The paths the ``http_server`` of the same test was asked for, in order."""
    return []
