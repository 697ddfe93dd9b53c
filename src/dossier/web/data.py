"""Each page's data, computed once from the store: the HTML templates and the JSON API render the same
objects (see :mod:`dossier.web.schemas`)."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from dossier.errors import DossierError
from dossier.store import aggregates, event_pages
from dossier.store.search import EVENT_TYPES, Filters, search, search_sentences
from dossier.store.sqlite import Store
from dossier.web import charts, graph
from dossier.web.schemas import (
    ArticleRef,
    Claim,
    Claims,
    Coverage,
    EntityList,
    EntityPage,
    EntityRef,
    EntityRow,
    Evidence,
    FacetOptions,
    MonthCount,
    Neighbour,
    Network,
    Piece,
    QuoteOut,
    SearchFilters,
    SearchHit,
    SearchPage,
    SentenceHitOut,
    SentenceSearch,
    Snippet,
    Timeline,
    TimelineEvent,
)

T = TypeVar("T")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_CACHE: dict[tuple[str, str, tuple[int, ...]], Any] = {}


def _version(store: Store) -> tuple[int, ...]:
    """Changes whenever the store file (or its write-ahead log) is written."""
    out = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(str(store.path) + suffix)
            out.extend([st.st_mtime_ns, st.st_size])
        except OSError:
            out.extend([0, 0])
    return tuple(out)


def cached(store: Store, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, remembered until the store changes (for summaries over the whole store)."""
    if store.dialect != "sqlite":  # no file whose changes tell when to recompute: always compute
        return compute()
    key = (str(store.path.resolve()), name, _version(store))
    if key not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = compute()
    return _CACHE[key]  # type: ignore[no-any-return]


def names(store: Store) -> dict[str, dict[str, Any]]:
    return cached(store, "names", lambda: aggregates.entity_names(store))


def entity_ref(store: Store, entity_id: str | None) -> EntityRef | None:
    if not entity_id:
        return None
    return entity_refs(store, [entity_id])[0]


def entity_refs(store: Store, ids: list[str]) -> list[EntityRef]:
    """References to the named entities (in order), read for these ids only."""
    known = aggregates.entity_refs(store, [i for i in ids if i])
    out = []
    for entity_id in ids:
        if not entity_id:
            continue
        ent = known.get(entity_id)
        out.append(
            EntityRef(id=entity_id, name=ent["name"], type=ent["type"])
            if ent
            else EntityRef(id=entity_id, name=entity_id)
        )
    return out


def _evidence(store: Store, rows: list[dict[str, Any]]) -> list[Evidence]:
    arts = aggregates.article_summaries(store, sorted({r["article"] for r in rows}))
    return [
        Evidence(
            article=r["article"],
            title=arts.get(r["article"], {}).get("title", ""),
            source_uri=arts.get(r["article"], {}).get("source_uri"),
            line=r["line"],
            text=r["text"],
            stance=r.get("stance"),
        )
        for r in rows
    ]


def _pieces(segments: list[tuple[str, bool]]) -> list[Piece]:
    return [Piece(text=t, hit=h) for t, h in segments]


# -- search ----------------------------------------------------------------------------------------
def options(store: Store) -> FacetOptions:
    def compute() -> FacetOptions:
        ents = aggregates.entity_list(store, 300)
        return FacetOptions(
            entities=[EntityRef(id=e["id"], name=e["name"], type=e["type"]) for e in ents],
            outlets=aggregates.outlets(store),
            event_types=list(EVENT_TYPES),
        )

    return cached(store, "options", compute)


def search_page(store: Store, q: str, filters: Filters, limit: int = 20, offset: int = 0) -> SearchPage:
    """Search results, or the reason the query could not be run; an empty form when nothing is asked."""
    page = SearchPage(
        query=q,
        filters=SearchFilters(
            entity=filters.entity,
            outlet=filters.outlet,
            date_from=filters.date_from,
            date_to=filters.date_to,
            event_type=filters.event_type,
        ),
        options=options(store),
    )
    if not q.strip() and not filters.active():
        return page
    try:
        res = search(store, q, filters, limit=limit, offset=offset)
    except DossierError as err:
        page.error = str(err)
        return page
    page.total = res.total
    page.took_ms = round(res.took_ms, 1)
    page.hits = [
        SearchHit(
            id=h.article_id,
            title=h.title,
            title_pieces=_pieces(h.title_segments),
            published=h.published,
            outlet=h.outlet,
            source_uri=h.source_uri,
            start_line=h.start_line,
            end_line=h.end_line,
            score=h.score,
            snippets=[Snippet(idx=s.idx, line=s.line, pieces=_pieces(s.segments)) for s in h.snippets],
        )
        for h in res.hits
    ]
    return page


def sentence_search(store: Store, q: str, filters: Filters, limit: int = 20) -> SentenceSearch:
    try:
        res = search_sentences(store, q, filters, limit=limit)
    except DossierError as err:
        return SentenceSearch(query=q, hits=[], error=str(err))
    return SentenceSearch(
        query=q,
        hits=[
            SentenceHitOut(
                article=ArticleRef(
                    id=h.article_id,
                    title=h.title,
                    published=h.published,
                    outlet=h.outlet,
                    source_uri=h.source_uri,
                ),
                idx=h.idx,
                line=h.line,
                score=h.score,
                pieces=_pieces(h.segments),
            )
            for h in res.hits
        ],
    )


# -- timeline --------------------------------------------------------------------------------------
def _check_date(name: str, value: str | None) -> str | None:
    if not value:
        return None
    if not _DATE.fullmatch(value.strip()):
        raise DossierError(
            "E041", name=name, value=value, reason="expected a date as YYYY, YYYY-MM or YYYY-MM-DD"
        )
    return value.strip()


def _timeline_events(store: Store, events: list[dict[str, Any]]) -> list[TimelineEvent]:
    arts = aggregates.article_summaries(store, sorted({v["article"] for e in events for v in e["evidence"]}))
    involved = sorted({p for e in events for p in [*e["participants"], e["place"]] if p})
    refs = {r.id: r for r in entity_refs(store, involved)}
    return [
        TimelineEvent(
            id=e["id"],
            date=e["date"],
            date_end=e["date_end"],
            type=e["type"],
            summary=e["summary"],
            participants=[refs[p] for p in e["participants"] if p],
            place=refs.get(e["place"]) if e["place"] else None,
            evidence=[
                Evidence(
                    article=v["article"],
                    title=arts.get(v["article"], {}).get("title", ""),
                    source_uri=arts.get(v["article"], {}).get("source_uri"),
                    line=v["line"],
                    text=v["text"],
                )
                for v in e["evidence"]
            ],
        )
        for e in events
    ]


TIMELINE_PAGE = 500  # events per timeline page


def timeline(
    store: Store,
    entity: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    type: str | None = None,
    limit: int = TIMELINE_PAGE,
    offset: int = 0,
) -> Timeline:
    """The events in date order, kept when they involve ``entity``, meet the period and have ``type``:
    ``limit`` of them from ``offset``, filtered and ordered in the store (only those are read). The
    entity filter offers the entities in the most events."""
    total = cached(store, "event_count", lambda: event_pages.count(store))
    involved = cached(store, "involved", lambda: event_pages.involved(store, 300))
    page = Timeline(
        entity=entity or None,
        date_from=date_from or None,
        date_to=date_to or None,
        type=type or None,
        events=[],
        total=total,
        entities=sorted(entity_refs(store, involved), key=lambda r: r.name),
        types=list(EVENT_TYPES),
    )
    try:
        lo, hi = _check_date("from", date_from), _check_date("to", date_to)
        if type and type not in EVENT_TYPES:
            raise DossierError(
                "E041", name="type", value=type, reason="expected one of " + ", ".join(EVENT_TYPES)
            )
    except DossierError as err:
        page.error = str(err)
        return page
    where = event_pages.EventFilter(
        entities={entity} if entity else None, prefix_from=lo, prefix_to=hi, type=type or None
    )
    page.events = _timeline_events(store, list(event_pages.events(store, where, "stored", limit, offset)))
    return page


# -- entities --------------------------------------------------------------------------------------
def entity_list(store: Store, limit: int | None = None) -> EntityList:
    """The entities, most mentioned first (read from the entity table, not from the mentions)."""
    return EntityList(entities=[EntityRow(**r) for r in aggregates.entity_list(store, limit)])


def _pairs(store: Store) -> Counter[tuple[str, str]]:
    return cached(store, "pairs", lambda: aggregates.cooccurrence(store))


def _quote_out(store: Store, q: dict[str, Any]) -> QuoteOut:
    speaker = entity_ref(store, q.get("speaker"))
    return QuoteOut(
        id=q["id"],
        speaker=q.get("speaker"),
        speaker_name=speaker.name if speaker else None,
        speaker_text=q.get("speaker_text"),
        text=q["text"],
        kind=q["kind"],
        line=q["line"],
        article=q.get("article"),
        title=q.get("title"),
        published=q.get("published"),
        source_uri=q.get("source_uri"),
    )


def entity_page(store: Store, entity_id: str) -> EntityPage:
    """An entity's names, mentions over time, what it said, who it appears with and its events; E043 if
    the store does not know it."""
    row = aggregates.entity_row(store, entity_id)
    if row is None:
        raise DossierError("E043", entity_id=entity_id)
    by_month = [MonthCount(**m) for m in aggregates.entity_mentions_by_month(store, entity_id)]
    neighbours = sorted(
        ((b if a == entity_id else a, w) for (a, b), w in _pairs(store).items() if entity_id in (a, b)),
        key=lambda p: -p[1],
    )[:40]
    events = list(event_pages.events(store, event_pages.EventFilter(entities={entity_id}), "stored", 500))
    return EntityPage(
        id=entity_id,
        name=row["name"],
        type=row["type"],
        wikidata=row.get("wikidata"),
        aliases=row.get("aliases") or [],
        description=row.get("description"),
        mentions=sum(m.mentions for m in by_month),
        by_month=by_month,
        articles=[
            ArticleRef(**{k: a[k] for k in ("id", "title", "published", "outlet", "source_uri")})
            for a in aggregates.entity_articles(store, entity_id)
        ],
        quotes=[_quote_out(store, q) for q in aggregates.entity_quotes(store, entity_id)],
        neighbours=[
            Neighbour(entity=entity_ref(store, e) or EntityRef(id=e, name=e), sentences=w)
            for e, w in neighbours
        ],
        events=_timeline_events(store, events),
    )


def network(store: Store, limit: int = 60, min_weight: int = 1) -> Network:
    limit = max(2, min(limit, 200))
    min_weight = max(1, min_weight)
    return cached(
        store,
        f"network:{limit}:{min_weight}",
        lambda: graph.network(names(store), _pairs(store), limit, min_weight),
    )


def coverage(store: Store) -> Coverage:
    return cached(store, "coverage", lambda: charts.coverage_chart(aggregates.coverage(store)))


def claims(store: Store) -> Claims:
    rows = store.claims()
    return Claims(
        claims=[
            Claim(
                id=c["id"],
                text=c["text"],
                asserted_by=entity_refs(store, c["asserted_by"]),
                denied_by=entity_refs(store, c["denied_by"]),
                evidence=_evidence(store, c["evidence"]),
            )
            for c in rows
        ]
    )
