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

from dossier.stages.metadata import is_foreign_line


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    data = resources.files("dossier.vi").joinpath("data/boilerplate.yaml").read_text(encoding="utf-8")
    table = yaml.safe_load(data)
    return [(kind, re.compile(p, re.I)) for kind, pats in table.items() for p in pats]


def boilerplate_kind(text: str) -> str | None:
    """The kind of boilerplate a single clean line is (site-chrome, image-credit, caption), or None."""
    if not text:
        return None
    for kind, pattern in _patterns():
        if pattern.search(text):
            return kind
    return None


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
            if re.match(r"^chụp lại hình ảnh", prev, re.I) and len(text) < 300:
                kinds[i] = "caption"
        if kinds[i] is None and vietnamese and is_foreign_line(text) and len(text) < 400:
            kinds[i] = "caption"
        prev_nonblank = i
    return kinds
