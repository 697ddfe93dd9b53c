"""Importing entities from a Wikidata JSON dump (``.json``, ``.json.gz`` or ``.json.bz2``).

The dump is one JSON array with one entity per line; it is read as a stream, line by line, so a dump
of any size fits in memory. An entity is taken when its id is one the user names or when one of its
``instance of`` (P31) values is a class the user names; what is kept is its ``vi`` and ``en`` labels
and aliases, its English description and its id. Entities whose Wikidata id the KB already has are
reported, not duplicated.
"""

from __future__ import annotations

import bz2
import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dossier.errors import DossierError
from dossier.kb.loader import SLUG, KBEntity, KnowledgeBase

# instance-of classes → KB type (the first class of an entity found here decides)
CLASS_TYPES: dict[str, str] = {
    "Q5": "person",
    "Q6256": "country",
    "Q3624078": "country",
    "Q7275": "country",
    "Q515": "place",
    "Q5119": "place",
    "Q1637706": "place",
    "Q200250": "place",
    "Q43229": "organization",
    "Q484652": "organization",
    "Q7210356": "organization",
    "Q327333": "organization",
    "Q192283": "organization",
    "Q11032": "organization",
    "Q1002697": "organization",
    "Q4830453": "organization",
    "Q728": "weapon-system",
    "Q974850": "weapon-system",
    "Q15142889": "weapon-system",
    "Q13226383": "facility",
    "Q41176": "facility",
    "Q1248784": "facility",
}
LANGUAGES = ("vi", "en")
_ID_AT_START = re.compile(r'"id"\s*:\s*"(Q\d+)"')


@dataclass
class ImportReport:
    read: int = 0
    taken: list[KBEntity] = field(default_factory=list)
    known: list[tuple[str, str]] = field(default_factory=list)  # (Q-id, KB id) already in the KB


def open_dump(path: Path) -> IO[str]:
    """The dump as text, decompressed by its suffix."""
    try:
        if path.suffix == ".gz":
            return gzip.open(path, "rt", encoding="utf-8")
        if path.suffix == ".bz2":
            return bz2.open(path, "rt", encoding="utf-8")
        return path.open("r", encoding="utf-8")
    except OSError as exc:
        raise DossierError("E062", path=path, reason=exc) from exc


def entities_in(path: Path, ids: set[str] | None = None) -> Iterator[dict[str, Any]]:
    """Each entity of the dump (only those in ``ids`` when given: lines of other ids are not parsed)."""
    with open_dump(path) as stream:
        try:
            for number, raw in enumerate(stream, 1):
                line = raw.strip().rstrip(",")
                if not line or line in ("[", "]"):
                    continue
                if ids is not None:
                    head = _ID_AT_START.search(line[:400])
                    if head is None or head.group(1) not in ids:
                        continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DossierError("E062", path=path, reason=f"line {number}: {exc.msg}") from exc
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise DossierError("E062", path=path, reason=exc) from exc


def classes(item: dict[str, Any]) -> list[str]:
    """The item's ``instance of`` (P31) class ids, in order."""
    out = []
    for claim in item.get("claims", {}).get("P31", []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            out.append(value["id"])
    return out


def slugify(text: str) -> str:
    """A KB id from a name: ASCII, lower case, words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text)) or "entity"


def to_entity(item: dict[str, Any], etype: str | None, taken_ids: set[str]) -> KBEntity | None:
    """A KB entity from a dump item (None for an item with neither a vi nor an en label)."""
    labels = {lang: item.get("labels", {}).get(lang, {}).get("value") for lang in LANGUAGES}
    name = labels["en"] or labels["vi"]
    if not name:
        return None
    qid = item["id"]
    aliases: list[str] = []
    for lang in LANGUAGES:
        aliases += [a.get("value", "") for a in item.get("aliases", {}).get(lang, [])]
    names = {name, labels["vi"]}
    kind = etype or next((CLASS_TYPES[c] for c in classes(item) if c in CLASS_TYPES), "other")
    slug = slugify(name)
    if slug in taken_ids or not SLUG.fullmatch(slug):
        slug = f"{slug}-{qid.lower()}"
    return KBEntity(
        id=slug,
        type=kind,
        name=name,
        vi=labels["vi"],
        wikidata=qid,
        description=item.get("descriptions", {}).get("en", {}).get("value"),
        aliases=[a for a in dict.fromkeys(aliases) if a and a not in names],
    )


def import_dump(
    path: Path,
    kb: KnowledgeBase,
    ids: Iterable[str] = (),
    class_ids: Iterable[str] = (),
    etype: str | None = None,
) -> ImportReport:
    """The entities of the dump at ``path`` that the user selects, by Wikidata id (``ids``) or by
    ``instance of`` class (``class_ids``), as KB entities (typed ``etype`` if given, else by class)."""
    wanted, wanted_classes = set(ids), set(class_ids)
    if not wanted and not wanted_classes:
        raise DossierError("E062", path=path, reason="select entities with --id or --class")
    known = kb.by_wikidata()
    taken_ids = {e.id for e in kb}
    report = ImportReport()
    for item in entities_in(path, wanted if wanted and not wanted_classes else None):
        report.read += 1
        qid = item.get("id", "")
        if not (qid in wanted or wanted_classes.intersection(classes(item))):
            continue
        if qid in known:
            report.known.append((qid, known[qid].id))
            continue
        ent = to_entity(item, etype, taken_ids)
        if ent is not None:
            taken_ids.add(ent.id)
            report.taken.append(ent)
    return report
