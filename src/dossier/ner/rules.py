"""Names the knowledge base lacks, found by their shape: runs of capitalised words, typed by the
words around them (a title or honorific before a person, an organisation head such as ``Trung tâm``
or ``Viện`` at the start of an organisation, a place word before a place, a company word at the end).

These rules label the text the statistical recogniser (:mod:`dossier.ner.crf`) learns from, and
stand in for it when its model file is missing.
"""

from __future__ import annotations

from itertools import compress
from operator import attrgetter

from dossier.ner.lexicon import Lexicon, ends_with, first_words
from dossier.ner.link import Candidate
from dossier.ner.tokens import Token, Tokens

_CAP = attrgetter("cap")

_MAX_LOWER_RUN = 6
# Lower-case words that may sit inside a foreign name ("Ursula von der Leyen").
_NAME_PARTICLES = frozenset({"von", "van", "der", "de", "da", "bin", "al", "el", "la", "du", "le", "ibn"})


def capitalised_runs(text: str, tokens: Tokens, taken: set[int]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised words joined by a space or a hyphen, none of them in ``taken``;
    a lower-case part after a hyphen belongs to the name (``Kim Dong-yup``, ``Komsomolsk-on-Amur``)."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(tokens)
    for start in compress(range(n), map(_CAP, tokens)):
        if start < i or start in taken:
            continue
        j = start + 1
        while j < n and j not in taken:
            nxt = tokens[j]
            if not _continues(tokens.gaps[j], nxt, tokens[j + 1] if j + 1 < n else None):
                break
            j += 1
        runs.append((start, j))
        i = j
    return runs


def _continues(gap: str, nxt: Token, after: Token | None) -> bool:
    """Whether ``nxt`` continues a capitalised run across ``gap``."""
    if gap in (" ", "\u00a0", "-") and _capital(nxt):
        return True
    if gap == "-" and nxt.text.isalpha() and len(nxt.text) <= 6:
        return True
    return gap == " " and nxt.exact in _NAME_PARTICLES and after is not None and _capital(after)


def _capital(tok: Token) -> bool:
    return tok.cap


def org_spans(text: str, tokens: Tokens, taken: set[int], lex: Lexicon) -> list[tuple[int, int]]:
    """Organisation names written the Vietnamese way: a capitalised head (``Trung tâm``, ``Viện``),
    then components that each start with a capital (``Nghiên cứu Xung đột``), possibly with a few
    lower-case words between them; a person title that starts the same way (``Bộ trưởng``) is not a
    head, and a field alone (``Bộ Ngoại giao``) is not a name."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(tokens)
    heads = first_words(lex.org_heads)
    for start in compress(range(n), map(_CAP, tokens)):
        if start < i or start in taken or tokens[start].exact not in heads:
            continue
        head = _head_at(tokens, start, lex.org_heads)
        if not head or _head_at(tokens, start, lex.person_titles) >= head:
            continue
        j = end = start + head
        tail = 0  # lower-case words since the last capital: kept only if a capital follows
        while j < n and j not in taken and len(tokens.gaps[j]) == 1:
            tok, prev = tokens[j], tokens[j - 1]
            if tok.cap:
                tail, end = 0, j + 1
            elif tail == 0 and end == j and j > start + head and prev.cap and prev.viet:
                end = j + 1  # the second syllable of a capitalised word ("Nghiên cứu")
            elif tail < _MAX_LOWER_RUN and tok.exact not in lex.clause_words:
                tail += 1
            else:
                break
            j += 1
        if _distinctive(tokens[start + head : end]):
            out.append((start, end))
            i = end
    return out


def _distinctive(words: list[Token]) -> bool:
    """Whether the words after an organisation head name one organisation: two capitalised words
    or a foreign one (``Viện Asan``), not only a field (``Bộ Ngoại giao``, ``Bộ Quốc phòng``)."""
    caps = [t for t in words if _capital(t)]
    return len(caps) >= 2 or any(not t.viet for t in caps)


def _head_at(tokens: Tokens, i: int, heads: frozenset[tuple[str, ...]]) -> int:
    """How many tokens from ``i`` form the longest entry of ``heads`` (at most three; 0 if none)."""
    n = len(tokens)
    if i >= n or tokens[i].exact not in first_words(heads):
        return 0
    key: tuple[str, ...] = ()
    best = 0
    for k in range(i, min(i + 3, n)):
        key += (tokens[k].exact,)
        if key in heads:
            best = k - i + 1
    return best


def rule_candidates(
    text: str, tokens: Tokens, taken: set[int], initial: set[int], lex: Lexicon
) -> list[Candidate]:
    """Typed candidates for organisation names and capitalised runs outside the KB's names."""
    out: list[Candidate] = []
    taken = set(taken)
    for first, last in org_spans(text, tokens, taken, lex):
        out.append(Candidate(first, last, "organization", 0.6, "rule"))
        taken.update(range(first, last))
    for first, last in capitalised_runs(text, tokens, taken):
        first = _skip_titles(tokens, first, last, lex)
        if first < last and first in initial and _sentence_word(tokens, first, last, lex):
            first += 1  # capitalised only because it starts the sentence ("Theo Reuters")
        if first < last:
            cand = _typed(tokens, first, last, lex)
            if cand is not None:
                out.append(cand)
    return out


def _skip_titles(tokens: Tokens, first: int, last: int, lex: Lexicon) -> int:
    """The first token after the titles, honorifics and title fields a run starts with (``Mr``,
    ``Bộ Trưởng Quốc Phòng``), or, after a title, after the Vietnamese words before a foreign name."""
    titled = False
    moved = True
    while moved and first < last:
        moved = False
        for entries in (lex.honorifics, lex.person_titles, lex.title_fields):
            n = _head_at(tokens, first, entries)
            if n and first + n <= last:
                first, moved, titled = first + n, True, True
                break
    if titled:
        foreign = [k for k in range(first, last) if not tokens[k].viet]
        if foreign and all(tokens[k].viet for k in range(first, foreign[0])):
            first = foreign[0]
    return first


def _sentence_word(tokens: Tokens, first: int, last: int, lex: Lexicon) -> bool:
    """Whether the first word of a run at a sentence start is an ordinary word, not a name's."""
    word = tokens[first]
    if last - first == 1:
        return True
    return word.viet and word.exact not in lex.vietnamese_surnames


def _typed(tokens: Tokens, first: int, last: int, lex: Lexicon) -> Candidate | None:
    words = tokens[first:last]
    keys = [t.exact for t in words]
    if any(t.text.isdigit() for t in words):
        return None
    viet = [t.viet for t in words]
    head = _head_at(tokens, first, lex.org_heads)
    if head and len(words) > head:
        return Candidate(first, last, "organization", 0.6, "rule") if _distinctive(words[head:]) else None
    if keys[-1] in lex.org_suffixes or (keys[0] == "the" and len(words) > 1):
        return Candidate(first, last, "organization", 0.5, "rule")
    before = [t.exact for t in tokens[max(0, first - 3) : first]]
    if ends_with(before, lex.place_heads):
        if len(words) == 1 and viet[0]:
            return None
        return Candidate(first, last, "place", 0.6, "rule")
    titled = bool(ends_with(before, lex.person_titles) or ends_with(before, lex.honorifics))
    if titled and not (len(words) == 1 and viet[0]):
        return Candidate(first, last, "person", 0.7, "rule")
    if 2 <= len(words) <= 4 and not any(t.all_caps for t in words):
        if keys[0] in lex.vietnamese_surnames and all(viet):
            return Candidate(first, last, "person", 0.6, "rule")
        if not all(viet):
            return Candidate(first, last, "person", 0.5, "rule")
    return None


def starts_with_title(tokens: Tokens, first: int, lex: Lexicon) -> bool:
    """Whether a person title or an honorific starts at token ``first`` (``Cố vấn``, ``Mr``)."""
    return bool(_head_at(tokens, first, lex.person_titles) or _head_at(tokens, first, lex.honorifics))


def vietnamese_name(words: list[Token], lex: Lexicon) -> bool:
    """Whether the words are shaped like a Vietnamese personal name: a family name, then one to three
    capitalised Vietnamese syllables (``Hoàng Vũ``, ``Nguyễn Thị Thúy Nga``)."""
    return (
        2 <= len(words) <= 4
        and words[0].exact in lex.vietnamese_surnames
        and all(t.text[0].isupper() and t.viet for t in words)
    )
