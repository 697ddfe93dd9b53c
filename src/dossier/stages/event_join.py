"""Joining undated event mentions to the one dated event they tell.

``chuyến thăm Triều Tiên của Bộ trưởng Quốc phòng Sergei Shoigu`` dates nothing by itself, but when
another article dates Shoigu's visit to July 2023, the mention is evidence for that event. An undated
mention joins an event when the event has its type, names every person the mention names, and shares
at least two participants with it; and only when exactly one event fits, since several candidates
(two visits by the same leader) leave no way to choose. Speech, wars and "other" are never joined
(``unjoinable`` in ``vi/data/event_triggers.yaml``): the extractor keeps no undated mention of them.

The work is done one event type at a time (a mention only joins an event of its type), so only one
type's events are in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from dossier.store import corpus_io, event_links

if TYPE_CHECKING:
    from dossier.store.sqlite import Store

MIN_SHARED = 2


def links(
    undated: Iterable[dict[str, Any]],
    events: list[dict[str, Any]],
    person_ids: set[str],
    cited: Callable[[str, tuple[str, int]], bool] | None = None,
) -> list[dict[str, Any]]:
    """The evidence rows (``event``, ``article``, ``line``, ``text``) that join undated mentions to the
    one event each fits; a mention that fits none or several is left out, and an event never cites one
    line twice. ``cited(event id, (article, line))`` says whether the event cites that line already (by
    default: whether it is in the event's ``cited`` set); a mention without its ``text`` gives a row
    with its ``sentence`` instead (the store copies the text)."""
    # a fitting event names a person of the mention and another of its participants: events are
    # indexed by such pairs, and a mention looks up its rarest person's pairs only
    by_pair: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    by_person: dict[tuple[str, str], int] = defaultdict(int)
    names = [frozenset(e["participants"]) for e in events]
    for i, event in enumerate(events):
        for person in names[i] & person_ids:
            by_person[(event["type"], person)] += 1
            for other in names[i] - {person}:
                by_pair[(event["type"], person, other)].append(i)
    added: set[tuple[str, str, int]] = set()

    def already(event_id: str, where: tuple[str, int]) -> bool:
        if (event_id, *where) in added:
            return True
        if cited is not None:
            return cited(event_id, where)
        return where in events_by_id[event_id]["cited"]

    events_by_id = {e["id"]: e for e in events}
    out: list[dict[str, Any]] = []
    for mention in undated:
        participants = set(mention["participants"])
        persons = participants & person_ids
        if not persons:
            continue
        kind = mention["type"]
        anchor = min(persons, key=lambda p: (by_person.get((kind, p), 0), p))
        candidates: set[int] = set()
        for other in participants - {anchor}:
            candidates.update(by_pair.get((kind, anchor, other), ()))
        fits: list[int] = []
        for i in sorted(candidates):
            if persons <= names[i] and len(participants & names[i]) >= MIN_SHARED:
                fits.append(i)
                if len(fits) > 1:  # several fit: no way to choose
                    break
        if len(fits) != 1:
            continue
        event, where = events[fits[0]], (mention["article"], mention["line"])
        if already(event["id"], where):
            continue
        added.add((event["id"], *where))
        row = {"event": event["id"], "article": where[0], "line": where[1], "text": mention.get("text")}
        if row["text"] is None:
            row["sentence"] = mention["sentence"]
        out.append(row)
    return out


def run(store: Store, person_ids: set[str] | None = None) -> int:
    """Join the stored undated event mentions to the stored timeline, one event type at a time;
    returns how many were joined. ``person_ids``: the entities mentions call persons (read from the
    store when not given)."""
    persons = corpus_io.person_ids(store) if person_ids is None else person_ids
    joined = 0
    for kind in event_links.undated_types(store):
        undated = event_links.undated_mentions(store, kind, with_text=False)
        events = event_links.events_of_types(store, [kind], with_cited=False)
        rows = links(
            undated, events, persons, lambda event_id, where: event_links.cites(store, event_id, where)
        )
        event_links.add_evidence(store, rows)
        joined += len(rows)
    return joined
