"""What the corpus stages read and write shard by shard, so that none of them loads the corpus.

The corpus stages (duplicates, entities, events, claims) work on keys: event mentions by type and
date, duplicate candidates by LSH band, new entities by blocking key. These functions read one key's
rows at a time and write results in one transaction, on the store's connection (portable SQL with
``?`` placeholders).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from dossier.store.in_list import in_lists
from dossier.timex.values import interval

if TYPE_CHECKING:
    from dossier.store.sqlite import Store


@contextlib.contextmanager
def transaction(store: Store) -> Iterator[None]:
    """One write transaction on the store's connection: committed at the end, rolled back on error."""
    store.flush()
    c = store.conn
    c.execute("BEGIN IMMEDIATE")
    try:
        yield
        c.execute("COMMIT")
    except BaseException:
        c.execute("ROLLBACK")
        raise


_SLICE = 50_000


def empty(store: Store, table: str) -> None:
    """Delete every row of a large table with foreign keys (one of the store's own, never a name from
    input), inside the caller's transaction. SQLite cannot truncate such a table and gathers the row
    ids a DELETE removes in memory (for the event evidence of 100,000 articles, 21 MB): a slice of rows
    at a time there."""
    c = store.conn
    if store.dialect != "sqlite":
        c.execute(f"DELETE FROM {table}")
        return
    while c.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
        c.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} LIMIT {_SLICE})")


def person_ids(store: Store) -> set[str]:
    """The ids of the entities some mention calls a person."""
    return {r[0] for r in store.conn.execute("SELECT DISTINCT entity_id FROM mentions WHERE type = 'person'")}


def event_dates(store: Store) -> list[tuple[str, str]]:
    """Every distinct (type, date) of the dated event mentions of canonical articles."""
    rows = store.conn.execute(
        "SELECT DISTINCT m.type, m.date FROM event_mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE a.duplicate_of IS NULL AND m.date IS NOT NULL ORDER BY m.type, m.date"
    )
    return [(r[0], r[1]) for r in rows]


# the order rows were written in, on tables without a column for it (a tie-break: mentions of one
# sentence in the order the stage found them)
ROW_ORDER = {"sqlite": "rowid", "postgresql": "ctid"}


class SlotRow:
    """A row with named fields in little memory, read like a dict (``row["type"]``, ``row.get(…)``);
    subclasses name their fields in ``__slots__``, in column order."""

    __slots__: tuple[str, ...] = ()

    def __init__(self, *values: Any) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)

    def __reduce__(self) -> tuple[Any, ...]:  # sent to workers by the Ray engine
        return type(self), self.fields()

    def fields(self, **replaced: Any) -> tuple[Any, ...]:
        """The fields in column order, those named in ``replaced`` replaced."""
        return tuple(replaced[name] if name in replaced else getattr(self, name) for name in self.__slots__)


class MentionRow(SlotRow):
    """One event mention as merging reads it, in little memory (a shard holds many): read like a dict
    (``row["type"]``, ``row.get("place")``)."""

    __slots__ = (
        "article",
        "sentence",
        "line",
        "type",
        "date",
        "date_end",
        "participants",
        "place",
        "summary",
        "text",
    )


class SpeechAside:
    """The rows of one large shard of speech set aside in a temporary table of the store's connection
    as the shard is read (once), each with its speaker, to be read back a speaker at a time in the
    order they were put: the shard's merging order. (Read again for each group of speakers instead,
    a year of statements at 100,000 articles was read 8 times; the number of reads grew with the
    store.) Emptied when made and by :meth:`clear`."""

    _COLUMNS = "article, sentence, line, type, date, date_end, participants, place, summary, text"

    def __init__(self, store: Store) -> None:
        self.conn = store.conn
        self.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS speech_aside (speaker TEXT NOT NULL, seq INTEGER NOT NULL,"
            " article TEXT, sentence INTEGER, line INTEGER, type TEXT, date TEXT, date_end TEXT,"
            " participants TEXT, place TEXT, summary TEXT, text TEXT)"
        )
        self.conn.execute("CREATE INDEX IF NOT EXISTS speech_aside_speaker ON speech_aside(speaker, seq)")
        self.clear()
        self.count = 0

    def put(self, rows: Iterable[tuple[str | None, MentionRow]]) -> None:
        """Set aside (speaker, row) pairs; a speaker's rows are read back in the order put."""
        values = []
        for speaker, row in rows:
            values.append((speaker or "", self.count, *row.fields(participants=json.dumps(row.participants))))
            self.count += 1
        self.conn.executemany(
            f"INSERT INTO speech_aside (speaker, seq, {self._COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            values,
        )

    def read(self, speaker: str | None) -> Iterator[MentionRow]:
        """A speaker's rows, as they are read, in the order they were put."""
        rows = self.conn.execute(
            f"SELECT {self._COLUMNS} FROM speech_aside WHERE speaker = ? ORDER BY seq", (speaker or "",)
        )
        names: dict[str, str] = {}
        for values in rows.tuples():
            yield _mention_row(values, names)

    def clear(self) -> None:
        self.conn.execute("DELETE FROM speech_aside")


def iter_event_mentions(store: Store, kind: str, dates: list[str]) -> Iterator[MentionRow]:
    """The event mentions of canonical articles of one type and one of ``dates`` (a shard, its dates in
    merging order: :func:`dossier.stages.event_merge.date_order`), as they are read, in merging order.

    Dates that tie in merging order are read together, and the others one at a time, so that the
    database sorts one date's rows, not a shard's (at 100,000 articles 33,000 rows: 17 MB of sorter),
    and no rows are held to be put in order. Without their text and summary, which merging does not
    need (the store writes them with the events, from the mentions' sentences), except for type
    "other", whose kind merging reads from the text. Entity ids are shared between rows: a shard holds
    few distinct ones."""
    from dossier.stages.event_merge import date_order  # the stages build on this module

    names: dict[str, str] = {}
    wordy = kind == "other"
    columns = ", m.summary, m.text" if wordy else ", NULL, NULL"
    for _, tied in itertools.groupby(dates, key=date_order):
        run = list(tied)
        # merging order: by article and line; then by date (in the order given) and by content, the
        # same on every backend (merging breaks ties by input order)
        position = " ".join(f"WHEN ? THEN {i}" for i in range(len(run)))
        sql = (
            "SELECT m.article_id, m.sentence, m.line, m.type, m.date, m.date_end, m.participants, m.place"
            f"{columns} FROM event_mentions m JOIN articles a ON a.id = m.article_id"
            f" WHERE a.duplicate_of IS NULL AND m.type = ? AND m.date IN ({','.join('?' * len(run))})"
            f" ORDER BY m.article_id, m.line, CASE m.date {position} END,"
            " m.sentence, m.participants, m.place, m.text, m.summary"
        )
        rows = store.conn.execute(sql, (kind, *run, *run))
        for values in rows.tuples():
            yield _mention_row(values, names)


def _mention_row(values: Sequence[Any], names: dict[str, str]) -> MentionRow:
    """A row of event mention columns (:data:`SpeechAside._COLUMNS`, participants as JSON), its ids,
    dates and type shared through ``names``: a shard holds few distinct ones."""
    article, sentence, line, kind, date, date_end, participants, *rest = values
    return MentionRow(
        names.setdefault(article, article),
        sentence,
        line,
        names.setdefault(kind, kind),
        names.setdefault(date, date),
        date_end,
        [names.setdefault(p, p) for p in json.loads(participants)],
        *rest,
    )


def write_events(store: Store, batches: Iterable[list[dict[str, Any]]]) -> int:
    """Replace the timeline by the events of ``batches`` (shaped as ``Store.replace_events`` takes
    them), written batch by batch in one transaction; returns how many were written.

    An event whose ``summary`` is None takes its first evidence's mention's summary (or text, when
    that is empty); evidence whose ``text`` is None takes its mention's text. Such evidence names its
    mention's ``sentence``: the text is copied in the database, never read into memory."""
    c = store.conn
    with transaction(store):
        empty(store, "event_evidence")
        c.execute("DELETE FROM event_participants")
        c.execute("DELETE FROM events")
        with _indexes_made_after(store, _TIMELINE_INDEXES):
            return _insert_events(store, batches)


# Indexes of the timeline's tables, dropped while it is written again and made after in one sorted pass:
# written row by row, each piece of evidence went to a random page of an index keyed by random event ids
# (at 100,000 articles 930,000 rows, an index 7 times the corpus stages' page cache).
_TIMELINE_INDEXES = ("event_evidence_event", "events_days", "events_date")


@contextlib.contextmanager
def _indexes_made_after(store: Store, names: Sequence[str]) -> Iterator[None]:
    """Drop those of the indexes (names of the store's own) that exist, and make them again after the
    block, inside the caller's transaction: an error rolls the drops back with the rest."""
    from dossier.store.bulk_indexes import definitions  # it builds on this module

    found = definitions(store, names)
    for name in found:
        store.conn.execute(f"DROP INDEX {name}")
    yield
    with store.conn.small_cache():
        for sql in found.values():
            store.conn.execute(sql)


def _insert_events(store: Store, batches: Iterable[list[dict[str, Any]]]) -> int:
    """Write the events of ``batches``, their participants and evidence; returns how many."""
    c = store.conn
    written = 0
    for events in batches:
        c.executemany(
            "INSERT INTO events (id, date, date_end, type, summary, participants, place, day_first,"
            " day_last) SELECT ?, ?, ?, ?, COALESCE(?, (SELECT COALESCE(NULLIF(m.summary, ''), m.text)"
            " FROM event_mentions m WHERE m.article_id = ? AND m.sentence = ? AND m.type = ?"
            " ORDER BY m.line LIMIT 1), ''), ?, ?, ?, ?",
            [
                (
                    e["id"],
                    e.get("date"),
                    e.get("date_end"),
                    e["type"],
                    e.get("summary"),
                    *_first_mention(e),
                    e["type"],
                    json.dumps(e.get("participants", [])),
                    e.get("place"),
                    *days(e.get("date")),
                )
                for e in events
            ],
        )
        # in key order: a batch's rows go to neighbouring places of the table's key
        c.executemany(
            "INSERT INTO event_participants (entity_id, event_id) VALUES (?,?)",
            sorted(
                (entity, e["id"])
                for e in events
                for entity in dict.fromkeys(
                    [*e.get("participants", []), *([e["place"]] if e.get("place") else [])]
                )
            ),
        )
        _add_evidence(
            store,
            [
                (e["id"], v["article"], v["line"], v["text"], v.get("sentence"))
                for e in events
                for v in e.get("evidence", [])
            ],
        )
        written += len(events)
    return written


def days(value: str | None) -> tuple[str, str]:
    """The first and last day (ISO) of a date value of any precision, for ordering and date filters in
    SQL: ``ORDER BY day_first, day_last DESC`` is the timeline's chronological order (the wider of two
    values starting on one day first), values that are not dates last."""
    span = interval(value)
    if span is None:
        return "9999-12-31", "9999-12-31"
    return span[0].isoformat(), span[1].isoformat()


def _first_mention(event: dict[str, Any]) -> tuple[str | None, int | None]:
    evidence = event.get("evidence") or [{}]
    return evidence[0].get("article"), evidence[0].get("sentence")


def _add_evidence(store: Store, rows: list[tuple[str, str, int, str | None, int | None]]) -> None:
    """Insert evidence rows (event, article, line, text, sentence) in order; a row without text takes
    the text of its article's event mention in that sentence."""
    c = store.conn
    # consecutive rows of one kind go in one statement, so that the rows keep their order
    for textless, run in itertools.groupby(rows, key=lambda row: row[3] is None):
        if textless:
            c.executemany(
                "INSERT INTO event_evidence (event_id, article_id, line, text) SELECT ?, ?, ?, m.text"
                " FROM event_mentions m WHERE m.article_id = ? AND m.sentence = ? LIMIT 1",
                [(event, article, line, article, sentence) for event, article, line, _, sentence in run],
            )
        else:
            c.executemany(
                "INSERT INTO event_evidence (event_id, article_id, line, text) VALUES (?,?,?,?)",
                [(event, article, line, text) for event, article, line, text, _ in run],
            )


# -- duplicates: LSH bands and confirmed pairs ----------------------------------------------------------
def pages_by_id(conn: Any, select: str, where: str, batch: int) -> Iterator[list[Any]]:
    """The rows of ``select`` (its first column an article id, ``where`` its condition, both constant
    SQL) in id order, ``batch`` at a time: each page starts after the last id read, so that rows
    written while paging (marks, index entries) never shift the pages."""
    key = select.split(",", 1)[0].removeprefix("SELECT").strip()
    last = ""
    while True:
        rows = conn.execute(
            f"{select} WHERE {where} AND {key} > ? ORDER BY {key} LIMIT ?", (last, batch)
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def unseen_articles(store: Store, batch: int = 100) -> Iterator[list[tuple[str, str]]]:
    """(id, text) of the articles whose LSH bands are not stored yet, ``batch`` at a time (by id, so
    that marking a batch seen while reading the next is safe)."""
    for rows in pages_by_id(
        store.conn,
        "SELECT a.id, a.text FROM articles a LEFT JOIN dedup_seen s ON s.article_id = a.id",
        "s.article_id IS NULL",
        batch,
    ):
        yield [(r[0], r[1]) for r in rows]


def add_bands(store: Store, rows: Iterable[tuple[int, str]]) -> None:
    """Store (band hash, article) rows; given in hash order, they are written in one pass over the
    index, however large it is."""
    store.conn.executemany(
        "INSERT INTO dedup_bands (hash, article_id) VALUES (?,?) ON CONFLICT DO NOTHING", rows
    )


def mark_seen(store: Store, rows: list[tuple[str, bytes | None, int]]) -> None:
    """Mark articles as hashed (their bands stored or about to be, in the same transaction), each with
    its MinHash signature (None for a text too short to judge) and number of shingles."""
    store.conn.executemany("INSERT INTO dedup_seen (article_id, signature, shingles) VALUES (?,?,?)", rows)


def sketches(store: Store, article_ids: Iterable[str]) -> dict[str, tuple[bytes, int]]:
    """(signature, shingles) of those of the articles hashed with them stored."""
    ids = list(article_ids)
    out: dict[str, tuple[bytes, int]] = {}
    for part, marks in in_lists(ids, 500):
        rows = store.conn.execute(
            "SELECT article_id, signature, shingles FROM dedup_seen"
            f" WHERE signature IS NOT NULL AND article_id IN ({marks})",
            part,
        )
        out.update((r[0], (bytes(r[1]), r[2])) for r in rows.tuples())
    return out


def bands_holding(store: Store, hashes: Sequence[int]) -> Iterator[tuple[int, str]]:
    """(hash, article) of the stored bands with one of ``hashes``; given sorted, they are looked up in
    one pass over the hash index."""
    for part, marks in in_lists(hashes, 500):  # numpy integers: made Python ints a part at a time
        rows = store.conn.execute(
            f"SELECT hash, article_id FROM dedup_bands WHERE hash IN ({marks})", [int(h) for h in part]
        )
        yield from rows.tuples()


def set_aside_candidates(store: Store, rows: Iterable[tuple[int, str]]) -> None:
    """Keep (owner, article) candidate pairs of duplicate detection in a temporary table of this
    connection (emptied first), for :func:`candidates_set_aside` to read back by owner."""
    c = store.conn
    c.execute(
        "CREATE TEMP TABLE IF NOT EXISTS dedup_candidates (owner INTEGER NOT NULL, other TEXT NOT NULL)"
    )
    c.execute("CREATE INDEX IF NOT EXISTS dedup_candidates_owner ON dedup_candidates(owner)")
    c.execute("DELETE FROM dedup_candidates")
    rows = iter(rows)
    while piece := list(itertools.islice(rows, 10_000)):
        c.executemany("INSERT INTO dedup_candidates (owner, other) VALUES (?,?)", piece)


def candidates_set_aside(store: Store, first: int, end: int) -> list[tuple[int, str]]:
    """The distinct candidate pairs set aside whose owner is in [first, end), by owner."""
    rows = store.conn.execute(
        "SELECT DISTINCT owner, other FROM dedup_candidates WHERE owner >= ? AND owner < ?"
        " ORDER BY owner, other",
        (first, end),
    )
    return [(r[0], r[1]) for r in rows.tuples()]


def add_pairs(store: Store, pairs: Iterable[tuple[str, str]]) -> None:
    store.conn.executemany(
        "INSERT INTO dedup_pairs (earlier, later) VALUES (?,?) ON CONFLICT DO NOTHING", list(pairs)
    )


def article_text(store: Store, article_id: str) -> str | None:
    row = store.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def duplicate_pairs(store: Store) -> list[tuple[str, str]]:
    """Every confirmed near-verbatim pair."""
    return [(r[0], r[1]) for r in store.conn.execute("SELECT earlier, later FROM dedup_pairs")]


def copy_facts(store: Store, article_ids: list[str]) -> list[dict[str, Any]]:
    """What choosing a canonical copy needs, for the given articles."""
    out: list[dict[str, Any]] = []
    for part, marks in in_lists(article_ids, 500):
        rows = store.conn.execute(
            "SELECT a.id, a.published, a.published_time, LENGTH(a.text) AS length, s.uri, a.start_line"
            " FROM articles a JOIN sources s ON s.id = a.source_id"
            f" WHERE a.id IN ({marks})",
            part,
        )
        out.extend(dict(r) for r in rows)
    return out


def current_duplicates(store: Store) -> dict[str, str]:
    """Every article that now points at a canonical copy, and that copy."""
    rows = store.conn.execute("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")
    return {r[0]: r[1] for r in rows}


# -- entities ------------------------------------------------------------------------------------------
def mention_counts(store: Store) -> Iterator[dict[str, Any]]:
    """The mentions counted by (entity, type, surface text, method, confidence), by entity.

    Counted with a small page cache: SQLite gives a sort as much memory as the cache (every mention is
    sorted here: 16 MB more at 10,000 articles, spilled to a temporary file beyond that)."""
    with store.conn.small_cache():
        rows = store.conn.execute(
            "SELECT entity_id AS entity, type, text, method, confidence, COUNT(*) AS n FROM mentions"
            " GROUP BY entity_id, type, text, method, confidence"
            " ORDER BY entity_id, type, text, method, confidence"
        )
        for r in rows:
            yield dict(r)


def entity_ids(store: Store) -> set[str]:
    """The ids of the stored entities."""
    return {r[0] for r in store.conn.execute("SELECT id FROM entities")}


# -- claims and undated articles -----------------------------------------------------------------------
def claim_keys(store: Store) -> list[str]:
    """The distinct keys of the keyed claim mentions of canonical articles."""
    rows = store.conn.execute(
        "SELECT DISTINCT m.key FROM claim_mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE a.duplicate_of IS NULL AND m.key IS NOT NULL AND m.key != '' ORDER BY m.key"
    )
    return [r[0] for r in rows]


class ClaimRow(SlotRow):
    """One claim mention as grouping reads it, in little memory (a group can hold tens of thousands):
    read and written like a dict (``row["stance"]``, ``row["holders"] = …``). Its sentence's text is
    not read: evidence names the mention, and ``write_claims`` copies the text in the database."""

    __slots__ = (
        "article",
        "sentence",
        "line",
        "stance",
        "proposition",
        "key",
        "holders",
        "published",
    )

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def order(self) -> tuple[Any, ...]:
        """Evidence order, as :func:`claim_mentions_in_order` reads them."""
        published = self.published or "9999"
        return (published, self.article, self.line, self.sentence, self.stance, self.proposition, self.key)


_KEYS_AT_ONCE = 500  # bounded parameter lists
_CANONICAL_KEYED = (
    " FROM claim_mentions m JOIN articles a ON a.id = m.article_id"
    " WHERE a.duplicate_of IS NULL AND m.key IN ({})"
)


def claim_stances(store: Store, keys: list[str]) -> set[str]:
    """The stances the claim mentions of canonical articles with one of ``keys`` take."""
    out: set[str] = set()
    for part, marks in in_lists(keys, _KEYS_AT_ONCE):
        sql = "SELECT DISTINCT m.stance" + _CANONICAL_KEYED.format(marks)
        out.update(r[0] for r in store.conn.execute(sql, part).tuples())
    return out


def claim_mentions_in_order(store: Store, keys: list[str]) -> Iterator[ClaimRow]:
    """The claim mentions of canonical articles with one of ``keys`` (``holders`` decoded, no
    ``text``), as they are read, in evidence order: by their article's publication date (undated
    last), article and line, then sentence and what they say (so that the order is the same on both
    backends, not whichever row the database met first)."""
    names: dict[str, str] = {}  # ids, keys, stances and propositions repeat: one string each

    def read(part: list[str], marks: str) -> Iterator[ClaimRow]:
        rows = store.conn.execute(
            "SELECT m.article_id, m.sentence, m.line, m.stance, m.proposition, m.key, m.holders,"
            " a.published" + _CANONICAL_KEYED.format(marks) + " ORDER BY"
            " COALESCE(NULLIF(a.published, ''), '9999'), m.article_id, m.line, m.sentence, m.stance,"
            " m.proposition, m.key",
            part,
        )
        for article, sentence, line, stance, proposition, key, holders, published in rows.tuples():
            yield ClaimRow(
                names.setdefault(article, article),
                sentence,
                line,
                names.setdefault(stance, stance),
                names.setdefault(proposition, proposition),
                names.setdefault(key, key),
                [names.setdefault(h, h) for h in json.loads(holders)],
                None if published is None else names.setdefault(published, published),
            )

    parts = list(in_lists(keys, _KEYS_AT_ONCE))
    if len(parts) == 1:
        yield from read(*parts[0])
    else:
        yield from heapq.merge(*(read(*part) for part in parts), key=ClaimRow.order)


# the fields of a piece of evidence that fill ``_COPY_CLAIM_TEXT`` after the claim's id
_NAMED_MENTION = ("article", "line", "stance", "article", "sentence", "line", "stance", "proposition", "key")
_COPY_CLAIM_TEXT = (
    "INSERT INTO claim_evidence (claim_id, article_id, line, stance, text) SELECT ?, ?, ?, ?,"
    " (SELECT m.text FROM claim_mentions m WHERE m.article_id = ? AND m.sentence = ? AND m.line = ?"
    # COALESCE: found by its article (a few rows), never by its key (a key can have thousands)
    " AND m.stance = ? AND m.proposition = ? AND COALESCE(m.key, '') = ? ORDER BY m.text LIMIT 1)"
)


_EVIDENCE_AT_ONCE = 1000


def write_claims(store: Store, claims: Iterable[Any]) -> int:
    """Replace the claims by ``claims`` (shaped as ``Store.replace_claims`` takes them), each written
    as it comes, in one transaction; returns how many were written. A claim's evidence is written as
    it is given, and its other fields are read after it (a claim streamed from its mentions,
    :class:`dossier.stages.claims.Claim`, knows them then). Evidence without ``text`` names its
    mention (``sentence``, ``proposition``, ``key``) and takes that mention's text, copied in the
    database (of identical mentions, the first by text)."""
    c = store.conn
    written = 0
    with transaction(store):
        empty(store, "claim_evidence")
        c.execute("DELETE FROM claims")
        for k in claims:
            c.execute(
                "INSERT INTO claims (id, text, asserted_by, denied_by) VALUES (?, '', '[]', '[]')", (k["id"],)
            )
            _add_claim_evidence(store, k["id"], iter(k.get("evidence", [])))
            c.execute(
                "UPDATE claims SET text = ?, asserted_by = ?, denied_by = ? WHERE id = ?",
                (
                    k["text"],
                    json.dumps(k.get("asserted_by", [])),
                    json.dumps(k.get("denied_by", [])),
                    k["id"],
                ),
            )
            written += 1
    return written


def _add_claim_evidence(store: Store, claim_id: str, evidence: Iterator[Any]) -> None:
    """Insert a claim's evidence in order, a slice at a time."""
    c = store.conn
    while piece := list(itertools.islice(evidence, _EVIDENCE_AT_ONCE)):
        # consecutive evidence of one kind goes in one statement, so that it keeps its order
        for textless, run in itertools.groupby(piece, key=lambda ev: ev.get("text") is None):
            if textless:
                c.executemany(
                    _COPY_CLAIM_TEXT, [(claim_id, *map(ev.__getitem__, _NAMED_MENTION)) for ev in run]
                )
            else:
                c.executemany(
                    "INSERT INTO claim_evidence (claim_id, article_id, line, stance, text)"
                    " VALUES (?,?,?,?,?)",
                    [
                        (claim_id, ev["article"], ev["line"], ev.get("stance", "assert"), ev["text"])
                        for ev in run
                    ],
                )


def has_undated(store: Store) -> bool:
    """Whether some canonical article has no publication date."""
    row = store.conn.execute(
        "SELECT 1 FROM articles WHERE published IS NULL AND duplicate_of IS NULL LIMIT 1"
    ).fetchone()
    return row is not None


# -- dating undated articles ------------------------------------------------------------------------------
_SPEECH_TYPES = ("statement", "accusation", "denial")


def undated_articles(store: Store, batch: int = 100) -> Iterator[dict[str, Any]]:
    """The canonical articles without a publication date (``offsets`` decoded), ``batch`` read at a
    time."""
    for rows in pages_by_id(
        store.conn,
        "SELECT id, source_id, start_line, end_line, title, text, offsets, published, outlet FROM articles",
        "published IS NULL AND duplicate_of IS NULL",
        batch,
    ):
        for r in rows:
            yield {**dict(r), "offsets": json.loads(r["offsets"])}


def article_mentions(store: Store, article_id: str) -> list[dict[str, Any]]:
    """One article's mentions with all their columns, in text order."""
    rows = store.conn.execute(
        'SELECT article_id AS article, entity_id AS entity, type, line, start, "end", text, confidence,'
        " method, name FROM mentions WHERE article_id = ? ORDER BY start",
        (article_id,),
    )
    return [dict(r) for r in rows]


def published_years(store: Store) -> list[int]:
    """The years the canonical dated articles were published in."""
    rows = store.conn.execute(
        "SELECT DISTINCT substr(published, 1, 4) FROM articles"
        " WHERE published IS NOT NULL AND duplicate_of IS NULL"
    )
    return sorted(int(r[0]) for r in rows)


def dated_deeds(store: Store, entity_ids: set[str]) -> list[dict[str, Any]]:
    """What dating an undated article compares its events with: the dated event mentions of canonical
    dated articles that are not speech and name at least two of ``entity_ids``, each distinct (type,
    date, participants) once (``type``, ``date``, ``participants``). Read as a stream, so only those
    are held. (``event_anchor`` counts an event that agrees with any dated mention of its type, date
    and two of its participants, never speech; an undated article's events name its own entities.)"""
    seen: set[tuple[str, str, frozenset[str]]] = set()
    out: list[dict[str, Any]] = []
    rows = store.conn.execute(
        "SELECT m.type, m.date, m.participants FROM event_mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE a.duplicate_of IS NULL AND a.published IS NOT NULL AND m.date IS NOT NULL"
        f" AND m.type NOT IN ({','.join('?' * len(_SPEECH_TYPES))})",
        _SPEECH_TYPES,
    )
    for kind, date, participants in rows.tuples():
        names = frozenset(json.loads(participants))
        key = (kind, date, names)
        if len(names & entity_ids) >= 2 and key not in seen:
            seen.add(key)
            out.append({"type": kind, "date": date, "participants": sorted(names)})
    return out
