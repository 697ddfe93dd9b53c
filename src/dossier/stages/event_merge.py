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

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
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
    cited: set[tuple[str, int]] = field(default_factory=set)  # (article, line) of the evidence

    def persons(self, person_ids: set[str]) -> set[str]:
        return {p for p in self.participants if p in person_ids}


def _speaker(participants: list[str], person_ids: set[str]) -> str | None:
    persons = [p for p in participants if p in person_ids]
    return persons[0] if persons else (participants[0] if participants else None)


_interval = lru_cache(maxsize=65536)(interval)
_granularity = lru_cache(maxsize=65536)(granularity_of)
Bucket = tuple[str, int, int]  # (type, year, month): month 0 for a year or quarter; year 0 for wider


def _bucket_of(kind: str, date_value: str) -> Bucket:
    span = _interval(date_value)
    assert span is not None
    if span[0].year != span[1].year:
        return kind, 0, 0
    return kind, span[0].year, span[0].month if span[0].month == span[1].month else 0


def dates_agree(a: str, b: str) -> bool:
    x, y = _interval(a), _interval(b)
    if x is None or y is None:
        return False
    if _granularity(a) == "day" and _granularity(b) == "day":
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


def order_key(mention: dict[str, Any]) -> tuple[Any, ...]:
    """The order mentions are merged in: finest date first, then by date, article and line."""
    return (_precision(mention), sort_key(mention["date"]), mention["article"], mention["line"])


def shard_year(date_value: str) -> int | None:
    """The year a date lies in when it lies in one (day, month, quarter, year), else None (a decade, a
    century): the key that event merging shards by, with the event type."""
    span = interval(date_value)
    if span is None or span[0].year != span[1].year:
        return None
    return span[0].year


class Merger:
    """Event mentions of one type (or several) merged in :func:`order_key` order into clusters.

    A mention is compared only with clusters it could join: of its type, in a date bucket its date
    can agree with (the month, else the year, a cluster's date lies in; decades and wider in one bucket
    per type), and — since a mention must share a participant, a person when both name persons, and
    for statements the speaker — found through indexes of the buckets by speaker, by person and by
    participant. The indexes only narrow the search; :func:`_fits` decides, as before. Among clusters
    that fit equally well the earliest made wins (``rank``: the order key of the mention that made it),
    so merging shards gives what merging everything at once gives."""

    def __init__(self, person_ids: set[str]) -> None:
        self.person_ids = person_ids
        self.clusters: list[Cluster] = []
        self.ranks: list[tuple[Any, ...]] = []
        self._bucket: list[Bucket] = []
        self._has_persons: list[bool] = []
        self._by_speaker: dict[tuple[Bucket, str | None], list[int]] = defaultdict(list)
        self._by_person: dict[tuple[Bucket, str], list[int]] = defaultdict(list)
        self._by_part: dict[tuple[Bucket, str], list[int]] = defaultdict(list)
        self._buckets_of_type: dict[str, set[Bucket]] = defaultdict(set)

    def adopt(self, other: Merger) -> None:
        """Take over the clusters another merger made (a shard merged on its own)."""
        for cluster, rank in zip(other.clusters, other.ranks, strict=True):
            index = self._register(cluster, rank)
            self._index(index, list(cluster.participants))

    def _register(self, cluster: Cluster, rank: tuple[Any, ...]) -> int:
        index = len(self.clusters)
        self.clusters.append(cluster)
        self.ranks.append(rank)
        bucket = _bucket_of(cluster.type, cluster.date)
        self._bucket.append(bucket)
        self._has_persons.append(False)
        self._buckets_of_type[cluster.type].add(bucket)
        if cluster.type in _SPEECH:
            self._by_speaker[(bucket, cluster.speaker)].append(index)
        return index

    def _index(self, index: int, new_participants: list[str]) -> None:
        bucket = self._bucket[index]
        for p in new_participants:
            self._by_part[(bucket, p)].append(index)
            if p in self.person_ids:
                self._by_person[(bucket, p)].append(index)
                self._has_persons[index] = True

    def _buckets(self, kind: str, date_value: str) -> list[Bucket]:
        span = _interval(date_value)
        assert span is not None
        if span[1].year - span[0].year > 20:
            return sorted(self._buckets_of_type.get(kind, ()), key=str)
        found: list[Bucket] = [(kind, 0, 0)]  # the clusters dated wider than a year
        for year in range(span[0].year, span[1].year + 1):
            found.append((kind, year, 0))
            first = span[0].month if year == span[0].year else 1
            last = span[1].month if year == span[1].year else 12
            found.extend((kind, year, month) for month in range(first, last + 1))
        return found

    def _candidates(self, mention: dict[str, Any]) -> set[int]:
        buckets = self._buckets(mention["type"], mention["date"])
        found: set[int] = set()
        if mention["type"] in _SPEECH:
            speaker = _speaker(mention["participants"], self.person_ids)
            for b in buckets:
                found.update(self._by_speaker.get((b, speaker), ()))
            return found
        parts = set(mention["participants"])
        persons = parts & self.person_ids
        for b in buckets:
            if persons:
                for p in persons:
                    found.update(self._by_person.get((b, p), ()))
                for q in parts:
                    found.update(i for i in self._by_part.get((b, q), ()) if not self._has_persons[i])
            else:
                for q in parts:
                    found.update(self._by_part.get((b, q), ()))
        return found

    def add(self, mention: dict[str, Any]) -> None:
        best, best_rank, chosen = 0, None, -1
        for i in self._candidates(mention):
            score = _fits(mention, self.clusters[i], self.person_ids)
            if score and (score > best or (score == best and self.ranks[i] < best_rank)):  # type: ignore[operator]
                best, best_rank, chosen = score, self.ranks[i], i
        if chosen < 0:
            cluster = Cluster(
                type=mention["type"],
                date=mention["date"],
                date_end=mention.get("date_end"),
                speaker=_speaker(mention["participants"], self.person_ids),
                summary=mention.get("summary") or mention["text"],
                kinds=other_kinds(mention["text"]) if mention["type"] == "other" else set(),
            )
            chosen = self._register(cluster, order_key(mention))
        cluster = self.clusters[chosen]
        fresh = [p for p in dict.fromkeys(mention["participants"]) if p not in cluster.participants]
        cluster.participants.update(mention["participants"])
        self._index(chosen, fresh)
        if mention.get("place"):
            cluster.places[mention["place"]] += 1
        where = (mention["article"], mention["line"])
        if where not in cluster.cited:
            cluster.cited.add(where)
            cluster.evidence.append({"article": where[0], "line": where[1], "text": mention["text"]})

    def events(self, clusters: list[int] | None = None) -> list[dict[str, Any]]:
        """The timeline events of the clusters (all, or those listed), in timeline order."""
        chosen = range(len(self.clusters)) if clusters is None else clusters
        clusters_, ranks = self.clusters, self.ranks
        ordered = sorted(chosen, key=lambda i: (sort_key(clusters_[i].date), clusters_[i].type, ranks[i]))
        events = [_event(self.clusters[i]) for i in ordered]
        seen: Counter[str] = Counter()
        for event in events:
            # two events first told by one sentence (two speakers, two meetings) need two ids
            seen[event["id"]] += 1
            if seen[event["id"]] > 1:
                event["id"] = stable_id("evt", event["id"], seen[event["id"]])
        return events


def readable(mentions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mentions with a readable date, in merging order."""
    rows = [m for m in mentions if m.get("date") and interval(m["date"]) is not None]
    rows.sort(key=order_key)
    return rows


def merge(mentions: list[dict[str, Any]], person_ids: set[str]) -> list[dict[str, Any]]:
    """Timeline events (shaped for ``Store.replace_events``) from event mention rows: ``article``,
    ``line``, ``type``, ``date``, ``date_end``, ``participants``, ``place``, ``summary``, ``text``.
    Rows without a readable date are left out."""
    merger = Merger(person_ids)
    for mention in readable(mentions):
        merger.add(mention)
    return merger.events()


def merge_shard(mentions: list[dict[str, Any]], person_ids: set[str]) -> Merger:
    """One shard's mentions (one type, dates within one year) merged on their own: what a worker runs."""
    merger = Merger(person_ids)
    for mention in readable(mentions):
        merger.add(mention)
    return merger


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
