"""Where quotations are in a text: pairs of quotation marks, in every style Vietnamese captures use.

Styles: ``“…”``, ``«…»``, ``‘…’`` (directional: nested marks of the same style count as nesting),
``"…"`` (ASCII: the first opens, the next closes) and ``'…'`` (ASCII single, only with a closing mark
in the same paragraph, so that apostrophes are not read as quotes). Only outermost quotations are
returned: a quotation inside another one is part of its text.

A quotation still open at the end of a paragraph continues when the next paragraph opens again with
the same mark (the typographic convention for a quotation of several paragraphs) or closes it before
opening another (a capture that broke a paragraph in the middle); otherwise it ends with its paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# opening mark -> closing mark
_DIRECTIONAL = {"“": "”", "«": "»", "‘": "’", "„": "“"}
_ASCII = {'"', "'"}
_OPEN_CONTEXT = set(" \t\n([{:—–-*_/") | {""}
_STRIP = " \t\n*_"
MAX_PARAGRAPHS = 3  # a quotation left open runs over at most this many further paragraphs


@dataclass
class QuoteSpan:
    """One quotation: ``open`` is the offset of its opening mark; ``pieces`` are the (start, end)
    offsets of its text, one per paragraph it runs over (marks excluded); ``closed`` says whether a
    closing mark ends it."""

    open: int
    mark: str
    pieces: list[tuple[int, int]] = field(default_factory=list)
    closed: bool = True

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    @property
    def close(self) -> int:
        """Offset just after the closing mark (or the end of the text when none closes it)."""
        return self.end + 1 if self.closed else self.end

    def text(self, source: str) -> str:
        """The quoted words: each paragraph's piece stripped of spaces and emphasis, joined by a space."""
        parts = [source[s:e].strip(_STRIP) for s, e in self.pieces]
        return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()

    def trimmed(self, source: str) -> tuple[int, int]:
        """(start, end) of the quoted words without the spaces and emphasis marks around them."""
        start, end = self.start, self.end
        while start < end and source[start] in _STRIP:
            start += 1
        while end > start and source[end - 1] in _STRIP:
            end -= 1
        return start, end


def _prev(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _next(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else ""


def _opens(text: str, i: int) -> bool:
    """Whether the mark at ``i`` can open a quotation."""
    ch = text[i]
    if ch in _DIRECTIONAL:
        return ch != "‘" or not _prev(text, i).isalpha()
    if ch == '"':
        return _prev(text, i) in _OPEN_CONTEXT or _prev(text, i) in "“«‘'"
    if ch == "'":
        return _prev(text, i) in _OPEN_CONTEXT and (_next(text, i).isalnum() or _next(text, i) in "*_")
    return False


def _closes(text: str, i: int, opener: str) -> bool:
    ch = text[i]
    if opener in _DIRECTIONAL:
        if ch != _DIRECTIONAL[opener]:
            return False
        return ch != "’" or not _next(text, i).isalpha()  # Kim’s is an apostrophe
    if opener == '"':
        return ch == '"'
    if opener == "'":
        return ch == "'" and not _next(text, i).isalpha() and _prev(text, i) not in " \t\n"
    return False


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _reopens(text: str, start: int, opener: str) -> int | None:
    """Offset of the continuation mark when the paragraph at ``start`` opens with ``opener``."""
    i = start
    while i < len(text) and text[i] in " \t*_":
        i += 1
    return i if i < len(text) and text[i] == opener else None


def _closes_later(text: str, start: int, opener: str, paragraphs: int = MAX_PARAGRAPHS) -> bool:
    """Whether one of the next ``paragraphs`` paragraphs from ``start`` closes a quotation of
    ``opener`` before any of them opens another one."""
    for _ in range(paragraphs):
        end = _line_end(text, start)
        for i in range(start, end):
            if _closes(text, i, opener):
                return True
            if text[i] == opener and _opens(text, i):
                return False
        if end >= len(text):
            return False
        start = end + 1
    return False


def _single_closes(text: str, i: int, opener: str) -> bool:
    """For ASCII single quotes: whether a closing mark follows in the same paragraph."""
    return any(_closes(text, j, opener) for j in range(i + 1, _line_end(text, i)))


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every outermost quotation in ``text`` (one paragraph per line), in order."""
    spans: list[QuoteSpan] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if not (ch in _DIRECTIONAL or ch in _ASCII) or not _opens(text, i):
            i += 1
            continue
        if ch == "'" and not _single_closes(text, i, ch):
            i += 1
            continue
        span = QuoteSpan(open=i, mark=ch)
        piece_start, depth, j = i + 1, 0, i + 1
        while True:
            if j >= n:
                span.pieces.append((piece_start, n))
                span.closed = False
                break
            c = text[j]
            if c == "\n":
                resume = _reopens(text, j + 1, ch)
                if resume is not None:
                    span.pieces.append((piece_start, j))
                    piece_start = j = resume + 1
                    continue
                if _closes_later(text, j + 1, ch):
                    j += 1
                    continue
                span.pieces.append((piece_start, j))
                span.closed = False
                break
            if ch in _DIRECTIONAL and c == ch and _opens(text, j):
                depth += 1
            elif _closes(text, j, ch):
                if depth == 0:
                    span.pieces.append((piece_start, j))
                    break
                depth -= 1
            j += 1
        if span.text(text):
            spans.append(span)
        i = span.close if span.closed else span.end
    return spans


def mask(text: str, spans: list[QuoteSpan], fill: str = "q") -> str:
    """``text`` with every quotation's inside (marks kept, newlines included) replaced by ``fill``, so
    that sentence punctuation and words inside quotations cannot be mistaken for the frame around them.
    A final ``.``, ``!`` or ``?`` inside the marks is kept: it still ends the sentence the quotation
    closes. The result has the same length as ``text``."""
    chars = list(text)
    for span in spans:
        last = span.end - 1
        while last > span.open and chars[last] in _STRIP:
            last -= 1
        for k in range(span.open + 1, min(span.end, len(chars))):
            if not (k == last and chars[k] in ".!?…"):
                chars[k] = fill
    return "".join(chars)
