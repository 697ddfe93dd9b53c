"""The patterns of Vietnamese time expressions, each turning a match into a :class:`Spec`.

Patterns run on the matching key of the text (tone placement folded, lower case; same offsets), and
the original text is kept at hand for what case tells (``tháng Năm`` is May, ``tháng năm`` rarely is).
A pattern may refuse a match after looking around it (``lần thứ hai`` is not Monday, ``2000 binh sĩ``
is not a year); :func:`candidates` returns what every pattern accepted, overlaps included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from dossier.timex.lexicon import Lexicon, alternation, lexicon
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


@dataclass(frozen=True)
class Text:
    original: str
    key: str

    def before(self, pos: int, chars: int = 30) -> str:
        """The key text just before ``pos``, on the same line."""
        head = self.key[max(0, pos - chars) : pos]
        return head.rsplit("\n", 1)[-1]

    def after(self, pos: int, chars: int = 30) -> str:
        return self.key[pos : pos + chars].split("\n", 1)[0]


def _k(word: str) -> str:
    return match_key(word)


def _ends_with_word(text: str, words: list[str]) -> bool:
    """Whether ``text`` ends with one of ``words`` as a whole word (spaces allowed after it)."""
    stripped = text.rstrip(" ,(")
    return any(re.search(r"(?<!\w)" + re.escape(w).replace(r"\ ", r"\s+") + r"$", stripped) for w in words)


def _starts_with_word(text: str, words: list[str]) -> bool:
    stripped = text.lstrip()
    return any(re.match(re.escape(w).replace(r"\ ", r"\s+") + r"(?!\w)", stripped) for w in words)


@cache
def _pieces() -> dict[str, str]:
    lx = lexicon()
    months = [m for m in lx.months if not m.isdigit()]
    return {
        "month_name": alternation(months),
        "num_word": alternation(list(lx.numbers)),
        "weekday": alternation(list(lx.weekdays)),
        "rel_day": alternation(list(lx.relative_days)),
        "day_part": alternation(lx.day_parts),
        "day_part_off": alternation(list(lx.day_part_offsets)),
        "unit_off": alternation(list(lx.unit_offsets)),
        "quarter": alternation(list(lx.quarter_words)),
        "recent": alternation(lx.recent),
        "season": alternation(lx.seasons),
    }


def _count(lx: Lexicon, text: str | None) -> int | None:
    return lx.number(text) if text else None


Handler = Callable[[re.Match[str], Text, Lexicon], Spec | None]


def _year_words(m: re.Match[str], lx: Lexicon) -> tuple[int | None, int | None]:
    """(year, year offset) from the groups ``y`` (digits) and ``yrel`` (nay, ngoái …)."""
    year = int(m["y"]) if m.groupdict().get("y") else None
    rel = m.groupdict().get("yrel")
    return year, (lx.unit_offsets.get(" ".join(rel.split())) if rel else None)


def _part(m: re.Match[str], lx: Lexicon) -> str | None:
    part = m.groupdict().get("part")
    return lx.unit_parts.get(part) if part else None


def _valid_day(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)


# -- handlers ------------------------------------------------------------------------------------------


def _claimed_weekday(m: re.Match[str], lx: Lexicon) -> int | None:
    """The weekday written just before a date ("hôm thứ Ba 12/09"), checked later against the date."""
    name = m.groupdict().get("pwd")
    return lx.weekdays.get(" ".join(name.split())) if name else None


def _date_dmy(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    day, month, year = int(m["d"]), int(m["m"]), int(m["y"])
    if not _valid_day(day, month) or not 1000 <= year <= 2200:
        return None
    spec = Spec("date-dmy", "day", year=year, month=month, day=day, weekday=_claimed_weekday(m, lx))
    if m["d1"] and int(m["d1"]) < day:
        spec.end, spec.day = Spec("date-dmy", "day", year=year, month=month, day=day), int(m["d1"])
    return spec


def _date_text(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    day, month = int(m["d"]), lx.month(m["m"])
    if month is None or not _valid_day(day, month):
        return None
    if m["m"] == _k("năm") and not (m["y"] or m["yrel"]):
        return None
    year, offset = _year_words(m, lx)
    spec = Spec("date-text", "day", year=year, month=month, day=day, year_offset=offset)
    spec.weekday = _claimed_weekday(m, lx)
    return spec


def _date_dm(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    day, month = int(m["d"]), int(m["m"])
    if not _valid_day(day, month):
        return None
    if not m["pre"].strip():
        return None  # "1/4" alone is a fraction as often as a date
    spec = Spec("date-dm", "day", month=month, day=day, weekday=_claimed_weekday(m, lx))
    if m["d1"] and int(m["d1"]) < day:
        spec.end, spec.day = Spec("date-dm", "day", month=month, day=day), int(m["d1"])
    return spec


def _month(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    name = " ".join(m["m"].split())
    month = lx.month(name)
    if month is None:
        return None
    year = int(m["y"] or m["y2"] or m["y3"] or 0) or None
    rel = m["yrel"]
    offset = lx.unit_offsets.get(" ".join(rel.split())) if rel else None
    if not name.isdigit() and lx.numbers.get(name) is not None:
        # a number word after tháng: May only when capitalised or followed by a year ("tháng Năm",
        # "tháng năm 2020"); "tháng một lần" is "once a month"
        written = t.original[m.start("m") : m.end("m")]
        if year is None and offset is None and (name == _k("năm") and not written[:1].isupper()):
            return None
        if _starts_with_word(t.after(m.end()), [_k("lần"), _k("lượt"), _k("ngày"), _k("tuần")]):
            return None
    direction = None
    if m["dir"]:
        direction = lx.unit_offsets.get(" ".join(m["dir"].split()))
        direction = None if direction is None else (1 if direction > 0 else -1)
    return Spec(
        "month", "month", year=year, month=month, year_offset=offset, part=_part(m, lx), direction=direction
    )


def _unit_shift(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    unit = lx.units.get(" ".join(m["unit"].split()))
    off = " ".join((m["off"] or "").split())
    part = _part(m, lx)
    if unit is None or unit == "day":
        return None
    if not off and part is None:
        return None
    before = t.before(m.start())
    # "những năm qua", "nhiều tháng trước": a stretch of time, not one unit
    if _ends_with_word(
        before, [_k(w) for w in ("những", "các", "nhiều", "mấy", "vài", "bao", "chục", "hàng")]
    ):
        return None
    if re.search(r"(?:\d|" + _pieces()["num_word"] + r")\s*$", before) and off and not part:
        return None  # "hai năm trước" is a count, read by the count pattern
    if off in (_k("trước đó"), _k("sau đó"), _k("đó")):
        shift = {_k("trước đó"): -1, _k("sau đó"): 1, _k("đó"): 0}[off]
        return Spec("unit-ref", unit, shift_unit=unit, shift=shift, from_reference=True, part=part)
    shift = lx.unit_offsets.get(off, 0) if off else 0
    if off == _k("qua") and unit == "year" and _ends_with_word(before, [_k("trong"), _k("suốt")]):
        return None  # "trong năm qua": the past twelve months
    return Spec("unit-shift", unit, shift_unit=unit, shift=shift, part=part)


def _count_shift(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    n = _count(lx, m["n"])
    unit = lx.units.get(" ".join(m["unit"].split()))
    if n is None or unit is None or n > 5000:
        return None
    direction = " ".join((m["dir"] or "").split())
    before = t.before(m.start())
    if _ends_with_word(before, [_k(w) for w in ("hơn", "gần", "khoảng", "chừng", "ngót", "suốt", "trong")]):
        return None  # an approximate or a stretch of time: no single date
    if m["ago"]:
        return Spec("count-ago", unit, shift_unit=unit, shift=-n)
    if direction in (_k("trước"), _k("về trước")):
        if _ends_with_word(before, [_k("sau")]) or _starts_with_word(t.after(m.end()), lx.before_event_words):
            return None  # "một ngày trước cuộc duyệt binh": before an event, not before the anchor
        return Spec("count-ago", unit, shift_unit=unit, shift=-n)
    if direction == _k("trước đó"):
        return Spec("count-ref", unit, shift_unit=unit, shift=-n, from_reference=True)
    if direction in (_k("sau"), _k("sau đó")):
        if _ends_with_word(before, [_k("sau"), _k("trong")]):
            return None
        return Spec("count-ref", unit, shift_unit=unit, shift=n, from_reference=True)
    if direction == _k("nữa"):
        return Spec("count-ahead", unit, shift_unit=unit, shift=n, direction=1)
    return None


def _next_day(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    word = " ".join(m["w"].split())
    shift = 1 if word.endswith(_k("sau")) else -1
    return Spec("day-ref", "day", shift_unit="day", shift=shift, from_reference=True)


def _relative_day(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    if m["rd"]:
        return Spec(
            "relative-day", "day", shift_unit="day", shift=lx.relative_days[" ".join(m["rd"].split())]
        )
    shift = lx.day_part_offsets.get(" ".join(m["off"].split()))
    if shift is None:
        return None
    if m["off"] == _k("mai") and t.original[m.start("off") : m.start("off") + 1].isupper():
        return None  # "sáng Mai": a name
    return Spec("relative-day", "day", shift_unit="day", shift=shift)


def _weekday(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    name = " ".join(m["wd"].split())
    weekday = lx.weekdays.get(name)
    if weekday is None:
        return None
    before = t.before(m.start())
    has_prefix = bool(m["pre"])
    written = t.original[m.start("wd") : m.end("wd")]
    if _ends_with_word(before, lx.ordinal_nouns) and not has_prefix:
        return None
    if not has_prefix and not _ends_with_word(before, lx.weekday_context):
        # without a day word before it, a weekday must be written with a capital ("thứ Tư")
        day_word = written.split()[-1]
        if not day_word[:1].isupper() or any(ch.isdigit() for ch in written) or name == _k("cn"):
            return None
    week = " ".join((m["wk"] or "").split())
    week_offset, direction = None, None
    if week.startswith(_k("tuần")):
        week_offset = lx.unit_offsets.get(" ".join(week.split()[1:]), 0)
    elif week:
        step = lx.unit_offsets.get(week, 0)
        direction = 1 if step > 0 else -1 if step < 0 else None
        week_offset = 0 if step == 0 else None
    return Spec("weekday", "day", weekday=weekday, week_offset=week_offset, direction=direction)


def _year(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    year = int(m["y"])
    if not 1000 <= year <= 2200:
        return None
    year2 = int(m["y2"]) if m["y2"] else None
    part = _part(m, lx)
    after = t.after(m.end())
    if not (m["kw"] or part or m["season"] or year2):
        before = t.before(m.start())
        if not _ends_with_word(before, lx.year_context) and not re.search(r"[(,]\s*$", before):
            return None
        if _starts_with_word(after, lx.quantity_nouns):
            return None
        if not 1800 <= year <= 2100:
            return None
    if year2 is not None and not year < year2 <= year + 200:
        return None
    spec = Spec("year", "year", year=year, part=part)
    if year2:
        spec.end = Spec("year", "year", year=year2)
    return spec


def _decade(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    digits = m["y"]
    value = int(digits)
    if value % 10:
        return None
    spec = Spec("decade", "decade", part=_part(m, lx))
    if len(digits) == 4:
        spec.decade = value // 10
    else:
        spec.decade2 = value
    if m["y2"] and len(m["y2"]) == 4 and int(m["y2"]) % 10 == 0:
        spec.end = Spec("decade", "decade", decade=int(m["y2"]) // 10)
    return spec


def _century(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    if m["off"]:
        shift = lx.unit_offsets.get(" ".join(m["off"].split()))
        return None if shift is None else Spec("century", "century", shift_unit="century", shift=shift)
    raw = m["c"]
    number = int(raw) if raw.isdigit() else lx.roman_value(raw)
    if number is None or not 1 <= number <= 22:
        return None
    return Spec("century", "century", century=number - 1, part=_part(m, lx))


def _quarter(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    if m["off"]:
        shift = lx.unit_offsets.get(" ".join(m["off"].split()))
        return None if shift is None else Spec("quarter", "quarter", shift_unit="quarter", shift=shift)
    quarter = lx.quarter_words.get(" ".join(m["q"].split()))
    if quarter is None:
        return None
    year, offset = _year_words(m, lx)
    return Spec("quarter", "quarter", quarter=quarter, year=year, year_offset=offset)


def _recent(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    before = t.before(m.start())
    units = [_k(w) for w in ("năm", "thập niên", "thập kỷ", "tháng", "tuần", "ngày")]
    places = [_k(w) for w in ("ở", "tại", "khu vực", "nơi", "vùng", "chỗ", "từ")]
    if _ends_with_word(before, units + places):
        return None
    return Spec("recent", "recent")


# -- the patterns --------------------------------------------------------------------------------------


@cache
def patterns() -> list[tuple[re.Pattern[str], Handler]]:
    p = _pieces()
    day_prefix = (
        rf"(?P<pre>(?:(?:{p['day_part']})\s+)?(?:(?:hôm|ngày|bữa)\s+)?"
        rf"(?:(?P<pwd>{p['weekday']})\s*[,(]?\s*|(?:{p['rel_day']})\s*[,(]?\s*)?"
        rf"(?:(?:hôm|ngày|mùng|mồng)\s+)?|\(\s*)"
    )
    month_word = rf"(?P<m>\d{{1,2}}|{p['month_name']})"
    year_rel = r"nay|ngoái|trước|sau|tới|kia"
    units = r"ngày|tuần\s+lễ|tuần|tháng|năm|thập\s+niên|thập\s+kỷ|thế\s+kỷ"
    count = rf"(?P<n>\d{{1,4}}|(?:{p['num_word']})(?:\s+(?:{p['num_word']})){{0,2}})"
    raw: list[tuple[str, Handler]] = [
        (
            rf"{_NUM_START}{day_prefix}(?:(?P<d1>\d{{1,2}})\s*(?:-|–|và|đến|tới)\s*)?(?P<d>\d{{1,2}})\s*"
            rf"(?P<s>[/.\-])\s*(?P<m>\d{{1,2}})\s*(?P=s)\s*(?P<y>\d{{4}}){_NUM_END}",
            _date_dmy,
        ),
        (
            rf"{_NUM_START}{day_prefix}(?P<d>\d{{1,2}})\s+tháng\s+{month_word}"
            rf"(?:\s*(?:năm\s+|,\s*|/\s*)?(?P<y>\d{{4}})|\s+năm\s+(?P<yrel>{year_rel}))?{_NUM_END}",
            _date_text,
        ),
        (
            rf"{_NUM_START}{day_prefix}(?:(?P<d1>\d{{1,2}})\s*(?:-|–|và|đến|tới)\s*)?(?P<d>\d{{1,2}})"
            rf"(?P<sep>[/.])(?P<m>\d{{1,2}}){_NUM_END}\)?",
            _date_dm,
        ),
        (
            rf"{_WORD_START}(?:(?P<part>đầu|giữa|cuối)\s+)?tháng\s+{month_word}"
            rf"(?:\s*[/.\-]\s*(?P<y>\d{{4}})|\s*,?\s+năm\s+(?P<y2>\d{{4}})|\s+(?P<y3>\d{{4}})"
            rf"|\s+năm\s+(?P<yrel>{year_rel})|\s+(?P<dir>vừa\s+qua|tới|này|qua))?{_NUM_END}",
            _month,
        ),
        (
            rf"{_WORD_START}(?:(?P<part>đầu|giữa|cuối)\s+)?(?P<unit>{units})"
            rf"(?:\s+(?P<off>trước\s+đó|sau\s+đó|đó|{p['unit_off']}))?{_WORD_END}",
            _unit_shift,
        ),
        (
            rf"{_WORD_START}(?:(?P<ago>cách\s+đây)\s+)?{count}\s+(?P<unit>{units})"
            rf"(?:\s+(?P<dir>trước\s+đó|sau\s+đó|về\s+trước|trước|sau|nữa))?{_WORD_END}",
            _count_shift,
        ),
        (rf"{_WORD_START}(?P<w>(?:ngày\s+)?hôm\s+sau|(?:ngày\s+)?hôm\s+trước\s+đó){_WORD_END}", _next_day),
        (
            rf"{_WORD_START}(?:(?:{p['day_part']})\s+)?(?P<rd>{p['rel_day']}){_WORD_END}"
            rf"|{_WORD_START}(?:{p['day_part']})\s+(?P<off>{p['day_part_off']}){_WORD_END}",
            _relative_day,
        ),
        (
            rf"{_WORD_START}(?P<pre>(?:(?:{p['day_part']})\s+)?(?:hôm|ngày|bữa)\s+|(?:{p['day_part']})\s+)?"
            rf"(?P<wd>{p['weekday']})"
            rf"(?:\s+(?P<wk>tuần\s+(?:trước\s+nữa|{p['unit_off']})|tới|này|vừa\s+qua|trước))?{_WORD_END}",
            _weekday,
        ),
        (
            rf"{_NUM_START}(?:(?P<part>đầu|giữa|cuối)\s+)?(?:(?P<season>{p['season']})\s+)?(?P<kw>năm\s+)?"
            rf"(?P<y>\d{{4}})(?:\s*(?:-|–|—|đến|tới|cho\s+đến)\s*(?:năm\s+)?(?P<y2>\d{{4}}))?{_NUM_END}",
            _year,
        ),
        (
            rf"{_WORD_START}(?:(?P<part>đầu|giữa|cuối)\s+)?(?:thập\s+niên|thập\s+kỷ|những\s+năm|các\s+năm)\s+"
            rf"(?P<y>\d{{4}}|\d{{2}})s?(?:\s*(?:-|–)\s*(?P<y2>\d{{4}}))?{_NUM_END}",
            _decade,
        ),
        (
            rf"{_WORD_START}(?:(?P<part>đầu|giữa|cuối)\s+)?thế\s+kỷ\s+(?:(?:thứ\s+)?(?P<c>\d{{1,2}}|[xvi]+)"
            rf"|(?P<off>trước|này|tới|sau)){_WORD_END}",
            _century,
        ),
        (
            rf"{_WORD_START}quý\s+(?:(?P<q>{p['quarter']})(?:\s*(?:/|-|năm)\s*(?P<y>\d{{4}})"
            rf"|\s+năm\s+(?P<yrel>{year_rel}))?|(?P<off>này|trước|tới|sau)){_WORD_END}",
            _quarter,
        ),
        (rf"{_WORD_START}(?:thời\s+gian\s+)?(?:{p['recent']}){_WORD_END}", _recent),
    ]
    # the patterns are written with today's tone placement; the key folds it the same way
    return [(re.compile(fold_tone_placement(pattern)), handler) for pattern, handler in raw]


def candidates(original: str) -> Iterator[Candidate]:
    """Every accepted match of every pattern in ``original`` (overlapping ones included)."""
    text = Text(original, match_key(original))
    lx = lexicon()
    for pattern, handler in patterns():
        for m in pattern.finditer(text.key):
            spec = handler(m, text, lx)
            if spec is None:
                continue
            start, end = m.start(), m.end()
            while start < end and text.key[start] in "( ":
                start += 1
            if text.key[end - 1] == ")" and "(" not in text.key[start : end - 1]:
                end -= 1
            yield Candidate(start, end, spec)
