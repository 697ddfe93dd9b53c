"""The local engine: every function runs in this process, one item after the other."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any


class Engine:
    """Maps functions over work items; subclasses decide where the calls run."""

    name = "local"
    workers = 1
    # whether the calls run in this process, as the items are made: an item may then be an iterator
    # read while its call runs (rows streamed from the store) rather than data sent to a worker
    in_process = True

    def map(self, fn: Callable[..., Any], items: Iterable[Any], *shared: Any) -> Iterator[Any]:
        """``fn(item, *shared)`` for each item, in the order of the items. ``shared`` arguments are the
        same for every call (sent once to each worker). Items are consumed lazily, a bounded number
        ahead of the results, so a long iterable never sits in memory whole."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the engine's workers (nothing to do locally)."""


class LocalEngine(Engine):
    def map(self, fn: Callable[..., Any], items: Iterable[Any], *shared: Any) -> Iterator[Any]:
        for item in items:
            result = fn(item, *shared)
            del item  # not held while the next item is made (a shard's rows, at the corpus stages)
            yield result
