"""What the words around a name say: sentence starts, titles and honorifics before it, a locative
preposition before a capital, and whether a one-word name is really part of a longer one."""

from __future__ import annotations

import re

from dossier.ner.lexicon import Lexicon, ends_with
from dossier.ner.tokens import Token, is_vietnamese_syllable

# Punctuation after which the next word is written with a capital whatever it is.
_OPENS_SENTENCE = re.compile(r"[.!?:;\n\"“”‘'(\[«»…•*#|>]")


def initial_tokens(text: str, tokens: list[Token]) -> set[int]:
    """Indices of tokens that begin a sentence, a line, or a quotation (capitalised by position)."""
    out: set[int] = {0} if tokens else set()
    for i in range(1, len(tokens)):
        if _OPENS_SENTENCE.search(text, tokens[i - 1].end, tokens[i].start):
            out.add(i)
    return out


def spaced(text: str, left: Token, right: Token) -> bool:
    """Only spaces between two tokens."""
    gap = text[left.end : right.start]
    return bool(gap) and gap.strip(" \t\u00a0") == ""


def words_before(tokens: list[Token], first: int, n: int) -> list[str]:
    """The exact keys of up to ``n`` tokens before token ``first``, in text order."""
    return [t.exact for t in tokens[max(0, first - n) : first]]


def title_before(tokens: list[Token], first: int, lex: Lexicon) -> int:
    """How many tokens before ``first`` form an honorific or a person title (0 if none)."""
    before = words_before(tokens, first, 4)
    return max(ends_with(before, lex.honorifics), ends_with(before, lex.person_titles))


def locative_before(tokens: list[Token], first: int, lex: Lexicon) -> bool:
    """Whether a place preposition (``tại``, ``ở``, ``đến``) comes right before token ``first``."""
    return ends_with(words_before(tokens, first, 3), lex.locatives) > 0


def starts_compound(tokens: list[Token], first: int, lex: Lexicon) -> bool:
    """Whether the token at ``first`` and the lower-case words after it form a common word
    (``Kim loại``, ``Pháp luật``)."""
    for n in (2, 3, 4):
        if first + n > len(tokens):
            break
        words = tokens[first : first + n]
        if any(t.upper for t in words[1:]):
            break
        if tuple(t.exact for t in words) in lex.compounds:
            return True
    return False


def glued_to_name(
    text: str,
    tokens: list[Token],
    first: int,
    last: int,
    initial: set[int],
    covered: set[int],
    vietnamese_only: bool,
    lex: Lexicon | None = None,
) -> bool:
    """Whether the name at tokens ``[first, last)`` sits inside a longer run of capitalised words
    that the KB does not know (``Thúy Nga``, ``Kim Dong-yup``), so that it is part of another name.

    A neighbour counts when only spaces separate it (``Putin-Kim`` is a pair), it starts with a
    capital, it is not part of another KB name (``covered``), and the word before is not capitalised
    only because it starts a sentence, nor a title or its field (``Mr Putin``, ``Bộ trưởng Quốc
    Phòng Nga``). With ``vietnamese_only`` only Vietnamese-shaped neighbours
    count (``Nga Vladimir Putin`` is a state and a name, ``Thúy Nga`` a name).
    """
    if first > 0:
        prev = tokens[first - 1]
        if (
            spaced(text, prev, tokens[first])
            and not (lex and _ends_title(tokens, first, lex))
            and prev.upper
            and not prev.text[0].isdigit()
            and first - 1 not in covered
            and first - 1 not in initial
            and (not vietnamese_only or is_vietnamese_syllable(prev.text))
        ):
            return True
    if last < len(tokens) and last not in initial:
        nxt = tokens[last]
        gap = text[tokens[last - 1].end : nxt.start]
        if (
            gap in (" ", "\u00a0")
            and nxt.upper
            and not nxt.text[0].isdigit()
            and last not in covered
            and (not vietnamese_only or is_vietnamese_syllable(nxt.text))
        ):
            return True
    return False


def _ends_title(tokens: list[Token], first: int, lex: Lexicon) -> bool:
    before = words_before(tokens, first, 4)
    return any(
        ends_with(before, entries) for entries in (lex.honorifics, lex.person_titles, lex.title_fields)
    )
