"""Giving memory back between the steps of a build.

A corpus stage frees what it held when it ends, but the C allocator keeps the freed pages in the
process, so the next stage starts from the highest point the last one reached. ``release()`` hands
them back to the system (glibc's ``malloc_trim``), so that the build's peak is the largest single
step's need, not the sum of their leftovers. Elsewhere it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim  # noqa: B018 - only glibc has it
    except (OSError, AttributeError):
        return None
    return libc


def release() -> None:
    """Return the memory the allocator holds free to the system (a no-op without glibc)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
