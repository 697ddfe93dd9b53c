"""What the words around a name say: sentence starts, titles and honorifics before it, a locative
preposition before a capital, and whether a one-word name is really part of a longer one."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress, islice

from dossier.ner.lexicon import Lexicon, ends_with, first_words, last_words
from dossier.ner.tokens import Tokens

# Punctuation after which the next word is written with a capital whatever it is.
_OPENS_SENTENCE = re.compile(r"[.!?:;\n\"“”‘'(\[«»…•*#|>]")


def initial_tokens(text: str, tokens: Tokens) -> set[int]:
    """Indices of tokens that begin a sentence, a line, or a quotation (capitalised by position);
    ``tokens`` are :func:`~dossier.ner.tokens.tokenize`'s of ``text``."""
    if not tokens:
        return set()
    out = set(compress(range(1, len(tokens)), map(_opens, islice(tokens.gaps, 1, None))))
    out.add(0)
    return out


@lru_cache(maxsize=4096)
def _opens(gap: str) -> bool:
    return _OPENS_SENTENCE.search(gap) is not None


def _spaced(gap: str) -> bool:
    """Only spaces (at least one) between two tokens."""
    return bool(gap) and gap.strip(" \t\u00a0") == ""


def words_before(tokens: Tokens, first: int, n: int) -> list[str]:
    """The exact keys of up to ``n`` tokens before token ``first``, in text order."""
    return [t.exact for t in tokens[max(0, first - n) : first]]


def title_before(tokens: Tokens, first: int, lex: Lexicon) -> int:
    """How many tokens before ``first`` form an honorific or a person title (0 if none)."""
    before = words_before(tokens, first, 4)
    return max(ends_with(before, lex.honorifics), ends_with(before, lex.person_titles))


def locative_before(tokens: Tokens, first: int, lex: Lexicon) -> bool:
    """Whether a place preposition (``tại``, ``ở``, ``đến``) comes right before token ``first``."""
    return ends_with(words_before(tokens, first, 3), lex.locatives) > 0


def starts_compound(tokens: Tokens, first: int, lex: Lexicon) -> bool:
    """Whether the token at ``first`` and the lower-case words after it form a common word
    (``Kim loại``, ``Pháp luật``)."""
    if tokens[first].exact not in first_words(lex.compounds):
        return False
    key = (tokens[first].exact,)
    for k in range(first + 1, min(first + 4, len(tokens))):
        if tokens[k].upper:
            break
        key += (tokens[k].exact,)
        if key in lex.compounds:
            return True
    return False


def glued_to_name(
    text: str,
    tokens: Tokens,
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
            prev.upper
            and (not vietnamese_only or prev.viet)
            and first - 1 not in covered
            and first - 1 not in initial
            and not prev.text[0].isdigit()
            and _spaced(tokens.gaps[first])
            and not (lex and _ends_title(tokens, first, lex))
        ):
            return True
    if last < len(tokens) and last not in initial:
        nxt = tokens[last]
        if (
            tokens.gaps[last] in (" ", "\u00a0")
            and nxt.upper
            and not nxt.text[0].isdigit()
            and last not in covered
            and (not vietnamese_only or nxt.viet)
        ):
            return True
    return False


def _ends_title(tokens: Tokens, first: int, lex: Lexicon) -> bool:
    lists = (lex.honorifics, lex.person_titles, lex.title_fields)
    if not any(tokens[first - 1].exact in last_words(entries) for entries in lists):
        return False
    before = words_before(tokens, first, 4)
    return any(ends_with(before, entries) for entries in lists)
