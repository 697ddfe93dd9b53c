"""The temporal tagger: finds the time expressions of a text and normalises each to a TIMEX3-like
value with the precision the text gives.

Overlapping matches keep the longest (``tháng Chín năm ngoái`` over ``năm ngoái``); ranges join
(``từ tháng 6 đến tháng 9/2023``, ``1950-1953``) and a date without a year takes the year of the one
it is coordinated with (``tháng 5 và tháng 8 năm nay``). Expressions are resolved in text order, so
that ``5 năm sau`` and ``một ngày trước đó`` count from the time spoken of just before. A weekday is
checked against the calendar: written beside a date (``hôm thứ Ba 12/09``) the date decides and the
check is recorded; alone, it takes a date of the same sentence that falls on that weekday.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from dossier.timex.grammar import Candidate, candidates
from dossier.timex.lexicon import lexicon
from dossier.timex.resolve import Resolved, resolve
from dossier.timex.spec import Spec
from dossier.timex.values import Anchor
from dossier.timex.word_lists import WordLists
from dossier.vi.text import match_key

_RANGE_GAP = re.compile(r"^\s*(?:-|–|—|đến|tới|cho\s+đến|cho\s+tới)\s*$")
_COORD_GAP = re.compile(r"^\s*(?:và|,|hoặc|hay|cũng\s+như)\s*$")
# [.!?…]\s+ or \n, opening with a character class so that the regex engine skips to the candidates
_SENTENCE_END = re.compile(r"[.!?…\n](?:(?<=\n)|\s+)")
_AFTER_WINDOW = 30  # characters after an expression in which a tense word still speaks of it


@dataclass
class Timex:
    """A time expression found in a text: offsets, words, what they say, and the value if resolved."""

    start: int
    end: int
    text: str
    spec: Spec
    resolved: Resolved | None = None
    weekday_agrees: bool | None = None  # for a weekday written beside a date

    @property
    def value(self) -> str | None:
        return self.resolved.value if self.resolved else None

    @property
    def granularity(self) -> str | None:
        return self.resolved.granularity if self.resolved else None

    @property
    def value_end(self) -> str | None:
        return self.resolved.value_end if self.resolved else None

    @property
    def basis(self) -> str:
        return "explicit" if self.spec.explicit else "relative"


def _select(found: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: the longest first, then the earliest."""
    chosen: list[Candidate] = []
    for cand in sorted(found, key=lambda c: (-(c.end - c.start), c.start)):
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


def _join(chosen: list[Candidate], key: str) -> list[Candidate]:
    """Ranges become one candidate; coordinated dates share a year."""
    out: list[Candidate] = []
    i = 0
    while i < len(chosen):
        cand = chosen[i]
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        if nxt is not None and cand.spec.end is None and nxt.spec.end is None:
            gap = key[cand.end : nxt.start]
            if _RANGE_GAP.match(gap) and _range_kinds_agree(cand.spec, nxt.spec):
                spec = cand.spec.with_year_from(nxt.spec)
                spec.end = nxt.spec
                out.append(Candidate(cand.start, nxt.end, spec))
                i += 2
                continue
            if _COORD_GAP.match(gap):
                cand = Candidate(cand.start, cand.end, cand.spec.with_year_from(nxt.spec))
        out.append(cand)
        i += 1
    return out


def _range_kinds_agree(a: Spec, b: Spec) -> bool:
    relative = bool(a.shift_unit or a.from_reference or b.shift_unit or b.from_reference)
    relative = (
        relative or (a.weekday is not None and a.day is None) or (b.weekday is not None and b.day is None)
    )
    return not relative and a.granularity != "recent" and b.granularity != "recent"


def _sentence_bounds(key: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(key, 0, pos):
        start = m.end()
    m = _SENTENCE_END.search(key, pos)
    return start, (m.start() if m else len(key))


class _Sentences:
    """The sentence ends of one key, found once: :meth:`bounds` is :func:`_sentence_bounds` without a
    scan from the start of the text for each expression."""

    def __init__(self, key: str) -> None:
        self.key = key
        spans = [m.span() for m in _SENTENCE_END.finditer(key)]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        self._markers: dict[tuple[int, int], dict[int, list[re.Match[str]]]] = {}

    def bounds(self, pos: int) -> tuple[int, int]:
        i = bisect_left(self.starts, pos)  # the first sentence end at or after pos
        if i and self.ends[i - 1] > pos:
            # pos inside a run of spaces after a stop: a scan that stops at pos sees a shorter run
            return _sentence_bounds(self.key, pos)
        return (self.ends[i - 1] if i else 0), (self.starts[i] if i < len(self.starts) else len(self.key))

    def markers(self, start: int, end: int) -> dict[int, list[re.Match[str]]]:
        """The tense words from ``start`` to ``end`` (see :func:`_markers`), found once per stretch:
        the expressions of one sentence share them."""
        found = self._markers.get((start, end))
        if found is None:
            found = self._markers[(start, end)] = _markers().scan(self.key, start, end)
        return found


@cache
def _markers() -> WordLists:
    """The future markers (list 0) and the past markers (list 1), found with one scan."""
    lx = lexicon()
    return WordLists([lx.future_markers, lx.past_markers])


def tense(key: str, start: int, end: int, sentences: _Sentences | None = None) -> int:
    """+1 when the sentence around ``key[start:end]`` speaks of the future, else -1 (news reports the
    past). The nearest tense word before the expression decides; without one, a tense word just after
    it does (``Vào tháng 10, Lavrov sẽ đến``); a tense word far after it belongs to another clause."""
    sentences = sentences or _Sentences(key)
    s, e = sentences.bounds(start)
    before: tuple[int, int] | None = None
    after: tuple[int, int] | None = None
    found = sentences.markers(s, max(e, end))
    for kind, sign in ((0, 1), (1, -1)):
        for m in found.get(kind, ()):
            if m.end() <= start:
                if before is None or m.end() > before[0]:
                    before = (m.end(), sign)
            elif (
                m.start() >= end
                and m.start() - end <= _AFTER_WINDOW
                and (after is None or m.start() < after[0])
            ):
                after = (m.start(), sign)
    chosen = before or after
    return chosen[1] if chosen else -1


def _check_weekdays(found: list[Timex], sentences: _Sentences) -> None:
    """A weekday written beside a date: record whether they agree. A weekday alone: take a date of the
    same sentence that falls on it, within a week of the weekday's own reading."""
    for t in found:
        spec = t.spec
        if spec.weekday is None or t.resolved is None:
            continue
        if spec.day is not None:
            t.weekday_agrees = t.resolved.start.weekday() == spec.weekday
            continue
        bounds = sentences.bounds(t.start)
        for other in found:
            r = other.resolved
            if other is t or r is None or r.granularity != "day" or other.spec.weekday is not None:
                continue
            if not bounds[0] <= other.start < bounds[1] or r.start.weekday() != spec.weekday:
                continue
            if abs((r.start - t.resolved.start).days) <= 7:
                t.resolved = r
                t.weekday_agrees = True
                break


def tag(text: str, anchor: Anchor | None = None, key: str | None = None) -> list[Timex]:
    """Every time expression of ``text`` in order, resolved against ``anchor`` where it can be (the
    others have ``resolved`` None and keep what they say in ``spec``). ``key`` is ``match_key(text)``
    when the caller has it."""
    key = match_key(text) if key is None else key
    chosen = _join(_select(list(candidates(text, key))), key)
    lx = lexicon()
    sentences = _Sentences(key)
    found: list[Timex] = []
    reference: Resolved | None = None
    for cand in chosen:
        timex = Timex(cand.start, cand.end, text[cand.start : cand.end], cand.spec)
        timex.resolved = resolve(
            cand.spec, anchor, reference, tense(key, cand.start, cand.end, sentences), lx.recent_window_days
        )
        if timex.resolved is not None and cand.spec.granularity != "recent":
            reference = timex.resolved
        found.append(timex)
    _check_weekdays(found, sentences)
    return found
