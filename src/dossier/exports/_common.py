"""What every rendering of the dossier shares: date labels, paragraphs with their source lines, and
writing text to a file or to stdout."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dossier.models import OffsetMap


def date_label(article: Mapping[str, Any]) -> str:
    """The article's date as the capture gives it (``2023-09-14 08:30``, ``2023-09``), or ``undated``."""
    published = article.get("published")
    if not published:
        return "undated"
    time = article.get("published_time")
    return f"{published} {time}" if time else published


def paragraphs(article: Mapping[str, Any]) -> list[tuple[int, str]]:
    """The non-empty paragraphs of the article's clean text, each with the 1-based source line where it
    starts. The clean text holds one paragraph per line."""
    offsets = OffsetMap.from_json(article["offsets"])
    out: list[tuple[int, str]] = []
    offset = 0
    for para in article["text"].split("\n"):
        if para.strip():
            out.append((offsets.line_of(offset), para))
        offset += len(para) + 1
    return out


def write_text(text: str, path: Path | None) -> Path | None:
    """Write ``text`` as UTF-8 to ``path`` (creating its folder) and return the path; with no path,
    write it to stdout and return None."""
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
