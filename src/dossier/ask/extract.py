"""Finding the answer inside one sentence: a date, an amount, a place, who did it.

Pure functions over a sentence's text and the question; positions are character offsets in the
sentence. Word lists and patterns come from ``dossier/ask/data/questions.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.ask.lexicon import WORD, lexicon
from dossier.ask.question import Question
from dossier.vi.text import match_key

_CAPITALISED = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_CLAUSE_END = re.compile(r"[,;:()“”\"«»—–]|\s-\s")


@dataclass
class Found:
    value: str
    start: int
    end: int


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, match key) of every word of the sentence."""
    key = match_key(text)
    if len(key) != len(text):  # match_key keeps lengths for NFC Vietnamese; be safe elsewhere
        return [(m.start(), m.end(), match_key(m.group(0))) for m in WORD.finditer(text)]
    return [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(key)]


def find_variant(
    spans: list[tuple[int, int, str]], variants: list[tuple[str, ...]]
) -> tuple[int, int] | None:
    """(start, end) in characters of the first occurrence of any variant, or None."""
    best: tuple[int, int] | None = None
    keys = [s[2] for s in spans]
    folded = [_fold(k) for k in keys]
    for variant in variants:
        n = len(variant)
        plain = all(_fold(v) == v for v in variant)  # typed without diacritics: compare folded
        seq = folded if plain else keys
        for i in range(len(keys) - n + 1):
            if tuple(seq[i : i + n]) == variant:
                if best is None or spans[i][0] < best[0]:
                    best = (spans[i][0], spans[i + n - 1][1])
                break
    return best


def _fold(word: str) -> str:
    from dossier.vi.text import fold

    return fold(word)


def _question_words(question: Question) -> set[str]:
    return {_fold(w) for v in question.all_variants() for w in v}


def dates(text: str) -> list[Found]:
    """Date expressions in the sentence, longest first where they overlap, in text order."""
    found: list[Found] = []
    for pattern in lexicon().date_patterns:
        for m in pattern.finditer(text):
            value = m.group(0).strip(" ,")
            if not value or not any(ch.isdigit() for ch in value) and len(value.split()) < 2:
                continue
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" ,")))
            found.append(Found(value, start, start + len(value)))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    out: list[Found] = []
    for f in found:
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    return out


def amounts(text: str) -> list[Found]:
    """Counted amounts with the words they count: ``hơn 11.000 binh lính``, ``hàng chục phi đạn``."""
    date_spans = [(d.start, d.end) for d in dates(text)]
    out: list[Found] = []
    for pattern in lexicon().number_patterns:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in date_spans):
                continue
            if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "/-"):
                continue
            value = (m.group(0) + _counted(text[m.end() :])).strip()
            out.append(Found(value, m.start(), m.start() + len(value)))
    out.sort(key=lambda f: f.start)
    return out


def _counted(tail: str) -> str:
    """The words an amount counts: up to four, until punctuation, a preposition or a function word."""
    lex = lexicon()
    stops = lex.stopwords["vi"] | lex.place_prepositions["vi"] | lex.place_stops["vi"] | lex.stopwords["en"]
    out = ""
    for m in re.finditer(r"(\s+)([^\W\d][\w-]*)", tail):
        if m.start() != len(out) or match_key(m.group(2)) in stops or len(out.split()) >= 4:
            break
        out += m.group(0)
    return out


def _trim(text: str, start: int, end: int, language: str) -> tuple[int, int]:
    """Narrow [start, end) past leading connectors/adverbs and trailing adverbs."""
    lex = lexicon()
    trims = sorted({*lex.subject_trim.get("vi", []), *lex.subject_trim.get("en", [])}, key=len, reverse=True)
    changed = True
    while changed and start < end:
        changed = False
        segment = text[start:end]
        while segment and not segment[0].isalnum():
            start += 1
            segment = segment[1:]
        spans = word_spans(segment)
        keys = [s[2] for s in spans]
        for phrase in trims:
            n = len(phrase)
            if tuple(keys[:n]) == phrase and n < len(keys):
                start += spans[n - 1][1]
                changed = True
                break
            if len(keys) > n and tuple(keys[-n:]) == phrase:
                end = start + spans[-n - 1][1]
                changed = True
                break
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def agent(text: str, question: Question) -> Found | None:
    """Who does what the question's verb says: the subject before the verb, or the agent after
    ``được``/``bị`` in a passive clause."""
    if question.predicate is None or question.predicate >= len(question.concepts):
        return None
    spans = word_spans(text)
    verb = find_variant(spans, question.concepts[question.predicate].variants)
    if verb is None:
        return None
    lex = lexicon()
    head = text[: verb[0]]
    clause_start = 0
    for m in _CLAUSE_END.finditer(head):
        clause_start = m.end()
    passive_words = lex.passive.get("vi", frozenset()) | lex.passive.get("en", frozenset())
    passive = [s for s in word_spans(head) if s[2] in passive_words]
    asked = _question_words(question)
    if passive:
        start = passive[-1][1]
        region = (start, verb[0])  # the agent: "được Bộ trưởng Quốc phòng Triều Tiên, tướng No Kwang-chol,"
    else:
        region = (clause_start, verb[0])
    start, end = _trim(text, region[0], region[1], question.language)
    value = text[start:end].strip()
    if not value or not any(w[:1].isupper() for w in value.split()):
        return None
    if {_fold(w) for w in WORD.findall(value.lower())} <= asked:
        return None  # the subject is what the question already names
    return Found(value, start, end)


def places(text: str, question: Question) -> list[Found]:
    """Named places after a preposition (``tại trung tâm vũ trụ Vostochny``, ``tới Hà Nội``) that the
    question does not already name."""
    lex = lexicon()
    preps = lex.place_prepositions.get("vi", frozenset()) | lex.place_prepositions.get("en", frozenset())
    stops = lex.place_stops.get("vi", frozenset()) | lex.place_stops.get("en", frozenset())
    spans = word_spans(text)
    asked = _question_words(question)
    out: list[Found] = []
    for i, (_, _end, key) in enumerate(spans):
        if key not in preps:
            continue
        j = i + 1
        words_taken = []
        named = False
        while j < len(spans) and len(words_taken) < 10:
            if spans[j][2] in stops or _CLAUSE_END.search(text[spans[j - 1][1] : spans[j][0]]):
                break
            if any(ch.isdigit() for ch in spans[j][2]):
                break
            capital = text[spans[j][0]].isupper()
            if named and not capital:
                break  # the name is over: "tới Hà Nội gặp gỡ …" is "Hà Nội"
            named = named or capital
            words_taken.append(spans[j])
            j += 1
        if not words_taken:
            continue
        value = text[words_taken[0][0] : words_taken[-1][1]]
        names = [w for w in value.split() if w[:1].isupper()]
        if not names:
            continue
        if {_fold(w.lower()) for w in WORD.findall(" ".join(names))} <= asked:
            continue
        out.append(Found(value, words_taken[0][0], words_taken[-1][1]))
    return out


def names_in(text: str, question: Question) -> list[Found]:
    """Runs of capitalised words (not starting the sentence) that the question does not name."""
    asked = _question_words(question)
    out: list[Found] = []
    run: list[re.Match[str]] = []
    tokens = list(_CAPITALISED.finditer(text))

    def flush() -> None:
        if run:
            value = text[run[0].start() : run[-1].end()]
            if not {_fold(m.group(0).lower()) for m in run} <= asked:
                out.append(Found(value, run[0].start(), run[-1].end()))
        run.clear()

    for k, m in enumerate(tokens):
        gap = text[tokens[k - 1].end() : m.start()] if k else ""
        if m.group(0)[0].isupper() and k > 0:
            if run and gap.strip():
                flush()
            run.append(m)
        else:
            flush()
    flush()
    return out
