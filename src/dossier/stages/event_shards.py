"""Cross-article event merging, sharded by key so that shards merge in parallel (on Ray workers too).

A mention can only join a cluster of its own type whose date can agree with its own, and mentions
are merged finest date first (:func:`dossier.stages.event_merge.order_key`). So the mentions of one
type dated within one year form a shard that merges on its own — except where a mention of that type
dated wider than a year (``199X``, ``20XX``) may join clusters of several years: those years' shards
and the wide mentions form one larger shard. Merging the shards one by one gives exactly the events
that merging every mention at once gives. On an engine that runs the work in this process a shard's
rows are merged as they are read, never held; sent to a worker, only one shard's are held at a time.

A shard of speech (statements, accusations, denials) is merged a speaker at a time: a mention of
speech only joins a cluster of its own speaker. A large one (over :data:`UNIT_ROWS` rows) is set aside
in the store as it is read and read back a speaker at a time, so that its rows are never all in
memory: at 100,000 articles a year of statements has 115,000–127,000 mentions, four times the
largest other shard. Its events are numbered together at the end
(:func:`dossier.stages.event_merge.number_ids`), so that two events first told by one sentence get the
ids they would get merged at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, Protocol

from dossier.stages.event_merge import SPEECH, date_order, merge_shard, number_ids, speaker_of
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


# (shard, mention rows, lines several speakers tell)
Unit = tuple[int, Iterable[Any], set[tuple[str, str, int]]]
# reads a shard's rows in merging order, a date's rows together (as the store reads them: a date at a time)
Reader = Callable[[], Iterable[Any]]


class Aside(Protocol):
    """Where a large shard of speech is set aside as it is read: (speaker, row) pairs put in merging
    order, read back a speaker at a time in that order (:class:`dossier.store.corpus_io.SpeechAside`)."""

    def put(self, rows: Iterable[tuple[str | None, Any]]) -> None: ...

    def read(self, speaker: str | None) -> Iterable[Any]: ...

    def clear(self) -> None: ...


# rows of speech held at once: a shard of speech with more is set aside in the store as it is read and
# read back a speaker at a time (at 100,000 articles a year of statements has 115,000-127,000 rows)
UNIT_ROWS = 20_000
_PUT_ROWS = 2_000  # rows set aside per statement


def units(store: Any, shards: list[Shard], person_ids: set[str], stream: bool = False) -> Iterator[Unit]:
    """The units of merging work, one shard's at a time: a shard of statements, accusations or denials
    split by speaker (a mention only joins a cluster of its own speaker, so each speaker's mentions
    merge on their own, in a fraction of the memory), any other shard whole. A unit names the
    (date, article, line) that mentions of several speakers tell: events first told there are
    numbered across the shard's units (:func:`numbered`). ``stream``: a unit gives its rows as they
    are read (for an engine that runs the units in this process, as it reads them)."""
    from dossier.store.corpus_io import SpeechAside, iter_event_mentions

    for number, (kind, dates) in enumerate(shards):
        in_order = sorted(dates, key=date_order)  # rows come in merging order, a date at a time
        read = partial(iter_event_mentions, store, kind, in_order)
        yield from split(number, kind, read, person_ids, partial(SpeechAside, store), stream)


def split(
    number: int,
    kind: str,
    read: Reader,
    person_ids: set[str],
    aside: Callable[[], Aside],
    stream: bool = False,
) -> Iterator[Unit]:
    """The units of one shard (see :func:`units`), its rows read once through ``read``. The rows of a
    shard of speech are held by speaker while they are at most :data:`UNIT_ROWS`; past that, they are
    set aside (``aside``) and each speaker's read back on its own. ``stream``: a speaker's rows set
    aside are given as they are read back (at 100,000 articles one speaker has 25,683 statements in a
    year, 9 MB of rows when held)."""
    if kind not in SPEECH:
        yield number, read() if stream else list(read()), set()
        return
    counts: Counter[str | None] = Counter()
    # the first speaker of each (article, line) of the date being read: rows come a date at a time
    first_teller: dict[tuple[str, int], str | None] = {}
    date = None
    shared: set[tuple[str, str, int]] = set()
    held: dict[str | None, list[Any]] = defaultdict(list)  # all rows, while they are few
    put: list[tuple[str | None, Any]] = []
    kept: Aside | None = None
    for total, row in enumerate(read(), 1):
        speaker = speaker_of(row["participants"], person_ids)
        counts[speaker] += 1
        if row["date"] != date:
            first_teller.clear()
            date = row["date"]
        if first_teller.setdefault((row["article"], row["line"]), speaker) != speaker:
            shared.add((date, row["article"], row["line"]))
        if kept is None:
            held[speaker].append(row)
            if total > UNIT_ROWS:
                kept = aside()
                for who, rows in held.items():
                    kept.put((who, r) for r in rows)
                held.clear()
            continue
        put.append((speaker, row))
        if len(put) >= _PUT_ROWS:
            kept.put(put)
            put = []
    del first_teller
    order = sorted(counts, key=lambda s: s or "")
    if kept is None:
        for speaker in order:
            yield number, held.pop(speaker), shared
        return
    kept.put(put)
    del put
    for speaker in order:
        rows = kept.read(speaker)
        yield number, rows if stream else list(rows), shared
    kept.clear()


def unit_events(unit: Unit, person_ids: set[str]) -> tuple[int, list[dict[str, Any]]]:
    """The events of one unit (the unit of work a worker runs); those first told on a line several
    speakers tell keep their ids unnumbered (:func:`numbered` numbers them)."""
    number, rows, shared = unit
    return number, merge_shard(rows, person_ids, in_order=True).events(held=shared)


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
