"""The CSV export: one file per table, UTF-8 with a BOM so spreadsheet programs read Vietnamese, and
cells that a spreadsheet would run as formulas neutralised."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from dossier.store.sqlite import Store

# Spreadsheets treat a cell starting with these as a formula (OWASP "CSV injection"); tab and carriage
# return are included because some programs strip them before looking.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ARTICLE_COLUMNS = (
    "id",
    "source_uri",
    "start_line",
    "end_line",
    "published",
    "published_time",
    "outlet",
    "original_outlet",
    "authors",
    "translator",
    "contributors",
    "language",
    "title",
    "duplicate_of",
    "chars",
)
SENTENCE_COLUMNS = ("article_id", "idx", "line", "text")
SOURCE_COLUMNS = (
    "id",
    "uri",
    "sha256",
    "bytes",
    "media_type",
    "encoding",
    "status",
    "error",
    "version",
    "fetched_from",
    "ingested_at",
)
ENTITY_COLUMNS = ("id", "type", "name", "wikidata", "aliases", "mention_count", "articles")
MENTION_COLUMNS = ("entity", "article", "line", "start", "end", "text")
TIME_COLUMNS = ("article", "line", "text", "value", "granularity", "basis")
EVENT_COLUMNS = ("id", "date", "date_end", "type", "summary", "participants", "place")
QUOTE_COLUMNS = ("id", "speaker", "speaker_text", "text", "article", "line")
CLAIM_COLUMNS = ("id", "text", "asserted_by", "denied_by")
EVIDENCE_COLUMNS = ("kind", "object_id", "article", "line", "text")


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet shows as text: lists joined by ``"; "``, None as empty, and a string
    that would start a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Path:
    """Write ``rows`` (only ``columns``, in that order) with a header row, even when there are none."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(row[c]) for c in columns])
    return path


def _article_rows(articles: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for art in articles:
        yield {**art, "chars": len(art["text"])}


def _sentence_rows(store: Store, articles: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for art in articles:
        for sent in store.sentences(art["id"]):
            yield {**sent, "article_id": art["id"]}


def _evidence_rows(kind: str, objects: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for obj in objects:
        for ev in obj["evidence"]:
            yield {**ev, "kind": kind, "object_id": obj["id"]}


def write_csv(store: Store, out_dir: Path) -> Path:
    """Write one CSV per table into ``out_dir`` (created if missing) and return ``out_dir``.

    Files: articles, sentences, sources, entities, mentions, times, events, quotes, claims, and evidence
    (the sentences that support each event and claim, ``kind`` telling which).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    articles = list(store.articles())
    events = store.events()
    claims = store.claims()
    tables: list[tuple[str, Sequence[str], Iterable[Mapping[str, Any]]]] = [
        ("articles", ARTICLE_COLUMNS, _article_rows(articles)),
        ("sentences", SENTENCE_COLUMNS, _sentence_rows(store, articles)),
        ("sources", SOURCE_COLUMNS, store.sources()),
        ("entities", ENTITY_COLUMNS, store.entities()),
        ("mentions", MENTION_COLUMNS, store.mentions()),
        ("times", TIME_COLUMNS, store.times()),
        ("events", EVENT_COLUMNS, events),
        ("quotes", QUOTE_COLUMNS, store.quotes()),
        ("claims", CLAIM_COLUMNS, claims),
        ("evidence", EVIDENCE_COLUMNS, [*_evidence_rows("event", events), *_evidence_rows("claim", claims)]),
    ]
    for name, columns, rows in tables:
        write_table(out_dir / f"{name}.csv", columns, rows)
    return out_dir
