"""``dossier watch``: poll folders and feeds and build what is new, until told to stop.

Each round looks at every folder (files whose size or modification time changed since the last
round, and new files) and every feed URL (items it never gave before), and builds only those into
the store; with ``prune`` files deleted from a folder are removed from the store. Rounds are
``interval`` seconds apart. The loop is bounded (``rounds``, ``seconds``) and stops between two
rounds when ``stop`` is set (the command sets it on Ctrl-C or SIGTERM), never in the middle of a
build.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dossier.config import Options
from dossier.errors import DossierError
from dossier.incremental import prune as prune_folders
from dossier.pipeline import BuildReport, Context, build
from dossier.stages import feeds
from dossier.stages.ingest import MEDIA_TYPES, is_url
from dossier.store.sqlite import Store

Snapshot = dict[str, tuple[int, int]]  # path → (size, mtime in ns)


@dataclass
class Round:
    """What one round did."""

    number: int
    built: list[str] = field(default_factory=list)
    articles: int = 0
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def snapshot(folder: Path) -> Snapshot:
    """Size and modification time of every capture file under ``folder`` (hidden ones skipped)."""
    out: Snapshot = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or Path(name).suffix.lower() not in MEDIA_TYPES:
                continue
            path = Path(root) / name
            try:
                st = path.stat()
            except OSError:
                continue
            out[path.as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


class Watcher:
    """The state of a watch: the last snapshot of each folder; one :meth:`poll` is one round."""

    def __init__(
        self,
        targets: list[str],
        store: Store,
        options: Options | None = None,
        prune: bool = False,
        ctx: Context | None = None,
    ) -> None:
        self.folders = [t for t in targets if not is_url(t)]
        self.feeds = [t for t in targets if is_url(t)]
        self.store = store
        self.options = options or Options()
        self.prune = prune
        self.ctx = ctx
        self.snapshots: dict[str, Snapshot] = {}
        self.rounds = 0

    def _changed_files(self) -> list[str]:
        changed: list[str] = []
        for folder in self.folders:
            now = snapshot(Path(folder)) if Path(folder).is_dir() else {}
            before = self.snapshots.get(folder)
            if Path(folder).is_file():
                changed.append(folder)  # a single file: its sha256 tells whether it changed
            changed.extend(p for p, sig in sorted(now.items()) if before is None or before.get(p) != sig)
            self.snapshots[folder] = now
        return changed

    def poll(self) -> Round:
        """One round: build the new and changed files and feed items; prune deleted files."""
        self.rounds += 1
        done = Round(self.rounds)
        if self.prune and self.folders:
            done.removed = prune_folders(self.store, self.folders, self.options, finish=False).uris
        targets = self._changed_files()
        feed_items: dict[str, list[str]] = {}
        for url in self.feeds:
            try:
                feed_items[url] = feeds.new_items(self.store, url, self.options)
            except DossierError as err:
                done.failed.append((url, str(err)))
                continue
            targets.extend(link for link in feed_items[url] if link not in targets)
        failed: set[str] = set()
        if targets or done.removed:
            report: BuildReport = build(targets, self.store, self.options, ctx=self.ctx)
            done.built = report.added
            done.articles = report.articles
            done.failed.extend(report.failed)
            failed = {uri for uri, _ in report.failed}
        for url, links in feed_items.items():
            # an item that could not be fetched is tried again next round
            feeds.remember(self.store, url, [link for link in links if link not in failed])
        return done


def watch(
    watcher: Watcher,
    interval: float = 60.0,
    rounds: int | None = None,
    seconds: float | None = None,
    stop: threading.Event | None = None,
    on_round: Callable[[Round], None] | None = None,
) -> int:
    """Poll until ``rounds`` rounds are done, ``seconds`` have passed or ``stop`` is set; returns the
    number of rounds run. The first round builds everything not yet stored."""
    stop = stop or threading.Event()
    deadline = time.monotonic() + seconds if seconds is not None else None
    count = 0
    while not stop.is_set():
        result = watcher.poll()
        count += 1
        if on_round:
            on_round(result)
        if rounds is not None and count >= rounds:
            break
        wait = interval
        if deadline is not None:
            wait = min(wait, deadline - time.monotonic())
            if wait <= 0:
                break
        if stop.wait(wait):
            break
    return count
