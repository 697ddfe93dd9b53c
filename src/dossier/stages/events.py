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

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from dossier.models import Article
from dossier.stages import event_anchor, event_extract, event_join, event_shards
from dossier.store import corpus_io
from dossier.store.sqlite import Store

if TYPE_CHECKING:
    from dossier.pipeline import Context


def run(article: Article, ctx: Context) -> Article:
    article.events = event_extract.extract(article, keep_undated=True)
    return article


def _redate_undated(
    store: Store,
    undated: list[dict[str, Any]],
    dated_rows: list[dict[str, Any]],
    mentions: dict[str, list[dict[str, Any]]],
    years: list[int],
) -> None:
    for row in undated:
        article = event_anchor.article_from_store(
            row, store.sentences(row["id"]), mentions.get(row["id"], [])
        )
        anchor = event_anchor.infer(article, dated_rows, years)
        if anchor is None:
            continue
        event_anchor.redate(article, anchor)
        store.replace_times_and_events(row["id"], article.times, article.events)


def run_corpus(store: Store, ctx: Context) -> None:
    """Recompute the timeline from the stored event mentions of the canonical articles, shard by shard
    (:mod:`dossier.stages.event_shards`), on the build's engine."""
    if corpus_io.has_undated(store):
        articles = [a for a in store.articles() if not a.get("duplicate_of")]
        undated = [a for a in articles if not a["published"]]
        mention_rows = store.mention_rows()
        by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in mention_rows:
            by_article[m["article"]].append(m)
        dated_ids = {a["id"] for a in articles if a["published"]}
        years = sorted({int(a["published"][:4]) for a in articles if a["published"]})
        dated_rows = [r for r in store.event_mentions() if r["article"] in dated_ids]
        _redate_undated(store, undated, dated_rows, by_article, years)
    shards = event_shards.plan(corpus_io.event_dates(store))
    persons = corpus_io.person_ids(store)
    batches = ctx.engine.map(event_shards.shard_events, event_shards.shard_rows(store, shards), persons)
    corpus_io.write_events(store, batches)
    event_join.run(store)
