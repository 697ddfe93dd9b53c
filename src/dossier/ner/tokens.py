"""Text → tokens with offsets and the keys names are compared by.

A token is a run of letters and digits (a Vietnamese syllable, a foreign word, a number); everything
else separates tokens. Each token carries two keys: ``exact`` (tone placement folded, lower case:
``Hoà``/``hòa`` compare equal) and ``loose`` (no diacritics at all: ``ha noi``), both
length-preserving, so offsets found in a key are offsets in the text, and its shape flags.

Keys and flags are functions of the word alone, so a :class:`Token` is made once per distinct word
and shared; where a token stands (its offsets, and the separator before it,
which the name rules look at) is kept by :class:`Tokens`, the list of a text's tokens.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate

from dossier.vi.text import fold, fold_tone_placement, has_vietnamese_letters

TOKEN = re.compile(r"[^\W_]+")
_SPLIT = re.compile(r"([^\W_]+)")  # separators and tokens, alternating
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


class Token:
    """A token's word: its text, keys and shape flags (where it stands is in :class:`Tokens`).
    One object per distinct word is shared by all its tokens, so it compares by identity."""

    __slots__ = ("text", "exact", "loose", "cap", "upper", "viet")

    def __init__(self, text: str, exact: str, loose: str, cap: bool, upper: bool, viet: bool) -> None:
        self.text = text
        self.exact = exact
        self.loose = loose
        self.cap = cap  # starts with a capital letter
        self.upper = upper  # starts with a capital letter or a digit, as model names do: ``38 North``
        self.viet = viet  # shaped like one Vietnamese syllable (:func:`is_vietnamese_syllable`)

    @property
    def all_caps(self) -> bool:
        return self.text.isupper() and len(self.text) > 1

    def _replace(self, **changes: str | bool) -> Token:
        """A copy with some fields changed (a masked word, a key read from the whole text)."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        fields.update(changes)
        return Token(**fields)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"Token({self.text!r}, exact={self.exact!r}, loose={self.loose!r})"


class Tokens(list[Token]):
    """The tokens of one text, in order, with where each stands: ``starts[i]``/``ends[i]`` are
    token ``i``'s offsets and ``gaps[i]`` the characters before it (after the previous token, or from
    the text's start)."""

    __slots__ = ("starts", "ends", "gaps")

    starts: list[int]
    ends: list[int]
    gaps: list[str]

    def with_words(self, words: list[Token]) -> Tokens:
        """Other words at the same places (``words`` as many as the tokens)."""
        out = Tokens(words)
        out.starts, out.ends, out.gaps = self.starts, self.ends, self.gaps
        return out


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is shaped like one Vietnamese syllable (``Nga``, ``Nhưỡng``, ``Kim``), as
    opposed to a foreign word (``Putin``, ``Jong``)."""
    low = word.lower()
    if has_vietnamese_letters(low):
        return True
    return bool(_SYLLABLE.fullmatch(fold(low)))


class _Words(dict[str, Token]):
    """Token texts → their :class:`Token`, made on first sight (a dict, not an lru_cache: a lookup
    per token of every text must stay cheap)."""

    def __missing__(self, word: str) -> Token:
        if len(self) >= _MAX_WORDS:
            self.clear()
        first = word[0]
        cap = first.isupper()
        tok = self[word] = Token(
            word,
            fold_tone_placement(word).lower(),
            fold(word),
            cap,
            cap or first.isdigit(),
            is_vietnamese_syllable(word),
        )
        return tok


_MAX_WORDS = 1 << 16  # distinct words kept (a few thousand make most of news text; bounds the memory)
_WORDS = _Words()


def tokenize(text: str) -> Tokens:
    """Every token of ``text`` with its offsets, keys, flags and the separator before it."""
    parts = _SPLIT.split(text)  # [gap, token, gap, token, ..., gap]
    pos = list(accumulate(map(len, parts), initial=0))
    tokens = Tokens(map(_WORDS.__getitem__, parts[1::2]))
    tokens.starts, tokens.ends, tokens.gaps = pos[1:-1:2], pos[2::2], parts[0:-1:2]
    if "Σ" in text:
        # lower() writes a capital sigma by what follows it, across token bounds: the text's keys
        exact = fold_tone_placement(text).lower()
        if len(exact) == len(text):
            tokens = tokens.with_words(
                [
                    t._replace(exact=exact[s:e])
                    for t, s, e in zip(tokens, tokens.starts, tokens.ends, strict=True)
                ]
            )
    return tokens


@lru_cache(maxsize=4096)
def joiner(gap: str) -> bool:
    """Whether the separator ``gap`` may stand between two tokens of one name."""
    return bool(gap) and bool(JOINER.fullmatch(gap))


@lru_cache(maxsize=65536)
def key_tokens(name: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[bool, ...]]:
    """A name's exact keys, loose keys, and which of its tokens start upper-case."""
    toks = tokenize(name)
    return (
        tuple(t.exact for t in toks),
        tuple(t.loose for t in toks),
        tuple(t.cap for t in toks),
    )
