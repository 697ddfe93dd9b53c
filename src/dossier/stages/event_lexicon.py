"""The word lists of the events stage (``vi/data/event_triggers.yaml``), read once: the trigger words
of each event type, the modal words, the clause openers and the other lists the rules of
:mod:`dossier.stages.event_extract` read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from dossier.timex.lexicon import alternation, word_start_alternation
from dossier.timex.word_lists import WordLists, words_pattern
from dossier.vi.text import match_key


@dataclass(frozen=True)
class Lexicon:
    triggers: list[tuple[re.Pattern[str], str, bool]]  # (pattern, type, strong)
    # the trigger lists, then the modal words, the subordinators and the verbs of movement (visit before a
    # place named): one scan per sentence
    sentence_words: WordLists
    priority: dict[str, int]
    modal: re.Pattern[str]
    modal_window: int
    background: re.Pattern[str]
    participant_types: frozenset[str]
    place_types: frozenset[str]
    lead_sentences: int
    other_kinds: dict[str, re.Pattern[str]]
    sequence_subordinators: re.Pattern[str]
    clause_openers: re.Pattern[str]
    unjoinable: frozenset[str]
    first_in_years: re.Pattern[str]
    place_nouns: re.Pattern[str]
    phrase_chars: int


def _words(words: list[str]) -> re.Pattern[str]:
    return words_pattern([match_key(w) for w in words])


@cache
def lexicon() -> Lexicon:
    """The trigger words and the rules' word lists, read once from the package data."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("dossier.vi").joinpath("data/event_triggers.yaml").read_text(encoding="utf-8")
    )
    triggers, word_lists = [], []
    for kind, lists in raw["types"].items():
        for strength in ("strong", "weak"):
            if lists.get(strength):
                triggers.append((_words(lists[strength]), kind, strength == "strong"))
                word_lists.append([match_key(w) for w in lists[strength]])
    word_lists += [
        [match_key(w) for w in raw[name]] for name in ("modal", "subordinators", "visit_before_name")
    ]
    return Lexicon(
        triggers=triggers,
        sentence_words=WordLists(word_lists, {len(word_lists) - 1: r"\s+(?=\w)"}),
        priority={kind: i for i, kind in enumerate(raw["priority"])},
        modal=_words(raw["modal"]),
        modal_window=int(raw["modal_window"]),
        background=_words(raw["background"]),
        participant_types=frozenset(raw["participant_types"]),
        place_types=frozenset(raw["place_types"]),
        lead_sentences=int(raw["lead_sentences"]),
        other_kinds={kind: _words(words) for kind, words in raw["other_kinds"].items()},
        sequence_subordinators=_words(raw["sequence_subordinators"]),
        clause_openers=_words(raw["subordinators"] + raw["clause_openers"]),
        unjoinable=frozenset(raw["unjoinable"]),
        first_in_years=re.compile(
            r"(?:"
            + word_start_alternation([match_key(w) for w in raw["first_in_years"]["first"]])
            + r")(?!\w)"
            + r"[^.;:]{0,"
            + str(int(raw["first_in_years"]["gap_chars"]))
            + r"}?(?<!\w)(?:"
            + alternation([match_key(w) for w in raw["first_in_years"]["since"]])
            + r")\s+(\d{1,3})\s+năm(?!\s+(?:tới|nữa|sau))"
        ),
        phrase_chars=int(raw["phrase_chars"]),
        place_nouns=re.compile(
            r"(?:" + word_start_alternation([match_key(w) for w in raw["place_nouns"]]) + r")\s+$"
        ),
    )
