"""Corpus stage: near-verbatim copies of one story (a piece republished by another outlet, an agency
story in several captures) found with MinHash/LSH over normalised word shingles.

Each article's text is folded (no diacritics, no case, no punctuation) and cut into overlapping
5-word shingles, each kept as a 64-bit fingerprint; a MinHash signature of that set is cut into LSH
bands, and two articles sharing a band hash are candidate copies (about linear time, no all-pairs
step). Each candidate is then checked on the fingerprint sets: they must overlap with a Jaccard of at
least :data:`MIN_JACCARD`, or the shorter copy must be contained in the longer one to
:data:`MIN_CONTAINMENT` (a republication that trimmed the ending). The signatures come first: a pair
whose signatures agree on too few values for copies of their sizes (:func:`could_be_copies`) is ruled
out without reading either text again — most candidates, where a corpus repeats many sentences (the
generated 10k corpus: 3,048 of 3,367, and none of the 311 copies). Copies are grouped transitively;
the earliest copy is canonical (then the most complete, then the first by source and line) and every
other copy points to it through ``duplicate_of``. Every copy stays in the store with its outlet, so no
outlet is lost as a source; readers that count evidence (quotes, events, claims) skip the copies.

Fingerprints, signatures and band hashes are computed with numpy over whole arrays (one word hash per
distinct word, shingle fingerprints combined from those), so hashing an article costs a fraction of a
millisecond; two different shingles share a 64-bit fingerprint with a chance of about 2^-64.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from dossier.store import corpus_io
from dossier.store.sqlite import Store
from dossier.vi.text import fold, nfc

if TYPE_CHECKING:
    from dossier.pipeline import Context

SHINGLE_WORDS = 5
MIN_JACCARD = 0.5
MIN_CONTAINMENT = 0.8
MIN_SHINGLES = 30  # shorter texts (a caption, a brief) share too much by chance to be judged

_WORD = re.compile(r"\w+")
# LSH: BANDS bands of ROWS signature values; two articles are candidates when one band is equal. A pair
# with Jaccard 0.5 is a candidate with probability 1 - (1 - 0.5**4)**48 = 0.95, one with 0.4 (a copy
# with its ending cut) 0.71, one with 0.1 (two stories sharing a few sentences) 0.005.
BANDS, ROWS = 48, 4
NUM_PERM = BANDS * ROWS
_RNG = np.random.RandomState(1)  # seeded: the same signatures on every run and every worker
_SEEDS = _RNG.randint(1, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_MULT = _SEEDS * np.uint64(2) + np.uint64(1)  # odd multipliers
_ADD = _RNG.randint(0, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
# A candidate pair is read and hashed again only when its signatures agree enough for it to be a pair
# of copies: ruled out when copies would agree as little with a chance under MISS_RISK (their
# Jaccard rounded down to 1/GRID for the bound)
MISS_RISK = 1e-9
GRID = 1000
_POWERS = [np.uint64(pow(0x9E3779B97F4A7C15, SHINGLE_WORDS - 1 - j, 2**64)) for j in range(SHINGLE_WORDS)]


class _TokenHashes(dict[str, tuple[int, ...]]):
    """For each whitespace-separated token, the 64-bit hashes of its words (``\\w+``) folded (no
    diacritics, no case), remembered: Vietnamese text has a few thousand distinct tokens, so the text
    itself is never folded or scanned for words. (Words never cross whitespace, and the fold keeps a
    character a word character or not, so these are the hashes of the words of the folded text.)
    Cleared when it grows large."""

    def __missing__(self, token: str) -> tuple[int, ...]:
        if len(self) > 1 << 15:
            self.clear()
        value = tuple(
            int.from_bytes(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest(), "little")
            for w in _WORD.findall(fold(token))
        )
        self[token] = value
        return value


_TOKEN_HASHES = _TokenHashes()


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: spreads the bits of each 64-bit value (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def fingerprints(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """The sorted, distinct 64-bit fingerprints of the k-word shingles of ``text`` after NFC and the
    diacritic/case fold; a text shorter than k words gives one of all its words (none without words)."""
    hashes = np.fromiter(
        chain.from_iterable(map(_TOKEN_HASHES.__getitem__, nfc(text).split())), dtype=np.uint64
    )
    if not len(hashes):
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        if len(hashes) < k:
            combined = np.uint64(0)
            for h in hashes:
                combined = combined * _POWERS[-2] + h
            return _mix(np.array([combined], dtype=np.uint64))
        n = len(hashes) - k + 1
        combined = hashes[:n] * _POWERS[0]
        for j in range(1, k):
            combined += hashes[j : j + n] * _POWERS[j]
        return _distinct(_mix(combined))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an array (sorted in place): ``np.unique``'s answer, which takes
    five times as long on a text's fingerprints."""
    values.sort()
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def signature(prints: np.ndarray) -> np.ndarray:
    """The MinHash signature (NUM_PERM 32-bit values) of a fingerprint set: for each of the seeded
    multiply-shift hash functions, the least hash over the set (its high half)."""
    with np.errstate(over="ignore"):
        hashed = np.multiply(prints[:, None], _MULT[None, :])
        hashed += _ADD[None, :]
    # the shift keeps the order, so it is taken after the minimum (on NUM_PERM values, not all)
    return np.asarray(hashed.min(axis=0) >> np.uint64(32)).astype("<u4")


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger) of two fingerprint sets."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))


def is_near_copy(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two fingerprint sets are copies of one text, as the module docstring defines it."""
    if min(len(a), len(b)) < MIN_SHINGLES:
        return False
    jac, contained = similarity(a, b)
    return jac >= MIN_JACCARD or contained >= MIN_CONTAINMENT


def band_hashes(prints: np.ndarray) -> list[int] | None:
    """The LSH band hashes of a fingerprint set: each band of the signature, with its number, hashed
    to 63 bits (a signed 64-bit column holds it); None when the text is too short to judge. Two
    articles are candidate copies when they share a band hash."""
    if len(prints) < MIN_SHINGLES:
        return None
    return bands_of(signature(prints))


def bands_of(sig: np.ndarray) -> list[int]:
    """The LSH band hashes of a signature (see :func:`band_hashes`)."""
    values = sig.astype("<u8").tobytes()
    width = ROWS * 8
    out = []
    for band in range(BANDS):
        chunk = values[band * width : (band + 1) * width]
        digest = hashlib.blake2b(chunk, digest_size=8, salt=bytes([band])).digest()
        out.append(int.from_bytes(digest, "big") >> 1)
    return out


def could_be_copies(sig_a: np.ndarray, size_a: int, sig_b: np.ndarray, size_b: int) -> bool:
    """Whether two articles' signatures (and numbers of shingles) leave it possible that they are
    near-verbatim copies. Copies have a Jaccard of at least MIN_JACCARD, or the smaller set is
    contained in the larger to MIN_CONTAINMENT, which bounds their Jaccard from below given the
    sizes; each signature value agrees with a chance equal to the Jaccard. False only when copies
    would agree on as few values with a chance under MISS_RISK."""
    small, large = sorted((size_a, size_b))
    if small < MIN_SHINGLES:
        return False
    shared = MIN_CONTAINMENT * small
    least = min(MIN_JACCARD, shared / (small + large - shared))
    return int(np.count_nonzero(sig_a == sig_b)) > _too_few(int(least * GRID))


@lru_cache(maxsize=GRID + 1)
def _too_few(step: int) -> int:
    """The most agreeing signature values that copies with a Jaccard of ``step / GRID`` show with a
    chance under MISS_RISK in all (the binomial tail); -1 when even none is that unlikely."""
    p = step / GRID
    tail = 0.0
    for m in range(NUM_PERM + 1):
        tail += math.comb(NUM_PERM, m) * p**m * (1 - p) ** (NUM_PERM - m)
        if tail >= MISS_RISK:
            return m - 1
    return NUM_PERM


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

    Only the band hashes and a few fields per article stay in memory; the text of an earlier article
    that shares a band is read again through ``text_of`` to check the pair exactly."""
    copies: dict[str, Copy] = {}
    buckets: dict[int, list[str]] = {}
    confirmed = []
    for art in articles:
        copies[art["id"]] = Copy(
            art["id"],
            art.get("published"),
            art.get("published_time"),
            len(art["text"]),
            art.get("source_uri", ""),
            art.get("start_line", 0),
        )
        prints = fingerprints(art["text"])
        bands = band_hashes(prints)
        if bands is None:
            continue
        earlier: dict[str, None] = {}
        for value in bands:
            members = buckets.setdefault(value, [])
            earlier.update(dict.fromkeys(members))
            members.append(art["id"])
        for other in earlier:
            text = text_of(other)
            if text is not None and is_near_copy(fingerprints(text), prints):
                confirmed.append((other, art["id"]))
    result: dict[str, str | None] = dict.fromkeys(copies)
    for group in groups(confirmed):
        canonical = min((copies[i] for i in group), key=Copy.rank).id
        for art_id in group - {canonical}:
            result[art_id] = canonical
    return result


class Hashed(NamedTuple):
    """An article hashed: its band hashes and signature (None for a text too short to judge) and its
    fingerprints."""

    id: str
    bands: list[int] | None
    signature: np.ndarray | None
    prints: np.ndarray

    def seen_row(self) -> tuple[str, bytes | None, int]:
        """What ``dedup_seen`` keeps of it."""
        sig = None if self.signature is None else self.signature.tobytes()
        return self.id, sig, len(self.prints)


def batch_bands(batch: list[tuple[str, str]]) -> list[Hashed]:
    """A batch of (id, text) hashed: the part of the work a worker does."""
    out = []
    for art_id, text in batch:
        prints = fingerprints(text)
        sig = signature(prints) if len(prints) >= MIN_SHINGLES else None
        out.append(Hashed(art_id, None if sig is None else bands_of(sig), sig, prints))
    return out


def _confirmed(store: Store, pairs: set[tuple[str, str]], known: dict[str, Hashed]) -> list[tuple[str, str]]:
    """The candidate pairs that are near-verbatim copies: those whose signatures could be copies'
    (:func:`could_be_copies`), checked on the fingerprints (``known``, else the stored texts')."""
    sketched = {h.id: (h.signature, len(h.prints)) for h in known.values() if h.signature is not None}
    for art, (blob, size) in corpus_io.sketches(
        store, sorted({a for pair in pairs for a in pair} - sketched.keys())
    ).items():
        sketched[art] = (np.frombuffer(blob, dtype="<u4"), size)
    cache = {art: h.prints for art, h in known.items()}

    def prints_of(art_id: str) -> np.ndarray:
        if art_id not in cache:
            cache[art_id] = fingerprints(corpus_io.article_text(store, art_id) or "")
        return cache[art_id]

    out = []
    for a, b in sorted(pairs):
        if a in sketched and b in sketched and not could_be_copies(*sketched[a], *sketched[b]):
            continue
        if is_near_copy(prints_of(a), prints_of(b)):
            out.append((a, b))
    return out


class PendingBands:
    """The band hashes of articles hashed in the open transaction, written when it ends: all at once,
    in hash order, so that the transaction passes once over the hash index (written batch by batch,
    each batch's random hashes rewrote a page each once the index was large). Meanwhile they are
    looked up here as the stored ones are in the store."""

    def __init__(self) -> None:
        self.articles: list[str] = []
        # (hashes sorted, owner of each: its number in ``articles``)
        self._parts: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return len(self.articles)

    def add(self, bands: list[tuple[str, list[int] | None]]) -> None:
        hashes, owners = [], []
        for art, values in bands:
            if values:
                hashes.extend(values)
                owners.extend([len(self.articles)] * len(values))
            self.articles.append(art)
        if hashes:
            self._parts.append(
                _merged([(np.asarray(hashes, dtype=np.int64), np.asarray(owners, dtype=np.int32))])
            )
        # a part no smaller than the one before joins it: few parts to search, however many batches
        while len(self._parts) > 1 and len(self._parts[-1][0]) >= len(self._parts[-2][0]):
            last_two = [self._parts.pop(-2), self._parts.pop()]
            self._parts.append(_merged(last_two))

    def candidates(self, bands: list[tuple[str, list[int] | None]]) -> set[tuple[str, str]]:
        """Pairs (smaller id, larger id) of articles sharing a band hash: two of ``bands``', or one of
        them and a pending article."""
        wanted = _by_hash(bands)
        out = _pairs_within(wanted)
        if not wanted:
            return out
        keys = np.fromiter(wanted, dtype=np.int64, count=len(wanted))
        for hashes, owners in self._parts:
            lo = np.searchsorted(hashes, keys, "left")
            hi = np.searchsorted(hashes, keys, "right")
            for i in np.flatnonzero(hi > lo):
                for k in range(lo[i], hi[i]):
                    other = self.articles[owners[k]]
                    out.update((min(a, other), max(a, other)) for a in wanted[int(keys[i])] if a != other)
        return out

    def stored_candidates(self, store: Store, per_chunk: int = 100) -> Iterator[set[tuple[str, str]]]:
        """Pairs of a pending article and a stored one sharing a band hash, looked up in one sorted
        pass over the stored hashes (hash by hash, each lookup read a page of a large index); given
        ``per_chunk`` pending articles at a time, so that checking them holds few texts at once. The
        pairs the pass finds are set aside in the store and read back a chunk at a time: they grow
        with the stored articles (26,600 for the last group of 5,000 at 100,000 articles)."""
        hashes, owners = self._sorted()

        def found() -> Iterator[tuple[int, str]]:
            for h, other in corpus_io.bands_holding(store, np.unique(hashes)):
                lo, hi = np.searchsorted(hashes, h, "left"), np.searchsorted(hashes, h, "right")
                for k in range(int(lo), int(hi)):
                    if self.articles[owners[k]] != other:
                        yield int(owners[k]), other

        corpus_io.set_aside_candidates(store, found())
        for start in range(0, len(self.articles), per_chunk):
            pairs = corpus_io.candidates_set_aside(store, start, start + per_chunk)
            if pairs:
                yield {
                    (min(art, other), max(art, other))
                    for art, other in ((self.articles[o], x) for o, x in pairs)
                }

    def rows(self) -> Iterator[tuple[int, str]]:
        """(hash, article) of every pending band, in hash order."""
        hashes, owners = self._sorted()
        for start in range(0, len(hashes), 10_000):  # a slice at a time: few Python ints at once
            part = slice(start, start + 10_000)
            for h, o in zip(hashes[part].tolist(), owners[part].tolist(), strict=True):
                yield h, self.articles[o]

    def _sorted(self) -> tuple[np.ndarray, np.ndarray]:
        """Every pending hash in order with its owner: the parts merged into one (once per group)."""
        if not self._parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if len(self._parts) > 1:
            self._parts = [_merged(self._parts)]  # emptied as it is merged
        return self._parts[0]


def _merged(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, owners) parts as one, in hash order (equal hashes keep the order of the parts). Takes
    the list's arrays out of it (emptied): each is freed as soon as it is copied, so that a group's
    largest merge holds its bands about twice, not four times."""
    hashes = np.concatenate([h for h, _ in parts])
    owners = np.concatenate([o for _, o in parts])
    parts.clear()
    order = np.argsort(hashes, kind="stable")
    hashes = hashes[order]
    owners = owners[order]
    return hashes, owners


def _by_hash(bands: list[tuple[str, list[int] | None]]) -> dict[int, list[str]]:
    wanted: dict[int, list[str]] = {}
    for art, values in bands:
        for h in values or ():
            wanted.setdefault(h, []).append(art)
    return wanted


def _pairs_within(wanted: dict[int, list[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for arts in wanted.values():
        out.update((min(a, b), max(a, b)) for i, a in enumerate(arts) for b in arts[i + 1 :] if a != b)
    return out


GROUP_ARTICLES = 5000  # articles hashed per transaction (their pending bands: ~3 MB)


def run(store: Store, ctx: Context) -> None:
    """Point every stored near-verbatim copy at its canonical article and clear stale pointers.

    Incremental: only articles whose bands are not stored yet are hashed (on the build's engine) and
    looked up in the stored bands; the pairs they confirm join the stored pairs, from which the groups
    and their canonical copies are recomputed (they are few)."""
    hashed_batches = iter(ctx.engine.map(batch_bands, corpus_io.unseen_articles(store)))
    more = True
    while more:
        more = False
        pending = PendingBands()
        with corpus_io.transaction(store):
            for hashed in hashed_batches:
                bands = [(h.id, h.bands) for h in hashed]
                pairs = pending.candidates(bands)
                pending.add(bands)
                corpus_io.mark_seen(store, [h.seen_row() for h in hashed])
                corpus_io.add_pairs(store, _confirmed(store, pairs, {h.id: h for h in hashed}))
                if len(pending) >= GROUP_ARTICLES:
                    more = True
                    break
            for pairs in pending.stored_candidates(store):
                corpus_io.add_pairs(store, _confirmed(store, pairs, {}))
            corpus_io.add_bands(store, pending.rows())
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
