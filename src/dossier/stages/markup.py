"""Remove Markdown decoration from one captured line, remembering where each kept character came from.

Captures saved as Markdown wrap headings in ``#``, titles in ``[...](#)`` links and emphasis in ``*``;
the article text keeps the words and drops the decoration, and every kept run of characters knows its
column in the line so offsets still point at the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LINK = re.compile(r"!?\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{2,3})(?=\S)|(?<=\S)(\*{1,3}|_{2,3})(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_HEADING = re.compile(r"^\s*(#{1,6})\s+")
_BULLET = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)])\s+(?=\S)")
# What a link-only line may hold besides its links.
_NOT_DECORATION = re.compile(r"[^\s*_#|>\-•]")


@dataclass(slots=True)
class CleanLine:
    """A line's text without decoration, and (text_start, column, length) runs back into the line."""

    text: str
    runs: list[tuple[int, int, int]] = field(default_factory=list)
    heading_level: int = 0
    is_link_only: bool = False
    link_target: str | None = None


def strip_markup(line: str) -> CleanLine:
    """The visible text of a Markdown-ish line, trimmed, with its column runs."""
    # Column spans [start, end) of decoration to drop; each pattern is only run when the line holds
    # the character it needs, so a line of plain prose costs a few substring tests.
    drops: list[tuple[int, int]] = []
    heading = 0
    m = _HEADING.match(line) if "#" in line else None
    if m:
        heading = len(m.group(1))
        drops.append((0, m.end()))
    else:
        m = _BULLET.match(line)
        if m and not line.lstrip().startswith(("**", "*[")):
            drops.append((0, m.end()))
    link_spans: list[tuple[int, int]] = []
    target = None
    if "](" in line:
        for lm in _LINK.finditer(line):
            # keep the label, drop "[", "](target)"
            start = lm.start()
            drops.append((start, start + 2 if line[start] == "!" else start + 1))
            drops.append((lm.end(1), lm.end()))
            link_spans.append((start, lm.end()))
            target = lm.group(2)
    if "*" in line or "__" in line:
        drops.extend(em.span() for em in _EMPHASIS.finditer(line))
    if "\\" in line:
        drops.extend((es.start(), es.start() + 1) for es in _ESCAPE.finditer(line))
    if not drops:
        text = line.strip()
        if not text:
            return CleanLine(text, [], heading)
        return CleanLine(text, [(0, len(line) - len(line.lstrip()), len(text))], heading)
    # the kept columns: what lies between the dropped spans
    kept: list[tuple[int, int]] = []
    pos = 0
    for a, b in sorted(drops):
        if a > pos:
            kept.append((pos, a - pos))
        pos = max(pos, b)
    if pos < len(line):
        kept.append((pos, len(line) - pos))
    runs: list[tuple[int, int, int]] = []
    offset = 0
    for col, n in kept:
        runs.append((offset, col, n))
        offset += n
    text = "".join(line[col : col + n] for col, n in kept)
    # trim, shifting the runs
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    trimmed: list[tuple[int, int, int]] = []
    for start, col, n in runs:
        s, e = max(start, lead), min(start + n, lead + len(text))
        if s < e:
            trimmed.append((s - lead, col + (s - start), e - s))
    link_only = False
    if link_spans:
        pos = 0
        for a, b in link_spans:
            if _NOT_DECORATION.search(line, pos, a):
                break
            pos = b
        else:
            link_only = _NOT_DECORATION.search(line, pos) is None
    return CleanLine(text, trimmed, heading, link_only, target if link_only else None)
