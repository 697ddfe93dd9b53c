"""The word lists the question answerer reads (``dossier/ask/data/*.yaml``), loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from dossier.vi.text import match_key

WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of a text as match keys (NFC, tone placement folded, lower case)."""
    return WORD.findall(match_key(text))


@dataclass(frozen=True)
class Lexicon:
    kinds: dict[str, dict[str, list[tuple[str, ...]]]]  # kind → language → phrases (as word tuples)
    stopwords: dict[str, frozenset[str]]
    passive: dict[str, frozenset[str]]
    place_prepositions: dict[str, frozenset[str]]
    place_stops: dict[str, frozenset[str]]
    subject_trim: dict[str, list[tuple[str, ...]]]
    date_patterns: list[re.Pattern[str]]
    number_patterns: list[re.Pattern[str]]
    glossary: dict[tuple[str, ...], list[str]]  # English phrase (words) → Vietnamese variants


def _load(name: str) -> dict[str, object]:
    text = resources.files("dossier.ask").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _per_language(value: object) -> dict[str, frozenset[str]]:
    assert isinstance(value, dict)
    return {lang: frozenset(match_key(str(w)) for w in items) for lang, items in value.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    q = _load("questions.yaml")
    glossary_raw = _load("glossary.yaml")
    kinds = {
        kind: {
            lang: sorted((tuple(words(p)) for p in phrases), key=len, reverse=True)
            for lang, phrases in langs.items()
        }
        for kind, langs in q["kinds"].items()  # type: ignore[union-attr]
    }
    trim = {
        lang: sorted((tuple(words(p)) for p in items), key=len, reverse=True)
        for lang, items in q["subject_trim"].items()  # type: ignore[union-attr]
    }
    return Lexicon(
        kinds=kinds,
        stopwords=_per_language(q["stopwords"]),
        passive=_per_language(q["passive"]),
        place_prepositions=_per_language(q["place_prepositions"]),
        place_stops=_per_language(q["place_stops"]),
        subject_trim=trim,
        date_patterns=[re.compile(p, re.IGNORECASE) for p in q["date_patterns"]],  # type: ignore[union-attr]
        number_patterns=[re.compile(p, re.IGNORECASE) for p in q["number_patterns"]],  # type: ignore[union-attr]
        glossary={tuple(words(str(k))): [str(v) for v in vs] for k, vs in glossary_raw.items()},  # type: ignore[union-attr]
    )
