"""The Markdown export: one readable file, a chronological table of contents, then every article with
its metadata, provenance and body."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dossier.exports._common import date_label, paragraphs, write_text
from dossier.store.sqlite import Store

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the characters that can start
# emphasis, links, code, raw HTML, tables or headings inside a line of text.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>|#~])")
# A line that opens with one of these would become a list item, block quote or heading.
_BLOCK_START = re.compile(r"^(\s*)(?:([-+=>])|(\d+)([.)]))")


def md_inline(text: str | None) -> str:
    """``text`` on one line with every Markdown-significant character escaped, safe inside a heading,
    a list item or a table cell."""
    if not text:
        return ""
    one_line = " ".join(text.split())
    return _INLINE_SPECIALS.sub(r"\\\1", one_line)


def md_paragraph(text: str) -> str:
    """A paragraph of article text that Markdown shows as plain text, never as structure."""
    escaped = md_inline(text)
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    if match.group(2):
        return escaped[: match.end(1)] + "\\" + escaped[match.end(1) :]
    return escaped[: match.start(4)] + "\\" + escaped[match.start(4) :]


def _metadata(art: Mapping[str, Any]) -> list[str]:
    lines = [
        f"- **Date:** {md_inline(date_label(art))}",
        f"- **Outlet:** {md_inline(art['outlet']) or '—'}",
        f"- **Original outlet:** {md_inline(art['original_outlet']) or '—'}",
        f"- **Authors:** {md_inline(', '.join(art['authors'])) or '—'}",
        f"- **Translator:** {md_inline(art['translator']) or '—'}",
        f"- **Contributors:** {md_inline(', '.join(art['contributors'])) or '—'}",
        f"- **Provenance:** source file {md_inline(art['source_uri'])} lines "
        f"{art['start_line']}–{art['end_line']}",
    ]
    if art["duplicate_of"]:
        lines.append(f"- **Duplicate of:** [{art['duplicate_of']}](#{art['duplicate_of']})")
    return lines


def _article_section(art: Mapping[str, Any]) -> list[str]:
    out = [f'<a id="{art["id"]}"></a>', "", f"## {md_inline(art['title']) or '(untitled)'}", ""]
    out += _metadata(art)
    for _line, para in paragraphs(art):
        out += ["", md_paragraph(para)]
    return out


def render_markdown(store: Store, *, generated_at: str | None = None) -> str:
    """The whole dossier as Markdown text."""
    articles = list(store.articles())
    when = generated_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = ["# Dossier", "", f"Generated {when}: {len(articles)} articles.", "", "## Contents", ""]
    out += ["| Date | Outlet | Title |", "|---|---|---|"]
    for art in articles:
        title = md_inline(art["title"]) or "(untitled)"
        out.append(f"| {md_inline(date_label(art))} | {md_inline(art['outlet'])} | [{title}](#{art['id']}) |")
    for art in articles:
        out += ["", "---", ""] + _article_section(art)
    return "\n".join(out) + "\n"


def write_markdown(store: Store, path: Path | None) -> Path | None:
    """Write the dossier as one Markdown file at ``path`` (stdout when None); return the path."""
    return write_text(render_markdown(store), path)
