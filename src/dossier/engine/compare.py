"""Comparing two stores by what they export: the JSON export contract without its timestamps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dossier.exports import build_export
from dossier.store.sqlite import Store

_TIMESTAMPS = {"generated_at", "ingested_at"}


def _without_timestamps(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_timestamps(v) for k, v in value.items() if k not in _TIMESTAMPS}
    if isinstance(value, list):
        return [_without_timestamps(v) for v in value]
    return value


def comparable_export(store: Store | str | Path) -> dict[str, Any]:
    """The store's JSON export minus ``generated_at`` and every ``ingested_at``: equal for two stores
    built from the same inputs, whatever engine built them and when."""
    if isinstance(store, Store):
        return _without_timestamps(build_export(store))
    with Store(store) as opened:
        return _without_timestamps(build_export(opened))
