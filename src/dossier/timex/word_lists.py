"""Several word lists matched over one text with one scan, each with exactly the matches of its own
``(?<!\\w)(?:w1|w2|…)(?!\\w)`` pattern run over the whole text (or of ``(?<!\\w)(?:w1|w2|…)`` followed
by another ending that, like ``(?!\\w)``, wants no word character right after the word).

A match of a word list starts at a word whose whole run of word characters is the first run of one of
its words (``gặp`` for ``gặp gỡ``). One *scout* pattern finds those first words of every list at
once; each list's own pattern is then tried only there, in text order, from the end of its last
match on, which is how ``finditer`` walks the text: a position where no first word stands cannot
start a match, so skipping it changes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict

from dossier.timex.lexicon import alternation, word_start_alternation

_FIRST_RUN = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


def words_pattern(words: list[str]) -> re.Pattern[str]:
    """``(?<!\\w)(?:words)(?!\\w)`` over matching keys, written to let the regex engine skip ahead."""
    return re.compile(r"(?:" + word_start_alternation(words) + r")(?!\w)")


def _opening(word: str) -> tuple[str, str | None] | None:
    """The first run of word characters of ``word`` and, when that run is its whole first part, the
    first run of its second part; None when the word does not open with a word character."""
    parts = word.split()
    first = _FIRST_RUN.match(parts[0]) if parts else None
    if first is None:
        return None
    second = _FIRST_RUN.match(parts[1]) if len(parts) > 1 and first.group() == parts[0] else None
    return first.group(), (second.group() if second else None)


def _scouts(seconds: dict[str, set[str] | None]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The first words, each as a whole word (group ``w``) and, when every word of the lists that
    opens with it goes on with a space, followed by one of the second words that follow it there: one
    pattern for the first words after a character that is not a word character (the engine skips to
    those, then tries a branch per first letter), one for a first word at the start of the text."""
    by_letter: dict[str, list[str]] = defaultdict(list)
    for first, nexts in seconds.items():
        tail = r"(?!\w)" if nexts is None else r"(?=\s+(?:" + alternation(sorted(nexts)) + r")(?!\w))"
        by_letter[first[0]].append(re.escape(first[1:]) + tail)
    body = "|".join(re.escape(c) + "(?:" + "|".join(b) + ")" for c, b in by_letter.items())
    return re.compile(r"[^\w](?P<w>" + body + ")"), re.compile(r"(?P<w>" + body + ")")


class WordLists:
    """Word lists (matching keys) to find together; :meth:`scan` gives each list's matches."""

    def __init__(self, lists: list[list[str]], endings: dict[int, str] | None = None) -> None:
        """``endings``: for some lists (by index), the regex after the words instead of ``(?!\\w)``."""
        endings = endings or {}
        self.patterns = [
            re.compile(r"(?:" + word_start_alternation(words) + ")" + endings[i])
            if i in endings
            else words_pattern(words)
            for i, words in enumerate(lists)
        ]
        by_first: dict[str, list[int]] = defaultdict(list)
        self.always: list[int] = []  # lists with a word that does not open with a word character
        seconds: dict[str, set[str] | None] = {}  # None: the first word alone may be a whole word
        for i, words in enumerate(lists):
            openings = [_opening(w) for w in words]
            if any(o is None for o in openings):
                self.always.append(i)
                continue
            for first, second in (o for o in openings if o is not None):
                if i not in by_first[first]:
                    by_first[first].append(i)
                if second is None:
                    seconds[first] = None
                elif seconds.get(first, set()) is not None:
                    seconds.setdefault(first, set()).add(second)  # type: ignore[union-attr]
        self.by_first = dict(by_first)
        self.scouts = _scouts(seconds) if seconds else None

    def scan(self, key: str, pos: int = 0, endpos: int | None = None) -> dict[int, list[re.Match[str]]]:
        """The lists that occur in ``key`` (by index) with the matches ``finditer`` of each list's
        pattern would give over ``key`` (from ``pos`` to ``endpos``, as ``finditer`` reads them), in
        text order."""
        end = len(key) if endpos is None else endpos
        starts: dict[int, list[int]] = {}
        if self.scouts is not None:
            by_first = self.by_first
            after, first = self.scouts
            hits = list(after.finditer(key, pos, end))
            if pos == 0 or not _WORD_CHAR.match(key, pos - 1):
                at_start = first.match(key, pos, end)
                if at_start is not None:
                    hits.insert(0, at_start)
            for hit in hits:
                at = hit.start("w")
                for i in by_first[hit.group("w")]:
                    if i in starts:
                        starts[i].append(at)
                    else:
                        starts[i] = [at]
        out: dict[int, list[re.Match[str]]] = {}
        for i in self.always:
            found = list(self.patterns[i].finditer(key, pos, end))
            if found:
                out[i] = found
        for i, positions in starts.items():
            pattern, cursor = self.patterns[i], 0
            found = []
            for at in positions:
                if at >= cursor:
                    m = pattern.match(key, at, end)
                    if m is not None:
                        found.append(m)
                        cursor = m.end()
            if found:
                out[i] = found
        return out
