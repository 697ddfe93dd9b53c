"""Parameters of ``IN (…)`` lists in few shapes.

Each length of an ``IN (?, ?, …)`` list is a statement of its own, and the database keeps the
statements it prepared: Python's sqlite3 up to 128 per connection, 63 KB each with 450 parameters.
At 100,000 articles the lookups of duplicate detection had filled that cache with 8 MB of such
statements, memory that grew with the store. A list padded to a power of two by repeating its last
value (which changes no ``IN`` test) comes in one of ten shapes up to 512 values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def padded(values: Sequence[T]) -> list[T]:
    """``values`` with the last repeated up to the next power of two (none when there are none)."""
    n = len(values)
    if not n:
        return []
    size = 1 << (n - 1).bit_length()
    return [*values, *[values[-1]] * (size - n)]


def in_lists(values: Sequence[T], size: int) -> Iterator[tuple[list[T], str]]:
    """``values`` a list of at most ``size`` at a time (parameter lists stay bounded), each
    :func:`padded`, with its ``?, ?, …`` placeholders."""
    for start in range(0, len(values), size):
        part = padded(values[start : start + size])
        yield part, ",".join("?" * len(part))
