"""The ``dossier`` command: thin commands that parse arguments, call one function and print its result."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dossier import __version__
from dossier.cli_explore import ask_cmd, search_cmd, serve_cmd
from dossier.cli_kb import app as kb_app
from dossier.cli_scale import prepare_build, remove_cmd, watch_cmd
from dossier.config import Options
from dossier.engine import make_engine
from dossier.errors import DossierError
from dossier.fresh_stages import MIN_ARTICLES, MODES, run_in_fresh_interpreters, wanted
from dossier.pipeline import PIPELINE_VERSION, Context, build, finish_build, stages
from dossier.stages.ingest import MEDIA_TYPES, is_url
from dossier.store.backend import is_database_url
from dossier.store.sqlite import Store

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Captured news pages in, a dossier out.")
app.add_typer(kb_app, name="kb")
app.command("serve")(serve_cmd)
app.command("search")(search_cmd)
app.command("ask")(ask_cmd)
app.command("remove")(remove_cmd)
app.command("watch")(watch_cmd)
console = Console(stderr=True)
DEFAULT_DB = Path("dossier.sqlite")

_CONTROL_ESCAPES = {c: f"\\x{c:02x}" for c in range(32)}
DbOption = typer.Option(
    DEFAULT_DB, "--db", help="The store: a SQLite file (created if missing) or a postgresql:// URL."
)


def _fail(err: DossierError) -> None:
    console.print(f"[red]error[/red] {err}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _open(db: Path, must_exist: bool = True) -> Store:
    if must_exist and not is_database_url(db) and not db.exists():
        _fail(DossierError("E011", path=db))
    try:
        return Store(db)
    except DossierError as err:
        _fail(err)
        raise


def _count_inputs(targets: list[str]) -> int | None:
    total = 0
    for t in targets:
        p = Path(t)
        if is_url(t) or p.is_file():
            total += 1
        elif p.is_dir():
            total += sum(1 for f in p.rglob("*") if f.suffix.lower() in MEDIA_TYPES and f.is_file())
    return total or None


@app.command("build")
def build_cmd(
    inputs: list[str] = typer.Argument(None, help="Files, folders (recursively) and http(s) URLs."),
    db: Path = DbOption,
    force: bool = typer.Option(False, help="Reprocess inputs that are already stored."),
    max_bytes: int = typer.Option(Options.max_bytes, help="Largest file to read, in bytes."),
    timeout: float = typer.Option(Options.fetch_timeout, help="Seconds allowed to fetch one URL, in all."),
    max_fetch_bytes: int = typer.Option(Options.max_fetch_bytes, help="Largest download, in bytes."),
    max_line_chars: int = typer.Option(
        Options.max_line_chars, help="Longest line of a text or Markdown file, in characters."
    ),
    allow_scheme: list[str] = typer.Option(
        list(Options.url_schemes), help="A URL scheme inputs may use; repeat for several (sets the list)."
    ),
    engine: str = typer.Option("local", help="Where sources are processed: local (this process) or ray."),
    ray_address: str | None = typer.Option(
        None, help="A Ray cluster to run on (auto, ray://host:10001); default: start a local Ray instance."
    ),
    workers: int | None = typer.Option(None, help="CPUs of the local Ray instance (default: all)."),
    feed: list[str] = typer.Option(
        [], help="An RSS or Atom feed URL: the items it lists that were not fetched before; repeatable."
    ),
    prune: bool = typer.Option(False, help="Remove stored files that were deleted from the folders given."),
    fresh_stages: str = typer.Option(
        "auto",
        help="Make the indexes set aside and run each corpus stage in a fresh interpreter, so that each"
        " step's memory goes back to the system before the next: auto (for a store of"
        f" {MIN_ARTICLES:,} articles or more), always or never.",
    ),
) -> None:
    """Ingest and process captures into the store, with a progress bar."""
    inputs = inputs or []
    if not inputs and not feed:
        console.print("[red]error[/red] give files, folders or URLs to build, or --feed URL", highlight=False)
        raise typer.Exit(2)
    if fresh_stages not in MODES:
        console.print(f"[red]error[/red] --fresh-stages takes one of {', '.join(MODES)}", highlight=False)
        raise typer.Exit(2)
    store = _open(db, must_exist=False)
    try:
        runner = make_engine(engine, address=ray_address, workers=workers)
    except DossierError as err:
        store.close()
        _fail(err)
        raise
    options = Options(
        max_bytes=max_bytes,
        fetch_timeout=timeout,
        force=force,
        max_fetch_bytes=max_fetch_bytes,
        max_line_chars=max_line_chars,
        url_schemes=tuple(s.lower() for s in allow_scheme),
    )
    with Progress(
        TextColumn("[bold]building"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task("", total=_count_inputs(inputs))
        ctx = Context(options=options, engine=runner)
        try:
            extras = prepare_build(store, inputs, feed, options, prune)
            report = build(
                [*inputs, *extras.links],
                store,
                options,
                on_source=lambda uri: bar.update(task, advance=1, description=escape(Path(uri).name)),
                ctx=ctx,
                list_uris=False,
                finish=False,
            )
            extras.done(store, report)
            apart = report.stale and wanted(store, ctx, fresh_stages)
            if report.stale and not apart:
                finish_build(store, ctx)
        except DossierError as err:  # another build holds the store (E036)
            store.close()
            bar.stop()
            _fail(err)
            raise
        finally:
            runner.close()
    store.close()
    console.print(
        f"{report.processed} processed, {report.skipped} unchanged, {len(report.failed)} failed; "
        f"{report.articles} articles written to {db}" + (f"; {len(extras.removed)} removed" if prune else ""),
        highlight=False,
    )
    for uri, error in report.failed:
        console.print(f"  [red]failed[/red] {escape(uri)}: {escape(error)}", highlight=False, soft_wrap=True)
    if apart:
        console.print("indexes and cross-article objects: each step in a fresh interpreter", highlight=False)
        run_in_fresh_interpreters(str(store.path), options, say=True)


@app.command("status")
def status_cmd(db: Path = DbOption) -> None:
    """What is in the store, and what failed and why."""
    with _open(db) as store:
        counts = store.counts()
        table = Table(title=f"dossier store {db}", show_header=True)
        table.add_column("what")
        table.add_column("count", justify="right")
        for key, value in counts.items():
            table.add_row(key, str(value))
        Console().print(table)
        failures = store.failures()
        if failures:
            Console().print("[bold]failed sources[/bold]")
            for f in failures:
                # one line per source, however narrow the terminal
                uri = f["uri"].translate(_CONTROL_ESCAPES)  # a file name may hold a line break
                Console().print(f"  {uri}: {f['error']}", highlight=False, markup=False, soft_wrap=True)
        else:
            Console().print("no failed sources")


@app.command("export")
def export_cmd(
    db: Path = DbOption,
    fmt: str = typer.Option("json", "--format", "-f", help="json | md | csv | html"),
    output: Path | None = typer.Option(None, "-o", "--output", help="File (json, md) or folder (csv, html)."),
) -> None:
    """Write the dossier as JSON (the contract), Markdown, CSV or a static HTML site."""
    from dossier.exports import export

    with _open(db) as store:
        try:
            written = export(store, fmt, output)
        except DossierError as err:
            _fail(err)
    if written is not None:
        console.print(f"wrote {written}", highlight=False)


@app.command("eval")
def eval_cmd(
    db: Path = DbOption,
    gold: Path = typer.Option(Path("../shared/dev-gold"), help="A folder of gold answer files."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    vlsp: Path | None = typer.Option(
        None, "--vlsp", help="Score the entity recogniser on a VLSP-2016 NER file instead of the store."
    ),
) -> None:
    """Score the store against gold answers: precision, recall and F1 per kind."""
    from dossier.eval import evaluate, render_json, render_text

    if vlsp is not None:
        from dossier.eval.vlsp import evaluate_vlsp, render

        try:
            scored = evaluate_vlsp(vlsp)
        except DossierError as err:
            _fail(err)
        sys.stdout.write((json.dumps(scored, indent=2) if as_json else render(scored)) + "\n")
        return
    with _open(db) as store:
        try:
            result = evaluate(store, gold)
        except DossierError as err:
            _fail(err)
    sys.stdout.write(render_json(result) if as_json else render_text(result))
    sys.stdout.write("\n")


@app.command("timeline")
def timeline_cmd(
    db: Path = DbOption,
    entity: str | None = typer.Option(None, "--entity", help="An entity id (ent-…) or one of its names."),
    date_from: str | None = typer.Option(None, "--from", help="First date kept: 2023, 2023-09, 2023-09-13."),
    date_to: str | None = typer.Option(None, "--to", help="Last date kept: 2024, 2024-06, 2024-06-19."),
) -> None:
    """The events in chronological order, each with every piece of evidence (file and line)."""
    from dossier.timeline import render_text, timeline

    with _open(db) as store:
        try:
            entries = timeline(store, entity=entity, date_from=date_from, date_to=date_to)
        except DossierError as err:
            _fail(err)
    sys.stdout.write(render_text(entries))


@app.command("pipeline")
def pipeline_cmd() -> None:
    """The stages a build runs, in order."""
    for i, stage in enumerate(stages(), 1):
        typer.echo(f"{i}. {stage.name:<8} {stage.what}")
    typer.echo(f"pipeline version {PIPELINE_VERSION}")


@app.command("version")
def version_cmd() -> None:
    """The installed version."""
    typer.echo(__version__)


if __name__ == "__main__":
    app()
