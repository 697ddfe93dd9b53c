"""Writing the JSON export as it is read: item by item, each checked as it goes, never the whole
document in memory.

The text is exactly what ``json.dumps(build_export(store), ensure_ascii=False, indent=2) + "\\n"``
gives; each item is checked against its part of the schema and its ids and lines against what was
written before it (the same checks as :func:`dossier.exports.json_export.validate`). What stays in
memory is an index of ids: the sources, the articles with their spans, the entities.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TextIO

import jsonschema
from jsonschema.exceptions import best_match

from dossier.errors import DossierError
from dossier.store.sqlite import Store

# each list of the document, the schema definition of its items, and how a stored row becomes one
Section = tuple[str, str, Callable[[Store], Iterable[dict[str, Any]]]]


def _sections() -> list[Section]:
    from dossier.exports import json_export as j  # json_export builds on this module

    return [
        ("sources", "source", lambda s: (j._pick(r, j._SOURCE_KEYS) for r in s.sources())),
        ("articles", "article", lambda s: (j.export_article(r) for r in s.articles())),
        ("entities", "entity", lambda s: (j._pick(r, j._ENTITY_KEYS) for r in s.iter_entities())),
        ("mentions", "mention", lambda s: (j._pick(r, j._MENTION_KEYS) for r in s.iter_mentions())),
        ("times", "time", lambda s: (j._pick(r, j._TIME_KEYS) for r in s.iter_times())),
        ("events", "event", lambda s: (j._with_evidence(r, j._EVENT_KEYS) for r in s.iter_events())),
        ("quotes", "quote", lambda s: (j._pick(r, j._QUOTE_KEYS) for r in s.iter_quotes())),
        ("claims", "claim", lambda s: (j._with_evidence(r, j._CLAIM_KEYS) for r in s.iter_claims())),
    ]


@cache
def _item_validator(definition: str) -> jsonschema.Draft202012Validator:
    """A validator of one definition of the contract, its references to other definitions written
    out in place (a reference looked up for every item of a large export costs more than the rest)."""
    from dossier.exports.json_export import schema

    defs = schema()["$defs"]

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return jsonschema.Draft202012Validator({**inline(defs[definition]), "$defs": defs})


class _Checker:
    """The checks of ``json_export.validate`` made item by item: the first schema error (by document
    order), and every id or line that points at nothing."""

    def __init__(self) -> None:
        self.schema_error: str | None = None
        self.problems: list[str] = []
        self.problem_count = 0
        self.sources: set[str] = set()
        self.spans: dict[str, tuple[int, int]] = {}
        self.entities: set[str] = set()
        self.later: list[tuple[str, str]] = []  # (where, article id) of duplicate_of not yet seen

    def problem(self, text: str) -> None:
        self.problem_count += 1
        if not self.problems:
            self.problems.append(text)

    def need(self, ids: Iterable[str | None], known: Any, where: str) -> None:
        for i in ids:
            if i is not None and i not in known:
                self.problem(f"{where}: unknown id {i}")

    def cited(self, article: str, line: int, where: str) -> None:
        self.need([article], self.spans, where)
        if article in self.spans and not self.spans[article][0] <= line <= self.spans[article][1]:
            self.problem(f"{where}: line {line} is outside article {article} {self.spans[article]}")

    def item(self, section: str, definition: str, i: int, item: Mapping[str, Any]) -> None:
        validator = _item_validator(definition)
        if self.schema_error is None and not validator.is_valid(item):
            error = best_match(validator.iter_errors(item))
            if error is not None:
                where = "/".join([section, str(i), *(str(p) for p in error.absolute_path)])
                self.schema_error = f"{where}: {error.message}"
        where = f"{section}/{i}"
        if section == "sources":
            self.sources.add(item["id"])
        elif section == "articles":
            self.need([item["source"]], self.sources, f"{where}/source")
            self.spans[item["id"]] = (item["span"]["start_line"], item["span"]["end_line"])
            if item["duplicate_of"] is not None:
                self.later.append((f"{where}/duplicate_of", item["duplicate_of"]))
        elif section == "entities":
            self.entities.add(item["id"])
            self.need(item["articles"], self.spans, f"{where}/articles")
        elif section == "mentions":
            self.need([item["entity"]], self.entities, f"{where}/entity")
            self.cited(item["article"], item["line"], where)
        elif section == "times":
            self.cited(item["article"], item["line"], where)
        elif section == "quotes":
            self.need([item["speaker"]], self.entities, f"{where}/speaker")
            self.cited(item["article"], item["line"], where)
        elif section == "events":
            self.need([*item["participants"], item["place"]], self.entities, where)
            for j, e in enumerate(item["evidence"]):
                self.cited(e["article"], e["line"], f"{where}/evidence/{j}")
        elif section == "claims":
            self.need([*item["asserted_by"], *item["denied_by"]], self.entities, where)
            for j, e in enumerate(item["evidence"]):
                self.cited(e["article"], e["line"], f"{where}/evidence/{j}")

    def end_of(self, section: str) -> None:
        if section == "articles":  # a copy may point at an article listed after it
            for where, article in self.later:
                self.need([article], self.spans, where)
            self.later = []

    def raise_first(self) -> None:
        if self.schema_error is not None:
            raise DossierError("E012", reason=self.schema_error)
        if self.problems:
            more = f" (and {self.problem_count - 1} more)" if self.problem_count > 1 else ""
            raise DossierError("E012", reason=self.problems[0] + more)


def _indented(value: Any, prefix: str) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return prefix + text.replace("\n", "\n" + prefix)


def chunks(store: Store, checker: _Checker, generated_at: str | None = None) -> Iterator[str]:
    """The export's text, piece by piece, each item checked by ``checker`` as it is written."""
    head = {
        "dossier_version": "1",
        "generated_at": generated_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    yield "{\n" + ",\n".join(
        f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items()
    )
    for section, definition, rows in _sections():
        yield f",\n  {json.dumps(section)}: ["
        first = True
        for i, item in enumerate(rows(store)):
            checker.item(section, definition, i, item)
            yield ("\n" if first else ",\n") + _indented(item, "    ")
            first = False
        checker.end_of(section)
        yield "]" if first else "\n  ]"
    yield "\n}\n"


def write_json(store: Store, path: Path | None) -> Path | None:
    """Write the export to ``path`` (stdout when None) as it is read, checking it as it goes.

    Raises ``DossierError`` E012, writing nothing, when the export does not keep the contract: the text
    goes to a temporary file beside ``path`` first, which replaces ``path`` once all is checked."""
    checker = _Checker()
    folder = Path(path).parent if path is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".dossier-", suffix=".json.part", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for piece in chunks(store, checker):
                out.write(piece)
        checker.raise_first()
        if path is None:
            with open(temp, encoding="utf-8") as done:
                _copy(done, sys.stdout)
            return None
        os.replace(temp, path)
        return Path(path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _copy(source: TextIO, target: TextIO) -> None:
    shutil.copyfileobj(source, target, 1 << 20)
    target.flush()
