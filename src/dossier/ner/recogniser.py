"""The entity recogniser: knowledge-base names, then the statistical model (or the shape rules when
no model file is there) for the names the KB lacks, then linking (:mod:`dossier.ner.link`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dossier.kb.loader import KnowledgeBase, load_kb
from dossier.ner.context import initial_tokens, title_before
from dossier.ner.gazetteer import Gazetteer
from dossier.ner.lexicon import Lexicon, lexicon
from dossier.ner.link import Candidate, Found, Linker
from dossier.ner.rules import rule_candidates, starts_with_title, vietnamese_name
from dossier.ner.tokens import Tokens, tokenize


@dataclass
class Recogniser:
    """Finds and links the entity mentions of a text. Build it once (:func:`load_recogniser`) and
    call :meth:`recognise` per article."""

    kb: KnowledgeBase
    linker: Linker
    lexicon: Lexicon
    model: object | None = None  # a dossier.ner.crf.CrfModel when the model file is there

    def candidates(self, text: str, tokens: Tokens, initial: set[int], taken: set[int]) -> list[Candidate]:
        """Names outside the KB's (``taken`` tokens).

        With a model: the model decides which words are names and of what type; where a model name
        overlaps a name the shape rules delimit, the rules' boundaries are kept (they know
        Vietnamese organisation names and hyphenated Korean names); a model name that starts with a
        lower-case word is dropped. The rules' names the model passed over are kept too, at their
        own (lower) confidence. Without a model: the shape rules alone."""
        ruled = rule_candidates(text, tokens, taken, initial, self.lexicon)
        if self.model is None:
            return ruled
        out: list[Candidate] = []
        used: set[int] = set()
        # the model leaves untagged the sentences where these filters would drop every name it could
        # find (dossier.ner.crf._may_be_kept): a change here must be made there too
        for c in self.model.candidates(text, tokens, taken, initial):  # type: ignore[attr-defined]
            if not tokens[c.first].text[0].isupper() or starts_with_title(tokens, c.first, self.lexicon):
                continue
            lone_word = c.last - c.first == 1 and tokens[c.first].viet
            if lone_word and not title_before(tokens, c.first, self.lexicon):
                continue  # one capitalised Vietnamese word alone is rarely a name
            for k, r in enumerate(ruled):
                if r.first < c.last and c.first < r.last:
                    c = Candidate(r.first, r.last, c.type, c.confidence, c.method)
                    used.add(k)
                    break
            if vietnamese_name(tokens[c.first : c.last], self.lexicon):
                c = Candidate(c.first, c.last, "person", c.confidence, c.method)
            out.append(c)
        out.extend(r for k, r in enumerate(ruled) if k not in used)
        return _without_overlaps(out)

    def recognise(self, text: str, published: str | None = None) -> list[Found]:
        """Every mention in ``text``, linked, in text order. ``published`` (ISO date, any precision)
        picks the holder of a title standing alone."""
        tokens = tokenize(text)
        initial = initial_tokens(text, tokens)
        names, roles = self.linker.gazetteer.find_layers(text, tokens, ("names", "roles"))
        matches = self.linker.kb_matches(text, tokens, initial, names)
        taken = {i for m in matches for i in range(m.first, m.last)}
        candidates = self.candidates(text, tokens, initial, taken)
        return self.linker.link(text, tokens, candidates, published, initial, matches, roles)


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates, the more confident (then longer) one kept where two overlap."""
    kept: list[Candidate] = []
    taken: set[int] = set()
    for c in sorted(candidates, key=lambda c: (-c.confidence, c.first - c.last, c.first)):
        if taken.isdisjoint(range(c.first, c.last)):
            kept.append(c)
            taken.update(range(c.first, c.last))
    return sorted(kept, key=lambda c: c.first)


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
