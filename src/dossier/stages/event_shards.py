"""Cross-article event merging, sharded by key so that shards merge in parallel (on Ray workers too).

A mention can only join a cluster of its own type whose date can agree with its own, and mentions
are merged finest date first (:func:`dossier.stages.event_merge.order_key`). So the mentions of one
type dated within one year form a shard that merges on its own — except where a mention of that type
dated wider than a year (``199X``, ``20XX``) may join clusters of several years: those years' shards
and the wide mentions form one larger shard. Merging the shards one by one gives exactly the events
that merging every mention at once gives, and only one shard's rows are in memory at a time.

A shard of speech (statements, accusations, denials) is merged a speaker at a time: a mention of
speech only joins a cluster of its own speaker. Its events are numbered together at the end
(:func:`dossier.stages.event_merge.number_ids`), so that two events first told by one sentence get the
ids they would get merged at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from dossier.stages.event_merge import SPEECH, merge_shard, number_ids, speaker_of
from dossier.timex.values import interval

Shard = tuple[str, list[str]]  # (event type, the dates whose mentions it holds)


def plan(type_dates: list[tuple[str, str]]) -> list[Shard]:
    """The shards for the distinct (type, date) pairs of the mentions: one per type and year, with
    the years a wide date spans joined to its shard. Dates that are not values are left out."""
    years: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    wide: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for kind, value in type_dates:
        span = interval(value)
        if span is None:
            continue
        if span[0].year == span[1].year:
            years[kind][span[0].year].append(value)
        else:
            wide[kind].append((value, span[0].year, span[1].year))
    shards: list[Shard] = []
    for kind in sorted(set(years) | set(wide)):
        joined: list[str] = []
        for value, first, last in wide[kind]:
            joined.append(value)
            for year in range(first, last + 1):
                joined.extend(years[kind].pop(year, []))
        shards.extend((kind, dates) for _, dates in sorted(years[kind].items()))
        if joined:
            shards.append((kind, joined))
    return shards


def shard_events(rows: list[dict[str, Any]], person_ids: set[str]) -> list[dict[str, Any]]:
    """The timeline events of one shard's mention rows."""
    return merge_shard(rows, person_ids).events()


def shard_rows(store: Any, shards: list[Shard]) -> Iterator[list[dict[str, Any]]]:
    """Each shard's mention rows, read from the store one shard at a time."""
    from dossier.store.corpus_io import event_mentions_of

    for kind, dates in shards:
        yield event_mentions_of(store, kind, dates)


Unit = tuple[int, list[Any], set[tuple[str, str, int]]]  # (shard, mention rows, lines several speakers tell)


def units(store: Any, shards: list[Shard], person_ids: set[str]) -> Iterator[Unit]:
    """The units of merging work, one shard's at a time: a shard of statements, accusations or denials
    split by speaker (a mention only joins a cluster of its own speaker, so each speaker's mentions
    merge on their own, in a fraction of the memory), any other shard whole. A unit names the
    (date, article, line) that mentions of several speakers tell: events first told there are
    numbered across the shard's units (:func:`numbered`)."""
    from dossier.store.corpus_io import event_mentions_of

    for number, (kind, dates) in enumerate(shards):
        yield from split(number, kind, event_mentions_of(store, kind, dates), person_ids)


def split(number: int, kind: str, rows: list[Any], person_ids: set[str]) -> Iterator[Unit]:
    """The units of one shard's rows (see :func:`units`)."""
    if kind not in SPEECH:
        yield number, rows, set()
        return
    by_speaker: dict[str | None, list[Any]] = defaultdict(list)
    first_teller: dict[tuple[str, str, int], str | None] = {}  # a speaker each, not a set: little memory
    shared: set[tuple[str, str, int]] = set()
    for row in rows:
        speaker = speaker_of(row["participants"], person_ids)
        by_speaker[speaker].append(row)
        where = (row["date"], row["article"], row["line"])
        if first_teller.setdefault(where, speaker) != speaker:
            shared.add(where)
    del rows, first_teller
    for speaker in sorted(by_speaker, key=lambda s: s or ""):
        yield number, by_speaker.pop(speaker), shared


def unit_events(unit: Unit, person_ids: set[str]) -> tuple[int, list[dict[str, Any]]]:
    """The events of one unit (the unit of work a worker runs); those first told on a line several
    speakers tell keep their ids unnumbered (:func:`numbered` numbers them)."""
    number, rows, shared = unit
    return number, merge_shard(rows, person_ids).events(held=shared)


def numbered(results: Iterable[tuple[int, list[dict[str, Any]]]]) -> Iterator[list[dict[str, Any]]]:
    """The events of the units, as they come, with unique ids: those a unit left unnumbered are held
    until their shard's last unit and numbered together (:func:`number_ids`)."""
    current: int | None = None
    held: list[dict[str, Any]] = []
    for number, events in results:
        if number != current and held:
            yield number_ids(held)
            held = []
        current = number
        held.extend(e for e in events if "_order" in e)
        yield [e for e in events if "_order" not in e]
    if held:
        yield number_ids(held)
