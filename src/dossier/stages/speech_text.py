"""Word lists found in an article's key, as the speech stages (quotes, claims) read them.

* :class:`Scan`: every occurrence of a word list in a key, found in one pass and then read for any
  stretch of it exactly as a search limited to that stretch would find them;
* :class:`Triggers`: the scans of several word lists, made together in one pass.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from dossier.stages.quote_lexicon import Phrases

_WORD_ONLY = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


class Scan:
    """The occurrences of one word list in one key, found in a single pass over the whole key.

    :meth:`within` gives what ``phrases.finditer(key, start, end)`` gives. A search limited to a
    stretch differs from the whole scan only when a match of the whole scan straddles one of the
    stretch's ends, or when the stretch ends right before a word character (a phrase may then end at
    the limit): for such a stretch the limited search is run instead."""

    def __init__(self, phrases: Phrases, key: str, matches: list[re.Match[str]] | None = None) -> None:
        """``matches`` is ``phrases.finditer(key)`` when the caller found it already."""
        self.phrases = phrases
        self.key = key
        self.matches = phrases.finditer(key) if matches is None else matches
        self.starts = [m.start() for m in self.matches]

    def within(self, start: int, end: int) -> list[re.Match[str]]:
        """``phrases.finditer(key, start, end)``, read from the whole scan where that is the same."""
        matches = self.matches
        i = bisect_left(self.starts, start)
        if i > 0 and matches[i - 1].end() > start:
            return self.phrases.finditer(self.key, start, end)
        if _WORD_CHAR.match(self.key, end):
            return self.phrases.finditer(self.key, start, end)
        out = []
        while i < len(matches) and matches[i].start() < end:
            if matches[i].end() > end:
                return self.phrases.finditer(self.key, start, end)
            out.append(matches[i])
            i += 1
        return out

    def touched(self, stretches: Sequence[tuple[int, int]]) -> set[int]:
        """The indices of the stretches (in order, not overlapping) for which :meth:`within` may find
        something: those a match of the whole scan overlaps, and those that end before a word
        character. :meth:`within` finds nothing in any other."""
        out = {i for i, (_, end) in enumerate(stretches) if _WORD_CHAR.match(self.key, end)}
        count = len(stretches)
        first = 0  # the first stretch that ends after the current match starts (matches are in order)
        for m in self.matches:
            start, end = m.span()
            while first < count and stretches[first][1] <= start:
                first += 1
            i = first
            while i < count and stretches[i][0] < end:
                out.add(i)
                i += 1
        return out


class Triggers:
    """Several word lists, found in a key together: one pass finds every place where the first word of
    a phrase of any list stands as a whole word, and each list is then matched only at its own first
    words' places. That gives each list's :class:`Scan` exactly as its own scan of the whole key would
    (a phrase can only start where its first word stands, and the pass cannot step over one: first
    words are made of word characters, so one cannot start inside another)."""

    def __init__(self, lists: Sequence[Phrases]) -> None:
        self.lists = tuple(lists)
        owners: dict[str, list[int]] = {}
        for i, phrases in enumerate(self.lists):
            for first in sorted({k.split()[0] for k in phrases.words}):
                owners.setdefault(first, []).append(i)
        self._owners = owners
        self._pattern: re.Pattern[str] | None = None
        self._opening: re.Pattern[str] | None = None
        if owners and all(_WORD_ONLY.fullmatch(w) for w in owners):
            groups: dict[str, list[str]] = {}
            for w in sorted(owners, key=len, reverse=True):
                groups.setdefault(w[0], []).append(re.escape(w[1:]))
            body = "|".join(re.escape(c) + "(?:" + "|".join(rests) + ")" for c, rests in groups.items())
            # a first word after a non-word character (the engine only stops at those), and one that
            # opens the key
            self._pattern = re.compile(rf"\W({body})(?!\w)")
            self._opening = re.compile(rf"(?:{body})(?!\w)")

    def scans(self, key: str) -> list[Scan]:
        """One :class:`Scan` per list, in the lists' order."""
        if self._pattern is None or self._opening is None:
            return [Scan(phrases, key) for phrases in self.lists]
        places: list[list[int]] = [[] for _ in self.lists]
        first = self._opening.match(key)
        if first is not None:
            for i in self._owners[first.group()]:
                places[i].append(0)
        for m in self._pattern.finditer(key):
            for i in self._owners[m.group(1)]:
                places[i].append(m.start(1))
        out = []
        for phrases, at in zip(self.lists, places, strict=True):
            found = []
            done = 0
            for q in at:
                if q >= done:
                    m = phrases.starts(key, q)
                    if m is not None:
                        found.append(m)
                        done = m.end()
            out.append(Scan(phrases, key, found))
        return out
