"""Inputs → sources: files, folders (recursively) and http(s) URLs, each read as bytes.

Reading never aborts a batch: an input that cannot be read yields a :class:`Failure` that the pipeline
records with its reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from dossier.errors import DossierError
from dossier.models import Source

MEDIA_TYPES = {".txt": "text/plain", ".md": "text/markdown", ".html": "text/html", ".htm": "text/html"}


@dataclass
class Failure:
    """An input that could not be read; recorded as a source with status ``error``."""

    uri: str
    error: DossierError


def media_type_of(name: str, content_type: str | None = None) -> str | None:
    if content_type:
        ctype = content_type.split(";")[0].strip().lower()
        if ctype in ("text/html", "application/xhtml+xml"):
            return "text/html"
        if ctype in ("text/plain", "text/markdown"):
            return ctype
    return MEDIA_TYPES.get(Path(name).suffix.lower())


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in a stable order; symlinked folders are not followed (no loops)."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in MEDIA_TYPES:
                yield Path(root) / name


def read_file(path: Path, max_bytes: int) -> Source:
    uri = path.as_posix()
    media_type = media_type_of(path.name)
    if media_type is None:
        raise DossierError("E006", uri=uri, media_type=path.suffix or "(none)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DossierError("E008", uri=uri, size=size, limit=max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise DossierError("E001", uri=uri, reason=exc.strerror or exc) from exc
    return Source(uri=uri, data=data, media_type=media_type)


def fetch_url(url: str, max_bytes: int, timeout: float) -> Source:
    """GET one URL the user named (never a link found in content), bounded in size and time."""
    try:
        with (
            httpx.Client(follow_redirects=True, max_redirects=5, timeout=timeout) as client,
            client.stream("GET", url, headers={"User-Agent": "dossier/0.1"}) as resp,
        ):
            resp.raise_for_status()
            chunks: list[bytes] = []
            total = 0
            for chunk in resp.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise DossierError("E008", uri=url, size=f"more than {total}", limit=max_bytes)
                chunks.append(chunk)
            content_type = resp.headers.get("content-type")
    except httpx.HTTPError as exc:
        raise DossierError("E005", uri=url, reason=str(exc) or type(exc).__name__) from exc
    media_type = media_type_of(httpx.URL(url).path, content_type) or "text/html"
    return Source(uri=url, data=b"".join(chunks), media_type=media_type, fetched_from=url)


def collect(targets: list[str], max_bytes: int, timeout: float) -> Iterator[Source | Failure]:
    """Every source named by ``targets`` (files, folders, URLs), one at a time."""
    for target in targets:
        if is_url(target):
            try:
                yield fetch_url(target, max_bytes, timeout)
            except DossierError as err:
                yield Failure(target, err)
            continue
        path = Path(target)
        if not path.exists():
            yield Failure(target, DossierError("E011", path=target))
            continue
        paths = _walk(path) if path.is_dir() else iter([path])
        for file in paths:
            try:
                yield read_file(file, max_bytes)
            except DossierError as err:
                yield Failure(file.as_posix(), err)
