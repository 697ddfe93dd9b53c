"""Per-token features for the statistical recogniser (a linear-chain CRF over syllable tokens).

Features need no word segmenter or tagger at run time (that is what makes the recogniser fast): the
token's shape (capitalised, all capitals, digits, Vietnamese-shaped or foreign), whether it starts a
sentence, its lower-cased form and its neighbours', and what the word lists say about the words
before it (a title, an honorific, an organisation head, a place word, a surname). Knowledge-base
names are masked out of training text (see :mod:`dossier.ner.train`), so the model learns to find
names from their shape and context rather than by memorising the KB.
"""

from __future__ import annotations

from dossier.ner.lexicon import Lexicon, ends_with
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
    text: str, tokens: list[Token], initial: set[int], lex: Lexicon
) -> list[list[str]]:
    """The feature strings of every token (python-crfsuite's ItemSequence input)."""
    n = len(tokens)
    shapes = [shape(t) for t in tokens]
    viet = [is_vietnamese_syllable(t.text) for t in tokens]
    low = [t.exact for t in tokens]
    gaps = [""] + [_gap(text, tokens[i - 1], tokens[i]) for i in range(1, n)]
    out: list[list[str]] = []
    for i, tok in enumerate(tokens):
        before = low[max(0, i - 4) : i]
        f = [
            "b",
            f"w={low[i]}",
            f"s={shapes[i]}",
            f"v={int(viet[i])}",
            f"g={gaps[i]}",
            f"suf={low[i][-3:]}",
            f"len={min(len(tok.text), 8)}",
        ]
        if i in initial:
            f.append("init")
        if ends_with(before, lex.person_titles):
            f.append("after_title")
        if ends_with(before, lex.honorifics):
            f.append("after_hon")
        if ends_with(before, lex.place_heads):
            f.append("after_place")
        if ends_with(before, lex.locatives):
            f.append("after_loc")
        if tuple(low[i : i + 1]) in lex.org_heads or tuple(low[i : i + 2]) in lex.org_heads:
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
            f.append(f"+1:g={gaps[i + 1]}")
            f.append(f"s+1={shapes[i]}|{shapes[i + 1]}")
        if i > 0:
            f.append(f"s-1={shapes[i - 1]}|{shapes[i]}")
            f.append(f"w-1={low[i - 1]}|{low[i]}")
        out.append(f)
    return out


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
