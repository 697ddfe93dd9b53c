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
_CONTENT = re.compile(r"[^\s*_]")
MAX_PARAGRAPHS = 3  # a quotation left open runs over at most this many further paragraphs
_ANY_OPENER = re.compile("[" + re.escape("".join(_DIRECTIONAL) + "".join(sorted(_ASCII))) + "]")
# per opening mark: the characters that can open a nested quotation, close it or end its paragraph
_MARKS = {
    opener: re.compile("[\n" + re.escape(opener + _DIRECTIONAL.get(opener, "")) + "]")
    for opener in [*_DIRECTIONAL, *_ASCII]
}


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
        # every run of spaces made one space, none at the ends
        return " ".join(" ".join(p for p in parts if p).split())

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
    marks = _MARKS[opener]
    for _ in range(paragraphs):
        end = _line_end(text, start)
        m = marks.search(text, start, end)
        while m is not None:
            i = m.start()
            if _closes(text, i, opener):
                return True
            if text[i] == opener and _opens(text, i):
                return False
            m = marks.search(text, i + 1, end)
        if end >= len(text):
            return False
        start = end + 1
    return False


def _single_closes(text: str, i: int, opener: str) -> bool:
    """For ASCII single quotes: whether a closing mark follows in the same paragraph."""
    end = _line_end(text, i)
    j = text.find(opener, i + 1, end)
    while j >= 0:
        if _closes(text, j, opener):
            return True
        j = text.find(opener, j + 1, end)
    return False


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every outermost quotation in ``text`` (one paragraph per line), in order."""
    spans: list[QuoteSpan] = []
    n = len(text)
    # only the marks themselves (and newlines inside a quotation) can change the state, so the scan
    # jumps from one to the next instead of visiting every character
    found = _ANY_OPENER.search(text)
    while found is not None:
        i = found.start()
        ch = text[i]
        if not _opens(text, i) or (ch == "'" and not _single_closes(text, i, ch)):
            found = _ANY_OPENER.search(text, i + 1)
            continue
        span = QuoteSpan(open=i, mark=ch)
        marks = _MARKS[ch]
        piece_start, depth, j = i + 1, 0, i + 1
        while True:
            m = marks.search(text, j)
            if m is None:
                span.pieces.append((piece_start, n))
                span.closed = False
                break
            j = m.start()
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
        if _has_words(text, span):
            spans.append(span)
        found = _ANY_OPENER.search(text, span.close if span.closed else span.end)
    return spans


def _has_words(text: str, span: QuoteSpan) -> bool:
    """Whether ``span.text(text)`` is not empty (a character that is neither a space nor an emphasis
    mark settles it without building the text)."""
    if any(_CONTENT.search(text, s, e) for s, e in span.pieces):
        return True
    return bool(span.text(text))


def mask(text: str, spans: list[QuoteSpan], fill: str = "q") -> str:
    """``text`` with every quotation's inside (marks kept, newlines included) replaced by ``fill``, so
    that sentence punctuation and words inside quotations cannot be mistaken for the frame around them.
    A final ``.``, ``!`` or ``?`` inside the marks is kept: it still ends the sentence the quotation
    closes. The result has the same length as ``text``.

    ``spans`` may also be the quotations of another text of the same length whose marks, punctuation
    and spacing are the same (its matching key): the same offsets are masked."""
    parts: list[str] = []
    done = 0
    for span in spans:
        first, stop = span.open + 1, min(span.end, len(text))
        if stop <= first:
            continue
        last = span.end - 1
        while last > span.open and text[last] in _STRIP:
            last -= 1
        parts.append(text[done:first])
        if first <= last < stop and text[last] in ".!?…":
            parts.append(fill * (last - first))
            parts.append(text[last])
            parts.append(fill * (stop - last - 1))
        else:
            parts.append(fill * (stop - first))
        done = stop
    parts.append(text[done:])
    return "".join(parts)
