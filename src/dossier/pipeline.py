"""The ordered stages and the loop that runs them over a batch of inputs.

Per source: ingest → decode → extract, then every *article stage* in order, each a plain function
``run(article, ctx) -> Article`` that adds its annotations; everything a source yields is written in
one transaction. After the batch, every *corpus stage* ``run(store, ctx)`` recomputes the
cross-article objects (duplicates, entities the knowledge base lacks, events, claims) from what is
stored. A source that fails is recorded with its reason and the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dossier import __version__
from dossier.config import Options
from dossier.engine.local import Engine, LocalEngine
from dossier.errors import DossierError
from dossier.memory import release, settle
from dossier.models import Article, ProcessedSource, Source
from dossier.stages import (
    claims,
    dates,
    decode,
    dedup,
    entities,
    entity_table,
    events,
    extract,
    ingest,
    quotes,
    segment,
)
from dossier.store import bulk_indexes
from dossier.store.lock import build_lock
from dossier.store.sqlite import Store

# Bump when a stage's output changes, so that a rebuild reprocesses sources stored by an older one.
PIPELINE_VERSION = f"{__version__}+8"


@dataclass
class Context:
    """What stages share during one build: the options, and resources loaded once (a knowledge base,
    a trained model) under a name of the stage's choosing."""

    options: Options = field(default_factory=Options)
    cache: dict[str, Any] = field(default_factory=dict)
    # where sources and corpus shards are processed (dossier.engine: local or ray)
    engine: Engine = field(default_factory=LocalEngine)

    def resource(self, name: str, load: Callable[[], Any]) -> Any:
        if name not in self.cache:
            self.cache[name] = load()
        return self.cache[name]


ArticleStep = Callable[[Article, Context], Article]
CorpusStep = Callable[[Store, Context], None]


@dataclass(frozen=True)
class Stage:
    name: str
    what: str
    run: Callable[..., Any] | None = None  # None for the source-level stages, run by process()


SOURCE_STAGES: list[Stage] = [
    Stage("ingest", "files, folders and URLs → sources (bytes, sha256, media type)"),
    Stage("decode", "bytes → NFC text with a map back to the original lines"),
    Stage("extract", "HTML via trafilatura; text via the cleaner and compilation splitter → articles"),
]
# Order matters: entities before dates (none needed) and quotes (speakers), events and claims last.
# Intended order: segment, entities, dates, quotes, events, claims.
ARTICLE_STAGES: list[Stage] = [
    Stage("segment", "article text → sentences with offsets and source lines", segment.run),
    Stage("entities", "KB names + recogniser → mentions linked to entities", entities.run),
    Stage("dates", "Vietnamese time expressions → TIMEX-like values resolved on the article date", dates.run),
    Stage("quotes", "quotations and indirect speech → quotes with their speakers", quotes.run),
    Stage("events", "event triggers + participants + times → event mentions per sentence", events.run),
    Stage("claims", "accusations, statements and denials → claim mentions with their holders", claims.run),
]
# Intended order: dedup (so that duplicates never double-count evidence), entities, events, claims.
CORPUS_STAGES: list[Stage] = [
    Stage("dedup", "near-verbatim copies (MinHash/LSH) → duplicate_of their canonical article", dedup.run),
    Stage("entities", "mentions → the entity table, new entities clustered by spelling", entity_table.run),
    Stage("events", "event mentions of canonical articles → one timeline with evidence", events.run_corpus),
    Stage("claims", "claim mentions of canonical articles → who asserts, who denies", claims.run_corpus),
]


def stages() -> list[Stage]:
    return [*SOURCE_STAGES, *ARTICLE_STAGES, *CORPUS_STAGES]


def process(source: Source, ctx: Context | None = None) -> ProcessedSource:
    """Run every source and article stage on one source; never raises for bad input (the error is
    recorded on the result)."""
    ctx = ctx or Context()
    done = ProcessedSource(source=source)
    running = "decode"
    try:
        doc = decode.decode(source, ctx.options.max_line_chars)
        done.encoding = doc.encoding
        done.document = doc
        running = "extract"
        articles = extract.extract(doc)
        for stage in ARTICLE_STAGES:
            assert stage.run is not None
            running = stage.name
            articles = [stage.run(art, ctx) for art in articles]
        done.articles = articles
    except DossierError as err:
        done.status, done.error = "error", str(err)
    except Exception as exc:  # a bug met on one hostile input must not stop the batch
        logging.getLogger(__name__).exception("stage %s failed on %s", running, source.uri)
        reason = f"{type(exc).__name__}: {exc}"[:300]
        done.status, done.articles = "error", []
        done.error = str(DossierError("E037", stage=running, uri=source.uri, reason=reason))
    return done


@dataclass
class BuildReport:
    """What a build did. ``processed`` / ``skipped`` count the sources processed and those left as
    stored; ``added`` / ``unchanged`` name them unless the build was asked for counts only
    (``list_uris=False``: a build of millions of files then holds none of their names). Failures are
    always listed with their errors."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    articles: int = 0
    processed: int = 0
    skipped: int = 0
    # indexes set aside and cross-article objects wait: a build asked not to finish (``finish=False``)
    stale: bool = False


def _failure_source(failure: ingest.Failure) -> ProcessedSource:
    placeholder = Source(
        uri=failure.uri, data=b"", media_type="application/octet-stream", sha256=f"unread:{failure.uri}"
    )
    return ProcessedSource(source=placeholder, status="error", error=str(failure.error))


def finalize(store: Store, ctx: Context) -> None:
    """Recompute the cross-article objects from what the store holds."""
    with store.conn.small_heap():
        for stage in CORPUS_STAGES:
            assert stage.run is not None
            release()  # what the last step freed goes back to the system: the peak is one step's
            stage.run(store, ctx)


def build(
    targets: Iterable[str],
    store: Store,
    options: Options | None = None,
    on_source: Callable[[str], None] | None = None,
    ctx: Context | None = None,
    list_uris: bool = True,
    finish: bool = True,
) -> BuildReport:
    """Ingest and process every input into ``store``. Rerunning on the same inputs changes nothing.
    ``list_uris`` False: the report counts the sources processed and unchanged without naming them.
    ``finish`` False: the indexes set aside are left to make and the cross-article objects to recompute
    (``report.stale``; the store remembers it, as after a crash): by :func:`finish_build`, or a step per
    fresh interpreter (:mod:`dossier.fresh_stages`).

    ``ctx`` carries the engine the sources and corpus shards run on (local by default); the store is
    written by this process only. One build at a time per store: raises E036 when another process is
    building into it."""
    with build_lock(store.path):
        ctx = ctx or Context(options=options or Options())
        return _build(targets, store, ctx, on_source, list_uris, finish)


def finish_build(store: Store, ctx: Context | None = None) -> bool:
    """Make the indexes a build set aside and recompute the cross-article objects, if a build left them
    stale; whether there was any to do."""
    with build_lock(store.path):
        bulk_indexes.restore(store)
        if store.build_state(_FINALIZE_PENDING) is None:
            return False
        finalize(store, ctx or Context())
        store.set_build_state(_FINALIZE_PENDING, None)
        return True


_FINALIZE_PENDING = FINALIZE_PENDING = "finalize_pending"  # set while cross-article objects are stale
_WORKER_CONTEXTS: dict[Options, Context] = {}


def process_item(item: tuple[str, Any], given: Context | Options) -> tuple[str, Any]:
    """The unit of work an engine runs: ``("process", source)`` becomes ``("done", ProcessedSource)``;
    other items pass through. On a worker, ``given`` is the build's options and the context (with its
    loaded resources) is kept for the worker's next items."""
    kind, obj = item
    if kind != "process":
        return item
    ctx = given if isinstance(given, Context) else _WORKER_CONTEXTS.setdefault(given, Context(options=given))
    done = process(obj, ctx)
    settle()  # the stages have loaded what they keep: the collector need not walk it again
    return "done", done


def _build(
    targets: Iterable[str],
    store: Store,
    ctx: Context,
    on_source: Callable[[str], None] | None,
    list_uris: bool = True,
    finish: bool = True,
) -> BuildReport:
    report = BuildReport()
    # a build killed between its writes and the end of finalize left this set
    pending = store.build_state(_FINALIZE_PENDING) is not None

    store.start_build()

    def work() -> Iterator[tuple[str, Any]]:
        for item in ingest.collect(list(targets), ctx.options):
            if isinstance(item, ingest.Failure):
                yield "failed", item
                continue
            state = store.source_state(item.sha256)
            fresh = (
                state is not None
                and state["status"] == "ok"
                and state["pipeline_version"] == PIPELINE_VERSION
                and not ctx.options.force
            )
            # bytes met twice in one build are processed once (the store remembers them, not this process)
            if fresh or not store.first_in_build(item.sha256):
                yield "unchanged", item.uri
            else:
                yield "process", item

    # a local engine shares this context (and its loaded resources); workers elsewhere get the options
    shared: Context | Options = ctx if isinstance(ctx.engine, LocalEngine) else ctx.options
    loader = bulk_indexes.Loader(store)
    # sources are written in transactions of several (all or nothing of each): far cheaper than one each
    with store.batched():
        for kind, obj in ctx.engine.map(process_item, work(), shared):
            if kind == "failed":
                store.save(_failure_source(obj), PIPELINE_VERSION)
                report.failed.append((obj.uri, str(obj.error)))
                uri = obj.uri
            elif kind == "unchanged":
                report.skipped += 1
                if list_uris:
                    report.unchanged.append(obj)
                uri = obj
            else:
                done: ProcessedSource = obj
                uri = done.source.uri
                if not pending:  # before the first write, so that a crash after it is finished later
                    store.set_build_state(_FINALIZE_PENDING, "1")
                    pending = True
                loader.before_save(len(done.articles))
                store.save(done, PIPELINE_VERSION)
                if done.status == "ok":
                    report.processed += 1
                    if list_uris:
                        report.added.append(uri)
                    report.articles += len(done.articles)
                else:
                    report.failed.append((uri, done.error or ""))
            if on_source:
                on_source(uri)
    if not finish:
        # what is left (the indexes set aside, the cross-article objects) waits for finish_build or
        # fresh interpreters; a stopped build's indexes set aside imply its stale mark
        if report.processed or ctx.options.force or pending:
            store.set_build_state(_FINALIZE_PENDING, "1")
            report.stale = True
        return report
    bulk_indexes.restore(store)  # also those a stopped build left aside
    if report.processed or ctx.options.force or pending:
        finalize(store, ctx)
        store.set_build_state(_FINALIZE_PENDING, None)
    return report
