"""Clustering the entities the knowledge base lacks, across articles, by transliteration-aware
similarity of their names (``Serguei Choigu`` ~ ``Sergei Shoigu``; ``Yoon Suk-yeol`` ~ ``Yoon Suk
Yeol``).

Two new entities merge when they are of the same kind (people with people; places, states and
facilities together; organisations with organisations) and their names have the same number of words,
every word alike (Jaro–Winkler ≥ :data:`WORD_SIMILARITY`) and the whole alike (≥
:data:`NAME_SIMILARITY`). Only entities that share a blocking key (:func:`block_keys`) are compared,
so the work grows with the size of the blocks, not with all pairs. A cluster keeps the id of its
most-mentioned member, so ids stay stable as the corpus grows.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from dossier.ner.names import jaro_winkler, translit_key

WORD_SIMILARITY = 0.85
NAME_SIMILARITY = 0.92
_GROUPS = {"country": "place", "facility": "place", "weapon-system": "other"}


@dataclass
class NewEntity:
    """One ``ent-new-…`` id with what its mentions say about it."""

    id: str
    type: str
    names: Counter[str] = field(default_factory=Counter)  # surface → mentions
    # (confidence, how many mentions have it): a mention count each, not a value per mention
    confidences: list[tuple[float, int]] = field(default_factory=list)

    @property
    def mentions(self) -> int:
        return sum(self.names.values())

    @property
    def name(self) -> str:
        """The most used surface form, the longest among equals."""
        return max(self.names, key=lambda n: (self.names[n], len(n), n))


def alike(a: str, b: str) -> bool:
    """Whether two names are spellings of one name (see the module doc)."""
    ka, kb = translit_key(a).split(), translit_key(b).split()
    if not ka or len(ka) != len(kb):
        return False
    scores = [jaro_winkler(x, y) for x, y in zip(ka, kb, strict=True)]
    return min(scores) >= WORD_SIMILARITY and sum(scores) / len(scores) >= NAME_SIMILARITY


def block_keys(ent: NewEntity) -> set[tuple[str, int, str]]:
    """The blocking keys of an entity: for each of its names, its kind, number of words and the
    initials of its transliteration key. Names that are spellings of one name share one (the key
    already folds the transliteration choices that change a first letter, ``Ch``/``Sh``), so only
    entities that share a key are compared."""
    group = _GROUPS.get(ent.type, ent.type)
    out = set()
    for name in ent.names:
        words = translit_key(name).split()
        if words:
            out.add((group, len(words), "".join(w[0] for w in words)))
    return out


def blocks(entities: list[NewEntity]) -> list[list[NewEntity]]:
    """The entities grouped by blocking key (an entity with several names may be in several blocks);
    blocks of one entity are left out."""
    by_key: dict[tuple[str, int, str], list[NewEntity]] = defaultdict(list)
    for ent in entities:
        for key in block_keys(ent):
            by_key[key].append(ent)
    return [members for _, members in sorted(by_key.items()) if len(members) > 1]


def alike_pairs(members: list[NewEntity]) -> list[tuple[str, str]]:
    """The pairs of ids within one block whose names are alike (the unit of work a worker runs)."""
    out = []
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if any(alike(x, y) for x in a.names for y in b.names):
                out.append((a.id, b.id))
    return out


def cluster(
    entities: list[NewEntity], pair_lists: Iterable[list[tuple[str, str]]] | None = None
) -> dict[str, str]:
    """A map from each merged entity id to its cluster's id (ids that stay as they are are left out).

    ``pair_lists`` are the alike pairs of each block when they were found elsewhere (on an engine's
    workers); by default they are found here."""
    parent = {e.id: e.id for e in entities}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    if pair_lists is None:
        pair_lists = (alike_pairs(members) for members in blocks(entities))
    for pairs in pair_lists:
        for a, b in pairs:
            if root(a) != root(b):
                parent[root(b)] = root(a)
    clusters: dict[str, list[NewEntity]] = defaultdict(list)
    for ent in entities:
        clusters[root(ent.id)].append(ent)
    mapping: dict[str, str] = {}
    for members in clusters.values():
        keep = max(members, key=lambda e: (e.mentions, e.id)).id
        mapping.update({e.id: keep for e in members if e.id != keep})
    return mapping


def merge(entities: list[NewEntity], mapping: dict[str, str]) -> list[NewEntity]:
    """The entities after applying ``mapping``: one per cluster, with the names and confidences of all
    its members."""
    out: dict[str, NewEntity] = {}
    for ent in entities:
        target = mapping.get(ent.id, ent.id)
        merged = out.setdefault(target, NewEntity(target, ent.type))
        merged.names.update(ent.names)
        merged.confidences.extend(ent.confidences)
    return list(out.values())


def confidence(ent: NewEntity) -> float:
    """How sure we are that a new entity is one real thing: the mean confidence of its mentions,
    raised a little by every further mention and spelling, at most 0.95."""
    count = sum(n for _, n in ent.confidences)
    if not count:
        return 0.0
    # summed one mention after the other, as a value per mention would be: the same float
    mean = sum(itertools.chain.from_iterable(itertools.repeat(v, n) for v, n in ent.confidences)) / count
    return round(min(0.95, mean + 0.03 * (ent.mentions - 1) + 0.02 * (len(ent.names) - 1)), 3)
