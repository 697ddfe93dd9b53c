"""Comparing names across spellings and transliterations.

:func:`translit_key` reduces a name to a key on which the usual Latin transliterations of Russian,
Korean and Arabic names agree: ``Serguei Choigu`` and ``Sergei Shoigu`` → ``sergi shoigu``,
``Zelenskyy``/``Zelenskiy``/``Zelensky`` → ``zelenski``, ``Kim Jong-un``/``Kim Jong Un`` → ``kim jong
un``. :func:`similarity` compares two keys word by word (Jaro–Winkler), so that a name that differs
by one more transliteration choice still comes close. New entities get ids from their key, so the
same name in two articles is one entity before any clustering.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from dossier.kb.loader import KnowledgeBase
from dossier.vi.text import fold, nfc

# Applied in order to a folded, lower-case word. French and German spellings of Slavic names first
# (ou → u, tch → ch, ch → sh, gue → ge), then vowels and doubled letters.
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"ou", "u"),
        (r"tch", "ch"),
        (r"sch", "sh"),
        (r"ch", "sh"),
        (r"gu(?=[eiy])", "g"),
        (r"kh", "h"),
        (r"zh", "j"),
        (r"dj", "j"),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"c(?=[aou]|$)", "k"),
        (r"q", "k"),
        (r"w", "v"),
        (r"x", "ks"),
        (r"y", "i"),
        (r"j(?=[aeiou])", "i"),
        (r"e(?=i)", ""),
        (r"(?<=[aeiou])i(?=[aeiou])", ""),
        (r"(.)\1+", r"\1"),
    ]
]


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    for pattern, repl in _RULES:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=65536)
def translit_key(name: str) -> str:
    """The transliteration-insensitive key of a name (words separated by one space)."""
    words = re.findall(r"[^\W_\d]+|\d+", fold(nfc(name)))
    return " ".join(_word_key(w) for w in words)


def jaro_winkler(a: str, b: str) -> float:
    """Jaro–Winkler similarity of two strings, 1.0 when equal."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    reach = max(len(a), len(b)) // 2 - 1
    used = [False] * len(b)
    hits_a = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - reach), min(len(b), i + reach + 1)):
            if not used[j] and b[j] == ch:
                used[j] = True
                hits_a.append(ch)
                break
    if not hits_a:
        return 0.0
    hits_b = [b[j] for j in range(len(b)) if used[j]]
    transpositions = sum(x != y for x, y in zip(hits_a, hits_b, strict=True)) / 2
    m = len(hits_a)
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def similarity(a: str, b: str) -> float:
    """How alike two names' keys are: the mean word-by-word Jaro–Winkler when both have the same
    number of words, else the similarity of their last words scaled down."""
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return 0.0
    if len(wa) == len(wb):
        return sum(jaro_winkler(x, y) for x, y in zip(wa, wb, strict=True)) / len(wa)
    return 0.8 * jaro_winkler(wa[-1], wb[-1])


def new_entity_id(name: str, etype: str) -> str:
    """The id of an entity the KB lacks: ``ent-new-`` and a hash of its type and name key."""
    digest = hashlib.sha256(f"{etype}\x1f{translit_key(name)}".encode()).hexdigest()
    return f"ent-new-{digest[:12]}"


class NameIndex:
    """The transliteration keys of the KB's names of two words or more, for linking names the
    recogniser finds to KB entities whose spelling the KB does not list."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._by_key: dict[tuple[str, str], set[str]] = {}
        for ent in kb:
            group = _group(ent.type)
            for name in ent.names():
                key = translit_key(name)
                if " " in key:
                    self._by_key.setdefault((group, key), set()).add(ent.id)

    def lookup(self, name: str, etype: str) -> str | None:
        """The one KB entity of a compatible type whose name has the same key, or None."""
        owners = self._by_key.get((_group(etype), translit_key(name)), set())
        return next(iter(owners)) if len(owners) == 1 else None


def _group(etype: str) -> str:
    return {"country": "place", "facility": "place", "weapon-system": "other"}.get(etype, etype)
