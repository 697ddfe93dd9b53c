"""Vietnamese text normalisation and the folds used for matching.

Display text is always NFC of the original. Matching keys are derived from it:

* :func:`fold_tone_placement` moves each syllable's tone mark to one canonical vowel, so that the old
  and new placements (``hoà``/``hòa``, ``thuỷ``/``thủy``) compare equal. It keeps the length of an
  NFC string, so offsets found in the key are offsets in the text.
* :func:`fold` removes every diacritic, folds ``đ`` to ``d`` and lower-cases: ``Bình Nhưỡng`` →
  ``binh nhuong``. It also keeps the length of NFC Vietnamese text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfc_with_map(line: str) -> tuple[str, list[int] | None]:
    """NFC of one line, and a map from each NFC column to its column in ``line``.

    The map is ``None`` when NFC left the line unchanged (the usual case). It has one entry more than
    the NFC text so that an end offset maps too.
    """
    out = unicodedata.normalize("NFC", line)
    if out == line:
        return out, None
    pieces: list[str] = []
    cmap: list[int] = []
    start = 0
    # NFC never composes across a starter (combining class 0) that is followed by another starter, so
    # normalising each starter-led cluster alone gives the same text with known origins.
    for i in range(1, len(line) + 1):
        if i == len(line) or unicodedata.combining(line[i]) == 0:
            piece = unicodedata.normalize("NFC", line[start:i])
            pieces.append(piece)
            cmap.extend([start] * len(piece))
            start = i
    cmap.append(len(line))
    joined = "".join(pieces)
    if joined != out:  # exotic scripts (conjoining jamo): fall back to a proportional map
        ratio = len(line) / max(len(out), 1)
        return out, [min(len(line), round(i * ratio)) for i in range(len(out) + 1)]
    return out, cmap


@lru_cache(maxsize=4096)
def _split_tone(ch: str) -> tuple[str, str]:
    """(the character without its tone mark, the tone mark or '')."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in decomposed if c in TONE_MARKS)
    if not tone:
        return ch, ""
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    return base, tone


def _vowel_pattern() -> re.Pattern[str]:
    """The runs of vowels (any code point whose base letter, tone mark removed, is a Vietnamese vowel)
    that the fold changes: those with a tone mark on a vowel other than the last, and the single
    vowels with two tone marks. A run is matched whole: at its first vowel, to its last."""
    vowels, toned, changed = [], [], []
    for code in range(0x41, 0x2000):
        ch = chr(code)
        base, tone = _split_tone(ch)
        if base in VOWELS:
            vowels.append(ch)
            if tone:
                toned.append(ch)
            if _fold_cluster(ch) != ch:
                changed.append(ch)
    _split_tone.cache_clear()
    _fold_cluster.cache_clear()
    v, t, c = (re.escape("".join(chars)) for chars in (vowels, toned, changed))
    return re.compile(f"[{v}]*[{t}][{v}]+|[{c}]")


@lru_cache(maxsize=16384)
def _fold_cluster(run: str) -> str:
    bases: list[str] = []
    tones = ""
    for ch in run:
        base, tone = _split_tone(ch)
        bases.append(base)
        tones += tone
    if tones:
        bases[-1] = unicodedata.normalize("NFC", bases[-1] + tones[0])
    return "".join(bases)


# Only a run of vowels can have its tone mark on a vowel other than the last, so the fold is a regex
# scan that leaves the rest of the text alone (a character-by-character loop was a tenth of a build).
_VOWEL_RUN = _vowel_pattern()


def fold_tone_placement(text: str) -> str:
    """Put each vowel cluster's tone mark on its last vowel (a matching key, not for display)."""
    return _VOWEL_RUN.sub(lambda m: _fold_cluster(m.group(0)), text)


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    if ch.isascii():
        return ch.lower()
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.lower() if len(base) == 1 else ch.lower()[:1] or ch


class _FoldTable(dict[int, str]):
    """:func:`_fold_char` by code point, made on first sight: ``str.translate`` with it folds at C speed."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code))
        return value


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Diacritic-, tone- and case-insensitive key: ``Đà Nẵng`` → ``da nang``. Length-preserving for
    NFC text in which every character is precomposed (all of Vietnamese). Character by character."""
    return text.translate(_FOLD)


class _WordKeys(dict[str, str]):
    """The match key of each space-separated piece of text, made on first sight (news text has a few
    thousand distinct words). Cleared when it grows large: pieces carry punctuation, numbers and dates,
    so their count keeps growing with a corpus (44,000 after 6,000 generated articles). Kept to 16,384
    rather than 65,536 (with the boundary cache of ``dossier.ner.features``): 15 MB less peak memory
    over those 6,000 articles, for the same CPU time."""

    def __missing__(self, piece: str) -> str:
        if len(self) >= 1 << 14:
            self.clear()
        value = self[piece] = fold_tone_placement(nfc(piece)).lower()
        return value


_WORD_KEYS = _WordKeys()


def match_key(text: str) -> str:
    """NFC, tone placement folded, lower-cased: equal for ``Hoà Bình`` and ``hòa bình`` but not for
    ``hoa binh``. Made a space-separated piece at a time: none of the three reads across a space (a
    space composes with no mark, and ends the context of a final sigma)."""
    return " ".join(map(_WORD_KEYS.__getitem__, text.split(" ")))


def has_vietnamese_letters(text: str) -> bool:
    """True when the text uses letters only Vietnamese uses among Latin scripts (ă, ơ, ư, đ, tones)."""
    for ch in text:
        if ch in "ăâđêôơưĂÂĐÊÔƠƯ":
            return True
        if not ch.isascii() and _split_tone(ch)[1]:
            return True
    return False
