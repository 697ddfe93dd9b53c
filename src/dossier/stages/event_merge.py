"""Merging event mentions across articles into timeline events, each with every piece of evidence.

Two mentions tell the same real-world event when they have the same type, their dates can be the same
(the intervals overlap; two dates to the day must be the same day), and they share participants: at
least one, and a person when both name persons; for statements, accusations and denials the first
person named (the speaker) must be the same, so that what Putin and Kim each said on one day stay two
entries. Mentions are taken finest date first, so that ``năm 2019`` joins the meeting of 25 April 2019
that another article dates to the day, and the event keeps the most precise date any of its mentions
gives. Each (article, line) is evidence once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from dossier.models import stable_id
from dossier.stages.event_extract import other_kinds
from dossier.timex.values import granularity_of, interval, sort_key

_SPEECH = ("statement", "accusation", "denial")
_ORDER = {"day": 0, "month": 1, "quarter": 2, "year": 3, "decade": 4, "century": 5}


@dataclass
class Cluster:
    type: str
    date: str
    date_end: str | None
    speaker: str | None
    participants: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    summary: str = ""
    kinds: set[str] = field(default_factory=set)  # for "other": founding, collapse, coming to power …

    def persons(self, person_ids: set[str]) -> set[str]:
        return {p for p in self.participants if p in person_ids}


def _speaker(participants: list[str], person_ids: set[str]) -> str | None:
    persons = [p for p in participants if p in person_ids]
    return persons[0] if persons else (participants[0] if participants else None)


def dates_agree(a: str, b: str) -> bool:
    x, y = interval(a), interval(b)
    if x is None or y is None:
        return False
    if granularity_of(a) == "day" and granularity_of(b) == "day":
        return a == b
    return x[0] <= y[1] and y[0] <= x[1]


def _fits(mention: dict[str, Any], cluster: Cluster, person_ids: set[str]) -> int:
    """How many participants the mention shares with the cluster, or 0 when it cannot join it."""
    if mention["type"] != cluster.type or not dates_agree(mention["date"], cluster.date):
        return 0
    participants = set(mention["participants"])
    shared = participants & set(cluster.participants)
    if not shared:
        return 0
    persons = participants & person_ids
    if persons and cluster.persons(person_ids) and not persons & cluster.persons(person_ids):
        return 0
    if cluster.type in _SPEECH and _speaker(mention["participants"], person_ids) != cluster.speaker:
        return 0
    if cluster.type == "other" and not other_kinds(mention["text"]) & cluster.kinds:
        return 0
    return len(shared)


def _precision(mention: dict[str, Any]) -> int:
    return _ORDER.get(granularity_of(mention["date"]) or "century", 9)


def merge(mentions: list[dict[str, Any]], person_ids: set[str]) -> list[dict[str, Any]]:
    """Timeline events (shaped for ``Store.replace_events``) from event mention rows: ``article``,
    ``line``, ``type``, ``date``, ``date_end``, ``participants``, ``place``, ``summary``, ``text``.
    Rows without a readable date are left out."""
    rows = [m for m in mentions if m.get("date") and interval(m["date"]) is not None]
    rows.sort(key=lambda m: (_precision(m), sort_key(m["date"]), m["article"], m["line"]))
    clusters: list[Cluster] = []
    for mention in rows:
        scored = [(_fits(mention, c, person_ids), -i) for i, c in enumerate(clusters)]
        best = max(scored, default=(0, 0))
        if best[0] > 0:
            cluster = clusters[-best[1]]
        else:
            cluster = Cluster(
                type=mention["type"],
                date=mention["date"],
                date_end=mention.get("date_end"),
                speaker=_speaker(mention["participants"], person_ids),
                summary=mention.get("summary") or mention["text"],
                kinds=other_kinds(mention["text"]) if mention["type"] == "other" else set(),
            )
            clusters.append(cluster)
        cluster.participants.update(mention["participants"])
        if mention.get("place"):
            cluster.places[mention["place"]] += 1
        if not any(
            e["article"] == mention["article"] and e["line"] == mention["line"] for e in cluster.evidence
        ):
            cluster.evidence.append(
                {"article": mention["article"], "line": mention["line"], "text": mention["text"]}
            )
    events = [_event(c) for c in sorted(clusters, key=lambda c: (sort_key(c.date), c.type))]
    seen: Counter[str] = Counter()
    for event in events:
        # two events first told by one sentence (two speakers, two meetings) need two ids
        seen[event["id"]] += 1
        if seen[event["id"]] > 1:
            event["id"] = stable_id("evt", event["id"], seen[event["id"]])
    return events


def _event(cluster: Cluster) -> dict[str, Any]:
    first = cluster.evidence[0]
    place = cluster.places.most_common(1)[0][0] if cluster.places else None
    participants = [p for p, _ in cluster.participants.most_common() if p != place]
    return {
        "id": stable_id("evt", cluster.type, cluster.date, first["article"], first["line"]),
        "date": cluster.date,
        "date_end": cluster.date_end,
        "type": cluster.type,
        "summary": cluster.summary,
        "participants": participants,
        "place": place,
        "evidence": cluster.evidence,
    }
