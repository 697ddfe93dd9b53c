"""One options object for a build; defaults here, overrides from the command line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    max_bytes: int = 50 * 1024 * 1024  # largest input file or download read
    fetch_timeout: float = 20.0  # seconds for one URL
    force: bool = False  # reprocess sources whose bytes are already stored
