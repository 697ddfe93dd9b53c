"""What a question asks: its language, its kind (when, who, where, how many, what) and the ideas it is
about, each with the Vietnamese words that express it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from dossier.ask.lexicon import WORD, Lexicon, lexicon, words
from dossier.vi.text import fold, has_vietnamese_letters, nfc

_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_TIME_WORDS = frozenset({"tháng", "năm", "ngày", "month", "year", "day"})
_MONTH = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip


@dataclass
class Concept:
    """One idea of the question: any of its variants (word tuples, as match keys) expresses it."""

    label: str
    variants: list[tuple[str, ...]]
    weight: float = 1.0
    name: bool = False  # a proper name (a run of capitalised words)


@dataclass
class Question:
    text: str
    language: str  # vi | en
    kind: str  # when | who | where | how-many | what
    concepts: list[Concept] = field(default_factory=list)
    predicate: int | None = None  # index of the concept that is the question's verb (who did it)
    year: str | None = None  # a year the question names: answers from it are preferred
    month: int | None = None

    @property
    def verb(self) -> Concept | None:
        """The first idea that is not a name: what the question says was done."""
        if self.predicate is not None and self.predicate < len(self.concepts):
            return self.concepts[self.predicate]
        return next((c for c in self.concepts if not c.name), None)

    def all_variants(self) -> list[tuple[str, ...]]:
        return [v for c in self.concepts for v in c.variants]


def _find_kind(tokens: list[str], lex: Lexicon, language: str, plain: bool = False) -> tuple[str, int, int]:
    """(kind, start, end) of the question phrase; the first found by kind priority, else ('what', -1, -1).
    ``plain``: the question is typed without diacritics, so the phrases are compared without them."""
    for kind in ("when", "how-many", "where", "who", "what"):
        for lang in (language, "en" if language == "vi" else "vi"):
            for phrase in lex.kinds[kind].get(lang, []):
                if plain:
                    phrase = tuple(fold(w) for w in phrase)
                n = len(phrase)
                for i in range(len(tokens) - n + 1):
                    if tuple(tokens[i : i + n]) == phrase:
                        return kind, i, i + n
    return "what", -1, -1


def _vi_phrases(lex: Lexicon) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Vietnamese multi-word expressions the glossary knows → their synonyms (from the same entry)."""
    out: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for variants in lex.glossary.values():
        keyed = [tuple(words(v)) for v in variants]
        for k in keyed:
            if len(k) > 1:
                out.setdefault(k, [])
                for other in keyed:
                    if other not in out[k]:
                        out[k].append(other)
    return out


def _stem_candidates(word: str) -> list[str]:
    out = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"),
                         ("d", ""),
                         ("ing", ""), ("ing", "e")):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            out.append(word[: -len(suffix)] + repl)
    return out


def _name_concept(tokens: list[str], originals: list[str], stop: frozenset[str]) -> Concept | None:
    """A name (a run of capitalised words) as one idea: the whole name; for a name that is not spelt
    the Vietnamese way (Kim Jong Un, Vladimir Putin) also its first or last word alone."""
    pairs = list(zip(tokens, originals, strict=True))
    while pairs and pairs[0][0] in stop:
        pairs.pop(0)
    while pairs and pairs[-1][0] in stop:
        pairs.pop()
    if not pairs:
        return None
    full = tuple(t for t, _ in pairs)
    variants = [full]
    if len(full) > 1 and not any(has_vietnamese_letters(o) for _, o in pairs):
        variants.extend([(full[0],), (full[-1],)])
    return Concept(" ".join(o for _, o in pairs), variants, name=True)


def _runs(originals: list[str]) -> dict[int, int]:
    """start → end of each run of capitalised words; a lone capital at the start is only a sentence start."""
    runs: dict[int, int] = {}
    i = 0
    while i < len(originals):
        if originals[i][:1].isupper():
            j = i
            while j < len(originals) and originals[j][:1].isupper():
                j += 1
            if i > 0 or j - i > 1:
                runs[i] = j
            i = j
        else:
            i += 1
    return runs


def _english_concepts(tokens: list[str], lex: Lexicon, originals: list[str] | None = None) -> list[Concept]:
    out: list[Concept] = []
    i = 0
    stop = lex.stopwords["en"]
    runs = _runs(originals) if originals else {}
    while i < len(tokens):
        if i in runs and tuple(tokens[i : runs[i]]) not in lex.glossary and runs[i] - i > 1:
            concept = _name_concept(tokens[i : runs[i]], originals[i : runs[i]], stop)  # type: ignore[index]
            if concept is not None and not all(
                len(v) == 1 and v[0] in lex.glossary for v in concept.variants[:1]
            ):
                out.append(concept)
                i = runs[i]
                continue
        matched = False
        for n in (3, 2, 1):
            if i + n > len(tokens):
                continue
            head = tokens[i : i + n - 1]
            for last in _stem_candidates(tokens[i + n - 1]):
                key = (*head, last)
                if key in lex.glossary:
                    variants = [tuple(words(v)) for v in lex.glossary[key]]
                    out.append(Concept(" ".join(tokens[i : i + n]), variants))
                    i += n
                    matched = True
                    break
            if matched:
                break
        if matched:
            continue
        tok = tokens[i]
        if tok not in stop:
            out.append(Concept(tok, [(tok,)]))
        i += 1
    return out


def _vietnamese_concepts(
    tokens: list[str], lex: Lexicon, originals: list[str] | None = None
) -> list[Concept]:
    phrases = _vi_phrases(lex)
    stop = lex.stopwords["vi"]
    out: list[Concept] = []
    runs = _runs(originals) if originals else {}
    i = 0
    while i < len(tokens):
        if i in runs:
            concept = _name_concept(tokens[i : runs[i]], originals[i : runs[i]], stop)  # type: ignore[index]
            if concept is not None:
                out.append(concept)
                i = runs[i]
                continue
        for n in (4, 3, 2):
            key = tuple(tokens[i : i + n])
            if len(key) == n and key in phrases:
                out.append(Concept(" ".join(key), list(phrases[key])))
                i += n
                break
        else:
            tok = tokens[i]
            if tok not in stop:
                out.append(Concept(tok, [(tok,)]))
            i += 1
    return out


def analyse(text: str) -> Question:
    """Read a question in Vietnamese or English."""
    lex = lexicon()
    originals = WORD.findall(nfc(text))
    tokens = words(text)
    if len(originals) != len(tokens):  # the fold changed the word count (other scripts): no names
        originals = [t.lower() for t in tokens]
    plain = not has_vietnamese_letters(text)
    if plain:
        # typed without diacritics: read the word lists without them too
        lex = _plain()
    vi_hits = sum(1 for kind in lex.kinds.values() for p in kind.get("vi", []) if _contains(tokens, p))
    language = "vi" if not plain or (vi_hits and not _english_hint(tokens, lex)) else "en"
    kind, start, end = _find_kind(tokens, lex, language)
    year = next((t for t in tokens if _YEAR.match(t)), None)
    month = None
    for i, t in enumerate(tokens):
        if t in ("tháng", "month") and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            month = int(tokens[i + 1])
        if t in _MONTH:
            month = _MONTH[t]
    # the question phrase and the time constraint are not content
    drop = set(range(start, end)) if start >= 0 else set()
    for i, t in enumerate(tokens):
        if _YEAR.match(t) or t in _TIME_WORDS or (t.isdigit() and i > 0 and tokens[i - 1] in _TIME_WORDS):
            drop.add(i)
        if t in _MONTH and year is not None:
            drop.add(i)
    keep_before = [i for i in range(len(tokens)) if i not in drop and (start < 0 or i < start)]
    keep_after = [i for i in range(len(tokens)) if i not in drop and start >= 0 and i >= end]
    build = _vietnamese_concepts if language == "vi" else _english_concepts
    first = build([tokens[i] for i in keep_before], lex, [originals[i] for i in keep_before])
    second = build([tokens[i] for i in keep_after], lex, [originals[i] for i in keep_after])
    concepts = [*first, *second]
    predicate = None
    if kind == "who":
        # "Ai đã phủ nhận …", "Who denied …": the verb follows the question word; "… là ai?" has none
        if second:
            predicate = len(first)
        elif first:
            predicate = len(first) - 1
    return Question(
        text=text,
        language=language,
        kind=kind,
        concepts=concepts,
        predicate=predicate,
        year=year,
        month=month,
    )


def _contains(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


def _english_hint(tokens: list[str], lex: Lexicon) -> bool:
    return any(t in lex.stopwords["en"] and t not in lex.stopwords["vi"] for t in tokens)


@lru_cache(maxsize=1)
def _plain() -> Lexicon:
    """The lexicon with its Vietnamese question phrases and stopwords folded (no diacritics)."""
    lex = lexicon()
    kinds = {
        kind: {lang: [tuple(fold(w) for w in p) for p in phrases] for lang, phrases in langs.items()}
        for kind, langs in lex.kinds.items()
    }
    stop = {lang: frozenset(fold(w) for w in words_) for lang, words_ in lex.stopwords.items()}
    return replace(lex, kinds=kinds, stopwords=stop)
