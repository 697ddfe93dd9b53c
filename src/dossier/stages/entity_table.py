"""Corpus stage ``entities``: the entity table, recomputed from the stored mentions after each build.

New entities (``ent-new-…``) are clustered across articles (:mod:`dossier.ner.cluster`) and the
mentions (and the speakers, participants and holders that point at them) of merged ones are
relinked to the cluster's id. Every entity row carries its names: for a KB entity its KB names plus
every surface form seen; for a new one the surface forms seen, the most used as its name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from dossier.ner.cluster import NewEntity, alike_pairs, blocks, cluster, confidence, merge
from dossier.stages.entities import recogniser
from dossier.store import corpus_io
from dossier.store.sqlite import Store
from dossier.vi.text import fold

if TYPE_CHECKING:
    from dossier.pipeline import Context


# Context.cache key under which this stage leaves the ids of the entities some mention calls a person
# (what the events stage needs, and would otherwise read from every mention again)
PERSON_IDS = "entity_table:person_ids"


def _dedup(names: list[str]) -> list[str]:
    """Names once each, compared without case and diacritics, first spelling kept."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(" ".join(fold(name).split()), name)
    return list(seen.values())


def entity_rows(store: Store, ctx: Context) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The entity rows for what the store's mentions refer to, and the id map of merged new entities."""
    kb = recogniser(ctx).kb
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    new: dict[str, NewEntity] = {}
    persons: set[str] = set()
    # counted in the store, so that memory grows with the entities, not with the mentions
    for m in corpus_io.mention_counts(store):
        surfaces[m["entity"]][m["text"]] += m["n"]
        if m["type"] == "person":
            persons.add(m["entity"])
        if m["entity"].startswith("ent-new-"):
            ent = new.setdefault(m["entity"], NewEntity(m["entity"], m["type"]))
            # a surname alone ("Lukin") is a surface form, not a name the entity goes by
            if m["method"] != "context":
                ent.names[m["text"]] += m["n"]
            ent.confidences.append((float(m["confidence"]), m["n"]))
    for ent in new.values():
        if not ent.names:
            ent.names.update(surfaces[ent.id])
    entities = list(new.values())
    mapping = cluster(entities, ctx.engine.map(alike_pairs, blocks(entities)))
    ctx.cache[PERSON_IDS] = {mapping.get(p, p) for p in persons}  # as the mentions will say once relinked
    rows: list[dict[str, Any]] = []
    for entity_id in sorted(surfaces):
        kb_ent = kb.get(entity_id) if not entity_id.startswith("ent-new-") else None
        if kb_ent is not None:
            rows.append(
                {
                    "id": entity_id,
                    "type": kb_ent.type,
                    "name": kb_ent.name,
                    "wikidata": kb_ent.wikidata,
                    "aliases": _dedup([*kb_ent.names(), *sorted(surfaces[entity_id])]),
                    "origin": "kb",
                    "confidence": 1.0,
                    "description": kb_ent.description,
                    "mention_count": sum(surfaces[entity_id].values()),
                }
            )
    for ent in merge(list(new.values()), mapping):
        every = Counter(ent.names)
        count = sum(surfaces[ent.id].values())
        for old, target in mapping.items():
            if target == ent.id:
                every.update(surfaces[old])
                count += sum(surfaces[old].values())
        every.update(surfaces[ent.id])
        rows.append(
            {
                "id": ent.id,
                "type": ent.type,
                "name": ent.name,
                "wikidata": None,
                "aliases": _dedup([ent.name, *sorted(every, key=lambda n: (-every[n], n))]),
                "origin": "new",
                "confidence": confidence(ent),
                "description": None,
                "mention_count": count,
            }
        )
    return rows, mapping


def run(store: Store, ctx: Context) -> None:
    """Relink merged new entities, then replace the entity table."""
    rows, mapping = entity_rows(store, ctx)
    if mapping:
        store.relink_entities(mapping)
    store.replace_entities(rows)
