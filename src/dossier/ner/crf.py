"""The statistical recogniser: a linear-chain CRF (python-crfsuite) over syllable tokens with BIO
labels PER, ORG, LOC, MISC (the VLSP-2016 set), trained by :mod:`dossier.ner.train` into
``ner/model/vi-ner.crfsuite`` (committed; ``make ner-model`` rebuilds it). Nothing is downloaded.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from itertools import compress
from operator import attrgetter
from pathlib import Path

from dossier.errors import DossierError
from dossier.ner.context import title_before
from dossier.ner.features import Featurizer
from dossier.ner.lexicon import Lexicon, lexicon
from dossier.ner.link import Candidate
from dossier.ner.rules import starts_with_title
from dossier.ner.tokens import Tokens

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
_UPPER = attrgetter("upper")
_CAP = attrgetter("cap")


def model_path() -> Path:
    """Where the packaged model file lives (it may be absent before the first ``make ner-model``)."""
    return Path(str(resources.files("dossier.ner").joinpath("model/vi-ner.crfsuite")))


def chunks(tokens: Tokens, initial: set[int]) -> list[tuple[int, int]]:
    """Token ranges to tag one at a time: sentences, cut at ``_MAX_SEQUENCE`` tokens."""
    starts = sorted({0, *initial} | {i for i in range(0, len(tokens), _MAX_SEQUENCE)})
    bounds = [*starts, len(tokens)]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


# Words tagged before a free capital and after it (see windows). With 3 and 6, a few long names came
# out of the model cut short (kept at the shape rules' length and confidence instead); with 5 and 10,
# the 34,454 mentions of the 421 articles of the example corpus and scale-400-7 are the same as with
# whole sentences, 3 confidences differ (by 0.007 at most), and the entities stage is ~14% cheaper.
_BEFORE, _AFTER = 5, 10


def windows(capitals: list[int], first: int, last: int) -> list[tuple[int, int]]:
    """The stretches of the sentence ``[first, last)`` to tag: from ``_BEFORE`` words before each of its
    ``capitals`` (sorted) to ``_AFTER`` words after it, joined where they touch. A name the model may
    add starts with a capital outside the KB's names; the words far from every such capital are
    outside any name. Each word's features still read the words around it: only the chain of labels
    (and the probabilities weighed over it) stops at a window's ends, words away from the capitals."""
    out: list[tuple[int, int]] = []
    for k in capitals:
        a, b = max(first, k - _BEFORE), min(last, k + _AFTER + 1)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def spans(labels: list[str]) -> list[tuple[int, int, str]]:
    """(first, last, label) of every B-/I- run; an I- without a B- starts a span."""
    out: list[tuple[int, int, str]] = []
    if labels.count("O") == len(labels):
        return out
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
        # strings the model has no weight for add nothing to a score: they are not built
        known = {attr for attr, _label in self.tagger.info().state_features}
        self.featurizer = Featurizer(lex, known)
        # False: also tag the sentences whose names the recogniser would drop (the same answers,
        # slower; for checking that skipping them changes nothing)
        self.skip_dropped = True
        # False: tag whole sentences, not only the stretches around their free capitals (windows)
        self.windowed = True

    def tag(self, text: str, tokens: Tokens, initial: set[int]) -> list[str]:
        """The BIO label of every token."""
        labels: list[str] = []
        for a, b in chunks(tokens, initial):
            labels.extend(self.tagger.tag(self.featurizer.features(tokens, initial, a, b)))
        return labels

    def candidates(self, text: str, tokens: Tokens, taken: set[int], initial: set[int]) -> list[Candidate]:
        """Typed names whose tokens the KB's names do not cover, with the model's confidence (the
        mean marginal probability of the span's labels). Only sentences with a capitalised word
        outside the KB's names are tagged: a name the model may add starts with a capital; and only
        those where such a word could start a name the recogniser keeps (:func:`_may_be_kept`); and
        of those, only the words around such capitals (:func:`windows`)."""
        out: list[Candidate] = []
        n = len(tokens)
        # the words a name may start with: capitalised, outside the KB's names, not a number, and
        # not a Vietnamese word capitalised only because it starts a sentence ("Theo", "Sau khi")
        upper = set(compress(range(n), map(_UPPER, tokens)))
        upper.difference_update(taken)
        starters = sorted(
            k
            for k in upper
            if not tokens[k].text.isdigit()
            and (
                k not in initial
                or not tokens[k].viet
                or (k + 1 < n and tokens[k + 1].upper and k + 1 not in initial)
            )
        )
        if not starters:
            return out
        free_capitals = set(compress(range(n), map(_CAP, tokens)))
        free_capitals.difference_update(taken)
        capitals = sorted(free_capitals)
        todo: list[tuple[int, int]] = []
        for a, b in chunks(tokens, initial):
            at = bisect_left(starters, a)
            if at == len(starters) or starters[at] >= b:
                continue
            here = capitals[bisect_left(capitals, a) : bisect_left(capitals, b)]
            if not self.skip_dropped or any(_may_be_kept(tokens, k, b, taken, self.lexicon) for k in here):
                todo.extend(windows(here, a, b) if self.windowed and here else [(a, b)])
        # features first, then the tagger: each stays warm in the cache while it works
        features = [self.featurizer.features(tokens, initial, a, b) for a, b in todo]
        for (a, _b), feats in zip(todo, features, strict=True):
            labels = self.tagger.tag(feats)
            for first, last, kind in spans(labels):
                if not taken.isdisjoint(range(a + first, a + last)) or kind not in LABEL_TYPES:
                    continue
                probs = [self.tagger.marginal(labels[k], k) for k in range(first, last)]
                confidence = sum(probs) / len(probs)
                if confidence >= MIN_CONFIDENCE:
                    out.append(Candidate(a + first, a + last, LABEL_TYPES[kind], round(confidence, 3)))
        return out


def _may_be_kept(tokens: Tokens, k: int, end: int, taken: set[int], lex: Lexicon) -> bool:
    """Whether a name the model finds at token ``k`` (in a sentence ending before ``end``) could
    survive the recogniser's filters (:meth:`dossier.ner.recogniser.Recogniser.candidates`): it
    starts with a capital letter, outside the KB's names, not with a title, and is not one
    Vietnamese word alone without a title before it. A sentence with no such word is not tagged:
    whatever the model found there would be dropped."""
    tok = tokens[k]
    if not tok.cap or k in taken or starts_with_title(tokens, k, lex):
        return False
    return not tok.viet or (k + 1 < end and k + 1 not in taken) or bool(title_before(tokens, k, lex))


@lru_cache(maxsize=4)
def _load(path: str) -> CrfModel:
    return CrfModel(Path(path), lexicon())


def load_model(path: Path | None = None) -> CrfModel | None:
    """The model at ``path`` (default: the packaged one), or None when that file does not exist."""
    path = path or model_path()
    if not path.exists():
        return None
    return _load(str(path))
