"""Cross-article event merging, sharded by key so that shards merge in parallel (on Ray workers too).

A mention can only join a cluster of its own type whose date can agree with its own, and mentions
are merged finest date first (:func:`dossier.stages.event_merge.order_key`). So the mentions of one
type dated within one year form a shard that merges on its own — except where a mention of that type
dated wider than a year (``199X``, ``20XX``) may join clusters of several years: those years' shards
and the wide mentions form one larger shard. Merging the shards one by one gives exactly the events
that merging every mention at once gives, and only one shard's rows are in memory at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from dossier.stages.event_merge import merge_shard
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
    """The timeline events of one shard's mention rows (the unit of work a worker runs)."""
    return merge_shard(rows, person_ids).events()


def shard_rows(store: Any, shards: list[Shard]) -> Iterator[list[dict[str, Any]]]:
    """Each shard's mention rows, read from the store one shard at a time."""
    from dossier.store.corpus_io import event_mentions_of

    for kind, dates in shards:
        yield event_mentions_of(store, kind, dates)
