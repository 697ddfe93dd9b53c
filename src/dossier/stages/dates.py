"""Article stage "dates": every time expression of an article, normalised with the precision the text
gives and resolved against the article's publication date (:mod:`dossier.timex`).

An article without a publication date keeps only what its words fix on their own (``năm 2017``,
``16/09/2023``, ``5 năm sau`` after them); ``hôm qua`` or ``19/06`` stay unresolved and are not
stored. The corpus stage "events" may later infer such an article's date from the events it shares
with dated articles and store its times again (:mod:`dossier.stages.event_anchor`).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from dossier.models import Article, TimeExpr
from dossier.timex import Anchor, Timex, tag
from dossier.vi.text import match_key

if TYPE_CHECKING:
    from dossier.pipeline import Context


def time_exprs(article: Article, found: list[Timex]) -> list[TimeExpr]:
    """The resolved expressions as the model's annotations, each with its source line."""
    out = []
    for t in found:
        if t.value is None or t.granularity is None:
            continue
        out.append(
            TimeExpr(
                start=t.start,
                end=t.end,
                text=t.text,
                value=t.value,
                granularity=t.granularity,
                basis=t.basis,
                value_end=t.value_end,
                line=article.offsets.line_of(t.start),
            )
        )
    return out


def article_key(article: Article) -> str:
    """``match_key(article.text)``; each sentence's :attr:`Sentence.key` not yet computed is set from it
    when it is the same string: the text is NFC, the key as long as it, and the sentence is its slice
    of the text with whitespace (or the text's edge) on both sides, which neither the tone-placement
    fold nor lower-casing reads across. The later stages then fold no sentence again."""
    text = article.text
    key = match_key(text)
    if len(key) != len(text) or not unicodedata.is_normalized("NFC", text):
        return key
    for sentence in article.sentences:
        start, end = sentence.start, sentence.end
        if "key" in sentence.__dict__ or text[start:end] != sentence.text:
            continue
        if (start == 0 or text[start - 1].isspace()) and (end == len(text) or text[end].isspace()):
            sentence.key = key[start:end]
    return key


def annotate(article: Article, anchor: Anchor | None) -> list[Timex]:
    """Tag the article's text against ``anchor`` and set ``article.times``; returns every expression
    found, resolved or not (the events stage reads them)."""
    found = tag(article.text, anchor, article_key(article))
    article.times = time_exprs(article, found)
    return found


def run(article: Article, ctx: Context) -> Article:
    annotate(article, Anchor.parse(article.published))
    return article
