"""The explorer's commands — ``dossier serve``, ``dossier search``, ``dossier ask`` — as plain functions
that ``dossier.cli`` registers; each parses its options and calls one function of the project."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from dossier.errors import DossierError

_DB = typer.Option(Path("dossier.sqlite"), "--db", help="The store: a SQLite file built by `dossier build`.")
_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(err: DossierError) -> None:
    _err.print(f"[red]error[/red] {escape(str(err))}")
    raise typer.Exit(2)


def _store(db: Path):  # type: ignore[no-untyped-def]
    from dossier.store.backend import is_database_url
    from dossier.store.sqlite import Store

    if not is_database_url(db) and not db.exists():
        _fail(DossierError("E011", path=db))
    try:
        return Store(db)
    except DossierError as err:
        _fail(err)


def serve_cmd(
    db: Path = _DB,
    host: str = typer.Option("127.0.0.1", help="Address to listen on; the default serves this machine only."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Explore the dossier in a browser: search, reader, timeline, entities, network, coverage, claims,
    questions, and the JSON API (/api, /openapi.json)."""
    import uvicorn

    from dossier.web.app import create_app

    try:
        app = create_app(db)
    except DossierError as err:
        _fail(err)
    _err.print(f"dossier explorer on http://{host}:{port}/ (Ctrl+C stops it)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def search_cmd(
    query: str = typer.Argument(..., help='Words to find; "…" for a phrase, OR, -word, word*.'),
    db: Path = _DB,
    entity: str | None = typer.Option(None, help="Only articles that name this entity (id or name)."),
    outlet: str | None = typer.Option(None, help="Only articles from this outlet."),
    date_from: str | None = typer.Option(
        None, "--from", help="Published from (YYYY, YYYY-MM or YYYY-MM-DD)."
    ),
    date_to: str | None = typer.Option(None, "--to", help="Published until (YYYY, YYYY-MM or YYYY-MM-DD)."),
    event_type: str | None = typer.Option(
        None, "--event-type", help="Only articles reporting this event type."
    ),
    limit: int = typer.Option(10, help="How many articles to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON (the API's shape)."),
) -> None:
    """Search the articles (diacritics, tone placement and case ignored), best first, with the sentences
    that matched and their source lines."""
    from dossier.store.search import Filters
    from dossier.web import data

    filters = Filters(
        entity=entity, outlet=outlet, date_from=date_from, date_to=date_to, event_type=event_type
    )
    with _store(db) as store:
        page = data.search_page(store, query, filters, limit=max(1, min(limit, 200)))
    if page.error:
        _fail(DossierError("E040", query=query, reason=page.error.split(": ", 2)[-1]))
    if as_json:
        sys.stdout.write(page.model_dump_json(by_alias=True, indent=1, exclude={"options"}) + "\n")
        return
    _out.print(f"{page.total} articles ({page.took_ms} ms)")
    for i, hit in enumerate(page.hits, 1):
        title = "".join(
            f"[bold yellow]{escape(p.text)}[/]" if p.hit else escape(p.text) for p in hit.title_pieces
        )
        _out.print(f"\n{i}. [bold]{title}[/bold]")
        _out.print(
            f"   {escape(hit.published or 'undated')} · {escape(hit.outlet or 'unknown outlet')} · "
            f"{escape(hit.source_uri)} lines {hit.start_line}–{hit.end_line} · {hit.id}"
        )
        for snip in hit.snippets:
            text = "".join(
                f"[bold yellow]{escape(p.text)}[/]" if p.hit else escape(p.text) for p in snip.pieces
            )
            _out.print(f"   line {snip.line}: {text}")


def ask_cmd(
    question: str = typer.Argument(..., help="A question in Vietnamese or English."),
    db: Path = _DB,
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON (the API's shape)."),
) -> None:
    """Answer a factual question (when, who, where, how many, what) from the corpus, citing the sentences
    used; says so when the corpus does not answer it."""
    from dossier.ask import ask

    with _store(db) as store:
        answer = ask(store, question)
    if as_json:
        sys.stdout.write(json.dumps(answer.model_dump(), ensure_ascii=False, indent=1) + "\n")
        return
    _out.print(escape(answer.answer))
    for i, c in enumerate(answer.citations, 1):
        _out.print(f"  [{i}] {escape(c.source_uri)}:{c.line} ({escape(c.title)}): “{escape(c.text)}”")
    if not answer.known:
        raise typer.Exit(1)
