"""Article text → sentences with offsets.

A rule-based splitter tuned for Vietnamese news: a sentence ends at ``.``, ``!``, ``?`` or ``…``
(with any closing quotes or brackets) followed by space and a capital letter, a digit or an opening
quote, or at a paragraph break. It does not end after common abbreviations (``TS.``, ``Mr.``), after
an initial (``J. Biden``) or inside a number (``11.000``). A paragraph break followed by a lower-case
letter continues the sentence: captures often break a paragraph in the middle of one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dossier.models import Article, OffsetMap, Sentence

if TYPE_CHECKING:
    from dossier.pipeline import Context

_ABBREVIATIONS = frozenset(
    [
        "tp",
        "ts",
        "ths",
        "gs",
        "pgs",
        "bs",
        "ks",
        "ls",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "vs",
        "etc",
        "tt",
        "q",
        "p",
        "ô",
        "bà",
        "ng",
        "co",
        "inc",
        "ltd",
        "jr",
        "sr",
        "u.s",
        "mt",
    ]
)
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_OPENERS = "\"'“‘«([*"
_BLANKS = re.compile(r"[ \t\u00a0]*")


def _boundary_after(text: str, end: int) -> bool:
    """Whether a sentence may end just before ``text[end:]`` (after terminal punctuation)."""
    # matched in place, not on a copy of the rest: a copy per sentence is quadratic on long articles
    after = _BLANKS.match(text, end).end()  # type: ignore[union-attr]
    if after == len(text) or text[after] == "\n":
        return True
    if after == end:
        return False  # no space after the punctuation: 11.000, U.S., a.m.
    first = text[after]
    return first.isupper() or first.isdigit() or first in _OPENERS


def _abbreviation_before(text: str, dot: int) -> bool:
    # a bounded window: searching the whole prefix per full stop is quadratic on long articles
    m = re.search(r"([\w.]+)$", text[max(0, dot - 40) : dot])
    if not m:
        return False
    word = m.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and text[dot - 1].isupper())


def split_sentences(text: str, offsets: OffsetMap) -> list[Sentence]:
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)

    def close(end: int) -> None:
        nonlocal start
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            spans.append((s, e))
        start = end

    i = 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            nxt = text[i + 1 : i + 2]
            if not (nxt and nxt.islower()):
                close(i)
            i += 1
            continue
        if ch in ".!?…":
            m = _END.match(text, i)
            assert m is not None
            end = m.end()
            if ch == "." and end == i + 1 and _abbreviation_before(text, i):
                i = end
                continue
            if _boundary_after(text, end):
                close(end)
            i = end
            continue
        i += 1
    close(n)
    return [
        Sentence(index=k, start=s, end=e, text=text[s:e], line=offsets.line_of(s))
        for k, (s, e) in enumerate(spans)
    ]


def run(article: Article, ctx: Context) -> Article:
    article.sentences = split_sentences(article.text, article.offsets)
    return article
