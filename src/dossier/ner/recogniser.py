"""The entity recogniser: knowledge-base names, then the statistical model (or the shape rules when
no model file is there) for the names the KB lacks, then linking (:mod:`dossier.ner.link`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dossier.kb.loader import KnowledgeBase, load_kb
from dossier.ner.context import initial_tokens
from dossier.ner.gazetteer import Gazetteer
from dossier.ner.lexicon import Lexicon, lexicon
from dossier.ner.link import Candidate, Found, Linker
from dossier.ner.rules import rule_candidates
from dossier.ner.tokens import Token, tokenize


@dataclass
class Recogniser:
    """Finds and links the entity mentions of a text. Build it once (:func:`load_recogniser`) and
    call :meth:`recognise` per article."""

    kb: KnowledgeBase
    linker: Linker
    lexicon: Lexicon
    model: object | None = None  # a dossier.ner.crf.CrfModel when the model file is there

    def candidates(self, text: str, tokens: list[Token], initial: set[int], taken: set[int]) -> list[Candidate]:
        """Names outside the KB's (``taken`` tokens): the model's when there is one, else the shape
        rules'."""
        if self.model is not None:
            return self.model.candidates(text, tokens, taken, initial)  # type: ignore[attr-defined]
        return rule_candidates(text, tokens, taken, initial, self.lexicon)

    def recognise(self, text: str, published: str | None = None) -> list[Found]:
        """Every mention in ``text``, linked, in text order. ``published`` (ISO date, any precision)
        picks the holder of a title standing alone."""
        tokens = tokenize(text)
        initial = initial_tokens(text, tokens)
        matches = self.linker.kb_matches(text, tokens, initial)
        taken = {i for m in matches for i in range(m.first, m.last)}
        candidates = self.candidates(text, tokens, initial, taken)
        return self.linker.link(text, tokens, candidates, published, initial, matches)


def load_recogniser(extra_kb: Iterable[str | Path] = (), use_model: bool = True) -> Recogniser:
    """The recogniser over the packaged KB (plus ``extra_kb`` files), with the trained model when its
    file is present and ``use_model`` is true."""
    kb = load_kb(extra_kb)
    lex = lexicon()
    linker = Linker(kb, Gazetteer(kb), lex)
    model = None
    if use_model:
        from dossier.ner.crf import load_model

        model = load_model()
    return Recogniser(kb, linker, lex, model)
