"""The Vietnamese time words (``vi/data/time_words.yaml``), loaded once and turned into regex pieces.

Every word is stored as its matching key (NFC, tone placement folded, lower case) so that patterns run
on :func:`dossier.vi.text.match_key` of the text, which has the text's offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from dossier.vi.text import match_key


def _key(word: object) -> str:
    return match_key(str(word))


def alternation(words: list[str]) -> str:
    """A regex alternation of the words, longest first, spaces matching any run of spaces."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


def word_start_alternation(words: list[str]) -> str:
    r"""``(?<!\w)(?:`` :func:`alternation` ``)``, the same matches written so that the regex engine can
    skip ahead to the words' first letters: a branch per first letter, the word-start check right
    after that letter (``c(?<!\w[\s\S])`` is ``(?<!\w)c``), then that letter's words in the same
    order. A pattern that opens with a look-behind is tried at every position of the text."""
    ordered = sorted({w for w in words if w.split()}, key=len, reverse=True)
    groups: dict[str, list[str]] = {}
    for w in ordered:
        parts = w.split()
        rest = re.escape(parts[0][1:]) + "".join(r"\s+" + re.escape(part) for part in parts[1:])
        groups.setdefault(parts[0][0], []).append(rest)
    return "|".join(
        re.escape(first) + r"(?<!\w[\s\S])(?:" + "|".join(rests) + ")" for first, rests in groups.items()
    )


@dataclass(frozen=True)
class Lexicon:
    numbers: dict[str, int]
    months: dict[str, int]
    weekdays: dict[str, int]
    weekday_context: list[str]
    ordinal_nouns: list[str]
    relative_days: dict[str, int]
    day_parts: list[str]
    day_part_offsets: dict[str, int]
    unit_offsets: dict[str, int]
    units: dict[str, str]
    unit_parts: dict[str, str]
    future_markers: list[str]
    past_markers: list[str]
    year_context: list[str]
    quantity_nouns: list[str]
    seasons: list[str]
    quarter_words: dict[str, int]
    roman: dict[str, int]
    recent: list[str]
    before_event_words: list[str]
    recent_window_days: int

    def number(self, text: str) -> int | None:
        """A count written in digits or words (``3``, ``ba``, ``mười hai``, ``bảy mươi``), or None."""
        text = " ".join(text.split())
        if text.isdigit():
            return int(text)
        parts = text.split()
        values = [self.numbers.get(p) for p in parts]
        if not parts or any(v is None for v in values):
            return None
        nums = [v for v in values if v is not None]
        if len(nums) == 1:
            return nums[0]
        if parts[0] == _key("mười"):  # mười hai = 12
            return 10 + sum(nums[1:]) if len(nums) == 2 else None
        if len(nums) in (2, 3) and parts[1] == _key("mươi"):  # bảy mươi (lăm) = 70 (75)
            return nums[0] * 10 + (nums[2] if len(nums) == 3 else 0)
        return None

    def month(self, text: str) -> int | None:
        text = " ".join(text.split())
        if text.isdigit():
            value = int(text)
            return value if 1 <= value <= 12 else None
        return self.months.get(text)

    def roman_value(self, text: str) -> int | None:
        total, previous = 0, 0
        for ch in reversed(text.lower()):
            value = self.roman.get(ch)
            if value is None:
                return None
            total = total - value if value < previous else total + value
            previous = max(previous, value)
        return total or None


@cache
def lexicon() -> Lexicon:
    """The time words, read from the package data once per process."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("dossier.vi").joinpath("data/time_words.yaml").read_text(encoding="utf-8")
    )

    def mapping(name: str) -> dict[str, Any]:
        return {_key(k): v for k, v in raw[name].items()}

    def words(name: str) -> list[str]:
        return [_key(w) for w in raw[name]]

    return Lexicon(
        numbers=mapping("numbers"),
        months=mapping("months"),
        weekdays=mapping("weekdays"),
        weekday_context=words("weekday_context"),
        ordinal_nouns=words("ordinal_nouns"),
        relative_days=mapping("relative_days"),
        day_parts=words("day_parts"),
        day_part_offsets=mapping("day_part_offsets"),
        unit_offsets=mapping("unit_offsets"),
        units=mapping("units"),
        unit_parts=mapping("unit_parts"),
        future_markers=words("future_markers"),
        past_markers=words("past_markers"),
        year_context=words("year_context"),
        quantity_nouns=words("quantity_nouns"),
        seasons=words("seasons"),
        quarter_words=mapping("quarter_words"),
        roman={str(k): int(v) for k, v in raw["roman"].items()},
        recent=words("recent"),
        before_event_words=words("before_event_words"),
        recent_window_days=int(raw["recent_window_days"]),
    )
