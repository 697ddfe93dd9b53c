"""Writing to the knowledge base: adding or updating entities in one YAML file, keeping it a file a
person can read and edit (one mapping per entity, fields in a fixed order, Unicode as is)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from dossier.errors import DossierError
from dossier.kb.loader import KBEntity, KnowledgeBase, data_dir, read_file

ADDED_FILE = "added.yaml"


def default_target() -> Path:
    """Where ``dossier kb add`` and ``dossier kb import`` write unless told otherwise."""
    return data_dir() / ADDED_FILE


def dump(entities: list[KBEntity]) -> str:
    """The YAML text of a list of entities."""
    if not entities:
        return "[]\n"
    return yaml.safe_dump(
        [e.to_yaml() for e in entities],
        allow_unicode=True,
        sort_keys=False,
        width=110,
        default_flow_style=None,
    )


def write_entities(path: Path, entities: list[KBEntity]) -> None:
    """Replace the file's content with ``entities``, atomically (a crash never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(dump(entities))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def upsert(path: Path, new: list[KBEntity], kb: KnowledgeBase | None = None) -> tuple[int, int]:
    """Add ``new`` entities to the file at ``path`` (created if missing), or update those it already
    holds by id (their aliases are merged). An id that another file of ``kb`` defines is refused
    (E060), so that an entity is defined in one place. Returns (added, updated)."""
    path = Path(path)
    current = read_file(path) if path.exists() else []
    by_id = {e.id: e for e in current}
    elsewhere = {e.id: e.origin for e in (kb or ()) if e.id not in by_id and e.origin != path.name}
    added = updated = 0
    for ent in new:
        if ent.id in elsewhere:
            raise DossierError(
                "E060", path=path, reason=f"id {ent.id!r} is already defined in {elsewhere[ent.id]}"
            )
        ent.origin = path.name
        old = by_id.get(ent.id)
        if old is None:
            current.append(ent)
            added += 1
        else:
            names = {ent.name, ent.vi}
            ent.aliases = [a for a in dict.fromkeys([*old.aliases, *ent.aliases]) if a not in names]
            current[current.index(old)] = ent
            updated += 1
        by_id[ent.id] = ent
    write_entities(path, current)
    return added, updated
