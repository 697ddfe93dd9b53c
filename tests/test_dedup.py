"""The dedup corpus stage: near-verbatim copies found by MinHash/LSH, pointed at their canonical copy."""

from __future__ import annotations

import random

import pytest

from conftest import CORPUS
from dossier.pipeline import Context, build
from dossier.stages import dedup
from dossier.store import corpus_io
from dossier.store.sqlite import Store

WORDS = [
    "nga",
    "triều",
    "tiên",
    "hợp",
    "tác",
    "quân",
    "sự",
    "vũ",
    "khí",
    "đạn",
    "dược",
    "hội",
    "nghị",
    "thượng",
    "đỉnh",
    "ông",
    "kim",
    "putin",
    "tên",
    "lửa",
]


def story(seed: int, n: int = 200) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 50)) for _ in range(n))


def row(art_id: str, text: str, published: str | None, line: int = 1) -> dict[str, object]:
    return {
        "id": art_id,
        "text": text,
        "published": published,
        "published_time": None,
        "source_uri": f"{art_id}.txt",
        "start_line": line,
    }


def test_copy_points_at_the_earliest_and_distinct_stories_stay_apart() -> None:
    original = story(1)
    edited = original.replace(original.split()[10], "khác", 1) + " Nguồn: BBC."
    trimmed = " ".join(original.split()[:170])  # republished with the ending cut
    arts = [
        row("b", edited, "2023-09-15"),
        row("a", original, "2023-09-14"),
        row("c", trimmed, "2023-09-16"),
        row("d", story(2), "2023-09-14"),
    ]
    texts = {a["id"]: a["text"] for a in arts}
    assert dedup.duplicate_map(arts, texts.get) == {"a": None, "b": "a", "c": "a", "d": None}


def test_same_day_copies_keep_the_most_complete_one() -> None:
    long = story(3)
    short = " ".join(long.split()[:180])
    arts = [row("x", short, "2023-09-14"), row("y", long, "2023-09-14")]
    texts = {a["id"]: a["text"] for a in arts}
    assert dedup.duplicate_map(arts, texts.get) == {"x": "y", "y": None}


def test_short_texts_are_not_judged() -> None:
    arts = [row("p", "Ông Putin nói.", None), row("q", "Ông Putin nói.", None)]
    assert dedup.duplicate_map(arts, {a["id"]: a["text"] for a in arts}.get) == {"p": None, "q": None}


def test_seed_corpus_flags_only_the_bbc_piece_repeated_in_the_compilation(built_store: Store) -> None:
    dupes = {
        (a["source_uri"].rsplit("/", 1)[-1][:3], a["start_line"]): a["duplicate_of"]
        for a in built_store.articles()
        if a["duplicate_of"]
    }
    assert list(dupes) == [("000", 5)]
    canonical = built_store.article(dupes[("000", 5)])
    assert canonical is not None and canonical["source_uri"].endswith("002_b1ed203a062417c6.txt")
    assert canonical["start_line"] == 624
    # the copy's quotations are its canonical copy's: listed once
    copies = {q["article"] for q in built_store.quotes()}
    assert not any(a["duplicate_of"] and a["id"] in copies for a in built_store.articles())


def test_pending_bands_find_the_pairs_a_brute_force_finds() -> None:
    rng = random.Random(4)
    pending = dedup.PendingBands()
    seen: list[tuple[str, list[int] | None]] = []
    for batch_no in range(6):
        batch = [
            (f"a{batch_no}-{i}", None if rng.random() < 0.1 else [rng.randrange(40) for _ in range(5)])
            for i in range(7)
        ]
        expected = {
            (min(a, b), max(a, b))
            for k, (a, ha) in enumerate(batch)
            for b, hb in batch[k + 1 :] + seen
            if ha and hb and set(ha) & set(hb)
        }
        assert pending.candidates(batch) == expected
        pending.add(batch)
        seen.extend(batch)
    rows = list(pending.rows())
    assert [h for h, _ in rows] == sorted(h for h, _ in rows)
    assert sorted(rows) == sorted((h, a) for a, hs in seen if hs for h in hs)


def test_stored_candidates_are_the_pairs_a_brute_force_finds_a_chunk_of_pending_articles_at_a_time(
    store: Store,
) -> None:
    build([str(p) for p in sorted(CORPUS.glob("00[02]_*"))], store)
    rng = random.Random(9)
    stored = {a["id"]: [rng.randrange(30) for _ in range(4)] for a in store.articles()}
    with corpus_io.transaction(store):
        store.conn.execute("DELETE FROM dedup_bands")
        corpus_io.add_bands(store, sorted({(h, a) for a, hs in stored.items() for h in hs}))
    pending = dedup.PendingBands()
    batch: list[tuple[str, list[int] | None]] = [
        (f"pending-{i:02d}", [rng.randrange(30) for _ in range(4)]) for i in range(25)
    ]
    pending.add(batch)
    with corpus_io.transaction(store):  # the pairs are set aside in the store, then read back by chunk
        chunks = list(pending.stored_candidates(store, per_chunk=10))
    expected = {
        (min(p, a), max(p, a)) for p, hp in batch for a, ha in stored.items() if set(hp or ()) & set(ha)
    }
    assert expected and set().union(*chunks) == expected and sum(map(len, chunks)) == len(expected)
    for chunk in chunks:  # each chunk holds the pairs of ten pending articles
        owners = {x for pair in chunk for x in pair if x.startswith("pending-")}
        assert len({int(o.removeprefix("pending-")) // 10 for o in owners}) == 1


def test_duplicates_do_not_depend_on_how_many_articles_a_transaction_holds(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    build([str(p) for p in sorted(CORPUS.glob("00[02]_*"))], store)
    flagged = {a["id"]: a["duplicate_of"] for a in store.articles()}
    assert sum(1 for v in flagged.values() if v) == 1
    for table in ("dedup_bands", "dedup_seen", "dedup_pairs"):
        store.conn.execute(f"DELETE FROM {table}")
    store.set_duplicates(dict.fromkeys(flagged))
    # batches of one article, transactions of two: copies are found pending and stored
    unseen = corpus_io.unseen_articles
    monkeypatch.setattr(corpus_io, "unseen_articles", lambda s: unseen(s, batch=1))
    monkeypatch.setattr(dedup, "GROUP_ARTICLES", 2)
    dedup.run(store, Context())
    assert {a["id"]: a["duplicate_of"] for a in store.articles()} == flagged


def _sketch(text: str) -> tuple[object, int]:
    prints = dedup.fingerprints(text)
    return dedup.signature(prints), len(prints)


def test_signatures_never_rule_out_a_pair_of_copies() -> None:
    # copies of every kind the check accepts: edited, trimmed to a part of the original (down to a
    # quarter of it, where containment is all that makes them copies), and both; each pair the exact
    # check confirms must pass the signature check
    rng = random.Random(7)
    confirmed = 0
    for seed in range(60):
        words = story(100 + seed, rng.randint(120, 800)).split()
        for _ in range(4):
            kept = words[: max(40, int(len(words) * rng.uniform(0.25, 1.0)))]
            edited = [rng.choice(WORDS) if rng.random() < rng.uniform(0, 0.06) else w for w in kept]
            a, b = " ".join(words), " ".join(edited)
            if dedup.is_near_copy(dedup.fingerprints(a), dedup.fingerprints(b)):
                confirmed += 1
                assert dedup.could_be_copies(*_sketch(a), *_sketch(b)), (seed, len(words), len(kept))
    assert confirmed > 150


def test_signatures_rule_out_stories_that_share_a_few_sentences() -> None:
    sentences = [story(500 + i, 25) for i in range(60)]
    rng = random.Random(8)
    ruled_out = 0
    for _ in range(100):
        a = rng.sample(sentences, 20)
        b = a[:3] + rng.sample([s for s in sentences if s not in a], 17)  # 3 of 20 sentences shared
        assert not dedup.is_near_copy(dedup.fingerprints(" ".join(a)), dedup.fingerprints(" ".join(b)))
        ruled_out += not dedup.could_be_copies(*_sketch(" ".join(a)), *_sketch(" ".join(b)))
    assert ruled_out >= 99


def test_stored_pairs_are_checked_on_signatures_and_on_texts_only_when_they_may_be_copies(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    build([str(p) for p in sorted(CORPUS.glob("00[02]_*"))], store)
    (copy, canonical), *_ = corpus_io.duplicate_pairs(store)
    others = [a["id"] for a in store.articles() if a["id"] not in (copy, canonical)][:6]
    strangers = {(min(a, b), max(a, b)) for a in others for b in others if a != b}
    reads: list[str] = []
    text_of = corpus_io.article_text
    monkeypatch.setattr(corpus_io, "article_text", lambda s, art: reads.append(art) or text_of(s, art))
    assert dedup._confirmed(store, strangers, {}) == []
    assert reads == []  # every stranger ruled out by the stored signatures
    pair = (min(copy, canonical), max(copy, canonical))
    assert dedup._confirmed(store, {pair}, {}) == [pair]
    assert sorted(reads) == sorted(pair)
    # a store hashed before signatures were kept: its pairs are checked on the texts
    store.conn.execute("UPDATE dedup_seen SET signature = NULL")
    reads.clear()
    assert dedup._confirmed(store, strangers, {}) == []
    assert len(set(reads)) == len(others)
