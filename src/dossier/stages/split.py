"""Plain-text and Markdown captures → articles.

A capture may hold one article (a saved page with site chrome around it) or a compilation of many,
each with a heading and a header block: a date line (``Đăng ngày: 16/09/2023 - 11:39``,
``15-9-2023``), a source line (``Capture à partir de : [RFI]``), an outlet, an author, a translator.

The rules, in order:

1. Every line is cleaned of Markdown and classified (blank, boilerplate, link-only, date, source...).
2. *Anchors* are date lines and source lines. Anchors separated only by other header lines (names,
   roles, outlets, labels, boilerplate, blanks) form one header block.
3. A header block starts an article when a title stands just above it (a heading, or a short line that
   does not end like a sentence); otherwise its lines are metadata inside the current article.
4. An article runs from its title to the next article's title, less trailing chrome. A repeated
   headline (the same title again, as single pages often print it) continues the same article.
5. Without any titled header block, the whole capture is one article whose title is its first line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from dossier.models import Article, Document, OffsetMap, Segment
from dossier.stages import metadata as meta
from dossier.stages.clean import boilerplate_kinds
from dossier.stages.markup import CleanLine, strip_markup
from dossier.vi.text import has_vietnamese_letters, match_key, nfc

MAX_TITLE = 250
HEADER_LOOKBACK = 8  # non-blank header lines between a title and its first anchor, at most
_SENTENCE_END = re.compile(r"[.;:,]$")
_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class Line:
    n: int  # 1-based line number in the document
    clean: CleanLine
    boiler: str | None = None
    stamp: meta.DateStamp | None = None
    capture: str | None = None

    @property
    def text(self) -> str:
        return self.clean.text

    @property
    def blank(self) -> bool:
        return not self.clean.text

    @property
    def anchor(self) -> bool:
        return self.stamp is not None or self.capture is not None


@dataclass
class Draft:
    """An article found in a document, before its text is assembled."""

    title_line: int  # index into the lines list
    header: list[int] = field(default_factory=list)  # indices of header lines (after the title)
    end: int = 0  # index of the last line of the span (inclusive)
    dropped: set[int] = field(default_factory=set)  # repeated headline lines to leave out


def _mostly_vietnamese(texts: list[str]) -> bool:
    """At least 30% of ``texts`` have Vietnamese letters (counted until the share is reached)."""
    needed = 0.3 * max(len(texts), 1)
    found = 0
    for text in texts:
        if found >= needed:
            break
        found += has_vietnamese_letters(text)
    return found >= needed


def analyse(doc: Document) -> list[Line]:
    lines = [Line(i + 1, strip_markup(raw)) for i, raw in enumerate(doc.lines)]
    texts = [ln.clean.text for ln in lines]
    vietnamese = _mostly_vietnamese([t for t in texts if t])
    for ln, kind in zip(lines, boilerplate_kinds(texts, vietnamese), strict=True):
        ln.boiler = kind
        if ln.blank:
            continue
        ln.capture = meta.capture_source(ln.text)
        if ln.capture is None and kind is None:
            ln.stamp = meta.date_line(ln.text)
    return lines


def _is_header_line(ln: Line) -> bool:
    """A line that may stand between a title and its anchors."""
    t = ln.text
    return (
        ln.blank
        or ln.anchor
        or ln.boiler is not None
        or meta.looks_like_name(t)
        or meta.role_line(t)
        or meta.outlet_named(t) is not None
        or meta.translator(t) is not None
        or bool(meta.byline(t))
        or meta.is_label(t)
    )


def _title_like(ln: Line) -> bool:
    t = ln.text
    if ln.blank or ln.boiler or ln.anchor or len(t) > MAX_TITLE or len(t) < 8:
        return False
    if ln.clean.heading_level or ln.clean.is_link_only:
        return True
    return not _SENTENCE_END.search(t)


def _is_byline_part(text: str) -> bool:
    return (
        meta.looks_like_name(text)
        or meta.is_label(text)
        or meta.role_line(text)
        or meta.outlet_named(text) is not None
        or meta.translator(text) is not None
    )


def _find_title(lines: list[Line], anchor: int, floor: int) -> int | None:
    """The title line of the header block whose first anchor is ``anchor``, looking back to ``floor``."""
    seen = 0
    i = anchor - 1
    while i >= floor:
        ln = lines[i]
        if not ln.blank:
            if _title_like(ln) and not _is_byline_part(ln.text):
                return i
            if not _is_header_line(ln):
                return None
            seen += 1
            if seen > HEADER_LOOKBACK:
                return None
        i -= 1
    return None


def _header_extent(lines: list[Line], first_anchor: int) -> list[int]:
    """Indices of the header block that starts at ``first_anchor``: anchors and the header lines
    among and after them, up to the first line of body text."""
    block: list[int] = []
    i = first_anchor
    while i < len(lines) and _is_header_line(lines[i]):
        if not lines[i].blank:
            block.append(i)
        i += 1
    return block


def find_drafts(lines: list[Line]) -> list[Draft]:
    drafts: list[Draft] = []
    floor = 0
    i = 0
    while i < len(lines):
        if not lines[i].anchor:
            i += 1
            continue
        header = _header_extent(lines, i)
        title = _find_title(lines, i, floor)
        if title is not None:
            between = [j for j in range(title + 1, i) if not lines[j].blank]
            drafts.append(Draft(title_line=title, header=between + header))
            floor = (header[-1] if header else i) + 1
        elif drafts:
            drafts[-1].header.extend(header)  # stray metadata lines inside the current article
        else:
            drafts.append(Draft(title_line=-1, header=header))
            floor = (header[-1] if header else i) + 1
        i = (header[-1] if header else i) + 1
    return drafts


def _preamble_is_article(lines: list[Line], end: int) -> bool:
    prose = [ln for ln in lines[:end] if _is_prose(ln)]
    return len(prose) >= 3 and sum(len(ln.text) for ln in prose) >= 300


def _is_prose(ln: Line) -> bool:
    return not (ln.blank or ln.boiler or ln.clean.is_link_only or ln.anchor or ln.clean.heading_level)


def _first_title_line(lines: list[Line], start: int, end: int) -> int | None:
    for i in range(start, end + 1):
        ln = lines[i]
        if ln.blank or ln.boiler or (ln.clean.is_link_only and not ln.clean.heading_level):
            continue
        return i
    return None


def layout(lines: list[Line]) -> list[Draft]:
    """The articles of a document as drafts with their spans."""
    if not lines:
        return []
    drafts = find_drafts(lines)
    if drafts and drafts[0].title_line == -1:
        first = _first_title_line(lines, 0, len(lines) - 1)
        drafts[0].title_line = (
            first if first is not None and first < drafts[0].header[0] else drafts[0].header[0]
        )
    if not drafts or (drafts[0].title_line > 0 and _preamble_is_article(lines, drafts[0].title_line)):
        first = _first_title_line(lines, 0, len(lines) - 1)
        if first is None:
            return []
        if not drafts or first < drafts[0].title_line:
            drafts.insert(0, Draft(title_line=first))
    drafts = _merge_repeated_titles(lines, drafts)
    for k, d in enumerate(drafts):
        nxt = drafts[k + 1].title_line - 1 if k + 1 < len(drafts) else len(lines) - 1
        # labels printed just above the next title (a section name) belong to that header
        while nxt > d.title_line and (lines[nxt].blank or meta.is_label(lines[nxt].text)):
            nxt -= 1
        while nxt > d.title_line and (lines[nxt].blank or lines[nxt].boiler or lines[nxt].clean.is_link_only):
            nxt -= 1
        d.end = max(nxt, d.header[-1] if d.header else d.title_line)
    return drafts


def _merge_repeated_titles(lines: list[Line], drafts: list[Draft]) -> list[Draft]:
    merged: list[Draft] = []
    for d in drafts:
        if merged and match_key(lines[d.title_line].text) == match_key(lines[merged[-1].title_line].text):
            prev = merged[-1]
            prev.dropped.add(d.title_line)
            j = d.title_line - 1
            while j > prev.title_line and (lines[j].blank or meta.is_label(lines[j].text)):
                prev.dropped.add(j)
                j -= 1
            prev.header.extend(d.header)
            continue
        merged.append(d)
    return merged


# -- assembling one article ------------------------------------------------------------------------
def _tail_metadata(ln: Line) -> dict[str, object] | None:
    """What a closing credit line says (original outlet, translator, author), or None."""
    t = ln.text
    orig = meta.original_outlet(t)
    if orig is not None:
        return {"original": orig}
    tr = meta.translator(t)
    if tr:
        return {"translator": tr}
    if meta.looks_like_name(t) or (t.isupper() and 1 <= len(t.split()) <= 5 and not _DIGIT.search(t)):
        return {"author": t.title() if t.isupper() else t}
    return None


def assemble(doc: Document, lines: list[Line], draft: Draft, doc_outlet: str | None) -> Article:
    title_ln = lines[draft.title_line]
    header = set(draft.header)
    body_idx = [
        i
        for i in range(draft.title_line + 1, draft.end + 1)
        if i not in header and i not in draft.dropped and _is_prose_or_heading(lines[i])
    ]
    fields = Article(
        source_id=doc.source_id,
        title=title_ln.text,
        start_line=title_ln.n,
        end_line=lines[draft.end].n,
        text="",
        offsets=OffsetMap(),
    )
    _read_header(lines, draft, fields)
    # closing credits: the last few lines, read bottom-up while they are credit lines
    for i in reversed(body_idx[-4:]):
        found = _tail_metadata(lines[i])
        if found is None:
            break
        if "original" in found:
            orig = found["original"]
            if isinstance(orig, meta.Outlet):
                fields.original_outlet = fields.original_outlet or orig.name
                if not orig.agency and fields.outlet is None:
                    fields.outlet = orig.name
            else:
                fields.original_outlet = fields.original_outlet or str(orig)
        elif "translator" in found:
            fields.translator = fields.translator or str(found["translator"])
        elif "author" in found and str(found["author"]) not in fields.authors:
            fields.authors.append(str(found["author"]))
    # the credits stay in the text: they are printed as part of the article
    for i in body_idx:
        fields.contributors.extend(meta.contributors(lines[i].text))
    signature = meta.outlet_by_signature(
        "\n".join(lines[i].text for i in range(draft.title_line, draft.end + 1))
    )
    if fields.outlet is None and signature is not None:
        fields.outlet = signature.name
    if fields.outlet is None:
        fields.outlet = doc_outlet
    if (
        fields.original_outlet
        and fields.outlet
        and meta.outlet_named(fields.original_outlet) is meta.outlet_named(fields.outlet)
    ):
        fields.original_outlet = None if fields.outlet == fields.original_outlet else fields.original_outlet
    _assemble_text(lines, body_idx, fields)
    fields.language = "vi" if _mostly_vietnamese([lines[i].text for i in body_idx]) else "en"
    return fields


def _is_prose_or_heading(ln: Line) -> bool:
    return not (ln.blank or ln.boiler or ln.clean.is_link_only or ln.anchor)


def _key_length(text: str) -> int:
    """``len(match_key(text))`` without computing the key: the tone-placement fold swaps vowels for
    vowels one for one, so only NFC and lower-casing can change the length."""
    if not unicodedata.is_normalized("NFC", text):
        text = nfc(text)
    return len(text.lower())


def _repeats(title: str, texts: list[str]) -> set[int]:
    """Indices of the ``texts`` longer than 20 characters whose match key is the title's or an earlier
    text's: a paragraph printed twice (a repeated lead) is kept once.

    Equal keys have equal lengths, so keys are only computed among texts whose keys are as long as
    that of a later text of more than 20 characters.
    """
    everything = [title, *texts]
    groups: dict[int, list[int]] = {}
    for j, text in enumerate(everything):
        groups.setdefault(_key_length(text), []).append(j)
    repeats: set[int] = set()
    for members in groups.values():
        if not any(len(everything[j]) > 20 for j in members[1:]):
            continue
        seen: set[str] = set()
        for j in members:
            key = match_key(everything[j])
            if j and key in seen and len(everything[j]) > 20:
                repeats.add(j - 1)
            seen.add(key)
    return repeats


def _assemble_text(lines: list[Line], body_idx: list[int], fields: Article) -> None:
    repeats = _repeats(fields.title, [lines[i].text for i in body_idx])
    parts: list[str] = []
    segments: list[Segment] = []
    offset = 0
    for k, i in enumerate(body_idx):
        if k in repeats:
            continue
        ln = lines[i]
        if parts:
            offset += 1  # the joining newline
        for start, col, length in ln.clean.runs:
            segments.append(Segment(offset + start, ln.n, col, length))
        parts.append(ln.text)
        offset += len(ln.text)
    fields.text = "\n".join(parts)
    fields.offsets = OffsetMap(segments)


def _read_header(lines: list[Line], draft: Draft, fields: Article) -> None:
    header = [lines[i] for i in sorted(set(draft.header))]
    pending_name: str | None = None
    for ln in header:
        t = ln.text
        if ln.stamp and fields.published is None:
            fields.published, fields.published_time = ln.stamp.date, ln.stamp.time
            prefix = _DIGIT.split(t, maxsplit=1)[0].strip(" -–,")
            if meta.looks_like_name(prefix) and prefix not in fields.authors:
                fields.authors.append(prefix)
            continue
        if ln.capture:
            outlet = meta.outlet_named(ln.capture)
            fields.outlet = outlet.name if outlet else ln.capture
            continue
        authors = meta.byline(t)
        if authors:
            fields.authors.extend(a for a in authors if a not in fields.authors)
            continue
        tr = meta.translator(t)
        if tr:
            fields.translator = tr
            continue
        named = meta.outlet_named(t)
        if named is not None:
            if named.agency:
                fields.original_outlet = fields.original_outlet or named.name
            elif fields.outlet is None:
                fields.outlet = named.name
            continue
        if meta.role_line(t):
            for outlet in meta.outlets_mentioned(t):
                if not outlet.agency and fields.outlet is None:
                    fields.outlet = outlet.name
            if pending_name and pending_name not in fields.authors:
                fields.authors.append(pending_name)
            pending_name = None
            continue
        if meta.looks_like_name(t) and ln.boiler is None:
            if pending_name and pending_name not in fields.authors:
                fields.authors.append(pending_name)
            pending_name = t
    if pending_name and pending_name not in fields.authors:
        fields.authors.append(pending_name)


def document_outlet(doc: Document, lines: list[Line]) -> str | None:
    """The outlet a whole single-page capture comes from: a domain in its chrome, e-mail or URL lines."""
    for ln in lines:
        for host in meta.domains_in(ln.text):
            outlet = meta.outlet_of_domain(host)
            if outlet is not None and not outlet.agency:
                return outlet.name
            if outlet is None and ln.boiler is not None:
                return meta.domain_outlet_name(host)
    return None


def split(doc: Document) -> list[Article]:
    """Every article of a plain-text or Markdown document, in document order."""
    lines = analyse(doc)
    drafts = layout(lines)
    doc_outlet = document_outlet(doc, lines) if len(drafts) == 1 else None
    articles = [assemble(doc, lines, d, doc_outlet) for d in drafts]
    return [a for a in articles if a.text.strip()]
