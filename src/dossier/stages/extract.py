"""Documents → articles: HTML through trafilatura, plain text and Markdown through the splitter."""

from __future__ import annotations

import bisect
import re
from html import unescape

import trafilatura

from dossier.errors import DossierError
from dossier.models import Article, Document, OffsetMap, Segment
from dossier.stages import metadata as meta
from dossier.stages.html_depth import flatten_deep_nesting
from dossier.stages.split import split
from dossier.vi.text import has_vietnamese_letters, nfc

_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_AUTHOR_SEPARATORS = re.compile(r";|,| và | and ")


def _visible_lines(doc: Document) -> list[str]:
    """Each source line's text without tags or entities, NFC, with runs of whitespace as one space."""
    return [_SPACES.sub(" ", nfc(unescape(_TAG.sub(" ", ln)))) for ln in doc.lines]


def _locate_paragraphs(visible: list[str], paragraphs: list[str]) -> list[int]:
    """The 1-based source line where each extracted paragraph's text begins (best effort: the first
    line whose tag-stripped text contains the paragraph's opening words, looking from the line found
    for the paragraph before and then from the top)."""
    # visible lines hold no newline, nor do the probes: a probe found in the joined text lies in one line
    joined = "\n".join(visible)
    starts: list[int] = []
    offset = 0
    for v in visible:
        starts.append(offset)
        offset += len(v) + 1
    found: list[int] = []
    cursor = 0
    for para in paragraphs:
        probe = _SPACES.sub(" ", para)[:40].strip()
        line = None
        if probe and visible:
            at = joined.find(probe, starts[cursor])
            if at < 0:
                at = joined.find(probe, 0, starts[cursor])
            if at >= 0:
                line = bisect.bisect_right(starts, at) - 1
        if line is None:
            line = cursor
        else:
            cursor = line
        found.append(line + 1)
    return found


def extract_html(doc: Document) -> Article:
    """The main article of an HTML page, with its metadata, via trafilatura."""
    html = flatten_deep_nesting(doc.text)  # libxml2 drops what is nested past 256 levels
    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
    )
    result = extracted.as_dict() if extracted is not None else None
    if not result or not (result.get("text") or "").strip():
        raise DossierError("E007", uri=doc.uri)
    paragraphs = [nfc(p.strip()) for p in result["text"].split("\n") if p.strip()]
    title = nfc(result.get("title") or "").strip()
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    visible = _visible_lines(doc)
    lines = _locate_paragraphs(visible, paragraphs)
    segments: list[Segment] = []
    offset = 0
    for para, line in zip(paragraphs, lines, strict=True):
        segments.append(Segment(offset, line, 0, len(para)))
        offset += len(para) + 1
    date = result.get("date")
    author = result.get("author")
    site = result.get("sitename") or result.get("hostname")
    outlet = None
    if site:
        known = meta.outlet_named(site) or meta.outlet_of_domain(site)
        outlet = known.name if known else site
    text = "\n".join(paragraphs)
    title_line = _locate_paragraphs(visible, [title])[0] if title else (lines[0] if lines else 1)
    return Article(
        source_id=doc.source_id,
        title=title or (paragraphs[0][:120] if paragraphs else ""),
        start_line=min([title_line, *lines]) if lines else 1,
        end_line=max(lines) if lines else len(doc.lines),
        text=text,
        offsets=OffsetMap(segments),
        published=date,
        outlet=outlet,
        authors=[a.strip() for a in _AUTHOR_SEPARATORS.split(author) if a.strip()] if author else [],
        language="vi" if has_vietnamese_letters(text) else (result.get("language") or "en"),
    )


def extract(doc: Document) -> list[Article]:
    """Every article in a document."""
    found = [extract_html(doc)] if doc.media_type == "text/html" else split(doc)
    if not found:
        raise DossierError("E007", uri=doc.uri)
    return found
