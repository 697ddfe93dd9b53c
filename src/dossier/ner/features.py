"""Per-token features for the statistical recogniser (a linear-chain CRF over syllable tokens).

Features need no word segmenter or tagger at run time (that is what makes the recogniser fast): the
token's shape (capitalised, all capitals, digits, Vietnamese-shaped or foreign), whether it starts a
sentence, its lower-cased form and its neighbours', and what the word lists say about the words
before it (a title, an honorific, an organisation head, a place word, a surname). Knowledge-base
names are masked out of training text (see :mod:`dossier.ner.train`), so the model learns to find
names from their shape and context rather than by memorising the KB.
"""

from __future__ import annotations

from dossier.ner.lexicon import Lexicon
from dossier.ner.tokens import Token, is_vietnamese_syllable


def shape(tok: Token) -> str:
    """A coarse shape: ``X`` capitalised, ``XX`` all caps, ``x`` lower, ``d`` digits, ``m`` mixed."""
    t = tok.text
    if t.isdigit():
        return "d"
    if t.isupper() and len(t) > 1:
        return "XX"
    if t[0].isupper():
        return "X" if t[1:].islower() or len(t) == 1 else "Xm"
    if t.islower():
        return "x"
    return "m"


def sentence_features(
    text: str, tokens: list[Token], initial: set[int], lex: Lexicon, first: int = 0, last: int | None = None
) -> list[list[str]]:
    """The feature strings of tokens ``[first, last)`` (python-crfsuite's ItemSequence input); the
    words around the range still count as context."""
    last = len(tokens) if last is None else last
    lo, hi = max(0, first - 4), min(len(tokens), last + 2)
    window = tokens[lo:hi]
    shapes = [shape(t) for t in window]
    viet = [is_vietnamese_syllable(t.text) for t in window]
    low = [t.exact for t in window]
    n = len(window)
    ends = _lexicon_ends(low, lex)
    out: list[list[str]] = []
    for i in range(first - lo, last - lo):
        tok = window[i]
        f = [
            "b",
            f"w={low[i]}",
            f"s={shapes[i]}",
            f"v={int(viet[i])}",
            f"g={_gap(text, window[i - 1], tok) if i else ''}",
            f"suf={low[i][-3:]}",
            f"len={min(len(tok.text), 8)}",
        ]
        if i + lo in initial:
            f.append("init")
        if i:
            f.extend(f"after_{name}" for name in ends[i - 1])
        if (low[i],) in lex.org_heads or tuple(low[i : i + 2]) in lex.org_heads:
            f.append("org_head")
        if low[i] in lex.vietnamese_surnames:
            f.append("vn_surname")
        if low[i] in lex.korean_surnames:
            f.append("kr_surname")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"{d}:w={low[j]}")
                f.append(f"{d}:s={shapes[j]}")
                f.append(f"{d}:v={int(viet[j])}")
            else:
                f.append(f"{d}:edge")
        if i + 1 < n:
            f.append(f"+1:g={_gap(text, tok, window[i + 1])}")
            f.append(f"s+1={shapes[i]}|{shapes[i + 1]}")
        if i > 0:
            f.append(f"s-1={shapes[i - 1]}|{shapes[i]}")
            f.append(f"w-1={low[i - 1]}|{low[i]}")
        out.append(f)
    return out


def _lexicon_ends(low: list[str], lex: Lexicon) -> list[list[str]]:
    """For each position, the word lists one of whose entries ends there (``title``, ``hon``,
    ``place``, ``loc``)."""
    lists = (
        ("title", lex.person_titles),
        ("hon", lex.honorifics),
        ("place", lex.place_heads),
        ("loc", lex.locatives),
    )
    out: list[list[str]] = [[] for _ in low]
    for name, entries in lists:
        last_words = _last_words(entries)
        for i, word in enumerate(low):
            sizes = last_words.get(word)
            if sizes and any(i + 1 >= k and tuple(low[i + 1 - k : i + 1]) in entries for k in sizes):
                out[i].append(name)
    return out


_LAST_WORDS: dict[int, dict[str, set[int]]] = {}


def _last_words(entries: frozenset[tuple[str, ...]]) -> dict[str, set[int]]:
    """Each entry's last word → the entry lengths ending with it (cached per word list)."""
    key = id(entries)
    if key not in _LAST_WORDS:
        index: dict[str, set[int]] = {}
        for entry in entries:
            index.setdefault(entry[-1], set()).add(len(entry))
        _LAST_WORDS[key] = index
    return _LAST_WORDS[key]


def _gap(text: str, left: Token, right: Token) -> str:
    """The separator between two tokens, reduced to a class."""
    gap = text[left.end : right.start]
    if gap == " ":
        return "sp"
    if gap in ("-", "‐", "‑"):
        return "hy"
    if "\n" in gap:
        return "nl"
    stripped = gap.strip()
    return stripped[:2] if stripped else "sp"
