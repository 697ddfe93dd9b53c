"""The "events" stages: event mentions per article, then one timeline across articles.

* Article stage: :func:`run` fills ``article.events`` from its sentences, times and entity mentions
  (:mod:`dossier.stages.event_extract`).
* Corpus stage: :func:`run_corpus` dates the undated articles that share events with dated ones
  (:mod:`dossier.stages.event_anchor`), then merges the event mentions of every canonical article
  (duplicates never add evidence) into timeline events (:mod:`dossier.stages.event_merge`), stored
  with ``Store.replace_events``; then joins the undated mentions that fit one dated event to it
  (:mod:`dossier.stages.event_join`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dossier.models import Article
from dossier.stages import event_anchor, event_extract, event_join, event_shards
from dossier.stages.entity_table import PERSON_IDS
from dossier.store import corpus_io
from dossier.store.sqlite import Store

if TYPE_CHECKING:
    from dossier.pipeline import Context


def run(article: Article, ctx: Context) -> Article:
    article.events = event_extract.extract(article, keep_undated=True)
    return article


def _redate_undated(store: Store) -> None:
    """Date the canonical undated articles that share events with dated ones, one article at a time;
    of the dated event mentions, only those that could agree with one of theirs are held."""
    entity_ids: set[str] = set()
    for row in corpus_io.undated_articles(store):
        entity_ids.update(m["entity"] for m in corpus_io.article_mentions(store, row["id"]))
    dated_rows = corpus_io.dated_deeds(store, entity_ids)
    years = corpus_io.published_years(store)
    for row in corpus_io.undated_articles(store):
        mentions = corpus_io.article_mentions(store, row["id"])
        article = event_anchor.article_from_store(row, store.sentences(row["id"]), mentions)
        anchor = event_anchor.infer(article, dated_rows, years)
        if anchor is None:
            continue
        event_anchor.redate(article, anchor)
        store.replace_times_and_events(row["id"], article.times, article.events)


def run_corpus(store: Store, ctx: Context) -> None:
    """Recompute the timeline from the stored event mentions of the canonical articles, shard by shard
    (:mod:`dossier.stages.event_shards`), on the build's engine; then join undated mentions to it."""
    if corpus_io.has_undated(store):
        _redate_undated(store)
    persons = ctx.cache.pop(PERSON_IDS, None)  # counted by the entities stage, which ran just before
    if persons is None:
        persons = corpus_io.person_ids(store)
    shards = event_shards.plan(corpus_io.event_dates(store))
    units = event_shards.units(store, shards, persons, stream=ctx.engine.in_process)
    corpus_io.write_events(
        store, event_shards.numbered(ctx.engine.map(event_shards.unit_events, units, persons))
    )
    event_join.run(store, persons)
