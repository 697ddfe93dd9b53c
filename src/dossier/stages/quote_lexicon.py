"""The word lists that frame reported speech (``vi/data/speech.yaml``) and claims
(``vi/data/claims.yaml``), loaded once and compiled into matchers over a text's matching key.

A *key* is :func:`dossier.vi.text.match_key` of the text: lower case with the tone marks in one
canonical place, the same length as the NFC text, so offsets found in the key are offsets in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

import yaml

from dossier.vi.text import match_key

_WORD = re.compile(r"\w")
_NEVER = re.compile(r"(?!)")
_WORDS = re.compile(r"\w+")


def alternation(keys: list[str]) -> str:
    r"""A regex body that matches what ``(?<!\w)(?:k1|k2|…)`` matches (the keys tried in this order) but
    dispatches on the first character: one branch per first character, each checking the word
    boundary after it, so that a position whose character opens no phrase is rejected at once instead
    of being tried against every phrase."""
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(k[0], []).append(re.escape(k[1:]).replace(r"\ ", r"\s+"))
    # (?<!\w.) right after the first character is (?<!\w) before it
    return "|".join(
        re.escape(first) + r"(?<!\w.)(?:" + "|".join(rests) + ")" for first, rests in groups.items()
    )


@dataclass(frozen=True)
class Phrases:
    """A set of words or phrases matched as whole words in a key, longest first."""

    words: frozenset[str]
    pattern: re.Pattern[str] | None
    word_initial: bool = False  # every phrase begins with a word character
    # ``starts(key, at)``: the longest phrase that starts exactly at ``at`` (the pattern's own match,
    # called directly: it is the most frequent question the speech stages ask)
    starts: Callable[..., re.Match[str] | None] = field(default=_NEVER.match, compare=False, repr=False)
    endings: tuple[str, ...] = ()  # the last words of the phrases: one of them ends any occurrence

    @classmethod
    def of(cls, items: list[str]) -> Phrases:
        keys = sorted({match_key(i).strip() for i in items if i.strip()}, key=len, reverse=True)
        if not keys:
            return cls(frozenset(), None)
        initial = all(_WORD.match(k) for k in keys)
        pattern = re.compile(rf"(?:{alternation(keys)})(?!\w)")
        endings = tuple(sorted({k.split()[-1] for k in keys}))
        return cls(frozenset(keys), pattern, initial, pattern.match, endings)

    def finditer(self, key: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
        """Every non-overlapping occurrence in ``key[start:end]`` (offsets are offsets in ``key``)."""
        if self.pattern is None:
            return []
        return list(self.pattern.finditer(key, start, len(key) if end is None else end))

    def opens_a_word(self, text: str) -> bool:
        """Whether a phrase starts where one of the words (runs of ``\\w``) of ``text`` starts."""
        if self.pattern is None:
            return False
        if self.word_initial:
            # a phrase that begins with a word character can only match where a word starts
            return self.pattern.search(text) is not None
        return any(self.pattern.match(text, m.start()) for m in _WORDS.finditer(text))

    def ends_before(self, key: str, at: int) -> re.Match[str] | None:
        """The longest phrase that ends at ``at`` (only whitespace between it and ``at``)."""
        if self.pattern is None:
            return None
        head = at  # the end of key[:at].rstrip(), found without copying the prefix
        while head > 0 and key[head - 1].isspace():
            head -= 1
        if not key.endswith(self.endings, 0, head):
            return None  # no phrase can end there
        best = None
        for m in self.pattern.finditer(key, max(0, head - 40), head):
            if m.end() == head and (best is None or m.start() < best.start()):
                best = m
        return best

    def __contains__(self, phrase: str) -> bool:
        return match_key(phrase).strip() in self.words


@dataclass(frozen=True)
class SpeechLexicon:
    speech_verbs: Phrases
    not_verb_after: Phrases
    complementizers: Phrases
    source_markers: Phrases
    pronouns: Phrases
    honorifics: Phrases
    clause_openers: Phrases
    adverbial_openers: Phrases
    role_any: Phrases
    role_modifiers: Phrases
    term_cues: Phrases
    classifiers: Phrases
    not_indirect: Phrases
    genitive_links: Phrases
    predicate_starters: Phrases
    role_kind: dict[str, str]  # role key -> leader | voice | official | person

    @cached_property
    def leader_words(self) -> frozenset[str]:
        """The first words of the leaders' roles."""
        return frozenset(role.split()[0] for role, kind in self.role_kind.items() if kind == "leader")

    def role_of(self, phrase: str) -> str | None:
        return self.role_kind.get(match_key(phrase).strip())


def _data(name: str) -> dict[str, Any]:
    text = resources.files("dossier.vi").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def speech_lexicon() -> SpeechLexicon:
    """The speech lexicon, read from the package data once per process."""
    data = _data("speech.yaml")
    role_kind = {match_key(word).strip(): kind for kind, words in data["roles"].items() for word in words}
    plain = {
        name: Phrases.of(data[name])
        for name in (
            "speech_verbs",
            "not_verb_after",
            "complementizers",
            "source_markers",
            "pronouns",
            "honorifics",
            "clause_openers",
            "adverbial_openers",
            "role_modifiers",
            "term_cues",
            "classifiers",
            "not_indirect",
            "genitive_links",
            "predicate_starters",
        )
    }
    return SpeechLexicon(role_any=Phrases.of(list(role_kind)), role_kind=role_kind, **plain)


@cache
def claim_data() -> dict[str, Any]:
    """The raw claim lexicon (triggers and proposition frames), read once per process."""
    return _data("claims.yaml")
