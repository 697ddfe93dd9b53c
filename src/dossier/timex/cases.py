"""Scoring the tagger on a set of written cases (``tests/data/timex_cases.yaml``): one sentence, its
anchor, the expression as written and the value it must get (or none). Used by the tests and by
``benchmarks/timex_dateparser.py``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from dossier.timex.tagger import Timex, tag
from dossier.timex.values import Anchor


@dataclass(frozen=True)
class Case:
    sentence: str
    anchor: str | None
    expression: str
    value: str | None
    granularity: str | None
    value_end: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        start = self.sentence.find(self.expression)
        if start < 0:
            raise ValueError(f"{self.expression!r} is not in {self.sentence!r}")
        return start, start + len(self.expression)


def load_cases(path: str | Path) -> list[Case]:
    """The cases of a YAML file (see the file's header for the fields)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))

    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return [
        Case(
            sentence=c["s"],
            anchor=text(c["a"]),
            expression=str(c["x"]),
            value=text(c["v"]),
            granularity=text(c.get("g")),
            value_end=text(c.get("e")),
        )
        for c in raw
    ]


def answer(case: Case) -> Timex | None:
    """The tagger's resolved expression overlapping the case's expression, if any."""
    start, end = case.span
    for timex in tag(case.sentence, Anchor.parse(case.anchor)):
        if timex.value is not None and timex.start < end and start < timex.end:
            return timex
    return None


def correct(case: Case, got: Timex | None) -> bool:
    """Right value and granularity (and range end) — or no value where none is due."""
    if case.value is None:
        return got is None
    if got is None:
        return False
    if (got.value, got.granularity) != (case.value, case.granularity):
        return False
    return case.value_end is None or got.value_end == case.value_end
