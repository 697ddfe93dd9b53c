"""Article stage "dates": every time expression of an article, normalised with the precision the text
gives and resolved against the article's publication date (:mod:`dossier.timex`).

An article without a publication date keeps only what its words fix on their own (``năm 2017``,
``16/09/2023``, ``5 năm sau`` after them); ``hôm qua`` or ``19/06`` stay unresolved and are not
stored. The corpus stage "events" may later infer such an article's date from the events it shares
with dated articles and store its times again (:mod:`dossier.stages.event_anchor`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dossier.models import Article, TimeExpr
from dossier.timex import Anchor, Timex, tag

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


def annotate(article: Article, anchor: Anchor | None) -> list[Timex]:
    """Tag the article's text against ``anchor`` and set ``article.times``; returns every expression
    found, resolved or not (the events stage reads them)."""
    found = tag(article.text, anchor, article.key)
    article.times = time_exprs(article, found)
    return found


def run(article: Article, ctx: Context) -> Article:
    annotate(article, Anchor.parse(article.published))
    return article
