"""Per-token features for the statistical recogniser (a linear-chain CRF over syllable tokens).

Features need no word segmenter or tagger at run time (that is what makes the recogniser fast): the
token's shape (capitalised, all capitals, digits, Vietnamese-shaped or foreign), whether it starts a
sentence, its lower-cased form and its neighbours', and what the word lists say about the words
before it (a title, an honorific, an organisation head, a place word, a surname). Knowledge-base
names are masked out of training text (see :mod:`dossier.ner.train`), so the model learns to find
names from their shape and context rather than by memorising the KB.

Most feature strings depend on one word only (its form, shape, suffix, and what it says as a
neighbour), so :class:`Featurizer` builds them once per distinct word; given the model's attributes
it also leaves out the strings the model has no weight for, which changes no score.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

from dossier.ner.lexicon import Lexicon
from dossier.ner.tokens import Token, Tokens

_OFFSETS = (-2, -1, 1, 2)
Feature = str | bytes  # a feature string (bytes when built for a model: see _Keep)
_LISTS = ("title", "hon", "place", "loc")
_MAX_WORDS = 1 << 16  # distinct words kept before the word cache starts over (bounds its memory)
# word pairs whose boundary features are kept: pairs keep coming long after new words stop; filling
# 16,384 again costs no more than keeping 65,536 (measured with the match keys: see vi.text._WordKeys)
_MAX_BOUNDARIES = 1 << 14


def shape(tok: Token) -> str:
    """A coarse shape: ``X`` capitalised, ``XX`` all caps, ``x`` lower, ``d`` digits, ``m`` mixed."""
    return _shape(tok.text)


@lru_cache(maxsize=65536)
def _shape(t: str) -> str:
    if t.isdigit():
        return "d"
    if t.isupper() and len(t) > 1:
        return "XX"
    if t[0].isupper():
        return "X" if t[1:].islower() or len(t) == 1 else "Xm"
    if t.islower():
        return "x"
    return "m"


@lru_cache(maxsize=4096)
def gap_class(gap: str) -> str:
    """The separator between two tokens, reduced to a class."""
    if gap == " ":
        return "sp"
    if gap in ("-", "‐", "‑"):
        return "hy"
    if "\n" in gap:
        return "nl"
    stripped = gap.strip()
    return stripped[:2] if stripped else "sp"


class _Word:
    """The feature strings one word gives, to itself and as each neighbour."""

    __slots__ = (
        "low", "shape", "head", "tail", "names", "tail_names", "org1", "org_first", "last_word",
        "near_m2", "near_m1", "near_p1", "near_p2", "bigrams",
    )  # fmt: skip

    def __init__(self, tok: Token, lex: Lexicon, keep: _Keep, index: _ListIndex) -> None:
        low, text = tok.exact, tok.text
        self.low = low
        self.shape = sh = _shape(text)
        v = int(tok.viet)
        self.head = keep(("b", f"w={low}", f"s={sh}", f"v={v}"))
        self.tail = keep((f"suf={low[-3:]}", f"len={min(len(text), 8)}"))
        names = []
        if low in lex.vietnamese_surnames:
            names.append("vn_surname")
        if low in lex.korean_surnames:
            names.append("kr_surname")
        self.names = keep(names)
        self.tail_names = self.tail + self.names
        self.org1 = (low,) in lex.org_heads
        self.org_first = self.org1 or low in index.org_firsts
        self.last_word = low in index.last_words
        self.near_m2, self.near_m1, self.near_p1, self.near_p2 = (
            keep((f"{d}:w={low}", f"{d}:s={sh}", f"{d}:v={v}")) for d in _OFFSETS
        )
        self.bigrams = keep.bigrams.get(low)  # the known w-1 strings this word starts, by next word


class _Edge:
    """A position beyond the text's ends, as a neighbour."""

    def __init__(self, keep: _Keep) -> None:
        self.low = self.shape = ""
        self.last_word = False
        self.bigrams: dict[str, Feature] = {}
        self.near_m2, self.near_m1, self.near_p1, self.near_p2 = (keep((f"{d}:edge",)) for d in _OFFSETS)


class _Keep:
    """Keeps the feature strings the model knows (all of them when there is no model). For a model
    they are kept as UTF-8 bytes, which python-crfsuite takes without encoding them again."""

    def __init__(self, known: Collection[str] | None) -> None:
        self.known = frozenset(known) if known is not None else None
        # one bytes object per feature string, shared by every word that gives it (a word cache of
        # tens of thousands of words would otherwise hold millions of equal copies)
        self._encoded: dict[str, bytes] = {}
        self.bigrams: dict[str, dict[str, Feature]] = {}
        for feat in self.known or ():
            if feat.startswith("w-1="):
                left, sep, right = feat[4:].partition("|")
                if sep and "|" not in right:
                    self.bigrams.setdefault(left, {})[right] = feat.encode()

    def __call__(self, feats: tuple[str, ...] | list[str]) -> tuple[Feature, ...]:
        if self.known is None:
            return tuple(feats)
        encoded = self._encoded
        return tuple(encoded.get(f) or encoded.setdefault(f, f.encode()) for f in feats if f in self.known)


_Boundary = tuple[tuple[Feature, ...], tuple[Feature, ...], tuple[Feature, ...]]


class _Words(dict[Token, _Word]):
    """A word → its :class:`_Word`, made on first sight."""

    def __init__(self, featurizer: Featurizer) -> None:
        super().__init__()
        self.featurizer = featurizer

    def __missing__(self, tok: Token) -> _Word:
        f = self.featurizer
        if len(self) >= _MAX_WORDS:
            self.clear()
            f._boundaries.clear()
        w = self[tok] = _Word(tok, f.lex, f.keep, f.index)
        return w


class _ListIndex:
    """The word lists the ``after_*`` features look back at, indexed by their entries' last words."""

    def __init__(self, lex: Lexicon) -> None:
        lists = (lex.person_titles, lex.honorifics, lex.place_heads, lex.locatives)
        self.entries = dict(zip(_LISTS, lists, strict=True))
        self.sizes: dict[str, dict[str, tuple[int, ...]]] = {}
        for name, entries in self.entries.items():
            index: dict[str, set[int]] = {}
            for entry in entries:
                index.setdefault(entry[-1], set()).add(len(entry))
            self.sizes[name] = {w: tuple(sorted(s)) for w, s in index.items()}
        self.last_words = frozenset(w for index in self.sizes.values() for w in index)
        self.org_firsts = frozenset(e[0] for e in lex.org_heads if len(e) > 1)


class Featurizer:
    """Builds the feature strings of token ranges; build one per model (or per word lists for
    training) and reuse it: it caches what each distinct word contributes."""

    def __init__(self, lex: Lexicon, known: Collection[str] | None = None) -> None:
        self.lex = lex
        self.keep = _Keep(known)
        self.index = _ListIndex(lex)
        self._words = _Words(self)
        self._boundaries: dict[tuple[_Word | _Edge, _Word | _Edge, str], _Boundary] = {}
        keep = self.keep
        self._init = keep(("init",))
        self._org = keep(("org_head",))
        self._edge_word = _Edge(keep)
        self._first_gap = keep(("g=",))
        self._edge_bound: _Boundary = (self._first_gap, (), ())
        self._after = {name: keep((f"after_{name}",)) for name in _LISTS}
        self._gap: dict[str, tuple[tuple[Feature, ...], tuple[Feature, ...]]] = {}
        self._pairs: dict[tuple[str, str], tuple[tuple[Feature, ...], tuple[Feature, ...]]] = {}

    def _gap_feats(self, gap: str) -> tuple[tuple[Feature, ...], tuple[Feature, ...]]:
        """(``g=`` of a token after ``gap``, ``+1:g=`` of the token before it)."""
        feats = self._gap.get(gap)
        if feats is None:
            if len(self._gap) > 4096:
                self._gap.clear()
            cls = gap_class(gap)
            feats = self._gap[gap] = (self.keep((f"g={cls}",)), self.keep((f"+1:g={cls}",)))
        return feats

    def _pair(self, left: str, right: str) -> tuple[tuple[Feature, ...], tuple[Feature, ...]]:
        """(``s+1`` of the left token, ``s-1`` of the right one) for two neighbouring shapes."""
        p = self._pairs.get((left, right))
        if p is None:
            p = self._pairs[(left, right)] = (
                self.keep((f"s+1={left}|{right}",)),
                self.keep((f"s-1={left}|{right}",)),
            )
        return p

    def _boundary(self, left: _Word | _Edge, right: _Word | _Edge, gap: str) -> _Boundary:
        """What the boundary between two neighbouring words gives: (``g=`` of the right one,
        ``s-1`` and ``w-1`` of the right one, ``+1:g`` and ``s+1`` of the left one)."""
        g, next_g = self._gap_feats(gap)
        plus, minus = self._pair(left.shape, right.shape)
        if self.keep.known is None:
            bigram: Feature | None = f"w-1={left.low}|{right.low}"
        else:
            bigram = left.bigrams.get(right.low) if left.bigrams else None
        cut = self._boundaries[(left, right, gap)] = (
            g,
            minus + (bigram,) if bigram else minus,
            next_g + plus,
        )
        return cut

    def _after_names(self, tokens: Tokens, p: int, lo: int) -> list[Feature]:
        """The ``after_*`` features of the token after ``p``: the word lists one of whose entries
        ends at token ``p`` and starts at ``lo`` or later."""
        out: list[Feature] = []
        low = tokens[p].exact
        for name in _LISTS:
            sizes = self.index.sizes[name].get(low)
            # an entry of one word ending at token p is that word: sizes with a 1 need no look back
            if sizes and any(
                k == 1
                or (
                    k <= p + 1 - lo
                    and tuple(t.exact for t in tokens[p + 1 - k : p + 1]) in self.index.entries[name]
                )
                for k in sizes
            ):
                out.extend(self._after[name])
        return out

    def features(
        self, tokens: Tokens, initial: set[int], first: int = 0, last: int | None = None
    ) -> list[list[Feature]]:
        """The feature strings of tokens ``[first, last)``; the words around the range still count as
        context. ``tokens`` are :func:`~dossier.ner.tokens.tokenize`'s (they carry their gaps)."""
        n = len(tokens)
        last = n if last is None else last
        if last <= first:
            return []
        lo = max(0, first - 4)  # how far back a word list entry may reach
        a, b = max(0, first - 2), min(n, last + 2)
        # words[k] is token first - 2 + k; beyond the text, the edge
        words = [self._edge_word] * (a - first + 2)
        words.extend(map(self._words.__getitem__, tokens[a:b]))
        words.extend([self._edge_word] * (last + 2 - b))
        # boundary k is the one before token first + k: its g=, s-1 and w-1 go to the token after
        # it, its +1:g and s+1 to the token before it
        bounds = self._boundaries
        if len(bounds) > _MAX_BOUNDARIES:
            bounds.clear()
        edge = self._edge_bound
        gaps_of = tokens.gaps
        cuts = [
            (
                bounds.get((words[k + 1], words[k + 2], gaps_of[t]))
                or self._boundary(words[k + 1], words[k + 2], gaps_of[t])
            )
            if 0 < t < n
            else edge
            for k, t in enumerate(range(first, last + 1))
        ]
        org_heads = self.lex.org_heads
        out: list[list[Feature]] = []
        for t in range(first, last):
            j = t - first
            w = words[j + 2]
            prev = words[j + 1]
            if prev.last_word or w.org_first or t in initial:
                middle = list(w.tail)
                if t in initial:
                    middle.extend(self._init)
                if prev.last_word:
                    middle.extend(self._after_names(tokens, t - 1, lo))
                if w.org1 or (w.org_first and t + 1 < n and (w.low, words[j + 3].low) in org_heads):
                    middle.extend(self._org)
                middle.extend(w.names)
            else:
                middle = w.tail_names
            before, after = cuts[j], cuts[j + 1]
            out.append(
                [
                    *w.head,
                    *before[0],
                    *middle,
                    *words[j].near_m2,
                    *prev.near_m1,
                    *words[j + 3].near_p1,
                    *words[j + 4].near_p2,
                    *after[2],
                    *before[1],
                ]
            )
        return out


_FEATURIZERS: dict[int, tuple[Lexicon, Featurizer]] = {}


def sentence_features(
    text: str, tokens: Tokens, initial: set[int], lex: Lexicon, first: int = 0, last: int | None = None
) -> list[list[Feature]]:
    """The feature strings of tokens ``[first, last)`` (python-crfsuite's ItemSequence input); the
    words around the range still count as context. ``tokens`` are ``tokenize(text)``'s."""
    cached = _FEATURIZERS.get(id(lex))
    if cached is None or cached[0] is not lex:
        cached = _FEATURIZERS[id(lex)] = (lex, Featurizer(lex))
    return cached[1].features(tokens, initial, first, last)
