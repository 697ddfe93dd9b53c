"""The patterns of Vietnamese time expressions, each with the handler that turns its matches into a
:class:`Spec` (:mod:`dossier.timex.handlers`) and the cores that tell where it can match
(:mod:`dossier.timex.scan`). Patterns run on the matching key of the text (tone placement folded,
lower case; same offsets); :func:`candidates` returns what every pattern accepted, overlaps included.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from dossier.timex import handlers as h
from dossier.timex.lexicon import alternation, lexicon
from dossier.timex.scan import Windows
from dossier.timex.spec import Spec
from dossier.vi.text import fold_tone_placement, match_key

_NUM_END = r"(?![\w]|[/.\-–]\d)"
_NUM_START = r"(?<![\w/.\-–])"
_WORD_START = r"(?<!\w)"
_WORD_END = r"(?!\w)"


@dataclass
class Candidate:
    start: int
    end: int
    spec: Spec


# -- the patterns --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A pattern, the handler that turns its matches into specs, and its cores: regexes one of which
    every match the handler accepts contains (:mod:`dossier.timex.scan`)."""

    pattern: re.Pattern[str]
    handler: h.Handler
    cores: tuple[re.Pattern[str], ...]


def _tails(*lists: tuple[list[str], str]) -> tuple[str, ...]:
    """Cores for words (each list's words followed by its regex): the ends of the words from their
    first letter with a diacritic on (``ăm`` of ``năm``, ``ứ\\s+hai`` of ``thứ hai``; a word without
    one whole), one core per first letter of an end. Every occurrence of a word holds its end, and a
    core that opens with a literal lets the regex engine jump from one occurrence of it to the next."""
    groups: dict[str, set[str]] = defaultdict(set)
    for words, then in lists:
        for word in map(h.word_key, words):  # the ends of keys: a key's tone mark is on its run's last vowel
            at = next((i for i, ch in enumerate(word) if not ch.isascii()), 0)
            end = word[at:].strip()
            first = re.escape(end[0])
            groups[first].add(alternation([end])[len(first) :] + then)
    return tuple(
        first + "(?:" + "|".join(sorted(rests, key=len, reverse=True)) + ")"
        for first, rests in groups.items()
    )


@cache
def patterns() -> list[Rule]:
    p = h.pieces()
    day_prefix = (
        rf"(?P<pre>(?:(?:{p['day_part']})\s+)?(?:(?:hôm|ngày|bữa)\s+)?"
        rf"(?:(?P<pwd>{p['weekday']})\s*[,(]?\s*|(?:{p['rel_day']})\s*[,(]?\s*)?"
        rf"(?:(?:hôm|ngày|mùng|mồng)\s+)?|\(\s*)"
    )
    month_word = rf"(?P<m>\d{{1,2}}|{p['month_name']})"
    year_rel = r"nay|ngoái|trước|sau|tới|kia"
    units = r"ngày|tuần\s+lễ|tuần|tháng|năm|thập\s+niên|thập\s+kỷ|thế\s+kỷ"
    count = rf"(?P<n>\d{{1,4}}|(?:{p['num_word']})(?:\s+(?:{p['num_word']})){{0,2}})"
    unit_off = rf"trước\s+đó|sau\s+đó|đó|{p['unit_off']}"
    unit_words = ["ngày", "tuần lễ", "tuần", "tháng", "năm", "thập niên", "thập kỷ", "thế kỷ"]
    lx = lexicon()
    month = rf"tháng\s+(?:\d|{p['month_name']})"
    parts = (["đầu", "giữa", "cuối"], rf"\s+(?:{units})")
    # (pattern, handler, cores)
    raw: list[tuple[str, h.Handler, tuple[str, ...]]] = [
        (
            rf"{_NUM_START}{day_prefix}(?:(?P<d1>\d{{1,2}})\s*(?:-|–|và|đến|tới)\s*)?(?P<d>\d{{1,2}})\s*"
            rf"(?P<s>[/.\-])\s*(?P<m>\d{{1,2}})\s*(?P=s)\s*(?P<y>\d{{4}}){_NUM_END}",
            h.date_dmy,
            tuple(rf"{sep}\s*\d{{1,2}}\s*[/.\-]\s*\d{{4}}" for sep in ("/", r"\.", "-")),
        ),
        (
            rf"{_NUM_START}{day_prefix}(?P<d>\d{{1,2}})\s+tháng\s+{month_word}"
            rf"(?:\s*(?:năm\s+|,\s*|/\s*)?(?P<y>\d{{4}})|\s+năm\s+(?P<yrel>{year_rel}))?{_NUM_END}",
            h.date_text,
            (month,),
        ),
        (
            rf"{_NUM_START}{day_prefix}(?:(?P<d1>\d{{1,2}})\s*(?:-|–|và|đến|tới)\s*)?(?P<d>\d{{1,2}})"
            rf"(?P<sep>[/.])(?P<m>\d{{1,2}}){_NUM_END}\)?",
            h.date_dm,
            (r"/\d", r"\.\d"),
        ),
        (
            rf"{_WORD_START}(?:(?P<part>đầu|giữa|cuối)\s+)?tháng\s+{month_word}"
            rf"(?:\s*[/.\-]\s*(?P<y>\d{{4}})|\s*,?\s+năm\s+(?P<y2>\d{{4}})|\s+(?P<y3>\d{{4}})"
            rf"|\s+năm\s+(?P<yrel>{year_rel})|\s+(?P<dir>vừa\s+qua|tới|này|qua))?{_NUM_END}",
            h.month,
            (month,),
        ),
        (
            rf"{_WORD_START}(?:(?P<part>đầu|giữa|cuối)\s+)?(?P<unit>{units})"
            rf"(?:\s+(?P<off>{unit_off}))?{_WORD_END}",
            h.unit_shift,
            # the handler wants a part (đầu năm) or a direction (năm ngoái)
            _tails(parts, (unit_words, rf"\s+(?:{unit_off})")),
        ),
        (
            rf"{_WORD_START}(?:(?P<ago>cách\s+đây)\s+)?{count}\s+(?P<unit>{units})"
            rf"(?:\s+(?P<dir>trước\s+đó|sau\s+đó|về\s+trước|trước|sau|nữa))?{_WORD_END}",
            h.count_shift,
            # the handler wants "cách đây" or a direction after the unit
            (r"cách\s+đây", *_tails((unit_words, r"\s+(?:trước|sau|về\s+trước|nữa)"))),
        ),
        (
            rf"{_WORD_START}(?P<w>(?:ngày\s+)?hôm\s+sau|(?:ngày\s+)?hôm\s+trước\s+đó){_WORD_END}",
            h.next_day,
            (r"hôm\s+(?:sau|trước)",),
        ),
        (
            rf"{_WORD_START}(?:(?:{p['day_part']})\s+)?(?P<rd>{p['rel_day']}){_WORD_END}"
            rf"|{_WORD_START}(?:{p['day_part']})\s+(?P<off>{p['day_part_off']}){_WORD_END}",
            h.relative_day,
            _tails((list(lx.relative_days), ""), (lx.day_parts, rf"\s+(?:{p['day_part_off']})")),
        ),
        (
            rf"{_WORD_START}(?P<pre>(?:(?:{p['day_part']})\s+)?(?:hôm|ngày|bữa)\s+|(?:{p['day_part']})\s+)?"
            rf"(?P<wd>{p['weekday']})"
            rf"(?:\s+(?P<wk>tuần\s+(?:trước\s+nữa|{p['unit_off']})|tới|này|vừa\s+qua|trước))?{_WORD_END}",
            h.weekday,
            _tails((list(lx.weekdays), "")),
        ),
        (
            rf"{_NUM_START}(?:(?P<part>đầu|giữa|cuối)\s+)?(?:(?P<season>{p['season']})\s+)?(?P<kw>năm\s+)?"
            rf"(?P<y>\d{{4}})(?:\s*(?:-|–|—|đến|tới|cho\s+đến)\s*(?:năm\s+)?(?P<y2>\d{{4}}))?{_NUM_END}",
            h.year,
            (r"\d{4}",),
        ),
        (
            rf"{_WORD_START}(?:(?P<part>đầu|giữa|cuối)\s+)?(?:thập\s+niên|thập\s+kỷ|những\s+năm|các\s+năm)\s+"
            rf"(?P<y>\d{{4}}|\d{{2}})s?(?:\s*(?:-|–)\s*(?P<y2>\d{{4}}))?{_NUM_END}",
            h.decade,
            _tails((["thập niên", "thập kỷ", "những năm", "các năm"], r"\s+\d")),
        ),
        (
            rf"{_WORD_START}(?:(?P<part>đầu|giữa|cuối)\s+)?thế\s+kỷ\s+(?:(?:thứ\s+)?(?P<c>\d{{1,2}}|[xvi]+)"
            rf"|(?P<off>trước|này|tới|sau)){_WORD_END}",
            h.century,
            (r"thế\s+kỷ\s",),
        ),
        (
            rf"{_WORD_START}quý\s+(?:(?P<q>{p['quarter']})(?:\s*(?:/|-|năm)\s*(?P<y>\d{{4}})"
            rf"|\s+năm\s+(?P<yrel>{year_rel}))?|(?P<off>này|trước|tới|sau)){_WORD_END}",
            h.quarter,
            (r"quý\s",),
        ),
        (rf"{_WORD_START}(?:thời\s+gian\s+)?(?:{p['recent']}){_WORD_END}", h.recent, _tails((lx.recent, ""))),
    ]
    # the patterns are written with today's tone placement; the key folds it the same way
    compiled: dict[str, re.Pattern[str]] = {}  # one object per core, for Windows to scan it once
    return [
        Rule(
            re.compile(fold_tone_placement(pattern)),
            handler,
            tuple(compiled.setdefault(core, re.compile(fold_tone_placement(core))) for core in cores),
        )
        for pattern, handler, cores in raw
    ]


def trimmed(key: str, start: int, end: int) -> tuple[int, int]:
    """A match's span without the opening bracket and spaces it starts with, and without a closing
    bracket it ends with that it does not open."""
    while start < end and key[start] in "( ":
        start += 1
    if key[end - 1] == ")" and "(" not in key[start : end - 1]:
        end -= 1
    return start, end


def candidates(original: str, key: str | None = None) -> Iterator[Candidate]:
    """Every accepted match of every pattern in ``original`` (overlapping ones included), pattern by
    pattern, each in text order. ``key`` is ``match_key(original)`` when the caller has it."""
    text = h.Text(original, match_key(original) if key is None else key)
    lx = lexicon()
    windows = Windows(text.key)
    for rule in patterns():
        pattern, handler = rule.pattern, rule.handler
        for lo, hi, last in windows.holding(rule.cores):
            for m in pattern.finditer(text.key, lo, hi):
                if m.start() >= last:
                    break  # this match and those after it hold no occurrence of a core
                spec = handler(m, text, lx)
                if spec is None:
                    continue
                yield Candidate(*trimmed(text.key, m.start(), m.end()), spec)
