"""The ordered stages and the loop that runs them over a batch of inputs.

Each source goes through the stages in memory and is written in one transaction; a source that fails
is recorded with its reason and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dossier import __version__
from dossier.config import Options
from dossier.errors import DossierError
from dossier.models import ProcessedSource, Source
from dossier.stages import decode, extract, ingest, segment
from dossier.store.sqlite import Store

# Bump when a stage's output changes, so that a rebuild reprocesses sources stored by an older one.
PIPELINE_VERSION = f"{__version__}+1"

STAGES: list[tuple[str, str]] = [
    ("ingest", "files, folders and URLs → sources (bytes, sha256, media type)"),
    ("decode", "bytes → NFC text with a map back to the original lines"),
    ("extract", "HTML via trafilatura; text via the cleaner and compilation splitter → articles"),
    ("segment", "article text → sentences with offsets and source lines"),
]


def process(source: Source) -> ProcessedSource:
    """Run every stage on one source; never raises for bad input (the error is recorded)."""
    done = ProcessedSource(source=source)
    try:
        doc = decode.decode(source)
        done.encoding = doc.encoding
        done.document = doc
        articles = extract.extract(doc)
        for art in articles:
            art.sentences = segment.split_sentences(art.text, art.offsets)
        done.articles = articles
    except DossierError as err:
        done.status, done.error = "error", str(err)
    return done


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    articles: int = 0


def _failure_source(failure: ingest.Failure) -> ProcessedSource:
    placeholder = Source(
        uri=failure.uri, data=b"", media_type="application/octet-stream", sha256=f"unread:{failure.uri}"
    )
    return ProcessedSource(source=placeholder, status="error", error=str(failure.error))


def build(
    targets: Iterable[str],
    store: Store,
    options: Options | None = None,
    on_source: Callable[[str], None] | None = None,
) -> BuildReport:
    """Ingest and process every input into ``store``. Rerunning on the same inputs changes nothing."""
    options = options or Options()
    report = BuildReport()
    for item in ingest.collect(list(targets), options.max_bytes, options.fetch_timeout):
        if isinstance(item, ingest.Failure):
            store.save(_failure_source(item), PIPELINE_VERSION)
            report.failed.append((item.uri, str(item.error)))
        else:
            state = store.source_state(item.sha256)
            fresh = (
                state is not None
                and state["status"] == "ok"
                and state["pipeline_version"] == PIPELINE_VERSION
                and not options.force
            )
            if fresh:
                report.unchanged.append(item.uri)
            else:
                done = process(item)
                store.save(done, PIPELINE_VERSION)
                if done.status == "ok":
                    report.added.append(item.uri)
                    report.articles += len(done.articles)
                else:
                    report.failed.append((item.uri, done.error or ""))
        if on_source:
            on_source(item.uri)
    return report
