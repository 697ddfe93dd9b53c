"""Article stage ``entities``: find and link the names in an article's text.

Knowledge-base names (``Bắc Hàn``, ``CHDCND Triều Tiên``, ``Matxcơva``) link to their KB entity
(``ent-<slug>``); names the KB lacks get a new entity (``ent-new-<hash>``) that the corpus stage
``entity_table`` clusters across articles. Each mention carries the source line it is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dossier.models import Article, Mention
from dossier.ner.recogniser import Recogniser, load_recogniser

if TYPE_CHECKING:
    from dossier.pipeline import Context

RESOURCE = "entities.recogniser"


def recogniser(ctx: Context) -> Recogniser:
    """The recogniser for this build (loaded once: KB, word lists, model)."""
    return ctx.resource(RESOURCE, load_recogniser)


def annotate(article: Article, rec: Recogniser) -> Article:
    """Fill ``article.mentions`` (replacing what it had) and return the article."""
    line_of = article.offsets.line_of
    article.mentions = [
        Mention(
            start=f.start,
            end=f.end,
            text=f.text,
            entity_id=f.entity,
            type=f.type,
            line=line_of(f.start),
            confidence=round(f.confidence, 3),
            method=f.method,
            name=f.name,
        )
        for f in rec.recognise(article.text, article.published)
    ]
    return article


def run(article: Article, ctx: Context) -> Article:
    return annotate(article, recogniser(ctx))
