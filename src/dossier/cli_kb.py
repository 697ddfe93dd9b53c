"""``dossier kb``: inspect and edit the knowledge base (list, show, add) and import from Wikidata."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from dossier.errors import DossierError
from dossier.kb.edit import default_target, upsert
from dossier.kb.loader import TYPES, KBEntity, KnowledgeBase, entity_from_dict, load_kb
from dossier.kb.wikidata import import_dump
from dossier.vi.text import fold

app = typer.Typer(add_completion=False, no_args_is_help=True, help="The knowledge base of entities.")
err = Console(stderr=True)
FileOption = typer.Option(None, "--file", help="The YAML file to write (default: the KB's added.yaml).")


def _fail(error: DossierError) -> None:
    err.print(f"[red]error[/red] {error}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _load() -> KnowledgeBase:
    try:
        return load_kb()
    except DossierError as error:
        _fail(error)
        raise


@app.command("list")
def list_cmd(
    etype: str | None = typer.Option(None, "--type", help=f"Only this type ({', '.join(TYPES)})."),
    search: str | None = typer.Option(
        None, "--search", "-s", help="Only entities with a name containing this."
    ),
) -> None:
    """One line per entity: id, type, name, Vietnamese name, Wikidata id."""
    kb = _load()
    needle = fold(search) if search else None
    table = Table(show_header=True, box=None)
    for column in ("id", "type", "name", "vi", "wikidata"):
        table.add_column(column)
    shown = 0
    for ent in kb:
        if etype and ent.type != etype:
            continue
        if needle and not any(needle in fold(n) for n in ent.names()):
            continue
        table.add_row(ent.id, ent.type, ent.name, ent.vi or "", ent.wikidata or "")
        shown += 1
    Console(width=160).print(table)
    typer.echo(f"{shown} of {len(kb)} entities")


@app.command("show")
def show_cmd(kb_id: str = typer.Argument(..., help="The entity's id (slug or ent-…).")) -> None:
    """Everything the KB holds about one entity."""
    kb = _load()
    ent = kb.get(kb_id)
    if ent is None:
        _fail(DossierError("E061", kb_id=kb_id))
        return
    lines = [
        f"id:          {ent.id} (in a dossier: {ent.entity_id})",
        f"type:        {ent.type}",
        f"name:        {ent.name}",
        f"vi:          {ent.vi or '—'}",
        f"wikidata:    {ent.wikidata or '—'}",
        f"description: {ent.description or '—'}",
        f"aliases:     {', '.join(ent.aliases) or '—'}",
    ]
    if ent.short:
        lines.append(f"short:       {', '.join(ent.short)}")
    if ent.paired:
        lines.append(f"paired:      {', '.join(ent.paired)}")
    if ent.country:
        lines.append(f"country:     {ent.country}")
    if ent.capital:
        lines.append(f"capital:     {ent.capital}")
    for role in ent.roles:
        span = f" ({role.start or '…'}–{role.end or ''})" if role.start or role.end else ""
        lines.append(f"role:        {role.title}{span}")
    lines.append(f"file:        {ent.origin}")
    typer.echo("\n".join(lines))


@app.command("add")
def add_cmd(
    kb_id: str = typer.Argument(..., help="A new lower-case slug, e.g. artyom-lukin."),
    etype: str = typer.Option(..., "--type", help=f"One of {', '.join(TYPES)}."),
    name: str = typer.Option(..., "--name", help="The English (canonical) name."),
    vi: str | None = typer.Option(None, "--vi", help="The usual Vietnamese name."),
    wikidata: str | None = typer.Option(None, "--wikidata", help="The Wikidata id, only when certain."),
    description: str | None = typer.Option(None, "--description", help="Role or description."),
    alias: list[str] = typer.Option([], "--alias", "-a", help="Another name (repeat for several)."),
    short: list[str] = typer.Option([], "--short", help="A short form used in context, e.g. Kim."),
    country: str | None = typer.Option(None, "--country", help="The id of the entity's state."),
    role: list[str] = typer.Option([], "--role", help="A title the entity holds, e.g. 'Ngoại trưởng Nga'."),
    file: Path | None = FileOption,
) -> None:
    """Add an entity (or update one the target file already holds: aliases are merged)."""
    kb = _load()

    target = file or default_target()
    try:
        ent = entity_from_dict(
            {
                "id": kb_id.removeprefix("ent-"),
                "type": etype,
                "name": name,
                "vi": vi,
                "wikidata": wikidata,
                "description": description,
                "aliases": alias,
                "short": short,
                "country": country,
                "roles": role,
            },
            target.name,
        )
        if ent.country and ent.country not in kb:
            raise DossierError(
                "E060", path=target, reason=f"{ent.id}: country {ent.country!r} is not an id in the KB"
            )
        added, _ = upsert(target, [ent], kb)
        load_kb([target] if file else [])  # the KB must still load with it
    except DossierError as error:
        _fail(error)
        return
    typer.echo(f"{'added' if added else 'updated'} {ent.id} ({ent.entity_id}) in {target}")


@app.command("import")
def import_cmd(
    dump: Path = typer.Argument(..., help="A Wikidata JSON dump: .json, .json.gz or .json.bz2."),
    ids: list[str] = typer.Option([], "--id", help="A Wikidata id to take (repeat for several)."),
    classes: list[str] = typer.Option([], "--class", help="Take every instance of this class, e.g. Q5."),
    etype: str | None = typer.Option(None, "--type", help="Give every imported entity this type."),
    file: Path | None = FileOption,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be imported; write nothing."),
) -> None:
    """Stream a Wikidata dump and take the vi and en labels and aliases of the selected entities."""
    kb = _load()
    if etype is not None and etype not in TYPES:
        _fail(DossierError("E060", path=dump, reason=f"--type {etype!r} is not one of {', '.join(TYPES)}"))
    target = file or default_target()
    try:
        report = import_dump(dump, kb, ids, classes, etype)
        for qid, kb_id in report.known:
            typer.echo(f"already in the KB: {qid} ({kb_id})")
        for ent in report.taken:
            typer.echo(f"{'would take' if dry_run else 'took'} {ent.wikidata} → {ent.id}: {_summary(ent)}")
        if report.taken and not dry_run:
            upsert(target, report.taken, kb)
    except DossierError as error:
        _fail(error)
        return
    where = "" if dry_run else f" into {target}"
    typer.echo(f"read {report.read} entities, imported {len(report.taken)}{where}")


def _summary(ent: KBEntity) -> str:
    names = [ent.name, *([ent.vi] if ent.vi else []), *ent.aliases]
    return ", ".join(names[:6]) + (" …" if len(names) > 6 else "")
