"""Commands and build options for keeping a store current: ``remove``, ``watch``, ``build --prune``
and ``build --feed``."""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from dossier.config import Options
from dossier.engine import make_engine
from dossier.errors import DossierError
from dossier.incremental import prune as prune_folders
from dossier.incremental import remove
from dossier.pipeline import BuildReport, Context
from dossier.stages import feeds
from dossier.store.backend import is_database_url
from dossier.store.sqlite import Store
from dossier.watch import Round, Watcher, watch

console = Console(stderr=True)
DEFAULT_DB = Path("dossier.sqlite")


def _fail(err: DossierError) -> None:
    console.print(f"[red]error[/red] {err}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@dataclass
class BuildExtras:
    """What ``build --feed/--prune`` adds: the feeds' new item links, to build with the inputs."""

    links: list[str] = field(default_factory=list)
    by_feed: dict[str, list[str]] = field(default_factory=dict)
    failed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def done(self, store: Store, report: BuildReport) -> None:
        """Remember the feed items that were stored, so the next reading fetches only newer ones."""
        failed = {uri for uri, _ in report.failed}
        for url, links in self.by_feed.items():
            feeds.remember(store, url, [link for link in links if link not in failed])
        report.failed.extend(self.failed)


def prepare_build(
    store: Store, inputs: list[str], feed_urls: list[str], options: Options, prune: bool
) -> BuildExtras:
    """Prune deleted files (``prune``) and read the feeds, before a build."""
    extras = BuildExtras()
    if prune:
        extras.removed = prune_folders(store, inputs, options, finish=False).uris
    for url in feed_urls:
        try:
            extras.by_feed[url] = feeds.new_items(store, url, options)
        except DossierError as err:
            extras.failed.append((url, str(err)))
            continue
        extras.links.extend(link for link in extras.by_feed[url] if link not in extras.links)
    return extras


def remove_cmd(
    source: str = typer.Argument(
        ..., help="A stored source (its uri as `dossier status` lists it) or a folder."
    ),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="The store."),
) -> None:
    """Remove a source (every version of it), or every source under a folder, and what came only from it."""
    if not is_database_url(db) and not db.exists():
        _fail(DossierError("E011", path=db))
    with Store(db) as store:
        try:
            done = remove(store, source)
        except DossierError as err:
            _fail(err)
            raise
    console.print(
        f"removed {len(done.uris)} source(s) and {done.articles} article(s);"
        " cross-article objects recomputed",
        highlight=False,
    )


def watch_cmd(
    targets: list[str] = typer.Argument(..., help="Folders (or files) to poll, and RSS/Atom feed URLs."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="The store (created if missing)."),
    interval: float = typer.Option(60.0, help="Seconds between two rounds."),
    rounds: int | None = typer.Option(None, help="Stop after this many rounds."),
    seconds: float | None = typer.Option(None, "--for", help="Stop after this many seconds."),
    prune: bool = typer.Option(False, help="Remove from the store the files deleted from the folders."),
    engine: str = typer.Option("local", help="Where sources are processed: local or ray."),
    ray_address: str | None = typer.Option(None, help="A Ray cluster to run on."),
    timeout: float = typer.Option(Options.fetch_timeout, help="Seconds allowed to fetch one URL, in all."),
    max_fetch_bytes: int = typer.Option(Options.max_fetch_bytes, help="Largest download, in bytes."),
) -> None:
    """Poll folders and feeds and build what is new, round after round, until Ctrl-C (or --rounds/--for)."""
    options = Options(fetch_timeout=timeout, max_fetch_bytes=max_fetch_bytes)
    stop = threading.Event()
    previous: Any = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        runner = make_engine(engine, address=ray_address)
    except DossierError as err:
        _fail(err)
        raise

    def report(r: Round) -> None:
        console.print(
            f"round {r.number}: {len(r.built)} source(s) built, {r.articles} article(s), "
            f"{len(r.removed)} removed, {len(r.failed)} failed",
            highlight=False,
        )
        for uri, error in r.failed:
            console.print(
                f"  [red]failed[/red] {escape(uri)}: {escape(error)}", highlight=False, soft_wrap=True
            )

    try:
        with Store(db) as store:
            watcher = Watcher(
                targets, store, options, prune=prune, ctx=Context(options=options, engine=runner)
            )
            try:
                watch(watcher, interval=interval, rounds=rounds, seconds=seconds, stop=stop, on_round=report)
            except KeyboardInterrupt:
                console.print("stopped", highlight=False)
            except DossierError as err:
                _fail(err)
    finally:
        runner.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
