"""Shared fixtures: the example corpus, a built store, a CLI runner and a real local HTTP server."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossier.models import Source
from dossier.pipeline import build
from dossier.stages.decode import decode
from dossier.stages.split import ArticleFields, split
from dossier.store.sqlite import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
SHARED = ROOT.parent / "shared"


def seed(prefix: str) -> Path:
    """The example capture whose name starts with ``prefix`` (000 … 004)."""
    return next(CORPUS.glob(f"{prefix}_*.txt"))


def split_text(text: str, uri: str = "mem.txt") -> list[ArticleFields]:
    return split(decode(Source(uri=uri, data=text.encode("utf-8"), media_type="text/plain")))


def split_file(path: Path) -> list[ArticleFields]:
    return split(decode(Source(uri=path.as_posix(), data=path.read_bytes(), media_type="text/plain")))


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The example corpus built once into a store that tests only read."""
    path = tmp_path_factory.mktemp("built") / "dossier.sqlite"
    store = Store(path)
    build([CORPUS.as_posix()], store)
    yield store
    store.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "dossier.sqlite")
    yield s
    s.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path == "/error":
            self.send_error(500, "server error")
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on a free loopback port serving files from a temporary folder."""
    root = tmp_path / "www"
    root.mkdir()

    def handler(*args: object, **kwargs: object) -> _Handler:
        return _Handler(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
