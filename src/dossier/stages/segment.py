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
_OPENERS = "\"'“‘«([*"
_BLANKS = re.compile(r"[ \t\u00a0]*")
# Where a sentence may end: a paragraph break, or a run of terminal punctuation with its closing
# marks. A character class comes first, so that the engine skips to a candidate at once.
_EVENTS = re.compile(r"[\n.!?…](?:(?<=[.!?…])[.!?…]*[\"'”’»)\]]*)?")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the sentences of ``text`` (without the spaces around them). One
    regex pass visits only the paragraph breaks and the runs of terminal punctuation."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = 0
    for event in _EVENTS.finditer(text):
        i = event.start()
        if text[i] == "\n":
            if text[i + 1 : i + 2].islower():
                continue  # a paragraph broken in the middle of a sentence
            end = i
        else:
            end = event.end()
            # matched in place, not on a copy of the rest: a copy per sentence is quadratic
            after = _BLANKS.match(text, end).end()  # type: ignore[union-attr]
            if after < n and text[after] != "\n":
                if after == end:
                    continue  # no space after the punctuation: 11.000, U.S., a.m.
                first = text[after]
                if not (first.isupper() or first.isdigit() or first in _OPENERS):
                    continue
            if end == i + 1 and text[i] == "." and _abbreviation_before(text, i):
                continue
        _close(text, start, end, spans)
        start = end
    _close(text, start, n, spans)
    return spans


def _close(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Add ``text[start:end]`` without the spaces around it, unless nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def _abbreviation_before(text: str, dot: int) -> bool:
    # a bounded window: searching the whole prefix per full stop is quadratic on long articles
    m = _WORD_BEFORE.search(text, max(0, dot - 40), dot)
    if not m:
        return False
    word = m.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and text[dot - 1].isupper())


def split_sentences(text: str, offsets: OffsetMap) -> list[Sentence]:
    return [
        Sentence(index=k, start=s, end=e, text=text[s:e], line=offsets.line_of(s))
        for k, (s, e) in enumerate(sentence_spans(text))
    ]


def run(article: Article, ctx: Context) -> Article:
    article.sentences = split_sentences(article.text, article.offsets)
    return article
