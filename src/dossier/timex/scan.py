"""Running a pattern only on the stretches of a text where it can match, with the same matches as a
scan of the whole text.

A text is cut into *windows* at full stops that no digit stands next to (spaces aside): no time
pattern consumes such a stop (only the separators of ``13.9.2023`` and of ``tháng 9. 2023``, which have
digits beside them), so no match crosses the cut; and a pattern's look-ahead at a window's end sees
what it would see at the stop itself (neither a word character nor a date separator before a digit).
The matches of a pattern inside a window are therefore exactly those of the whole text that lie in it.

Each pattern comes with *cores*: short regexes one of which every match the pattern's handler accepts
contains (``quý`` for a quarter, ``\\d{4}`` for a year). A pattern then runs only on the windows that
hold an occurrence of one of its cores, which a core scan finds at a fraction of the cost of the
pattern's own scan: a core opens with a literal, so that the regex engine jumps from one occurrence of
it to the next, or failing that with a small set of characters."""

from __future__ import annotations

import re
from bisect import bisect_right

# full stops with no digit after them (a date's 13.9.2023 keeps its stops; one with a digit before
# them is skipped below)
_STOP = re.compile(r"\.(?!\s*\d)")


def _digit_before(key: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and key[j].isspace():
        j -= 1
    return j >= 0 and key[j].isdecimal()


class Windows:
    """The windows of one text: ``starts[i]`` to ``ends[i]``, in order, covering every character
    that is not a cut (about a sentence each)."""

    def __init__(self, key: str) -> None:
        self.key = key
        starts, ends = [0], []
        for m in _STOP.finditer(key):
            i = m.start()
            if not _digit_before(key, i):
                ends.append(i)
                starts.append(i + 1)
        ends.append(len(key))
        self.starts = starts
        self.ends = ends
        self._found: dict[re.Pattern[str], dict[int, int]] = {}

    def _occurrences(self, core: re.Pattern[str]) -> dict[int, int]:
        """The windows that hold an occurrence of ``core`` (by index, in order), each with the end of
        the last occurrence the scan reports in it; found once per core (rules may share one). A core
        never holds a cut character, so each occurrence lies in one window."""
        found = self._found.get(core)
        if found is None:
            found = {}
            starts = self.starts
            for m in core.finditer(self.key):
                found[bisect_right(starts, m.start()) - 1] = m.end()
            self._found[core] = found
        return found

    def holding(self, cores: tuple[re.Pattern[str], ...]) -> list[tuple[int, int, int]]:
        """The windows that hold an occurrence of one of ``cores``, in order, each once, as (start,
        end, last): a match that holds an occurrence starts before ``last`` (an occurrence the scan
        does not report overlaps one it does, so it starts before that one's end)."""
        if len(cores) == 1:
            found = self._occurrences(cores[0])
        else:
            found = {}
            for core in cores:
                for i, end in self._occurrences(core).items():
                    found[i] = max(end, found.get(i, end))
            found = dict(sorted(found.items()))
        return [(self.starts[i], self.ends[i], last) for i, last in found.items()]
