"""The plain-text cleaner: which captured lines are site chrome, image credits or captions.

The patterns are data (``vi/data/boilerplate.yaml``); this module compiles them and answers per line.
Context rules that no single-line pattern can express (the caption after ``Chụp lại hình ảnh``, alt
text in another language) live in :func:`boilerplate_kinds`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from dossier.stages.line_end_patterns import reversed_line_end
from dossier.stages.metadata import is_foreign_line


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    data = resources.files("dossier.vi").joinpath("data/boilerplate.yaml").read_text(encoding="utf-8")
    table = yaml.safe_load(data)
    return [(kind, re.compile(p, re.I)) for kind, pats in table.items() for p in pats]


def _anchored(pattern: re.Pattern[str]) -> bool:
    """True when ``pattern`` can only match at the start of a line: it begins with ``^`` and has no
    ``|`` outside a group (``^a|b`` is not anchored). Unsure cases answer False."""
    source = pattern.pattern
    if not source.startswith("^") or pattern.flags & (re.MULTILINE | re.VERBOSE):
        return False
    depth = 0
    i = 1
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if source.startswith("(?#", i):  # a comment runs to its first unescaped ")"
            i += 3
            while i < len(source) and source[i] != ")":
                i += 2 if source[i] == "\\" else 1
            if i >= len(source):
                return False
        elif ch == "[":  # a class: skip to its closing bracket (a first "]" or "^]" is a member)
            i += 2 if source.startswith("^", i + 1) else 1
            i += 1 if source.startswith("]", i) else 0
            while i < len(source) and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
            if i >= len(source):
                return False
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth <= 0:
            return False
        i += 1
    return True


@lru_cache(maxsize=1)
def _prefilter() -> tuple[re.Pattern[str] | None, list[tuple[str, re.Pattern[str], re.Pattern[str] | None]]]:
    """All the line-start patterns as one (a line that none of them fits is tested once for all of
    them), and the other patterns in file order, each with its reversed form when it ends the line."""
    anchored = [p for _, p in _patterns() if _anchored(p)]
    others = [(kind, p, reversed_line_end(p)) for kind, p in _patterns() if not _anchored(p)]
    combined = "|".join(f"(?:{p.pattern})" for p in anchored)
    return (re.compile(combined, re.I) if anchored else None), others


def boilerplate_kind(text: str) -> str | None:
    """The kind of boilerplate a single clean line is (site-chrome, image-credit, caption), or None."""
    if not text:
        return None
    any_anchored, others = _prefilter()
    # the first pattern in file order decides; when no line-start pattern fits, it is among the others
    if any_anchored is not None and any_anchored.match(text):
        for kind, pattern in _patterns():
            if pattern.search(text):
                return kind
        return None
    backwards = None if text.endswith("\n") else text[::-1]
    for kind, pattern, reversed_pattern in others:
        if reversed_pattern is not None and backwards is not None:
            if reversed_pattern.match(backwards):  # one try from the end instead of one per position
                return kind
        elif pattern.search(text):
            return kind
    return None


_CAPTION_FOLLOWS = re.compile(r"^chụp lại hình ảnh", re.I)


def boilerplate_kinds(texts: list[str], vietnamese: bool) -> list[str | None]:
    """Per line, its boilerplate kind or None, using neighbouring lines where a line alone is unclear.

    ``texts`` are the clean lines of a document (blank lines as ""). ``vietnamese`` says whether the
    document is in Vietnamese, so that an English line inside it counts as alt text or a caption.
    """
    kinds = [boilerplate_kind(t) for t in texts]
    prev_nonblank: int | None = None
    for i, text in enumerate(texts):
        if not text:
            continue
        if kinds[i] is None and prev_nonblank is not None:
            prev = texts[prev_nonblank]
            # BBC-style figure: "Nguồn hình ảnh, X" / "Chụp lại hình ảnh," then the caption line.
            if _CAPTION_FOLLOWS.match(prev) and len(text) < 300:
                kinds[i] = "caption"
        if kinds[i] is None and vietnamese and len(text) < 400 and is_foreign_line(text):
            kinds[i] = "caption"
        prev_nonblank = i
    return kinds
