"""Patterns that end a line (``…$``), tested from the line's end: the pattern reversed, anchored at the
start of the reversed line.

``re.search`` tries a pattern at every position of a line; a pattern whose every match ends the line
needs only one try from the end. Python's ``re`` cannot search backwards, so the pattern is written
backwards instead: the sequence of its parts reversed at every level, ``$`` becoming the start of the
string. Whether it matches is then one anchored ``match`` on the reversed line. Only the plain parts
of a pattern are reversed (characters, classes, repeats, groups, alternatives, ``\\b``); a pattern with
anything else (look-arounds, back-references, inline flags) is left to ``search``.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python's own pattern parser (re._parser since 3.11); without it no pattern is reversed
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - other Pythons
    _parser = None  # type: ignore[assignment]

_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


class _Unsupported(Exception):
    """A part of a pattern this module does not reverse."""


def _char(code: int) -> str:
    return re.escape(chr(code))


def _class(items: list[tuple[Any, Any]]) -> str:
    out = []
    for op, av in items:
        if op is _c.NEGATE:
            out.append("^")
        elif op is _c.LITERAL:
            out.append(_char(av))
        elif op is _c.RANGE:
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is _c.CATEGORY and str(av) in _CATEGORIES:
            out.append(_CATEGORIES[str(av)])
        else:
            raise _Unsupported(op)
    return "[" + "".join(out) + "]"


def _reverse(items: Any) -> str:
    """The parsed sequence ``items`` written backwards."""
    out = []
    for op, av in reversed(list(items)):
        if op is _c.LITERAL:
            out.append(_char(av))
        elif op is _c.NOT_LITERAL:
            out.append(f"[^{_char(av)}]")
        elif op is _c.ANY:
            out.append(".")
        elif op is _c.IN:
            out.append(_class(av))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, body = av
            bound = f"{{{low},}}" if high is _c.MAXREPEAT else f"{{{low},{high}}}"
            out.append(f"(?:{_reverse(body)}){bound}{'?' if op is _c.MIN_REPEAT else ''}")
        elif op is _c.SUBPATTERN:
            _group, add_flags, del_flags, body = av
            if add_flags or del_flags:
                raise _Unsupported(op)
            out.append(f"(?:{_reverse(body)})")
        elif op is _c.BRANCH:
            out.append("(?:" + "|".join(_reverse(alt) for alt in av[1]) + ")")
        elif op is _c.AT and av in (_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY):
            out.append(r"\b" if av is _c.AT_BOUNDARY else r"\B")
        elif op is _c.AT and av in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING):
            out.append(r"\Z")
        elif op is _c.AT and av is _c.AT_END_STRING:
            out.append(r"\A")
        else:
            raise _Unsupported(op)
    return "".join(out)


def reversed_line_end(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """For a pattern whose every match ends at the end of the string (``$`` last, at the top level),
    a pattern ``r`` such that ``r.match(text[::-1])`` is true exactly when ``pattern.search(text)``
    finds a match, for any ``text`` that does not end with a newline (``$`` also matches before a
    final newline). None for any other pattern."""
    if _parser is None or pattern.flags & (re.MULTILINE | re.VERBOSE) or not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        items = list(parsed.data)
        if not items or items[-1] != (_c.AT, _c.AT_END):
            return None
        return re.compile(r"\A" + _reverse(items[:-1]), pattern.flags)
    except (_Unsupported, re.error, TypeError, ValueError, AttributeError):
        return None
