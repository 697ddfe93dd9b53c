"""The recogniser's and linker's word lists (``ner/data/lexicon.yaml``), loaded once, as key sets."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from dossier.vi.text import match_key


def _keys(words: list[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(match_key(w).split()) for w in words if w.strip())


@dataclass(frozen=True)
class Lexicon:
    honorifics: frozenset[tuple[str, ...]]
    person_titles: frozenset[tuple[str, ...]]
    org_heads: frozenset[tuple[str, ...]]
    place_heads: frozenset[tuple[str, ...]]
    locatives: frozenset[tuple[str, ...]]
    vietnamese_surnames: frozenset[str]
    korean_surnames: frozenset[str]
    compounds: frozenset[tuple[str, ...]]
    title_fields: frozenset[tuple[str, ...]]
    org_suffixes: frozenset[str]
    clause_words: frozenset[str]
    initial_ambiguous: frozenset[str]

    @property
    def longest(self) -> int:
        """The most words any multi-word entry has."""
        sets = (self.honorifics, self.person_titles, self.org_heads, self.place_heads, self.locatives)
        return max(len(k) for s in sets for k in s)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged word lists."""
    text = resources.files("dossier.ner").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe
    return Lexicon(
        honorifics=_keys(data["honorifics"]),
        person_titles=_keys(data["person_titles"]),
        org_heads=_keys(data["org_heads"]),
        place_heads=_keys(data["place_heads"]),
        locatives=_keys(data["locatives"]),
        vietnamese_surnames=frozenset(match_key(w) for w in data["surnames"]["vietnamese"]),
        korean_surnames=frozenset(match_key(w) for w in data["surnames"]["korean"]),
        compounds=_keys(data["compounds"]),
        title_fields=_keys(data["title_fields"]),
        org_suffixes=frozenset(match_key(w) for w in data["org_suffixes"]),
        clause_words=frozenset(match_key(w) for w in data["clause_words"]),
        initial_ambiguous=frozenset(match_key(w) for w in data["initial_ambiguous"]),
    )


def ends_with(words: list[str], entries: frozenset[tuple[str, ...]]) -> int:
    """The length of the longest entry that ``words`` (exact keys, in text order) ends with, or 0."""
    if not words or words[-1] not in last_words(entries):
        return 0
    best = 0
    for n in range(1, min(len(words), 4) + 1):
        if tuple(words[-n:]) in entries:
            best = n
    return best


@lru_cache(maxsize=256)
def first_words(entries: frozenset[tuple[str, ...]]) -> frozenset[str]:
    """The first words of a word list's entries: a word outside it starts no entry."""
    return frozenset(e[0] for e in entries if e)


@lru_cache(maxsize=256)
def last_words(entries: frozenset[tuple[str, ...]]) -> frozenset[str]:
    """The last words of a word list's entries: a word outside it ends no entry."""
    return frozenset(e[-1] for e in entries if e)
