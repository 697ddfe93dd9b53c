"""Joining undated event mentions to the one dated event they tell.

``chuyến thăm Triều Tiên của Bộ trưởng Quốc phòng Sergei Shoigu`` dates nothing by itself, but when
another article dates Shoigu's visit to July 2023, the mention is evidence for that event. An undated
mention joins an event when the event has its type, names every person the mention names, and shares
at least two participants with it; and only when exactly one event fits, since several candidates
(two visits by the same leader) leave no way to choose. Speech, wars and "other" are never joined
(``unjoinable`` in ``vi/data/event_triggers.yaml``): the extractor keeps no undated mention of them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from dossier.store import corpus_io, event_links

if TYPE_CHECKING:
    from dossier.store.sqlite import Store

MIN_SHARED = 2


def links(
    undated: list[dict[str, Any]], events: list[dict[str, Any]], person_ids: set[str]
) -> list[dict[str, Any]]:
    """The evidence rows (``event``, ``article``, ``line``, ``text``) that join undated mentions to the
    one event each fits; a mention that fits none or several is left out, and an event never cites one
    line twice."""
    # indexed by type and person: a mention is compared only with the events naming one of its persons
    by_person: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        for person in set(event["participants"]) & person_ids:
            by_person[(event["type"], person)].append(event)
    out: list[dict[str, Any]] = []
    for mention in undated:
        participants = set(mention["participants"])
        persons = participants & person_ids
        if not persons:
            continue
        fits = [
            e
            for e in by_person.get((mention["type"], min(persons)), [])
            if persons <= set(e["participants"]) and len(participants & set(e["participants"])) >= MIN_SHARED
        ]
        if len(fits) != 1:
            continue
        event, where = fits[0], (mention["article"], mention["line"])
        if where in event["cited"]:
            continue
        event["cited"].add(where)
        out.append({"event": event["id"], "article": where[0], "line": where[1], "text": mention["text"]})
    return out


def run(store: Store) -> int:
    """Join the stored undated event mentions to the stored timeline; returns how many were joined."""
    undated = event_links.undated_mentions(store)
    if not undated:
        return 0
    events = event_links.events_of_types(store, sorted({m["type"] for m in undated}))
    rows = links(undated, events, corpus_io.person_ids(store))
    event_links.add_evidence(store, rows)
    return len(rows)
