"""Text → tokens with offsets and the keys names are compared by.

A token is a run of letters and digits (a Vietnamese syllable, a foreign word, a number); everything
else separates tokens. Each token carries two keys computed once per text: ``exact`` (tone placement
folded, lower case: ``Hoà``/``hòa`` compare equal) and ``loose`` (no diacritics at all: ``ha noi``),
both length-preserving, so offsets found in a key are offsets in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dossier.vi.text import fold, fold_tone_placement, has_vietnamese_letters

TOKEN = re.compile(r"[^\W_]+")
# What may stand between two tokens of one name: a space, a hyphen, a dot, an apostrophe or quote
# (no comma, no line break): "Kim Jong-un", "U.S.", "D.C.", "hiệp ước “đối tác chiến lược”".
JOINER = re.compile(r"[ \t\u00a0\-\u2010\u2011'’‘“”\".·]{1,3}")
DASH_PAIR = re.compile(r"\s*[-\u2010\u2011\u2013\u2014]\s*")
# A Vietnamese syllable: onset, vowel nucleus (with its glide) and a final from the closed set.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ng|nh|ch|[cmnpt])?"
)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    exact: str
    loose: str

    @property
    def upper(self) -> bool:
        """Starts with a capital letter (or a digit, as model names do: ``38 North``)."""
        return self.text[0].isupper() or self.text[0].isdigit()

    @property
    def all_caps(self) -> bool:
        return self.text.isupper() and len(self.text) > 1


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is shaped like one Vietnamese syllable (``Nga``, ``Nhưỡng``, ``Kim``), as
    opposed to a foreign word (``Putin``, ``Jong``)."""
    low = word.lower()
    if has_vietnamese_letters(low):
        return True
    return bool(_SYLLABLE.fullmatch(fold(low)))


def tokenize(text: str) -> list[Token]:
    """Every token of ``text`` with its offsets and keys."""
    exact = fold_tone_placement(text).lower()
    loose = fold(text)
    if len(exact) != len(text) or len(loose) != len(text):  # text that is not NFC: keys per token
        return [
            Token(m.start(), m.end(), m.group(), fold_tone_placement(m.group()).lower(), fold(m.group()))
            for m in TOKEN.finditer(text)
        ]
    return [
        Token(m.start(), m.end(), m.group(), exact[m.start() : m.end()], loose[m.start() : m.end()])
        for m in TOKEN.finditer(text)
    ]


def joined(text: str, left: Token, right: Token) -> bool:
    """Whether two neighbouring tokens may belong to one name (only a joiner between them)."""
    return right.start > left.end and bool(JOINER.fullmatch(text, left.end, right.start))


def key_tokens(name: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[bool, ...]]:
    """A name's exact keys, loose keys, and which of its tokens start upper-case."""
    toks = tokenize(name)
    return (
        tuple(t.exact for t in toks),
        tuple(t.loose for t in toks),
        tuple(t.text[0].isupper() for t in toks),
    )
