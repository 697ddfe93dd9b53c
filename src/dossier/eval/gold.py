"""Loading a gold folder: hand-made answers for some source files, one JSON list per kind.

A gold folder holds any subset of ``articles.json``, ``boilerplate.json``, ``entities.json``,
``events.json``, ``quotes.json``, ``claims.json`` and ``duplicates.json`` (see the folder's README).
Every file is checked when it is loaded, so the scorers can rely on the fields they read; a missing
folder or a malformed file raises ``DossierError("E010")`` naming the path and what is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.errors import DossierError
from dossier.vi.text import nfc

KINDS = ("articles", "boilerplate", "entities", "events", "quotes", "claims", "duplicates")

Record = dict[str, Any]

# field -> accepted JSON types; a field listed here must be present in every object of the kind.
_REQUIRED: dict[str, dict[str, tuple[type, ...]]] = {
    "articles": {"file": (str,), "start_line": (int,), "end_line": (int,), "title": (str,)},
    "boilerplate": {"file": (str,), "line": (int,), "text": (str,)},
    "entities": {"id": (str,), "aliases": (list,)},
    "events": {"id": (str,), "date": (str, type(None)), "participants": (list,), "evidence": (list,)},
    "quotes": {"file": (str,), "line": (int,), "speaker": (str,), "quote": (str,)},
    "claims": {"id": (str,), "asserted_by": (list,), "denied_by": (list,), "evidence": (list,)},
    "duplicates": {"a": (dict,), "b": (dict,)},
}

# Optional fields that, when present and not null, must have this type.
_OPTIONAL: dict[str, dict[str, tuple[type, ...]]] = {
    "articles": {
        "published": (str,),
        "outlet": (str,),
        "original_outlet": (str,),
        "authors": (list,),
        "translator": (str,),
    },
    "entities": {"wikidata": (str,), "english_name": (str,), "type": (str,)},
    "events": {"date_end": (str,)},
    "quotes": {"end_line": (int,)},
}

# List fields whose items must all be strings.
_STRING_LISTS: dict[str, tuple[str, ...]] = {
    "articles": ("authors",),
    "entities": ("aliases",),
    "events": ("participants",),
    "claims": ("asserted_by", "denied_by"),
}

# Nested objects: (kind, list or object field) -> fields each nested object must have.
_NESTED: dict[tuple[str, str], dict[str, tuple[type, ...]]] = {
    ("events", "evidence"): {"file": (str,), "line": (int,)},
    ("claims", "evidence"): {"file": (str,), "line": (int,)},
    ("duplicates", "a"): {"file": (str,), "start_line": (int,)},
    ("duplicates", "b"): {"file": (str,), "start_line": (int,)},
}


@dataclass
class Gold:
    """The answers in one gold folder. A kind whose file is absent is ``None`` (not scored);
    a present but empty file is ``[]`` (scored: nothing to find)."""

    path: Path
    kinds: dict[str, list[Record]] = field(default_factory=dict)

    def get(self, kind: str) -> list[Record] | None:
        """The answers of one kind, or None when the folder has no file for it."""
        return self.kinds.get(kind)

    def files_of(self, kind: str) -> set[str]:
        """The source file names a kind's answers point at (evidence files for events and claims)."""
        return {f for rec in self.kinds.get(kind) or [] for f in record_files(kind, rec)}

    @property
    def files(self) -> set[str]:
        """Every source file named anywhere in the folder: the scope of kinds that name none."""
        return set().union(*(self.files_of(kind) for kind in self.kinds))

    def corpus_lines(self, file: str) -> list[str] | None:
        """The NFC lines of ``file`` from the corpus the gold README points at (``../corpus/seeds``),
        or None when it is not there. Used only when the store does not hold the source."""
        for folder in (self.path.parent / "corpus" / "seeds", self.path.parent / "corpus"):
            candidate = folder / file
            if candidate.is_file():
                text = candidate.read_bytes().decode("utf-8", errors="replace")
                return [nfc(line.rstrip("\r")) for line in text.split("\n")]
        return None


def record_files(kind: str, rec: Record) -> list[str]:
    """The source file names one gold record refers to."""
    if kind in ("events", "claims"):
        return [ev["file"] for ev in rec["evidence"]]
    if kind == "duplicates":
        return [rec["a"]["file"], rec["b"]["file"]]
    if kind == "entities":
        return []
    return [rec["file"]]


def load_gold(path: str | Path) -> Gold:
    """Read every known kind file in ``path``; raise E010 when the folder is missing, holds none of
    them, or one of them is not a JSON list of objects with the fields its kind needs."""
    folder = Path(path)
    if not folder.exists():
        raise DossierError("E010", path=folder, reason="does not exist")
    if not folder.is_dir():
        raise DossierError("E010", path=folder, reason="is not a folder")
    gold = Gold(path=folder)
    for kind in KINDS:
        file = folder / f"{kind}.json"
        if file.is_file():
            gold.kinds[kind] = _load_kind(kind, file)
    if not gold.kinds:
        expected = ", ".join(f"{k}.json" for k in KINDS)
        raise DossierError("E010", path=folder, reason=f"holds no gold file (expected any of {expected})")
    return gold


def _load_kind(kind: str, file: Path) -> list[Record]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DossierError("E010", path=file, reason=f"is not UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise DossierError(
            "E010", path=file, reason=f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except OSError as exc:
        raise DossierError("E010", path=file, reason=f"cannot be read ({exc.strerror})") from exc
    if not isinstance(data, list):
        raise DossierError("E010", path=file, reason=f"must hold a JSON list, found {type(data).__name__}")
    for index, rec in enumerate(data):
        problem = _problem(kind, rec)
        if problem:
            raise DossierError("E010", path=file, reason=f"item {index}: {problem}")
        if kind == "articles" and rec.get("authors") is None:
            rec["authors"] = []
    return data


def _problem(kind: str, rec: object) -> str | None:
    """What is wrong with one gold object, or None when it has every field its kind needs."""
    if not isinstance(rec, dict):
        return f"must be a JSON object, found {type(rec).__name__}"
    problem = _check_fields(rec, _REQUIRED[kind], required=True)
    problem = problem or _check_fields(rec, _OPTIONAL.get(kind, {}), required=False)
    for name in _STRING_LISTS.get(kind, ()):
        values = rec.get(name) or []
        if not problem and not all(isinstance(v, str) for v in values):
            problem = f"field {name!r} must be a list of strings"
    for (nested_kind, name), fields in _NESTED.items():
        if problem or nested_kind != kind:
            continue
        value = rec[name]
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            if not isinstance(item, dict):
                return f"{name}[{i}] must be a JSON object"
            inner = _check_fields(item, fields, required=True)
            if inner:
                return f"{name}[{i}]: {inner}"
    return problem


def _check_fields(rec: Record, fields: dict[str, tuple[type, ...]], required: bool) -> str | None:
    for name, types in fields.items():
        if name not in rec:
            if required:
                return f"missing field {name!r}"
            continue
        value = rec[name]
        if not required and value is None:
            continue
        # bool is an int in Python but never a line number
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            wanted = " or ".join("null" if t is type(None) else _JSON_NAMES.get(t, t.__name__) for t in types)
            return f"field {name!r} must be {wanted}, found {json.dumps(value, ensure_ascii=False)[:60]}"
    return None


_JSON_NAMES: dict[type, str] = {str: "a string", int: "an integer", list: "a list", dict: "an object"}
