"""Inputs → sources: files, folders (recursively) and URLs, each read as bytes within the limits.

Reading never aborts a batch: an input that cannot be read yields a :class:`Failure` that the pipeline
records with its coded reason. Only URLs the user names are fetched, never links found in content.

Limits (:class:`dossier.config.Options`): a file over ``max_bytes`` is refused from its size before
it is read, and never more than ``max_bytes`` is read from it whatever its size claims; a download
stops as soon as it passes ``max_fetch_bytes`` (after decompression) or the whole fetch, redirects
included, passes ``fetch_timeout``; a URL and every redirect must use one of ``url_schemes``.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from dossier.config import Options
from dossier.errors import DossierError
from dossier.models import Source

MEDIA_TYPES = {".txt": "text/plain", ".md": "text/markdown", ".html": "text/html", ".htm": "text/html"}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")


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


def url_scheme(target: str) -> str | None:
    """The scheme of ``target`` when it is written as a URL (``scheme://…``), lower-cased."""
    m = _SCHEME.match(target)
    return m.group(1).lower() if m else None


def is_url(target: str) -> bool:
    return url_scheme(target) is not None


def _check_scheme(url: str, origin: str, options: Options) -> None:
    scheme = url_scheme(url) or "(none)"
    if scheme not in options.url_schemes:
        raise DossierError("E032", uri=origin, scheme=scheme, allowed=", ".join(options.url_schemes))


def _walk(folder: Path, failures: list[Failure]) -> Iterator[Path]:
    """Files under ``folder`` in a stable order. Symlinked folders are not followed (no loops); a
    subfolder that cannot be listed is added to ``failures``."""

    def unreadable(err: OSError) -> None:
        where = Path(err.filename).as_posix() if err.filename else folder.as_posix()
        failures.append(Failure(where, DossierError("E001", uri=where, reason=err.strerror or err)))

    for root, dirs, files in os.walk(folder, followlinks=False, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in MEDIA_TYPES:
                yield Path(root) / name


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def read_file(path: Path, max_bytes: int) -> Source:
    """The bytes of one file, refused without reading when it is too large or not a regular file."""
    uri = path.as_posix()
    media_type = media_type_of(path.name)
    if media_type is None:
        raise DossierError("E006", uri=uri, media_type=path.suffix or "(none)")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise DossierError("E035", uri=uri, kind=_kind(info.st_mode))
        if info.st_size > max_bytes:
            raise DossierError("E008", uri=uri, size=info.st_size, limit=max_bytes)
        # O_NONBLOCK: a file swapped for a pipe after the check must not hang the build
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            # what the size said, then whatever more there is up to the limit (a file that grew, a
            # size of 0 from a special file system), never more
            data = fh.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise DossierError("E001", uri=uri, reason=exc.strerror or exc) from exc
    if len(data) > max_bytes:
        raise DossierError("E008", uri=uri, size=f"more than {max_bytes}", limit=max_bytes)
    return Source(uri=uri, data=data, media_type=media_type)


def _remaining(deadline: float, url: str, options: Options) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise DossierError("E033", uri=url, limit=options.fetch_timeout)
    return left


def fetch_url(url: str, options: Options) -> Source:
    """GET one URL the user named (never a link found in content), within the fetch limits."""
    _check_scheme(url, url, options)
    deadline = time.monotonic() + options.fetch_timeout
    current = url
    try:
        with httpx.Client(follow_redirects=False) as client:
            for _hop in range(options.max_redirects + 1):
                timeout = httpx.Timeout(_remaining(deadline, url, options))
                with client.stream(
                    "GET", current, headers={"User-Agent": "dossier/0.1"}, timeout=timeout
                ) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        current = str(resp.url.join(resp.headers["location"]))
                        _check_scheme(current, url, options)
                        continue
                    if resp.status_code >= 400:
                        reason = f"the server answered {resp.status_code} {resp.reason_phrase}".strip()
                        raise DossierError("E005", uri=url, reason=reason)
                    data = _read_body(resp, url, deadline, options)
                    content_type = resp.headers.get("content-type")
                    break
            else:
                reason = f"more than {options.max_redirects} redirects (a loop?), the last to {current}"
                raise DossierError("E005", uri=url, reason=reason)
    except httpx.TimeoutException as exc:
        raise DossierError("E033", uri=url, limit=options.fetch_timeout) from exc
    except httpx.HTTPError as exc:
        raise DossierError("E005", uri=url, reason=str(exc) or type(exc).__name__) from exc
    media_type = media_type_of(httpx.URL(url).path, content_type) or "text/html"
    return Source(uri=url, data=data, media_type=media_type, fetched_from=url)


def _read_body(resp: httpx.Response, url: str, deadline: float, options: Options) -> bytes:
    limit = options.max_fetch_bytes
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise DossierError("E031", uri=url, limit=limit)
    chunks: list[bytes] = []
    total = 0
    for chunk in resp.iter_bytes():  # decompressed: a small gzip bomb is stopped all the same
        total += len(chunk)
        if total > limit:
            raise DossierError("E031", uri=url, limit=limit)
        chunks.append(chunk)
        _remaining(deadline, url, options)  # a server trickling bytes is cut off at the deadline
    return b"".join(chunks)


def _read_path(target: str, options: Options) -> Iterator[Source | Failure]:
    path = Path(target)
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ENOENT and not path.is_symlink():
            yield Failure(target, DossierError("E011", path=target))
        else:  # a symlink loop or a dangling link: say so rather than "does not exist"
            yield Failure(target, DossierError("E001", uri=target, reason=exc.strerror or exc))
        return
    if not path.is_dir():
        try:
            yield read_file(path, options.max_bytes)
        except DossierError as err:
            yield Failure(path.as_posix(), err)
        return
    failures: list[Failure] = []
    for file in _walk(path, failures):
        yield from failures
        failures.clear()
        try:
            yield read_file(file, options.max_bytes)
        except DossierError as err:
            yield Failure(file.as_posix(), err)
    yield from failures


def collect(targets: list[str], options: Options | None = None) -> Iterator[Source | Failure]:
    """Every source named by ``targets`` (files, folders, URLs), one at a time."""
    options = options or Options()
    for target in targets:
        if is_url(target):
            try:
                yield fetch_url(target, options)
            except DossierError as err:
                yield Failure(target, err)
            continue
        yield from _read_path(target, options)
