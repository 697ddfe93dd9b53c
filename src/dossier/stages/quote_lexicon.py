"""The word lists that frame reported speech (``vi/data/speech.yaml``) and claims
(``vi/data/claims.yaml``), loaded once and compiled into matchers over a text's matching key.

A *key* is :func:`dossier.vi.text.match_key` of the text: lower case with the tone marks in one
canonical place, the same length as the NFC text, so offsets found in the key are offsets in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from dossier.vi.text import match_key


@dataclass(frozen=True)
class Phrases:
    """A set of words or phrases matched as whole words in a key, longest first."""

    words: frozenset[str]
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, items: list[str]) -> Phrases:
        keys = sorted({match_key(i).strip() for i in items if i.strip()}, key=len, reverse=True)
        if not keys:
            return cls(frozenset(), None)
        body = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
        return cls(frozenset(keys), re.compile(rf"(?<!\w)(?:{body})(?!\w)"))

    def finditer(self, key: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
        """Every non-overlapping occurrence in ``key[start:end]`` (offsets are offsets in ``key``)."""
        if self.pattern is None:
            return []
        return list(self.pattern.finditer(key, start, len(key) if end is None else end))

    def starts(self, key: str, at: int = 0) -> re.Match[str] | None:
        """The longest phrase that starts exactly at ``at``."""
        return self.pattern.match(key, at) if self.pattern is not None else None

    def ends_before(self, key: str, at: int) -> re.Match[str] | None:
        """The longest phrase that ends at ``at`` (only whitespace between it and ``at``)."""
        if self.pattern is None:
            return None
        head = key[:at].rstrip()
        best = None
        for m in self.pattern.finditer(head, max(0, len(head) - 40)):
            if m.end() == len(head) and (best is None or m.start() < best.start()):
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
