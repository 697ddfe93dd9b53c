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


@dataclass
class CleanLine:
    """A line's text without decoration, and (text_start, column, length) runs back into the line."""

    text: str
    runs: list[tuple[int, int, int]] = field(default_factory=list)
    heading_level: int = 0
    is_link_only: bool = False
    link_target: str | None = None


def strip_markup(line: str) -> CleanLine:
    """The visible text of a Markdown-ish line, trimmed, with its column runs."""
    keep = [True] * len(line)
    heading = 0
    m = _HEADING.match(line)
    if m:
        heading = len(m.group(1))
        for i in range(m.end()):
            keep[i] = False
    else:
        m = _BULLET.match(line)
        if m and not line.lstrip().startswith(("**", "*[")):
            for i in range(m.end()):
                keep[i] = False
    link_spans: list[tuple[int, int]] = []
    target = None
    for lm in _LINK.finditer(line):
        # keep the label, drop "[", "](target)"
        keep[lm.start()] = False
        if line[lm.start()] == "!":
            keep[lm.start() + 1] = False
        label_end = lm.start(1) + len(lm.group(1))
        for i in range(label_end, lm.end()):
            keep[i] = False
        link_spans.append((lm.start(), lm.end()))
        target = lm.group(2)
    for em in _EMPHASIS.finditer(line):
        for i in range(em.start(), em.end()):
            keep[i] = False
    for es in _ESCAPE.finditer(line):
        keep[es.start()] = False
    runs: list[tuple[int, int, int]] = []
    chars: list[str] = []
    for col, ch in enumerate(line):
        if not keep[col]:
            continue
        if runs and runs[-1][1] + runs[-1][2] == col:
            start, c0, n = runs[-1]
            runs[-1] = (start, c0, n + 1)
        else:
            runs.append((len(chars), col, 1))
        chars.append(ch)
    text = "".join(chars)
    # trim, shifting the runs
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    trimmed: list[tuple[int, int, int]] = []
    for start, col, n in runs:
        s, e = max(start, lead), min(start + n, lead + len(text))
        if s < e:
            trimmed.append((s - lead, col + (s - start), e - s))
    outside = "".join(ch for i, ch in enumerate(line) if not any(a <= i < b for a, b in link_spans))
    link_only = bool(link_spans) and not re.sub(r"[\s*_#|>\-•]", "", outside)
    return CleanLine(text, trimmed, heading, link_only, target if link_only else None)
