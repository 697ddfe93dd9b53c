"""The store at scale: batched writes, the lean schema (contentless search index, sentences as
offsets), the streamed JSON export, paged timeline queries, and corpus stages that work one shard or
one group at a time and give what working on everything at once gives."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS
from dossier.errors import DossierError
from dossier.exports.json_export import build_export, dumps, write_json
from dossier.models import Source
from dossier.pipeline import PIPELINE_VERSION, build, process
from dossier.stages import claims, dedup, event_merge, event_shards
from dossier.stages.event_merge import date_order, order_key
from dossier.store import bulk_indexes, corpus_io, search_index
from dossier.store.schema import INSERTION_ORDER, MIGRATIONS, ddl_for
from dossier.store.search import search
from dossier.store.sqlite import Store
from dossier.timeline import timeline
from dossier.timex.values import interval, sort_key

CAPTURE = """Ông Putin đến thăm Bình Nhưỡng lần đầu sau 24 năm
RFI Tiếng Việt
Đăng ngày: 18/06/2024 - 10:15

Tổng thống Nga Vladimir Putin đã đến Bình Nhưỡng. Ông được chào đón nồng nhiệt.

Hai bên ký một hiệp ước về hoà bình và hợp tác.
"""


def _processed(text: str, uri: str) -> Any:
    done = process(Source(uri=uri, data=text.encode("utf-8"), media_type="text/plain"))
    assert done.status == "ok", done.error
    return done


# -- writes ---------------------------------------------------------------------------------------------
def test_a_batch_keeps_the_sources_saved_before_a_failing_one(store: Store) -> None:
    good = _processed(CAPTURE, "mem/a.txt")
    bad = _processed(CAPTURE.replace("Putin", "Shoigu"), "mem/b.txt")
    bad.articles[0].sentences.append(bad.articles[0].sentences[0])  # the same sentence twice: refused
    with store.batched(articles=100):
        store.save(good, PIPELINE_VERSION)
        with pytest.raises(Exception):  # noqa: B017 - the backend's integrity error
            store.save(bad, PIPELINE_VERSION)
    assert [s["uri"] for s in store.sources()] == ["mem/a.txt"]
    assert store.counts()["articles"] == len(good.articles)
    assert search(store, "Putin").total == 1 and search(store, "Shoigu").total == 0


def test_sentences_are_read_back_from_their_offsets(store: Store) -> None:
    done = _processed(CAPTURE, "mem/a.txt")
    store.save(done, PIPELINE_VERSION)
    art = done.articles[0]
    assert [s["text"] for s in store.sentences(art.id)] == [s.text for s in art.sentences]


@pytest.mark.sqlite_only(reason="the contentless FTS5 index is SQLite's")
def test_the_contentless_index_stays_whole_through_changes_and_removals(tmp_path: Path) -> None:
    capture = tmp_path / "c.txt"
    capture.write_text(CAPTURE, encoding="utf-8")
    with Store(tmp_path / "s.sqlite") as store:
        build([capture.as_posix()], store)
        capture.write_text(CAPTURE.replace("Putin", "Shoigu"), encoding="utf-8")
        build([capture.as_posix()], store)  # the old version is unindexed with the values it had
        for table in ("search_articles", "search_sentences"):
            store.conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
        assert search(store, "Putin").total == 0 and search(store, "Shoigu").total == 1
        # the index keeps no copy of the text
        assert store.conn.execute("SELECT body FROM search_articles LIMIT 1").fetchone()[0] is None


@pytest.mark.sqlite_only(reason="the contentless FTS5 index is SQLite's")
def test_an_index_made_by_other_folding_is_rebuilt_not_patched(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        store.save(_processed(CAPTURE, "mem/a.txt"), PIPELINE_VERSION)
    with Store(tmp_path / "s.sqlite") as store:
        # as if an older version of the folding code had written the index
        store.set_build_state("search_fold", "another folding")
        store.save(_processed(CAPTURE.replace("Putin", "Shoigu"), "mem/b.txt"), PIPELINE_VERSION)
        assert store.build_state("search_fold") == search_index.fold_signature()
        # only what was written since is indexed; the first search indexes the rest
        assert store.conn.execute("SELECT COUNT(*) FROM search_map").fetchone()[0] == 1
        assert search(store, "Putin").total == 1 and search(store, "Shoigu").total == 1


@pytest.mark.sqlite_only(reason="builds a SQLite file with the migrations before 0007 by hand")
def test_a_store_written_before_the_lean_schema_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, ddl in MIGRATIONS[:6]:
        for statement in ddl_for(name, ddl, "sqlite").split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO _migrations VALUES (?, 'then')", (name,))
    conn.execute(
        "INSERT INTO sources (id, uri, sha256, bytes, media_type, status, pipeline_version, ingested_at)"
        " VALUES ('src-1', 'a.txt', 'x', 1, 'text/plain', 'ok', 'old', 'then')"
    )
    conn.execute(
        "INSERT INTO articles (id, source_id, ordinal, start_line, end_line, title, authors, language, text,"
        " offsets) VALUES ('art-1', 'src-1', 0, 1, 2, 'Tin', '[]', 'vi', 'Ông Putin đến. Rồi về.', '[]')"
    )
    conn.executemany(
        'INSERT INTO sentences (article_id, idx, start, "end", line, text) VALUES (?,?,?,?,?,?)',
        [("art-1", 0, 0, 14, 1, "Ông Putin đến."), ("art-1", 1, 15, 22, 1, "Rồi về.")],
    )
    conn.close()
    with Store(path) as store:
        assert "0007_lean_store" in store.migrations()
        assert [s["text"] for s in store.sentences("art-1")] == ["Ông Putin đến.", "Rồi về."]
        assert search(store, "putin").total == 1  # the emptied index is rebuilt on the first search
        assert store.build_state("finalize_pending") == "1"  # the next build recomputes the rest


@pytest.mark.sqlite_only(reason="builds a SQLite file with the migrations before 0010 by hand")
def test_a_store_indexed_with_prefix_indexes_is_indexed_again_without(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Store(path) as store:
        store.save(_processed(CAPTURE, "mem/a.txt"), PIPELINE_VERSION)
        assert search(store, "Puti*").total == 1
    conn = sqlite3.connect(path, isolation_level=None)
    # as the search tables were before migration 0010: word prefixes of two and three letters indexed
    conn.execute("DELETE FROM _migrations WHERE name = '0010_search_without_prefix_indexes'")
    conn.execute("DROP TABLE search_articles")
    conn.execute(
        "CREATE VIRTUAL TABLE search_articles USING fts5(title, body, title_exact, body_exact, meta,"
        " tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3', content = '')"
    )
    conn.close()
    with Store(path) as store:
        ddl = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'search_articles'").fetchone()[0]
        assert "prefix" not in ddl
        assert store.conn.execute("SELECT COUNT(*) FROM search_map").fetchone()[0] == 0
        assert search(store, "Puti*").total == 1 and search(store, "putin").total == 1


# -- the JSON export ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory, db_url: Any) -> Any:
    store = Store(db_url(tmp_path_factory.mktemp("scale")))
    build([CORPUS.as_posix()], store)
    yield store
    store.close()


def test_the_streamed_export_is_the_text_of_the_whole_document(corpus_store: Store, tmp_path: Path) -> None:
    out = write_json(corpus_store, tmp_path / "d.json")
    assert out is not None
    doc = json.loads(out.read_text(encoding="utf-8"))
    expected = build_export(corpus_store, generated_at=doc["generated_at"])
    assert out.read_text(encoding="utf-8") == dumps(expected)


def test_a_broken_export_writes_nothing(store: Store, tmp_path: Path) -> None:
    capture = tmp_path / "c.txt"
    capture.write_text(CAPTURE, encoding="utf-8")
    build([capture.as_posix()], store)
    art = next(store.articles())
    store.replace_events(
        [
            {
                "id": "evt-1",
                "date": "2024-06-18",
                "type": "visit",
                "participants": ["ent-nobody"],
                "evidence": [{"article": art["id"], "line": 999, "text": "?"}],
            }
        ]
    )
    target = tmp_path / "out" / "d.json"
    with pytest.raises(DossierError) as err:
        write_json(store, target)
    assert err.value.code == "E012" and "events/0: unknown id ent-nobody (and 1 more)" in str(err.value)
    assert list(target.parent.iterdir()) == []


# -- timeline queries -----------------------------------------------------------------------------------
def test_timeline_pages_make_up_the_whole_timeline(corpus_store: Store) -> None:
    whole = timeline(corpus_store)
    assert len(whole) > 20
    # chronological (the wider of two dates starting on one day first), then by type and id
    assert [e.id for e in whole] == [
        e.id for e in sorted(whole, key=lambda e: (sort_key(e.date), e.type, e.id))
    ]
    pages = [e for offset in range(0, len(whole), 7) for e in timeline(corpus_store, limit=7, offset=offset)]
    assert [e.id for e in pages] == [e.id for e in whole]


def test_timeline_filters_by_an_entity_name_and_a_period(corpus_store: Store) -> None:
    whole = timeline(corpus_store)

    def names(entry: Any) -> set[str]:
        return {p for p, _ in entry.participants} | ({entry.place[0]} if entry.place else set())

    putin = [e.id for e in whole if "ent-vladimir-putin" in names(e)]
    assert putin and [e.id for e in timeline(corpus_store, entity="vladimir putin")] == putin
    span = (date(2023, 9, 1), date(2023, 9, 30))
    meets = [e.id for e in whole if (i := interval(e.date)) and i[0] <= span[1] and i[1] >= span[0]]
    assert meets and [e.id for e in timeline(corpus_store, date_from="2023-09", date_to="2023-09")] == meets
    both = timeline(corpus_store, entity="ent-vladimir-putin", date_from="2023-09", date_to="2023-09")
    assert [e.id for e in both] == [i for i in meets if i in putin]


# -- corpus stages, shard by shard ----------------------------------------------------------------------
def test_fingerprints_measure_what_word_shingles_measure() -> None:
    rng = random.Random(3)
    words = [f"từ{i}" for i in range(60)]
    base = [rng.choice(words) for _ in range(300)]
    edited = base[:250] + [rng.choice(words) for _ in range(40)]

    def shingles(tokens: list[str]) -> set[str]:
        return {" ".join(tokens[i : i + 5]) for i in range(len(tokens) - 4)}

    a, b = shingles(base), shingles(edited)
    exact = len(a & b) / len(a | b)
    jaccard, _ = dedup.similarity(dedup.fingerprints(" ".join(base)), dedup.fingerprints(" ".join(edited)))
    assert jaccard == pytest.approx(exact)
    # folded: case, diacritics and punctuation do not count
    assert (
        dedup.fingerprints("Hòa bình, hợp tác!").tolist() == dedup.fingerprints("hoa binh hop tac").tolist()
    )


def test_claims_grouped_by_key_are_the_claims_of_all_mentions_at_once() -> None:
    rng = random.Random(5)
    agents = ["ent-a", "ent-b", "ent-c", ""]
    keys = [
        f"{'+'.join(sorted(set(rng.sample(agents, 2)) - {''}))}|{rng.choice(['transfer', 'violate'])}|"
        f"{rng.choice(['', 'missiles', 'shells'])}|{rng.choice(['', 'ent-r'])}"
        for _ in range(25)
    ]
    mentions = [
        {
            "article": f"art-{i // 3:02d}",
            "sentence": i,
            "line": i + 1,
            "stance": rng.choice(["assert", "accuse", "deny"]),
            "proposition": f"p{i}",
            "key": rng.choice(keys),
            "holders": [rng.choice(agents[:3])],
            "text": f"t{i}",
        }
        for i in range(120)
    ]
    published = {m["article"]: "2024-01-01" for m in mentions}
    whole = claims.claims_from(mentions, published)
    with_agents = [{"key": k} for k in sorted(set(keys)) if not k.startswith("|")]
    parts = [[k["key"] for k in g] for g in claims.group_mentions(with_agents)]
    parts += [[k] for k in sorted(set(keys)) if k.startswith("|")]
    by_group = [
        c for part in parts for c in claims.claims_from([m for m in mentions if m["key"] in part], published)
    ]
    assert sorted(by_group, key=lambda c: c["id"]) == sorted(whole, key=lambda c: c["id"])


def test_claim_evidence_named_by_its_mention_takes_the_mentions_text_in_order(store: Store) -> None:
    done = _processed(CAPTURE, "mem/a.txt")
    store.save(done, PIPELINE_VERSION)
    article = done.articles[0].id
    with corpus_io.transaction(store):
        store.conn.executemany(
            "INSERT INTO claim_mentions (article_id, sentence, line, stance, proposition, key, holders, text)"
            " VALUES (?, 0, 5, 'deny', 'p', 'k', '[]', ?)",
            [(article, "second by text"), (article, "first by text")],
        )
    named = {"article": article, "line": 5, "stance": "deny", "sentence": 0, "proposition": "p", "key": "k"}
    given = {"article": article, "line": 7, "stance": "accuse", "text": "given"}
    claim = {"id": "clm-1", "text": "p", "evidence": [given, named, {**given, "line": 8}]}
    assert corpus_io.write_claims(store, [claim]) == 1
    rows = store.conn.execute("SELECT line, text FROM claim_evidence").fetchall()
    assert [tuple(r) for r in rows] == [(7, "given"), (5, "first by text"), (8, "given")]


def test_the_claims_stage_reads_no_sentence_text(corpus_store: Store) -> None:
    rows = list(corpus_io.claim_mentions_in_order(corpus_store, corpus_io.claim_keys(corpus_store)))
    assert rows and all(r.get("text") is None for r in rows)
    evidence = corpus_store.conn.execute(
        "SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM claim_mentions m"
        " WHERE m.article_id = e.article_id AND m.line = e.line AND m.stance = e.stance"
        " AND m.text = e.text) THEN 1 ELSE 0 END)"
        " FROM claim_evidence e"
    ).fetchone()
    assert evidence[0] > 0 and evidence[0] == evidence[1]


def test_claims_written_as_their_mentions_are_read_are_the_claims_of_all_mentions_held(
    corpus_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = corpus_io.claim_keys(corpus_store)
    mentions = list(corpus_io.claim_mentions_in_order(corpus_store, keys))
    monkeypatch.setattr(corpus_io, "_KEYS_AT_ONCE", 3)  # several queries, merged in evidence order
    assert [m.order() for m in corpus_io.claim_mentions_in_order(corpus_store, keys)] == [
        m.order() for m in mentions
    ]
    known = corpus_io.entity_ids(corpus_store)
    for m in mentions:
        m["holders"] = [h for h in m["holders"] if h in known]
    held = claims.claims_from(mentions, {m["article"]: m["published"] for m in mentions})
    expected = {
        c["id"]: (
            c["text"],
            c["asserted_by"],
            c["denied_by"],
            [(e["article"], e["line"], e["stance"]) for e in c["evidence"]],
        )
        for c in held
    }
    order = INSERTION_ORDER[corpus_store.dialect]
    stored = {
        cid: (
            text,
            json.loads(asserted),
            json.loads(denied),
            [
                tuple(r)
                for r in corpus_store.conn.execute(
                    "SELECT article_id, line, stance FROM claim_evidence WHERE claim_id = ?"
                    f" ORDER BY {order}",
                    (cid,),
                )
            ],
        )
        for cid, text, asserted, denied in corpus_store.conn.execute(
            "SELECT id, text, asserted_by, denied_by FROM claims"
        )
    }
    assert len(expected) >= 5 and stored == expected


def test_merging_speech_a_speaker_at_a_time_gives_the_same_events(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    persons = {"p-kim", "p-putin", "p-lavrov"}
    rows = []
    for _ in range(400):
        # few articles, lines and dates: many mentions first told by one sentence, for several speakers
        who = rng.sample(sorted(persons), rng.randint(0, 2)) + rng.sample(["s-ru", "s-nk", "s-cn"], 1)
        rows.append(
            {
                "article": f"art-{rng.randint(0, 6)}",
                "line": rng.randint(1, 4),
                "sentence": rng.randint(0, 3),
                "type": rng.choice(["statement", "accusation", "meeting"]),
                "date": rng.choice(["2023-09-13", "2023-09", "2023", "2023-Q3"]),
                "date_end": None,
                "participants": who,
                "place": rng.choice([None, "s-ru"]),
                "summary": "s",
                "text": "t",
            }
        )
    # in the order the store reads them (corpus_io.iter_event_mentions), which ties between mentions follow
    rows.sort(
        key=lambda r: (
            date_order(r["date"]),
            r["article"],
            r["line"],
            r["date"],
            r["sentence"],
            json.dumps(r["participants"]),
            r["place"] is not None,
            r["place"] or "",
        )
    )
    shards = event_shards.plan(sorted({(r["type"], r["date"]) for r in rows}))
    whole = [
        e
        for kind, dates in shards
        for e in event_shards.shard_events(
            [r for r in rows if r["type"] == kind and r["date"] in dates], persons
        )
    ]
    firsts = [(e["type"], e["date"], e["evidence"][0]["article"], e["evidence"][0]["line"]) for e in whole]
    assert len(set(firsts)) < len(firsts)  # some events were first told by one sentence: numbered ids
    assert len({e["id"] for e in whole}) == len(whole)

    def lazy(shard: list[dict[str, Any]]) -> event_shards.Reader:
        return lambda: (r for r in shard)

    # all of a shard's rows held at once, and a large shard set aside, then read a speaker at a time
    for unit_rows in (event_shards.UNIT_ROWS, 40):
        monkeypatch.setattr(event_shards, "UNIT_ROWS", unit_rows)
        reads = 0
        asides: list[ListAside] = []

        def counted(shard: list[dict[str, Any]]) -> event_shards.Reader:
            def read() -> list[dict[str, Any]]:
                nonlocal reads
                reads += 1
                return list(shard)

            return read

        def aside(asides: list[ListAside] = asides) -> ListAside:
            asides.append(ListAside())
            return asides[-1]

        units = [
            unit
            for number, (kind, dates) in enumerate(shards)
            for unit in event_shards.split(
                number,
                kind,
                counted([r for r in rows if r["type"] == kind and r["date"] in dates]),
                persons,
                aside,
            )
        ]
        assert len(units) > len(shards)  # the statements and accusations went a speaker at a time
        assert reads == len(shards)  # every shard read once
        assert bool(asides) == (unit_rows == 40)  # large shards of speech were set aside
        split = [
            e
            for batch in event_shards.numbered(event_shards.unit_events(u, persons) for u in units)
            for e in batch
        ]
        assert sorted(split, key=lambda e: e["id"]) == sorted(whole, key=lambda e: e["id"])
        assert all(not a.rows for a in asides)  # emptied once read
    # streamed: each speaker set aside merged as its rows are read back
    monkeypatch.setattr(event_shards, "UNIT_ROWS", 20)
    units = [
        unit
        for number, (kind, dates) in enumerate(shards)
        for unit in event_shards.split(
            number,
            kind,
            lazy([r for r in rows if r["type"] == kind and r["date"] in dates]),
            persons,
            ListAside,
            True,
        )
    ]
    assert any(
        not isinstance(unit_rows, list) for n, unit_rows, _ in units if shards[n][0] in event_merge.SPEECH
    )
    streamed = [
        e
        for batch in event_shards.numbered(event_shards.unit_events(u, persons) for u in units)
        for e in batch
    ]
    assert sorted(streamed, key=lambda e: e["id"]) == sorted(whole, key=lambda e: e["id"])


class ListAside:
    """Rows set aside by speaker in lists: what the store's temporary table does, for :func:`split`
    without a store."""

    def __init__(self) -> None:
        self.rows: dict[str | None, list[Any]] = {}

    def put(self, rows: Any) -> None:
        for speaker, row in rows:
            self.rows.setdefault(speaker, []).append(row)

    def read(self, speaker: str | None) -> Any:
        return iter(self.rows.get(speaker, []))

    def clear(self) -> None:
        self.rows.clear()


def _timeline(store: Store, shards: list[event_shards.Shard], persons: set[str], stream: bool) -> list[Any]:
    """The events the units of the shards give, numbered."""
    units = event_shards.units(store, shards, persons, stream=stream)
    return [
        e
        for batch in event_shards.numbered(event_shards.unit_events(u, persons) for u in units)
        for e in batch
    ]


def test_speech_set_aside_in_the_store_merges_into_the_events_of_held_rows(
    corpus_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    persons = corpus_io.person_ids(corpus_store)
    shards = event_shards.plan(corpus_io.event_dates(corpus_store))

    def events(stream: bool) -> list[dict[str, Any]]:
        return _timeline(corpus_store, shards, persons, stream)

    held = events(False)
    put: list[int] = []
    original = corpus_io.SpeechAside.put

    def counting_put(self: corpus_io.SpeechAside, rows: Any) -> None:
        rows = list(rows)
        put.append(len(rows))
        original(self, rows)

    monkeypatch.setattr(corpus_io.SpeechAside, "put", counting_put)
    monkeypatch.setattr(event_shards, "UNIT_ROWS", 5)
    for stream in (False, True):
        put.clear()
        assert events(stream) == held
        assert sum(put) > 20  # the large shards of speech went through the store's table
    assert corpus_store.conn.execute("SELECT COUNT(*) FROM speech_aside").fetchone()[0] == 0


def test_a_shards_mentions_are_read_a_date_at_a_time_in_merging_order(corpus_store: Store) -> None:
    persons = corpus_io.person_ids(corpus_store)
    shards = event_shards.plan(corpus_io.event_dates(corpus_store))
    read: dict[int, int] = {}
    for number, rows, _shared in event_shards.units(corpus_store, shards, persons):
        read[number] = read.get(number, 0) + len(rows)
        keys = [order_key(r) for r in rows]
        assert keys == sorted(keys)  # what merging sorts them by: already in order
    assert len(read) == len(shards) > 5
    for number, (kind, dates) in enumerate(shards):
        marks = ",".join("?" * len(dates))
        stored = corpus_store.conn.execute(
            "SELECT COUNT(*) FROM event_mentions m JOIN articles a ON a.id = m.article_id"
            f" WHERE a.duplicate_of IS NULL AND m.type = ? AND m.date IN ({marks})",
            (kind, *dates),
        ).fetchone()[0]
        assert read[number] == stored


def test_a_streamed_shard_merges_as_it_is_read_into_the_events_of_a_held_one(corpus_store: Store) -> None:
    persons = corpus_io.person_ids(corpus_store)
    shards = event_shards.plan(corpus_io.event_dates(corpus_store))

    def events(stream: bool) -> list[dict[str, Any]]:
        return _timeline(corpus_store, shards, persons, stream)

    whole = [
        rows
        for number, rows, _ in event_shards.units(corpus_store, shards, persons, stream=True)
        if shards[number][0] not in event_merge.SPEECH
    ]
    assert whole and not any(isinstance(rows, list) for rows in whole)  # read while merging, never held
    held = events(False)
    assert held and events(True) == held


def test_mentions_out_of_merging_order_are_refused_not_merged_wrongly() -> None:
    rows = [
        {"article": "a", "line": 1, "type": "visit", "date": "2023", "participants": ["s-russia"]},
        {"article": "b", "line": 2, "type": "visit", "date": "2023-06-19", "participants": ["s-russia"]},
    ]
    with pytest.raises(ValueError, match="out of merging order"):
        list(event_merge.in_merging_order(rows))
    assert [m["date"] for m in event_merge.in_merging_order(rows[::-1])] == ["2023-06-19", "2023"]


def test_emptying_a_table_a_slice_at_a_time_deletes_every_row(
    corpus_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = corpus_store.conn
    evidence = c.execute("SELECT COUNT(*) FROM event_evidence").fetchone()[0]
    assert evidence > 5
    monkeypatch.setattr(corpus_io, "_SLICE", 2)
    c.execute("BEGIN IMMEDIATE")
    try:
        corpus_io.empty(corpus_store, "event_evidence")
        assert c.execute("SELECT COUNT(*) FROM event_evidence").fetchone()[0] == 0
    finally:
        c.execute("ROLLBACK")  # the module's tests share the store: left as it was
    assert c.execute("SELECT COUNT(*) FROM event_evidence").fetchone()[0] == evidence


def test_mentions_are_counted_with_a_small_cache_given_back_after(corpus_store: Store) -> None:
    def cache() -> int:
        return corpus_store.conn.execute("PRAGMA cache_size").fetchone()[0]

    expected: dict[tuple[Any, ...], int] = {}
    for m in corpus_store.mention_rows():
        key = (m["entity"], m["type"], m["text"], m["method"], m["confidence"])
        expected[key] = expected.get(key, 0) + 1
    before = cache() if corpus_store.dialect == "sqlite" else 0
    counted = {}
    for row in corpus_io.mention_counts(corpus_store):
        if corpus_store.dialect == "sqlite":
            assert cache() > before  # negative: KiB, fewer of them while every mention is sorted
        counted[(row["entity"], row["type"], row["text"], row["method"], row["confidence"])] = row["n"]
    assert counted == expected
    assert corpus_store.dialect != "sqlite" or cache() == before


def test_rewriting_the_timeline_keeps_its_indexes_and_an_error_keeps_the_old_one(corpus_store: Store) -> None:
    names = corpus_io._TIMELINE_INDEXES
    before = bulk_indexes.definitions(corpus_store, names)
    assert set(before) == set(names)
    rows = corpus_store.conn.execute("SELECT COUNT(*) FROM event_evidence").fetchone()[0]
    assert rows > 100

    def failing() -> Any:
        yield [{"id": "evt-x", "date": "2024-06-19", "type": "meeting", "summary": "s", "evidence": []}]
        raise RuntimeError("stage failed")

    with pytest.raises(RuntimeError):
        corpus_io.write_events(corpus_store, failing())
    assert bulk_indexes.definitions(corpus_store, names) == before
    assert corpus_store.conn.execute("SELECT COUNT(*) FROM event_evidence").fetchone()[0] == rows
    assert corpus_store.conn.execute("SELECT COUNT(*) FROM events WHERE id = 'evt-x'").fetchone()[0] == 0
