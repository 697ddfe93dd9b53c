"""The knowledge base: entities with their names, read from the YAML files under ``kb/data``.

The packaged files are read first, then any file or folder named in the ``DOSSIER_KB`` environment
variable (paths separated by ``os.pathsep``), so that a user can keep an own list beside the project's.
The loader refuses what would make linking ambiguous or silently wrong: a duplicate id, an unknown
type, an id that is not a slug, or a ``country``/``capital`` link to an id that does not exist.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dossier.errors import DossierError

TYPES = ("person", "country", "organization", "place", "facility", "weapon-system", "other")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
ENV_VAR = "DOSSIER_KB"


def data_dir() -> Path:
    """The folder of the packaged knowledge-base files."""
    return Path(str(resources.files("dossier.kb").joinpath("data")))


@dataclass(frozen=True)
class Role:
    """A title an entity holds, optionally bounded in time (``from``/``to`` as YYYY or YYYY-MM)."""

    title: str
    start: str | None = None
    end: str | None = None

    def holds_at(self, date: str | None) -> bool:
        """Whether the role is held at ``date``, compared at the coarser of the two precisions (so a
        role ending in 2024-05 and one starting then are both held on 2024-05-20); an unknown date
        matches every role."""
        if not date:
            return True
        if self.start and date[: len(self.start)] < self.start[: len(date)]:
            return False
        return not (self.end and date[: len(self.end)] > self.end[: len(date)])

    def to_yaml(self) -> str | dict[str, str]:
        if not self.start and not self.end:
            return self.title
        out = {"title": self.title}
        if self.start:
            out["from"] = self.start
        if self.end:
            out["to"] = self.end
        return out


@dataclass
class KBEntity:
    """One real-world thing the knowledge base knows, with every name it may be written as."""

    id: str
    type: str
    name: str
    vi: str | None = None
    wikidata: str | None = None
    description: str | None = None
    aliases: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)
    paired: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    country: str | None = None
    capital: str | None = None
    origin: str = ""  # the file it was read from

    @property
    def entity_id(self) -> str:
        return f"ent-{self.id}"

    def names(self) -> list[str]:
        """The canonical, Vietnamese and alias names, each once, in that order."""
        seen: dict[str, None] = {}
        for name in [self.name, self.vi or "", *self.aliases]:
            if name.strip():
                seen.setdefault(name.strip(), None)
        return list(seen)

    def to_yaml(self) -> dict[str, Any]:
        """The entity as a YAML mapping, fields in the order the data files use, empty ones left out."""
        out: dict[str, Any] = {"id": self.id, "type": self.type, "name": self.name}
        for key in ("vi", "wikidata", "description", "country", "capital"):
            value = getattr(self, key)
            if value:
                out[key] = value
        for key in ("aliases", "short", "paired"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        if self.roles:
            out["roles"] = [r.to_yaml() for r in self.roles]
        return out


class KnowledgeBase:
    """The loaded entities, by id, with the lookups the linker needs."""

    def __init__(self, entities: Iterable[KBEntity]) -> None:
        self.entities: dict[str, KBEntity] = {}
        for ent in entities:
            if ent.id in self.entities:
                raise DossierError(
                    "E060",
                    path=ent.origin,
                    reason=f"duplicate id {ent.id!r} (also in {self.entities[ent.id].origin})",
                )
            self.entities[ent.id] = ent
        for ent in self.entities.values():
            for link in ("country", "capital"):
                target = getattr(ent, link)
                if target and target not in self.entities:
                    raise DossierError(
                        "E060", path=ent.origin, reason=f"{ent.id}: {link} {target!r} is not an id in the KB"
                    )
        self.capital_of: dict[str, str] = {
            ent.capital: ent.id for ent in self.entities.values() if ent.capital
        }

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[KBEntity]:
        return iter(self.entities.values())

    def __contains__(self, kb_id: object) -> bool:
        return kb_id in self.entities

    def get(self, kb_id: str) -> KBEntity | None:
        """The entity with this slug or ``ent-`` id, or None."""
        return self.entities.get(kb_id.removeprefix("ent-"))

    def by_wikidata(self) -> dict[str, KBEntity]:
        return {e.wikidata: e for e in self.entities.values() if e.wikidata}


def _text(value: object) -> str | None:
    return str(value).strip() if value is not None and str(value).strip() else None


def _names(value: object, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise DossierError("E060", path=where, reason=f"{key} must be a list of names")
    return [str(v).strip() for v in value if str(v).strip()]


def _role(value: object, where: str) -> Role:
    if isinstance(value, str):
        return Role(value.strip())
    if isinstance(value, dict) and isinstance(value.get("title"), str):
        bounds = {k: _text(value.get(k)) for k in ("from", "to")}
        for key, bound in bounds.items():
            if bound and not _DATE.fullmatch(bound):
                raise DossierError("E060", path=where, reason=f"role {key} {bound!r} is not YYYY or YYYY-MM")
        return Role(value["title"].strip(), bounds["from"], bounds["to"])
    raise DossierError("E060", path=where, reason=f"a role is a title or {{title, from, to}}, not {value!r}")


def entity_from_dict(row: object, origin: str) -> KBEntity:
    """One entity from a YAML mapping; raises E020 naming the file and the entity when it is malformed."""
    if not isinstance(row, dict):
        raise DossierError("E060", path=origin, reason=f"an entry is not a mapping: {row!r}")
    slug = _text(row.get("id")) or ""
    where = f"{origin} ({slug or '?'})"
    if not SLUG.fullmatch(slug):
        raise DossierError("E060", path=where, reason=f"id {slug!r} is not a lower-case slug")
    etype = _text(row.get("type"))
    if etype not in TYPES:
        raise DossierError("E060", path=where, reason=f"type {etype!r} is not one of {', '.join(TYPES)}")
    name = _text(row.get("name"))
    if not name:
        raise DossierError("E060", path=where, reason="name is missing")
    wikidata = _text(row.get("wikidata"))
    if wikidata and not re.fullmatch(r"Q\d+", wikidata):
        raise DossierError("E060", path=where, reason=f"wikidata {wikidata!r} is not a Q-id")
    roles = row.get("roles") or []
    if not isinstance(roles, list):
        raise DossierError("E060", path=where, reason="roles must be a list")
    unknown = set(row) - {
        "id", "type", "name", "vi", "wikidata", "description", "aliases", "short", "paired", "roles",
        "country", "capital",
    }  # fmt: skip
    if unknown:
        raise DossierError("E060", path=where, reason=f"unknown field(s) {', '.join(sorted(unknown))}")
    return KBEntity(
        id=slug,
        type=etype,
        name=name,
        vi=_text(row.get("vi")),
        wikidata=wikidata,
        description=_text(row.get("description")),
        aliases=_names(row.get("aliases"), where, "aliases"),
        short=_names(row.get("short"), where, "short"),
        paired=_names(row.get("paired"), where, "paired"),
        roles=[_role(r, where) for r in roles],
        country=_text(row.get("country")),
        capital=_text(row.get("capital")),
        origin=origin,
    )


# libyaml's parser when PyYAML has it: the same data as the pure-Python SafeLoader, several times faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PARSED: dict[str, object] = {}  # file text → its YAML data, so that a build parses each file once
_MAX_PARSED = 64


def _parse(text: str) -> object:
    """The YAML data of a file's text, parsed once per text (the loader only reads the data)."""
    if text not in _PARSED:
        if len(_PARSED) >= _MAX_PARSED:
            _PARSED.clear()
        _PARSED[text] = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    return _PARSED[text]


def read_file(path: Path) -> list[KBEntity]:
    """The entities of one YAML file (an empty file holds none)."""
    try:
        rows = _parse(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DossierError("E060", path=path, reason=exc) from exc
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise DossierError("E060", path=path, reason="the file must hold a list of entities")
    return [entity_from_dict(row, path.name) for row in rows]


def kb_files(extra: Iterable[str | Path] = ()) -> list[Path]:
    """The packaged files, then each extra path (a file, or a folder's ``*.yaml``), then ``DOSSIER_KB``."""
    paths: list[Path] = sorted(data_dir().glob("*.yaml"))
    more = [Path(p) for p in extra]
    more += [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    for path in more:
        if path.is_dir():
            paths.extend(sorted(path.glob("*.yaml")))
        elif path.exists():
            paths.append(path)
        else:
            raise DossierError("E060", path=path, reason="no such file or folder")
    seen: dict[Path, None] = {}
    for path in paths:
        seen.setdefault(path.resolve(), None)
    return list(seen)


def load_kb(extra: Iterable[str | Path] = ()) -> KnowledgeBase:
    """The knowledge base from the packaged files and any extra files or folders."""
    return KnowledgeBase(ent for path in kb_files(extra) for ent in read_file(path))
