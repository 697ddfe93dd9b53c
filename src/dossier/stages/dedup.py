"""Corpus stage: near-verbatim copies of one story (a piece republished by another outlet, an agency
story in several captures) found with MinHash/LSH over normalised word shingles.

Each article's text is folded (no diacritics, no case, no punctuation) and cut into overlapping
5-word shingles; a MinHash signature of that set goes into an LSH index, which proposes candidate
pairs in about linear time (no all-pairs step). Each candidate is then checked exactly: the shingle
sets must overlap with a Jaccard of at least :data:`MIN_JACCARD`, or the shorter copy must be
contained in the longer one to :data:`MIN_CONTAINMENT` (a republication that trimmed the ending).
Copies are grouped transitively; the earliest copy is canonical (then the most complete, then the
first by source and line) and every other copy points to it through ``duplicate_of``. Every copy stays
in the store with its outlet, so no outlet is lost as a source; readers that count evidence (quotes,
events, claims) skip the copies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from datasketch import MinHash, MinHashLSH

from dossier.store import corpus_io
from dossier.store.sqlite import Store
from dossier.vi.text import fold, nfc

if TYPE_CHECKING:
    from dossier.pipeline import Context

SHINGLE_WORDS = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.4  # candidate retrieval: lower than the checks below, so that LSH misses little
MIN_JACCARD = 0.5
MIN_CONTAINMENT = 0.8
MIN_SHINGLES = 30  # shorter texts (a caption, a brief) share too much by chance to be judged

_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """The set of k-word shingles of ``text`` after NFC and the diacritic/case fold; a text shorter
    than k words gives one shingle of all its words (or none when it has no words)."""
    words = _WORD.findall(fold(nfc(text)))
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def signature(shingle_set: Iterable[str], num_perm: int = NUM_PERM) -> MinHash:
    """The MinHash of a shingle set (seeded, so equal sets give equal signatures on every run)."""
    mh = MinHash(num_perm=num_perm, seed=1)
    mh.update_batch([s.encode("utf-8") for s in shingle_set])
    return mh


def similarity(a: set[str], b: set[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger) of two shingle sets."""
    if not a or not b:
        return 0.0, 0.0
    shared = len(a & b)
    return shared / len(a | b), shared / min(len(a), len(b))


def is_near_copy(a: set[str], b: set[str]) -> bool:
    """Whether two shingle sets are copies of one text, as the module docstring defines it."""
    if min(len(a), len(b)) < MIN_SHINGLES:
        return False
    jac, contained = similarity(a, b)
    return jac >= MIN_JACCARD or contained >= MIN_CONTAINMENT


@dataclass(frozen=True)
class Copy:
    """What choosing the canonical copy needs to know about one article."""

    id: str
    published: str | None
    published_time: str | None
    length: int
    uri: str
    start_line: int

    def rank(self) -> tuple[Any, ...]:
        """Sort key: earliest first (undated last), then the most complete, then source order."""
        return (
            self.published is None,
            self.published or "",
            self.published_time or "99:99",
            -self.length,
            self.uri,
            self.start_line,
        )


def candidate_pairs(
    items: Iterable[tuple[str, set[str]]], lsh_threshold: float = LSH_THRESHOLD
) -> Iterator[tuple[str, str]]:
    """Pairs (earlier id, later id) whose MinHash signatures LSH puts in a shared bucket. Each item is
    queried against those indexed before it and then indexed, so every pair comes out once."""
    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=NUM_PERM)
    for key, shingle_set in items:
        if len(shingle_set) < MIN_SHINGLES:
            continue
        mh = signature(shingle_set)
        for other in lsh.query(mh):
            yield other, key
        lsh.insert(key, mh)


def groups(pairs: Iterable[tuple[str, str]]) -> list[set[str]]:
    """The connected groups of ids that the pairs link (union-find), each with two or more ids."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    out: dict[str, set[str]] = {}
    for x in parent:
        out.setdefault(find(x), set()).add(x)
    return [g for g in out.values() if len(g) > 1]


def duplicate_map(
    articles: Iterable[dict[str, Any]], text_of: Callable[[str], str | None]
) -> dict[str, str | None]:
    """For every article (dicts with id, text, published, published_time, source_uri, start_line): the
    id of its canonical copy when it is a near-verbatim copy of another, else None.

    Only the LSH index and a few fields per article stay in memory; the text of an earlier article
    that LSH proposes as a candidate is read again through ``text_of`` to check the pair exactly.
    """
    copies: dict[str, Copy] = {}
    current: dict[str, set[str]] = {}

    def items() -> Iterator[tuple[str, set[str]]]:
        for art in articles:
            copies[art["id"]] = Copy(
                art["id"],
                art.get("published"),
                art.get("published_time"),
                len(art["text"]),
                art.get("source_uri", ""),
                art.get("start_line", 0),
            )
            current.clear()
            current[art["id"]] = shingles(art["text"])
            yield art["id"], current[art["id"]]

    confirmed = []
    for earlier, later in candidate_pairs(items()):
        text = text_of(earlier)
        if text is not None and is_near_copy(shingles(text), current[later]):
            confirmed.append((earlier, later))
    result: dict[str, str | None] = dict.fromkeys(copies)
    for group in groups(confirmed):
        canonical = min((copies[i] for i in group), key=Copy.rank).id
        for art_id in group - {canonical}:
            result[art_id] = canonical
    return result


def band_hashes(shingle_set: set[str]) -> list[int] | None:
    """The LSH band hashes of a shingle set (the bands :class:`MinHashLSH` uses at
    :data:`LSH_THRESHOLD`, each hashed to 63 bits), or None when the text is too short to judge. Two
    articles are candidate copies when they share a band hash."""
    if len(shingle_set) < MIN_SHINGLES:
        return None
    values = signature(shingle_set).hashvalues
    out = []
    for start, end in _BANDS:
        digest = hashlib.blake2b(bytes(values[start:end].byteswap().data), digest_size=8).digest()
        out.append(int.from_bytes(digest, "big") >> 1)  # a signed 64-bit column holds it
    return out


_BANDS = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM).hashranges


def batch_bands(batch: list[tuple[str, str]]) -> list[tuple[str, list[int] | None]]:
    """(id, band hashes) for a batch of (id, text): the part of the work a worker does."""
    return [(art_id, band_hashes(shingles(text))) for art_id, text in batch]


def _confirmed(store: Store, pairs: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The candidate pairs that are near-verbatim copies, checked on the stored texts."""
    cache: dict[str, set[str]] = {}

    def shingles_of(art_id: str) -> set[str]:
        if art_id not in cache:
            cache[art_id] = shingles(corpus_io.article_text(store, art_id) or "")
        return cache[art_id]

    return sorted(p for p in pairs if is_near_copy(shingles_of(p[0]), shingles_of(p[1])))


def run(store: Store, ctx: Context) -> None:
    """Point every stored near-verbatim copy at its canonical article and clear stale pointers.

    Incremental: only articles whose bands are not stored yet are hashed (on the build's engine) and
    looked up in the stored bands; the pairs they confirm join the stored pairs, from which the groups
    and their canonical copies are recomputed (they are few)."""
    for bands in ctx.engine.map(batch_bands, corpus_io.unseen_articles(store)):
        with corpus_io.transaction(store):
            corpus_io.add_bands(store, bands)
            pairs = corpus_io.band_candidates(store, [art for art, hashes in bands if hashes])
            corpus_io.add_pairs(store, _confirmed(store, pairs))
    confirmed = corpus_io.duplicate_pairs(store)
    wanted: dict[str, str] = {}
    for group in groups(confirmed):
        facts = corpus_io.copy_facts(store, sorted(group))
        ranked = [
            Copy(f["id"], f["published"], f["published_time"], f["length"], f["uri"], f["start_line"])
            for f in facts
        ]
        canonical = min(ranked, key=Copy.rank).id
        wanted.update({c.id: canonical for c in ranked if c.id != canonical})
    current = corpus_io.current_duplicates(store)
    changed: dict[str, str | None] = {art: None for art in current if art not in wanted}
    changed.update({art: canon for art, canon in wanted.items() if current.get(art) != canon})
    if changed:
        store.set_duplicates(changed)
