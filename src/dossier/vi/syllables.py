"""Is a word a Vietnamese syllable? A check by shape, for telling Vietnamese text from text that only
looks like it (a legacy font encoding read as Windows-1252, a wrong code page).

A syllable is onset + nucleus + coda with at most one tone mark (``data/syllables.yaml``). The check
is about spelling, not vocabulary: ``ngoèo`` passes, ``Néi`` (TCVN3 for ``Nội`` read as Windows-1252)
and ``schön`` do not.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import yaml

from dossier.vi.text import TONE_MARKS


@cache
def _pattern() -> re.Pattern[str]:
    data = yaml.safe_load(
        resources.files("dossier.vi").joinpath("data/syllables.yaml").read_text(encoding="utf-8")
    )

    def alternatives(items: list[str]) -> str:
        return "|".join(re.escape(x) for x in sorted(items, key=len, reverse=True))

    nuclei = [n for group in data["nuclei"] for n in group]
    return re.compile(
        f"(?:{alternatives(data['onsets'])})?(?:{alternatives(nuclei)})(?:{alternatives(data['codas'])})?"
    )


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when ``word`` (any case, NFC or not) is spelled like one Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in TONE_MARKS)
    if tones > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    return _pattern().fullmatch(base) is not None
