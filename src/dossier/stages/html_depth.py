"""Keep HTML shallow enough for the parser: elements nested deeper than a limit lose their tags.

libxml2 stops building the tree at 256 levels and drops what is below, so a page wrapped in a few
hundred ``<div>`` (broken templates, or a page made to defeat parsers) would come out empty. Below
``max_depth`` the tags of deeper elements are removed and their text stays where it was, so the
article is still found. Real pages nest a few dozen levels; they are returned unchanged.
"""

from __future__ import annotations

import re

MAX_DEPTH = 150
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*>")
# Elements without content, and those whose content is not markup: they never nest anything.
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"])
_VOID |= {"param", "source", "track", "wbr"}
_RAW = frozenset(["script", "style", "textarea", "title"])


def flatten_deep_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """``html`` with the tags of elements nested deeper than ``max_depth`` removed (text kept)."""
    if html.count("<") <= max_depth:
        return html
    stack: list[tuple[str, bool]] = []  # (tag name, tag removed)
    pieces: list[str] = []
    pos = 0
    deepest = 0
    raw_until: re.Pattern[str] | None = None
    for m in _TAG.finditer(html):
        if raw_until is not None:
            if not raw_until.match(m.group()):
                continue
            raw_until = None
        closing, name = m.group(1) == "/", m.group(2).lower()
        drop = False
        if closing:
            # a close tag ends the nearest open element of its name among the last few; further
            # down it is a stray (searching all would be quadratic on hostile nesting)
            for i in range(len(stack) - 1, max(-1, len(stack) - 65), -1):
                if stack[i][0] == name:
                    drop = stack[i][1]
                    del stack[i:]
                    break
        elif name not in _VOID and not m.group().endswith("/>"):
            drop = len(stack) >= max_depth
            stack.append((name, drop))
            deepest = max(deepest, len(stack))
            if name in _RAW:
                raw_until = re.compile(rf"</{name}\b", re.IGNORECASE)
        if drop:
            pieces.append(html[pos : m.start()])
            pos = m.end()
    if deepest <= max_depth:
        return html
    pieces.append(html[pos:])
    return "".join(pieces)
