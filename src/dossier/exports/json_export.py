"""The JSON export: the dossier as one object shaped by the contract in EXPORT.md, and its check."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from dossier.errors import DossierError
from dossier.store.sqlite import Store

DOSSIER_VERSION = "1"

_SOURCE_KEYS = (
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
)
_ENTITY_KEYS = ("id", "type", "name", "wikidata", "aliases", "mention_count", "articles")
_MENTION_KEYS = ("entity", "article", "line", "start", "end", "text")
_TIME_KEYS = ("article", "line", "text", "value", "value_end", "granularity", "basis")
_EVENT_KEYS = ("id", "date", "date_end", "type", "summary", "participants", "place")
_QUOTE_KEYS = ("id", "speaker", "speaker_text", "text", "article", "line", "end_line", "kind")
_CLAIM_KEYS = ("id", "text", "asserted_by", "denied_by")
_EVIDENCE_KEYS = ("article", "line", "text")


def _pick(row: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {key: row[key] for key in keys}


def _with_evidence(row: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    out = _pick(row, keys)
    out["evidence"] = [_pick(e, _EVIDENCE_KEYS) for e in row["evidence"]]
    return out


def export_article(row: Mapping[str, Any]) -> dict[str, Any]:
    """One stored article in the contract's shape, plus ``published_time`` and ``contributors``."""
    return {
        "id": row["id"],
        "source": row["source_id"],
        "span": {"start_line": row["start_line"], "end_line": row["end_line"]},
        "title": row["title"],
        "published": row["published"],
        "published_time": row["published_time"],
        "outlet": row["outlet"],
        "original_outlet": row["original_outlet"],
        "authors": list(row["authors"]),
        "translator": row["translator"],
        "contributors": list(row["contributors"]),
        "language": row["language"],
        "text": row["text"],
        "duplicate_of": row["duplicate_of"],
    }


def build_export(store: Store, *, generated_at: str | None = None) -> dict[str, Any]:
    """Everything the store holds, as the object EXPORT.md describes: superseded and failed sources
    included, articles in chronological order (undated last)."""
    return {
        "dossier_version": DOSSIER_VERSION,
        "generated_at": generated_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sources": [_pick(row, _SOURCE_KEYS) for row in store.sources()],
        "articles": [export_article(row) for row in store.articles()],
        "entities": [_pick(row, _ENTITY_KEYS) for row in store.entities()],
        "mentions": [_pick(row, _MENTION_KEYS) for row in store.mentions()],
        "times": [_pick(row, _TIME_KEYS) for row in store.times()],
        "events": [_with_evidence(row, _EVENT_KEYS) for row in store.events()],
        "quotes": [_pick(row, _QUOTE_KEYS) for row in store.quotes()],
        "claims": [_with_evidence(row, _CLAIM_KEYS) for row in store.claims()],
    }


@cache
def schema() -> dict[str, Any]:
    """The contract as a JSON Schema (draft 2020-12), read from the package."""
    text = resources.files("dossier.exports").joinpath("schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def _located(error: jsonschema.ValidationError) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
    return f"{where}: {error.message}"


def _broken_references(doc: Mapping[str, Any]) -> list[str]:
    """Ids that point at nothing in the document, and evidence lines outside their article's span.

    A schema cannot see across lists; a reader following a dangling id or a line outside the article
    would be misled about where a fact came from.
    """
    sources = {s["id"] for s in doc["sources"]}
    spans = {a["id"]: (a["span"]["start_line"], a["span"]["end_line"]) for a in doc["articles"]}
    entities = {e["id"] for e in doc["entities"]}
    problems: list[str] = []

    def need(ids: Iterable[str | None], known: set[str] | dict[str, Any], where: str) -> None:
        problems.extend(f"{where}: unknown id {i}" for i in ids if i is not None and i not in known)

    def cited(article: str, line: int, where: str) -> None:
        need([article], spans, where)
        if article in spans and not spans[article][0] <= line <= spans[article][1]:
            problems.append(f"{where}: line {line} is outside article {article} {spans[article]}")

    for i, a in enumerate(doc["articles"]):
        need([a["source"]], sources, f"articles/{i}/source")
        need([a["duplicate_of"]], spans, f"articles/{i}/duplicate_of")
    for i, e in enumerate(doc["entities"]):
        need(e["articles"], spans, f"entities/{i}/articles")
    for i, m in enumerate(doc["mentions"]):
        need([m["entity"]], entities, f"mentions/{i}/entity")
        cited(m["article"], m["line"], f"mentions/{i}")
    for i, t in enumerate(doc["times"]):
        cited(t["article"], t["line"], f"times/{i}")
    for i, q in enumerate(doc["quotes"]):
        need([q["speaker"]], entities, f"quotes/{i}/speaker")
        cited(q["article"], q["line"], f"quotes/{i}")
    for i, ev in enumerate(doc["events"]):
        need([*ev["participants"], ev["place"]], entities, f"events/{i}")
        for j, e in enumerate(ev["evidence"]):
            cited(e["article"], e["line"], f"events/{i}/evidence/{j}")
    for i, c in enumerate(doc["claims"]):
        need([*c["asserted_by"], *c["denied_by"]], entities, f"claims/{i}")
        for j, e in enumerate(c["evidence"]):
            cited(e["article"], e["line"], f"claims/{i}/evidence/{j}")
    return problems


def validate(doc: Mapping[str, Any]) -> None:
    """Return quietly when ``doc`` keeps the contract; otherwise raise ``DossierError`` E012 naming the
    first place it breaks (schema first, then ids and lines that point at nothing)."""
    validator = jsonschema.Draft202012Validator(schema())
    error = best_match(validator.iter_errors(doc))
    if error is not None:
        raise DossierError("E012", reason=_located(error))
    problems = _broken_references(doc)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DossierError("E012", reason=problems[0] + more)


def dumps(doc: Mapping[str, Any]) -> str:
    """The document as UTF-8-ready JSON text: Vietnamese kept as is, indented by 2, newline at the end."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_json(store: Store, path: Path | None) -> Path | None:
    """Write the export to ``path`` (stdout when None), checked against the contract: the same text as
    ``dumps(build_export(store))``, streamed as it is read (:mod:`dossier.exports.json_stream`), so
    that a store of any size is exported in little memory.

    Raises ``DossierError`` E012, writing nothing, when the export does not keep the contract.
    """
    from dossier.exports import json_stream

    return json_stream.write_json(store, path)
