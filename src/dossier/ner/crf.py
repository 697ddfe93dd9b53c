"""The statistical recogniser: a linear-chain CRF (python-crfsuite) over syllable tokens with BIO
labels PER, ORG, LOC, MISC (the VLSP-2016 set), trained by :mod:`dossier.ner.train` into
``ner/model/vi-ner.crfsuite`` (committed; ``make ner-model`` rebuilds it). Nothing is downloaded.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from dossier.errors import DossierError
from dossier.ner.features import sentence_features
from dossier.ner.lexicon import Lexicon, lexicon
from dossier.ner.link import Candidate
from dossier.ner.tokens import Token, is_vietnamese_syllable

LABEL_TYPES = {"PER": "person", "ORG": "organization", "LOC": "place", "MISC": "other"}
TYPE_LABELS = {
    "person": "PER",
    "organization": "ORG",
    "country": "LOC",
    "place": "LOC",
    "facility": "LOC",
    "weapon-system": "MISC",
    "other": "MISC",
}
MIN_CONFIDENCE = 0.5
_MAX_SEQUENCE = 120  # tokens per tagged chunk (a sentence; long ones are cut)


def model_path() -> Path:
    """Where the packaged model file lives (it may be absent before the first ``make ner-model``)."""
    return Path(str(resources.files("dossier.ner").joinpath("model/vi-ner.crfsuite")))


def chunks(tokens: list[Token], initial: set[int]) -> list[tuple[int, int]]:
    """Token ranges to tag one at a time: sentences, cut at ``_MAX_SEQUENCE`` tokens."""
    starts = sorted({0, *initial} | {i for i in range(0, len(tokens), _MAX_SEQUENCE)})
    bounds = [*starts, len(tokens)]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def spans(labels: list[str]) -> list[tuple[int, int, str]]:
    """(first, last, label) of every B-/I- run; an I- without a B- starts a span."""
    out: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, lab in enumerate([*labels, "O"]):
        tag, _, typ = lab.partition("-")
        if start >= 0 and (tag != "I" or typ != kind):
            out.append((start, i, kind))
            start = -1
        if tag == "B" or (tag == "I" and start < 0):
            start, kind = i, typ
    return out


class CrfModel:
    """A loaded model: tags a text's tokens and returns the names outside the KB's."""

    def __init__(self, path: Path, lex: Lexicon) -> None:
        import pycrfsuite

        self.path = path
        self.lexicon = lex
        self.tagger = pycrfsuite.Tagger()
        try:
            self.tagger.open(str(path))
        except (OSError, ValueError) as exc:
            raise DossierError("E064", path=path, reason=exc) from exc

    def tag(self, text: str, tokens: list[Token], initial: set[int]) -> list[str]:
        """The BIO label of every token."""
        labels: list[str] = []
        for a, b in chunks(tokens, initial):
            labels.extend(self.tagger.tag(sentence_features(text, tokens, initial, self.lexicon, a, b)))
        return labels

    def candidates(
        self, text: str, tokens: list[Token], taken: set[int], initial: set[int]
    ) -> list[Candidate]:
        """Typed names whose tokens the KB's names do not cover, with the model's confidence (the
        mean marginal probability of the span's labels). Only sentences with a capitalised word
        outside the KB's names are tagged: a name the model may add starts with a capital."""
        out: list[Candidate] = []
        for a, b in chunks(tokens, initial):
            if not any(_may_start_name(tokens, k, initial) and k not in taken for k in range(a, b)):
                continue
            labels = self.tagger.tag(sentence_features(text, tokens, initial, self.lexicon, a, b))
            for first, last, kind in spans(labels):
                if not taken.isdisjoint(range(a + first, a + last)) or kind not in LABEL_TYPES:
                    continue
                probs = [self.tagger.marginal(labels[k], k) for k in range(first, last)]
                confidence = sum(probs) / len(probs)
                if confidence >= MIN_CONFIDENCE:
                    out.append(Candidate(a + first, a + last, LABEL_TYPES[kind], round(confidence, 3)))
        return out


def _may_start_name(tokens: list[Token], k: int, initial: set[int]) -> bool:
    """Whether token ``k`` may be part of a name: capitalised, not a number, and not a Vietnamese
    word capitalised only because it starts a sentence ("Theo", "Sau khi")."""
    tok = tokens[k]
    if not tok.upper or tok.text.isdigit():
        return False
    if k in initial and is_vietnamese_syllable(tok.text):
        return k + 1 < len(tokens) and tokens[k + 1].upper and k + 1 not in initial
    return True


@lru_cache(maxsize=4)
def _load(path: str) -> CrfModel:
    return CrfModel(Path(path), lexicon())


def load_model(path: Path | None = None) -> CrfModel | None:
    """The model at ``path`` (default: the packaged one), or None when that file does not exist."""
    path = path or model_path()
    if not path.exists():
        return None
    return _load(str(path))
