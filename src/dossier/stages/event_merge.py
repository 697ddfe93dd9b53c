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

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dossier.models import stable_id
from dossier.stages.event_extract import other_kinds
from dossier.timex.values import granularity_of, interval, sort_key

SPEECH = ("statement", "accusation", "denial")
_NONE: frozenset[str] = frozenset()  # shared by the many clusters with no kinds or no persons
_ORDER = {"day": 0, "month": 1, "quarter": 2, "year": 3, "decade": 4, "century": 5}


@dataclass(slots=True)
class Evidence:
    """A piece of an event's evidence, read like the dict ``Store.replace_events`` takes
    (``ev["article"]``, ``ev.get("sentence")``), in a fraction of its memory: a large shard makes tens
    of thousands. ``text`` None: not read; the store copies the text of the mention in ``sentence``."""

    article: str
    line: int
    text: str | None
    sentence: int | None

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


@dataclass(slots=True)
class Cluster:
    type: str
    date: str
    date_end: str | None
    speaker: str | None
    participants: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    evidence: list[Evidence] = field(default_factory=list)
    summary: str | None = ""  # None: the store fills it in from the first mention
    kinds: Set[str] = field(default_factory=set)  # for "other": founding, collapse, coming to power …
    cited: set[tuple[str, int]] = field(default_factory=set)  # (article, line) of the evidence


def speaker_of(participants: list[str], person_ids: set[str]) -> str | None:
    persons = [p for p in participants if p in person_ids]
    return persons[0] if persons else (participants[0] if participants else None)


_interval = lru_cache(maxsize=65536)(interval)
_granularity = lru_cache(maxsize=65536)(granularity_of)
# (type, year, month): month 0 for a year or quarter; year 0 for wider. A cluster dated within one month
# is also under (type, year, month, day), day 0 unless its date is one day: a mention dated to a day
# can only join the clusters of that day or of wider dates, so it is compared with those only.
Bucket = tuple[Any, ...]


def _bucket_of(kind: str, date_value: str) -> Bucket:
    span = _interval(date_value)
    assert span is not None
    if span[0].year != span[1].year:
        return kind, 0, 0
    return kind, span[0].year, span[0].month if span[0].month == span[1].month else 0


def _buckets_of(kind: str, date_value: str) -> list[Bucket]:
    """The buckets a cluster of this type and date is filed under."""
    coarse = _bucket_of(kind, date_value)
    if coarse[2] == 0:
        return [coarse]
    span = _interval(date_value)
    assert span is not None
    return [coarse, (*coarse, span[0].day if span[0] == span[1] else 0)]


def dates_agree(a: str, b: str) -> bool:
    x, y = _interval(a), _interval(b)
    if x is None or y is None:
        return False
    if _granularity(a) == "day" and _granularity(b) == "day":
        return a == b
    return x[0] <= y[1] and y[0] <= x[1]


@lru_cache(maxsize=65536)
def date_order(date_value: str) -> tuple[Any, ...]:
    """Where mentions of a date are merged: finest first, then chronologically."""
    return _ORDER.get(_granularity(date_value) or "century", 9), sort_key(date_value)


def order_key(mention: dict[str, Any]) -> tuple[Any, ...]:
    """The order mentions are merged in: finest date first, then by date, article and line."""
    return (*date_order(mention["date"]), mention["article"], mention["line"])


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
        self.creators: list[Creator] = []  # what told each cluster first, for the order of equal ranks
        self._bucket: list[list[Bucket]] = []
        self._has_persons: list[bool] = []
        self._persons: list[Set[str]] = []  # each cluster's participants that are persons
        self._by_speaker: dict[tuple[Bucket, str | None], list[int]] = defaultdict(list)
        self._by_person: dict[tuple[Bucket, str], list[int]] = defaultdict(list)
        self._by_part: dict[tuple[Bucket, str], list[int]] = defaultdict(list)
        self._buckets_of_type: dict[str, set[Bucket]] = defaultdict(set)

    def _register(self, cluster: Cluster, rank: tuple[Any, ...], creator: Creator) -> int:
        index = len(self.clusters)
        self.clusters.append(cluster)
        self.ranks.append(rank)
        self.creators.append(creator)
        buckets = _buckets_of(cluster.type, cluster.date)
        self._bucket.append(buckets)
        self._has_persons.append(False)
        self._persons.append(_NONE)  # a set of its own once it has a person
        self._buckets_of_type[cluster.type].add(buckets[0])
        if cluster.type in SPEECH:
            for bucket in buckets:
                self._by_speaker[(bucket, cluster.speaker)].append(index)
        return index

    def _index(self, index: int, new_participants: list[str]) -> None:
        for bucket in self._bucket[index]:
            for p in new_participants:
                self._by_part[(bucket, p)].append(index)
                if p in self.person_ids:
                    self._by_person[(bucket, p)].append(index)
                    self._has_persons[index] = True
        found = [p for p in new_participants if p in self.person_ids]
        if found:
            self._persons[index] = self._persons[index] | set(found)

    def _buckets(self, kind: str, date_value: str) -> list[Bucket]:
        span = _interval(date_value)
        assert span is not None
        if span[1].year - span[0].year > 20:
            return sorted(self._buckets_of_type.get(kind, ()), key=str)
        found: list[Bucket] = [(kind, 0, 0)]  # the clusters dated wider than a year
        if span[0] == span[1]:  # one day: that day's clusters, the month's dated wider than a day
            day = span[0]
            return [
                *found,
                (kind, day.year, 0),
                (kind, day.year, day.month, day.day),
                (kind, day.year, day.month, 0),
            ]
        for year in range(span[0].year, span[1].year + 1):
            found.append((kind, year, 0))
            first = span[0].month if year == span[0].year else 1
            last = span[1].month if year == span[1].year else 12
            found.extend((kind, year, month) for month in range(first, last + 1))
        return found

    def _scores(
        self, kind: str, date: str, parts: set[str], persons: set[str], speaker: str | None
    ) -> dict[int, int]:
        """The clusters a mention may join (found through the buckets its date can agree with) and how
        many participants each shares with it. Only clusters sharing one are listed; for speech only
        those with the mention's speaker, and for a mention naming persons only clusters that share one
        of them or name none (conditions :meth:`_best` checks anyway: the indexes only narrow)."""
        buckets = self._buckets(kind, date)
        by_part = self._by_part
        listed: list[int] = []
        for b in buckets:
            for q in parts:
                found = by_part.get((b, q))
                if found:
                    listed += found
        shared = Counter(listed)
        if kind in SPEECH:
            allowed: set[int] = set()
            for b in buckets:
                allowed.update(self._by_speaker.get((b, speaker), ()))
            return {i: n for i, n in shared.items() if i in allowed}
        if persons:
            sharing: set[int] = set()
            for b in buckets:
                for p in persons:
                    sharing.update(self._by_person.get((b, p), ()))
            has_persons = self._has_persons
            return {i: n for i, n in shared.items() if i in sharing or not has_persons[i]}
        return shared

    def _best(self, mention: dict[str, Any], parts: set[str], persons: set[str], speaker: str | None) -> int:
        """The cluster the mention joins: of those it can join, the one sharing the most participants
        with it, the earliest made among equals; -1 when it can join none.

        It can join a cluster of its type whose date can be its date, sharing a participant with it (a
        person, when both name persons); for speech, with its speaker; for "other", of a kind it tells.
        Clusters are tried best first (most shared, then earliest), so the conditions are checked for
        few of them."""
        kind, date = mention["type"], mention["date"]
        kinds = other_kinds(mention["text"]) if kind == "other" else set()
        clusters, ranks, cluster_persons = self.clusters, self.ranks, self._persons
        scores = self._scores(kind, date, parts, persons, speaker)
        while scores:
            top = max(scores.values())
            tied = [i for i, n in scores.items() if n == top]
            for i in sorted(tied, key=ranks.__getitem__):
                cluster = clusters[i]
                if cluster.type != kind or not dates_agree(date, cluster.date):
                    continue
                if persons and cluster_persons[i] and not persons & cluster_persons[i]:
                    continue
                if kind in SPEECH and speaker != cluster.speaker:
                    continue
                if kind == "other" and not kinds & cluster.kinds:
                    continue
                return i
            for i in tied:
                del scores[i]
        return -1

    def add(self, mention: dict[str, Any]) -> None:
        named = mention["participants"]
        parts = set(named)
        persons = parts & self.person_ids
        speaker = speaker_of(named, self.person_ids)
        chosen = self._best(mention, parts, persons, speaker)
        if chosen < 0:
            kind = mention["type"]
            cluster = Cluster(
                type=kind,
                date=mention["date"],
                date_end=mention.get("date_end"),
                speaker=speaker,
                summary=mention.get("summary") or mention.get("text"),
                kinds=other_kinds(mention["text"]) if kind == "other" else _NONE,
            )
            creator = (mention.get("sentence") or 0, named, mention.get("place"))
            chosen = self._register(cluster, order_key(mention), creator)
        cluster = self.clusters[chosen]
        fresh = [p for p in dict.fromkeys(named) if p not in cluster.participants]
        cluster.participants.update(named)
        self._index(chosen, fresh)
        place = mention.get("place")
        if place:
            cluster.places[place] += 1
        where = (mention["article"], mention["line"])
        if where not in cluster.cited:
            cluster.cited.add(where)
            cluster.evidence.append(_evidence(mention))

    def events(
        self, clusters: list[int] | None = None, held: set[tuple[str, str, int]] | None = None
    ) -> list[dict[str, Any]]:
        """The timeline events of the clusters (all, or those listed), in timeline order, with unique
        ids. An event first told on a (date, article, line) of ``held`` keeps its id unnumbered and
        carries ``_order`` instead, for :func:`number_ids` to number it with the events other mergers
        made from that line (mergers of one shard's speakers, each merged on its own)."""
        chosen = range(len(self.clusters)) if clusters is None else clusters
        clusters_, ranks = self.clusters, self.ranks
        ordered = sorted(chosen, key=lambda i: (sort_key(clusters_[i].date), clusters_[i].type, ranks[i]))
        events = [_event(self.clusters[i]) for i in ordered]
        seen: Counter[str] = Counter()
        for i, event in zip(ordered, events, strict=True):
            c = clusters_[i]
            first = c.evidence[0]
            if held and (c.date, first.article, first.line) in held:
                event["_order"] = (sort_key(c.date), c.type, ranks[i], _creator_key(self.creators[i]), i)
                continue
            # two events first told by one sentence (two speakers, two meetings) need two ids
            seen[event["id"]] += 1
            if seen[event["id"]] > 1:
                event["id"] = stable_id("evt", event["id"], seen[event["id"]])
        return events


Creator = tuple[
    int, list[str], str | None
]  # the sentence, participants and place of a cluster's first mention


def _creator_key(creator: Creator) -> tuple[Any, ...]:
    """The order mentions that tie on :func:`order_key` are merged in (the order they are read in:
    by sentence, then participants and place as stored), for a cluster's first mention."""
    sentence, participants, place = creator
    return sentence, json.dumps(participants), place is not None, place or ""


def number_ids(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events of one type and date span first told on one line, made by several mergers (held by
    :meth:`Merger.events`), in timeline order, with the ids they would have had merged together: two
    events first told by one sentence get two ids, numbered in the order they were made (for mentions
    read in the store's order, :func:`dossier.store.corpus_io.iter_event_mentions`)."""
    events.sort(key=lambda e: e["_order"])
    seen: Counter[str] = Counter()
    for event in events:
        del event["_order"]
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
    return merge_shard(mentions, person_ids).events()


def merge_shard(mentions: Iterable[dict[str, Any]], person_ids: set[str], in_order: bool = False) -> Merger:
    """One shard's mentions (one type, dates within one year) merged on their own: what a worker runs.
    ``in_order``: they come in merging order (as the store reads a shard) and are merged as they
    come (:func:`in_merging_order`), never held."""
    merger = Merger(person_ids)
    for mention in in_merging_order(mentions) if in_order else readable(mentions):
        merger.add(mention)
    return merger


def in_merging_order(mentions: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """:func:`readable` of mentions that come in merging order (:func:`order_key`; ties in the order
    merging takes them): the same mentions in the same order, as they come. Raises ValueError on a
    mention out of that order, rather than merge it wrongly."""
    last: tuple[Any, ...] = ()
    for mention in mentions:
        if not mention.get("date") or _interval(mention["date"]) is None:
            continue
        key = order_key(mention)
        if key < last:
            raise ValueError(f"event mentions out of merging order: {key} after {last}")
        last = key
        yield mention


def _evidence(mention: dict[str, Any]) -> Evidence:
    """A piece of evidence: the mention's article, line, text and sentence. A mention read without its
    text leaves it None (the store copies it from the mention's sentence when writing the event)."""
    return Evidence(mention["article"], mention["line"], mention.get("text"), mention.get("sentence"))


def _event(cluster: Cluster) -> dict[str, Any]:
    first = cluster.evidence[0]
    place = cluster.places.most_common(1)[0][0] if cluster.places else None
    participants = [p for p, _ in cluster.participants.most_common() if p != place]
    return {
        "id": stable_id("evt", cluster.type, cluster.date, first.article, first.line),
        "date": cluster.date,
        "date_end": cluster.date_end,
        "type": cluster.type,
        "summary": cluster.summary,
        "participants": participants,
        "place": place,
        "evidence": cluster.evidence,
    }
