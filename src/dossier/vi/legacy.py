"""Vietnamese in the font encodings from before Unicode (TCVN3/ABC and VNI): detection and conversion.

Such text was stored as single bytes and shown through a special font. Read without the font, each
byte shows as its Windows-1252 character: ``Hµ Néi`` (TCVN3) and ``Haø Noäi`` (VNI) for ``Hà Nội``.
It reaches us either as single-byte files or already inside Unicode text (a page saved by a browser
keeps what it showed), so this module works on text: characters that stand for legacy bytes.

Detection is by outcome. :func:`score` counts the words that are Vietnamese syllables and those that
are not; a line is converted only when conversion raises its score, and a document only when the
conversion wins clearly over a sample of it. Unicode Vietnamese and other languages lose score when
converted (``Hà Nội`` would become ``HỔ Nội``), so they are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import chain, filterfalse

import yaml

from dossier.vi.syllables import is_syllable
from dossier.vi.text import nfc

ENCODINGS = ("tcvn3", "vni")
# Evidence a document needs before it is converted: this many more syllables than before, over the
# sample, and this many syllables after.
MIN_GAIN = 3
MIN_VALID = 3
SAMPLE_CHARS = 200_000

# A word: letters, and the Windows-1252 symbols that TCVN3 uses for letters (¸ = á, µ = à, × = ì).
_WORD = re.compile(r"(?:[^\W\d_]|[\u00a1-\u00bf\u00d7\u00f7])+")
# A line can hold legacy text only if it has a character of the upper half of Windows-1252.
_SUSPECT = re.compile(r"[\u00a1-\u00ff]")


@dataclass(frozen=True)
class Score:
    """Words with letters beyond ASCII, split by whether they are Vietnamese syllables."""

    valid: int = 0
    invalid: int = 0

    @property
    def value(self) -> int:
        return self.valid - self.invalid

    def __add__(self, other: Score) -> Score:
        return Score(self.valid + other.valid, self.invalid + other.invalid)


def _cased(word: str) -> bool:
    """Written in one case, or capitalised: ``vỔ`` (Unicode ``và`` read as TCVN3) is neither."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


_SKIPPED, _VALID, _INVALID = 0, 1, 2


@lru_cache(maxsize=65536)
def _word_class(word: str) -> int:
    """How :func:`score` counts a word that has a character beyond ASCII."""
    if len(word) < 2:
        return _SKIPPED
    return _VALID if _cased(word) and is_syllable(word) else _INVALID


def score(text: str) -> Score:
    """How Vietnamese ``text`` reads: its non-ASCII words that are syllables, and those that are not.

    One-character words are left out: quotation marks and symbols (« », °) would count for or against
    a reading depending on nothing but punctuation.
    """
    classes = [_word_class(w) for w in _WORD.findall(text) if not w.isascii()]
    return Score(classes.count(_VALID), classes.count(_INVALID))


@lru_cache(maxsize=65536)
def _invalid_in_token(token: str) -> tuple[str, ...]:
    """The words of a whitespace-separated token that :func:`score` counts as invalid."""
    return tuple(w for w in _WORD.findall(token) if not w.isascii() and _word_class(w) == _INVALID)


def _with_invalid_words(lines: list[str]) -> list[str]:
    """The lines that have a word :func:`score` counts as invalid (``score(line).invalid > 0``).

    The words are classed once per distinct whitespace-separated token of all the lines (no letter is
    whitespace, so the tokens hold the same words): most documents have no invalid word at all, and
    the few that have a handful are only looked for in the lines where those words occur.
    """
    joined = "\n".join(lines)
    tokens = filterfalse(str.isascii, set(joined.split()))
    invalid = set(chain.from_iterable(map(_invalid_in_token, tokens)))
    if not invalid:
        return []
    if len(invalid) > _FEW_INVALID or joined.count("\n") != len(lines) - 1:
        candidates: Iterable[int] = range(len(lines))
    else:
        found: set[int] = set()
        for word in invalid:  # once through the text per word: the next look starts on the next line
            line = end = 0
            at = joined.find(word)
            while at >= 0:
                line += joined.count("\n", end, at)
                found.add(line)
                end = joined.find("\n", at)
                at = joined.find(word, end) if end >= 0 else -1
        candidates = sorted(found)
    return [lines[i] for i in candidates if not invalid.isdisjoint(_WORD.findall(lines[i]))]


_FEW_INVALID = 16


@cache
def _tables() -> dict[str, dict[str, str]]:
    text = resources.files("dossier.vi").joinpath("data/legacy_encodings.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    return data


@cache
def _tcvn3() -> dict[int, str]:
    return {ord(k): v for k, v in _tables()["tcvn3"].items()}


@cache
def _vni() -> tuple[re.Pattern[str], dict[str, str]]:
    # Matched without regard to case and given the case of the sequence's first character, so that
    # the odd mixed-case sequence (Aù) converts like its neighbours (AÙ, aù).
    lower = {k.lower(): v.lower() for k, v in _tables()["vni"].items()}
    alternatives = "|".join(re.escape(k) for k in sorted(lower, key=len, reverse=True))
    return re.compile(alternatives, re.IGNORECASE), lower


def convert(text: str, encoding: str) -> tuple[str, list[int] | None]:
    """``text``, whose characters stand for ``encoding`` bytes read as Windows-1252, in Unicode (NFC).

    Also returns a map from each column of the result to its column in ``text`` (one entry more than
    the result, for end offsets), or None when the conversion is column for column.
    """
    if encoding == "tcvn3":
        return text.translate(_tcvn3()), None
    if encoding != "vni":
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    pattern, table = _vni()
    pieces: list[str] = []
    cmap: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        pieces.append(text[pos : m.start()])
        cmap.extend(range(pos, m.start()))
        letter = table[m.group().lower()]
        pieces.append(letter.upper() if m.group()[0].isupper() else letter)
        cmap.append(m.start())
        pos = m.end()
    if pos == 0:
        return text, None
    pieces.append(text[pos:])
    cmap.extend(range(pos, len(text) + 1))
    return "".join(pieces), cmap


@cache
def _encoders() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for encoding, table in _tables().items():
        inverse: dict[str, str] = {}
        for seq, letter in sorted(table.items()):  # sorted: the same sequence on every run
            inverse.setdefault(letter, seq)
        out[encoding] = inverse
    return out


def from_unicode(text: str, encoding: str) -> str:
    """``text`` written in ``encoding``, as the Windows-1252 reading of its bytes (the inverse of
    :func:`convert`; ``.encode("cp1252")`` gives the bytes).

    A capital the encoding lacks (TCVN3 has few toned capitals; documents set them in a capitals-only
    font using the small letter's code) is written as its small letter, as such documents do.
    """
    inverse = _encoders()[encoding]
    out: list[str] = []
    for ch in nfc(text):
        seq = inverse.get(ch)
        if seq is None and ch != ch.lower():
            seq = inverse.get(ch.lower())
        out.append(seq if seq is not None else ch)
    return "".join(out)


@dataclass(frozen=True)
class Detection:
    """The legacy encoding that best explains a sample, and the sample's score before and after."""

    encoding: str
    before: Score
    after: Score


def _sample(lines: list[str], limit: int) -> list[str]:
    out: list[str] = []
    total = 0
    for line in lines:
        if _SUSPECT.search(line):
            out.append(line)
            total += len(line)
            if total >= limit:
                break
    return out


def _improved(
    line: str, encoding: str, known: bool = False
) -> tuple[str, list[int] | None, Score, Score] | None:
    """The converted line, with its map and both scores, when conversion reads better.

    Better means more words that are syllables and fewer that are not; when the document is ``known``
    to be in ``encoding``, no worse. Unicode Vietnamese loses syllables when converted.
    """
    before = score(line)
    if not known and before.invalid == 0:
        return None  # nothing for a conversion to mend
    new, cmap = convert(line, encoding)
    if new == line:
        return None
    after = score(new)
    better = after.valid > before.valid and after.invalid < before.invalid
    if better or (known and after.value >= before.value):
        return new, cmap, before, after
    return None


def detect(lines: list[str], sample_chars: int = SAMPLE_CHARS) -> Detection | None:
    """The legacy encoding of the text in ``lines``, judged on a sample, or None when there is none
    or not enough evidence (fewer than MIN_GAIN syllables won, fewer than MIN_VALID found, or the
    converted lines not mostly syllables)."""
    sample = _with_invalid_words(_sample(lines, sample_chars))
    if not sample:
        return None
    best: Detection | None = None
    for encoding in ENCODINGS:
        before = after = Score()
        for line in sample:
            found = _improved(line, encoding)
            if found:
                before, after = before + found[2], after + found[3]
        gain = after.value - before.value
        # converted text is mostly syllables; garbage converted is not
        mostly = after.valid >= 2 * after.invalid
        if (
            after.valid >= MIN_VALID
            and gain >= MIN_GAIN
            and mostly
            and (best is None or gain > best.after.value - best.before.value)
        ):
            best = Detection(encoding, before, after)
    return best


@dataclass
class Repair:
    """Lines converted from a legacy encoding: the new lines, and for each converted line whose length
    changed, a map from its columns to the columns of the line before."""

    encoding: str
    lines: list[str]
    column_maps: dict[int, list[int]] = field(default_factory=dict)
    converted: int = 0


def repair_lines(lines: list[str], encoding: str | None = None) -> Repair | None:
    """Convert the lines of a document that are in a legacy encoding; None when none are.

    ``encoding`` names the encoding when the document is known to be in it (a single-byte file judged
    as a whole): then every line that reads no worse converted is converted. Otherwise the encoding
    is detected and only lines that read better are converted, so a Unicode heading above a VNI body
    stays as it is.
    """
    known = encoding is not None
    if encoding is None:
        found = detect(lines)
        if found is None:
            return None
        encoding = found.encoding
    out = list(lines)
    maps: dict[int, list[int]] = {}
    converted = 0
    for i, line in enumerate(lines):
        if not _SUSPECT.search(line):
            continue
        better = _improved(line, encoding, known)
        if better is None:
            continue
        out[i] = better[0]
        if better[1] is not None:
            maps[i] = better[1]
        converted += 1
    return Repair(encoding, out, maps, converted) if converted else None
