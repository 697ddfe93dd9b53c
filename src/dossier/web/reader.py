"""The article reader's data: the article's paragraphs cut into marked pieces (entities, time
expressions, quotes, search words), its annotations and its original lines (provenance)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from dossier.errors import DossierError
from dossier.models import OffsetMap
from dossier.store import aggregates
from dossier.store.search_query import highlight, parse
from dossier.store.sqlite import Store
from dossier.vi.text import fold
from dossier.web.data import entity_ref, entity_refs
from dossier.web.schemas import (
    ArticleClaim,
    ArticleEvent,
    ArticleList,
    ArticlePage,
    ArticleRef,
    EntityRef,
    Mark,
    MentionOut,
    OriginalLine,
    Paragraph,
    QuoteOut,
    TimeOut,
)


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    out, at = [], 0
    for para in text.split("\n"):
        if para.strip():
            out.append((at, at + len(para)))
        at += len(para) + 1
    return out


def _marks(text: str, start: int, end: int, spans: list[tuple[int, int, dict[str, Any]]]) -> list[Mark]:
    """The paragraph text[start:end] cut at every span boundary; each piece carries what covers it."""
    inside = [(max(s, start), min(e, end), a) for s, e, a in spans if s < end and e > start]
    cuts = sorted({start, end, *(s for s, _, _ in inside), *(e for _, e, _ in inside)})
    out: list[Mark] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        attrs: dict[str, Any] = {}
        for s, e, extra in inside:
            if s <= a and e >= b:
                for key, value in extra.items():
                    attrs.setdefault(key, value)
        out.append(Mark(text=text[a:b], **attrs))
    return out


def article_page(store: Store, article_id: str, q: str | None = None) -> ArticlePage:
    """An article with its annotations placed on its text, and its provenance; E042 if there is none."""
    art = store.article(article_id)
    if art is None:
        raise DossierError("E042", article_id=article_id)
    ann = aggregates.article_annotations(store, article_id)
    text = art["text"]
    spans: list[tuple[int, int, dict[str, Any]]] = []
    for m in ann["mentions"]:
        spans.append((m["start"], m["end"], {"entity": m["entity"], "entity_type": m["type"]}))
    for t in ann["times"]:
        spans.append((t["start"], t["end"], {"time": t["value"]}))
    for qt in ann["quotes"]:
        spans.append(
            (qt["start"], qt["end"], {"quote": qt["id"], "speaker": qt["speaker_text"] or qt["speaker"]})
        )
    if q:
        try:
            parsed = parse(q)
        except DossierError:
            parsed = None
        if parsed is not None:
            at = 0
            for piece, hit in highlight(text, fold(text), parsed):
                if hit:
                    spans.append((at, at + len(piece), {"hit": True}))
                at += len(piece)
    offsets = OffsetMap.from_json(art["offsets"])
    paragraphs = [
        Paragraph(line=offsets.line_of(s), start=s, marks=_marks(text, s, e, spans))
        for s, e in _paragraph_spans(text)
    ]
    counts = Counter(m["entity"] for m in ann["mentions"])
    lines = store.source_lines(art["source_id"])
    duplicate = None
    if art["duplicate_of"]:
        other = store.article(art["duplicate_of"])
        if other is not None:
            duplicate = ArticleRef(
                id=other["id"], title=other["title"], published=other["published"], outlet=other["outlet"]
            )
    return ArticlePage(
        id=art["id"],
        title=art["title"],
        published=art["published"],
        published_time=art["published_time"],
        outlet=art["outlet"],
        original_outlet=art["original_outlet"],
        authors=art["authors"],
        translator=art["translator"],
        language=art["language"],
        source_id=art["source_id"],
        source_uri=art["source_uri"],
        start_line=art["start_line"],
        end_line=art["end_line"],
        duplicate_of=duplicate,
        paragraphs=paragraphs,
        entities=entity_refs(store, [e for e, _ in counts.most_common()]),
        mentions=[
            MentionOut(
                entity=m["entity"],
                name=(entity_ref(store, m["entity"]) or EntityRef(id=m["entity"], name=m["text"])).name,
                type=m["type"],
                line=m["line"],
                start=m["start"],
                end=m["end"],
                text=m["text"],
            )
            for m in ann["mentions"]
        ],
        times=[TimeOut(**t) for t in ann["times"]],
        quotes=[
            QuoteOut(
                id=qt["id"],
                speaker=qt["speaker"],
                speaker_name=(entity_ref(store, qt["speaker"]).name if qt["speaker"] else None),  # type: ignore[union-attr]
                speaker_text=qt["speaker_text"],
                text=qt["text"],
                kind=qt["kind"],
                line=qt["line"],
                article=article_id,
            )
            for qt in ann["quotes"]
        ],
        events=[
            ArticleEvent(
                sentence=e["sentence"],
                line=e["line"],
                type=e["type"],
                date=e["date"],
                summary=e["summary"],
                text=e["text"],
            )
            for e in ann["events"]
        ],
        claims=[
            ArticleClaim(
                sentence=c["sentence"],
                line=c["line"],
                stance=c["stance"],
                proposition=c["proposition"],
                text=c["text"],
            )
            for c in ann["claims"]
        ],
        original=[
            OriginalLine(n=n, text=lines[n - 1])
            for n in range(art["start_line"], min(art["end_line"], len(lines)) + 1)
        ],
        query=q or None,
    )


def article_list(store: Store, limit: int = 100, offset: int = 0) -> ArticleList:
    total, rows = aggregates.list_articles(store, max(1, min(limit, 1000)), max(0, offset))
    return ArticleList(total=total, articles=[ArticleRef(**r) for r in rows])
