"""What a match of a time pattern says: each handler turns a match into a :class:`Spec`, or refuses
it after looking around it (``lần thứ hai`` is not Monday, ``2000 binh sĩ`` is not a year). Matches
run on the matching key of the text (tone placement folded, lower case; same offsets), and the
original text is kept at hand for what case tells (``tháng Năm`` is May, ``tháng năm`` rarely is).
The patterns themselves are in :mod:`dossier.timex.grammar`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from dossier.timex.lexicon import Lexicon, alternation, lexicon
from dossier.timex.spec import Spec
from dossier.vi.text import match_key


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


@cache
def word_key(word: str) -> str:
    """The matching key of a word (cached)."""
    return match_key(word)


@cache
def _word_at(words: tuple[str, ...], end: bool) -> re.Pattern[str] | None:
    """One regex for "one of ``words`` as a whole word" at the end (or the start) of a text."""
    if not words:
        return None
    body = "|".join(re.escape(word_key(w)).replace(r"\ ", r"\s+") for w in words)
    return re.compile(r"(?<!\w)(?:" + body + r")$" if end else r"(?:" + body + r")(?!\w)")


def _ends_with_word(text: str, words: Sequence[str]) -> bool:
    """Whether ``text`` ends with one of ``words`` as a whole word (spaces allowed after it)."""
    pattern = _word_at(tuple(words), True)
    return pattern is not None and pattern.search(text.rstrip(" ,(")) is not None


def _starts_with_word(text: str, words: Sequence[str]) -> bool:
    pattern = _word_at(tuple(words), False)
    return pattern is not None and pattern.match(text.lstrip()) is not None


@cache
def pieces() -> dict[str, str]:
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


@cache
def _count_before() -> re.Pattern[str]:
    """A count (digits or a number word) right before a unit: "hai năm trước" is read as a count."""
    return re.compile(r"(?:\d|" + pieces()["num_word"] + r")\s*$")


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


def date_dmy(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    day, month, year = int(m["d"]), int(m["m"]), int(m["y"])
    if not _valid_day(day, month) or not 1000 <= year <= 2200:
        return None
    spec = Spec("date-dmy", "day", year=year, month=month, day=day, weekday=_claimed_weekday(m, lx))
    if m["d1"] and int(m["d1"]) < day:
        spec.end, spec.day = Spec("date-dmy", "day", year=year, month=month, day=day), int(m["d1"])
    return spec


def date_text(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    day, month = int(m["d"]), lx.month(m["m"])
    if month is None or not _valid_day(day, month):
        return None
    if m["m"] == word_key("năm") and not (m["y"] or m["yrel"]):
        return None
    year, offset = _year_words(m, lx)
    spec = Spec("date-text", "day", year=year, month=month, day=day, year_offset=offset)
    spec.weekday = _claimed_weekday(m, lx)
    return spec


def date_dm(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    day, month = int(m["d"]), int(m["m"])
    if not _valid_day(day, month):
        return None
    if not m["pre"].strip():
        return None  # "1/4" alone is a fraction as often as a date
    spec = Spec("date-dm", "day", month=month, day=day, weekday=_claimed_weekday(m, lx))
    if m["d1"] and int(m["d1"]) < day:
        spec.end, spec.day = Spec("date-dm", "day", month=month, day=day), int(m["d1"])
    return spec


def month(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
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
        if year is None and offset is None and (name == word_key("năm") and not written[:1].isupper()):
            return None
        if _starts_with_word(t.after(m.end()), ("lần", "lượt", "ngày", "tuần")):
            return None
    direction = None
    if m["dir"]:
        direction = lx.unit_offsets.get(" ".join(m["dir"].split()))
        direction = None if direction is None else (1 if direction > 0 else -1)
    return Spec(
        "month", "month", year=year, month=month, year_offset=offset, part=_part(m, lx), direction=direction
    )


def unit_shift(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    unit = lx.units.get(" ".join(m["unit"].split()))
    off = " ".join((m["off"] or "").split())
    part = _part(m, lx)
    if unit is None or unit == "day":
        return None
    if not off and part is None:
        return None
    before = t.before(m.start())
    # "những năm qua", "nhiều tháng trước": a stretch of time, not one unit
    if _ends_with_word(before, ("những", "các", "nhiều", "mấy", "vài", "bao", "chục", "hàng")):
        return None
    if _count_before().search(before) and off and not part:
        return None  # "hai năm trước" is a count, read by the count pattern
    if off in (word_key("trước đó"), word_key("sau đó"), word_key("đó")):
        shift = {word_key("trước đó"): -1, word_key("sau đó"): 1, word_key("đó"): 0}[off]
        return Spec("unit-ref", unit, shift_unit=unit, shift=shift, from_reference=True, part=part)
    shift = lx.unit_offsets.get(off, 0) if off else 0
    if off == word_key("qua") and unit == "year" and _ends_with_word(before, ("trong", "suốt")):
        return None  # "trong năm qua": the past twelve months
    return Spec("unit-shift", unit, shift_unit=unit, shift=shift, part=part)


def count_shift(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    n = _count(lx, m["n"])
    unit = lx.units.get(" ".join(m["unit"].split()))
    if n is None or unit is None or n > 5000:
        return None
    direction = " ".join((m["dir"] or "").split())
    before = t.before(m.start())
    if _ends_with_word(before, ("hơn", "gần", "khoảng", "chừng", "ngót", "suốt", "trong")):
        return None  # an approximate or a stretch of time: no single date
    if m["ago"]:
        return Spec("count-ago", unit, shift_unit=unit, shift=-n)
    if direction in (word_key("trước"), word_key("về trước")):
        if _ends_with_word(before, ("sau",)) or _starts_with_word(t.after(m.end()), lx.before_event_words):
            return None  # "một ngày trước cuộc duyệt binh": before an event, not before the anchor
        return Spec("count-ago", unit, shift_unit=unit, shift=-n)
    if direction == word_key("trước đó"):
        return Spec("count-ref", unit, shift_unit=unit, shift=-n, from_reference=True)
    if direction in (word_key("sau"), word_key("sau đó")):
        if _ends_with_word(before, ("sau", "trong")):
            return None
        return Spec("count-ref", unit, shift_unit=unit, shift=n, from_reference=True)
    if direction == word_key("nữa"):
        return Spec("count-ahead", unit, shift_unit=unit, shift=n, direction=1)
    return None


def next_day(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    word = " ".join(m["w"].split())
    shift = 1 if word.endswith(word_key("sau")) else -1
    return Spec("day-ref", "day", shift_unit="day", shift=shift, from_reference=True)


def relative_day(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    if m["rd"]:
        return Spec(
            "relative-day", "day", shift_unit="day", shift=lx.relative_days[" ".join(m["rd"].split())]
        )
    shift = lx.day_part_offsets.get(" ".join(m["off"].split()))
    if shift is None:
        return None
    if m["off"] == word_key("mai") and t.original[m.start("off") : m.start("off") + 1].isupper():
        return None  # "sáng Mai": a name
    return Spec("relative-day", "day", shift_unit="day", shift=shift)


def weekday(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
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
        if not day_word[:1].isupper() or any(ch.isdigit() for ch in written) or name == word_key("cn"):
            return None
    week = " ".join((m["wk"] or "").split())
    week_offset, direction = None, None
    if week.startswith(word_key("tuần")):
        week_offset = lx.unit_offsets.get(" ".join(week.split()[1:]), 0)
    elif week:
        step = lx.unit_offsets.get(week, 0)
        direction = 1 if step > 0 else -1 if step < 0 else None
        week_offset = 0 if step == 0 else None
    return Spec("weekday", "day", weekday=weekday, week_offset=week_offset, direction=direction)


def year(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
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


def decade(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
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


def century(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    if m["off"]:
        shift = lx.unit_offsets.get(" ".join(m["off"].split()))
        return None if shift is None else Spec("century", "century", shift_unit="century", shift=shift)
    raw = m["c"]
    number = int(raw) if raw.isdigit() else lx.roman_value(raw)
    if number is None or not 1 <= number <= 22:
        return None
    return Spec("century", "century", century=number - 1, part=_part(m, lx))


def quarter(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    if m["off"]:
        shift = lx.unit_offsets.get(" ".join(m["off"].split()))
        return None if shift is None else Spec("quarter", "quarter", shift_unit="quarter", shift=shift)
    quarter = lx.quarter_words.get(" ".join(m["q"].split()))
    if quarter is None:
        return None
    year, offset = _year_words(m, lx)
    return Spec("quarter", "quarter", quarter=quarter, year=year, year_offset=offset)


def recent(m: re.Match[str], t: Text, lx: Lexicon) -> Spec | None:
    before = t.before(m.start())
    units = ("năm", "thập niên", "thập kỷ", "tháng", "tuần", "ngày")
    places = ("ở", "tại", "khu vực", "nơi", "vùng", "chỗ", "từ")
    if _ends_with_word(before, units + places):
        return None
    return Spec("recent", "recent")
