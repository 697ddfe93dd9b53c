"""Answering a question from the store: find the sentences that say what the question is about, take
the answer from the best one — from the extracted events, time expressions and mentions when they
cover it, from the sentence's own words otherwise — and cite every sentence used.

No model and no service: ranked full-text retrieval (:func:`dossier.store.search.search_sentences`),
then a score per sentence — how much of the question's content it covers, weighted by how rare each
idea is in the corpus, plus whether it holds the kind of answer asked for. Below a coverage of
:data:`MIN_COVERAGE` the answer is a plain "not known".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from dossier.ask import extract
from dossier.ask.question import Question, analyse
from dossier.errors import DossierError
from dossier.store.search import search_sentences
from dossier.store.sqlite import Store
from dossier.web.schemas import Answer, Citation

MIN_COVERAGE = 0.6
CANDIDATES = 80
_UNKNOWN = {
    "vi": "Không biết: các bài đã lưu không trả lời câu hỏi này.",
    "en": "I don't know: the stored articles do not answer this question.",
}


@dataclass
class Candidate:
    article: str
    idx: int
    line: int
    text: str
    title: str
    source_uri: str
    published: str | None
    outlet: str | None
    coverage: float = 0.0
    score: float = 0.0
    value: str | None = None
    value_iso: str | None = None
    basis: str = "sentence"
    extra: dict[str, Any] = field(default_factory=dict)


def _fts_query(question: Question) -> str:
    parts = []
    for variant in question.all_variants():
        phrase = " ".join(variant).replace('"', " ").strip()
        if phrase:
            parts.append(f'"{phrase}"')
    return " OR ".join(dict.fromkeys(parts))


def _weigh(store: Store, question: Question) -> None:
    """Weight each idea by its rarity among sentences (inverse document frequency)."""
    total = max(1, store.conn.execute("SELECT COUNT(*) FROM search_sentences").fetchone()[0])
    for concept in question.concepts:
        expr = " OR ".join('"' + " ".join(_fold_words(v)) + '"' for v in concept.variants if _fold_words(v))
        if not expr:
            concept.weight = 0.0
            continue
        try:
            if store.dialect == "postgresql":
                from dossier.store.search_pg import to_tsquery

                sql = "SELECT 1 FROM search_sentences WHERE tsv @@ to_tsquery('simple', ?)"
                expr = to_tsquery(expr)
            else:
                sql = "SELECT 1 FROM search_sentences WHERE search_sentences MATCH ?"
            df = store.conn.execute(f"SELECT COUNT(*) FROM ({sql} LIMIT 20000) q", (expr,)).fetchone()[0]
        except Exception:  # noqa: BLE001 - a term FTS5 cannot read counts as unseen
            df = 0
        concept.weight = math.log(1 + total / (df + 0.5))


def _fold_words(variant: tuple[str, ...]) -> list[str]:
    from dossier.vi.text import fold

    return [w for w in (fold(x) for x in variant) if w.replace("-", "").replace("'", "").isalnum()]


def _coverage(text: str, question: Question) -> tuple[float, int]:
    spans = extract.word_spans(text)
    total = sum(c.weight for c in question.concepts) or 1.0
    got = 0.0
    found = 0
    for concept in question.concepts:
        if extract.find_variant(spans, concept.variants) is not None:
            got += concept.weight
            found += 1
    return got / total, found


def _times_in(store: Store, cand: Candidate) -> list[dict[str, Any]]:
    """The stored time expressions of the candidate sentence, with offsets relative to the sentence."""
    row = store.conn.execute(
        'SELECT start, "end" FROM sentences WHERE article_id = ? AND idx = ?', (cand.article, cand.idx)
    ).fetchone()
    if row is None:
        return []
    rows = store.conn.execute(
        'SELECT text, value, start, "end" FROM times WHERE article_id = ? AND start >= ? AND start < ?'
        " ORDER BY start",
        (cand.article, row["start"], row["end"]),
    )
    return [{**dict(r), "start": r["start"] - row["start"], "end": r["end"] - row["start"]} for r in rows]


def _event_at(store: Store, cand: Candidate) -> dict[str, Any] | None:
    row = store.conn.execute(
        "SELECT e.date, e.type, e.summary FROM event_evidence ev JOIN events e ON e.id = ev.event_id"
        " WHERE ev.article_id = ? AND ev.line = ? AND e.date IS NOT NULL LIMIT 1",
        (cand.article, cand.line),
    ).fetchone()
    return dict(row) if row else None


def _extract(store: Store, cand: Candidate, question: Question) -> None:
    """Fill the candidate's value for the question's kind (None when the sentence has none)."""
    text = cand.text
    if question.kind == "when":
        event = _event_at(store, cand)
        times = _times_in(store, cand)
        found = extract.dates(text)
        chosen = _nearest(found, text, question) if found else None
        cand.extra["stated"] = chosen is not None or bool(times)
        if chosen is not None:
            cand.value = chosen.value
            # the stored time expression that says the same thing gives its resolved value
            same = [t for t in times if t["start"] < chosen.end and t["end"] > chosen.start]
            if same:
                cand.value_iso, cand.basis = same[0]["value"], "time expression"
        elif times:
            cand.value, cand.value_iso, cand.basis = times[0]["text"], times[0]["value"], "time expression"
        if event is not None and (cand.value is None or cand.value_iso == event["date"]):
            cand.value = cand.value or event["date"]
            cand.value_iso, cand.basis = event["date"], "event"
    elif question.kind == "how-many":
        found = extract.amounts(text)
        if found:
            cand.value = _nearest(found, text, question).value
    elif question.kind == "where":
        found = extract.places(text, question)
        if found:
            place = _nearest(found, text, question, after=True)
            cand.value = place.value
            verb = question.verb
            at = extract.find_variant(extract.word_spans(text), verb.variants) if verb else None
            if at is not None and place.start >= at[1]:
                gap = len(text[at[1] : place.start].split())
                # the place said right after the verb ("gặp nhau hôm 13/9 tại …") is where it happened
                cand.extra["bonus"] = 0.2 if gap <= 6 else 0.1 if gap <= 12 else 0.0
    elif question.kind == "who":
        subject = extract.agent(text, question)
        if subject is not None:
            cand.value = subject.value
        else:
            names = extract.names_in(text, question)
            if names and question.predicate is None:
                cand.value = ", ".join(dict.fromkeys(n.value for n in names[:3]))
    else:
        cand.value = text


def _anchors(text: str, question: Question) -> list[tuple[int, int]]:
    spans = extract.word_spans(text)
    return [p for c in question.concepts if (p := extract.find_variant(spans, c.variants)) is not None]


def _proximity(text: str, value: str | None, question: Question) -> float:
    """A bonus for an answer said next to the question's words (a few words away at most)."""
    if not value or value not in text:
        return 0.0
    start = text.index(value)
    end = start + len(value)
    gaps = []
    for s, e in _anchors(text, question):
        between = text[end:s] if s >= end else text[e:start] if start >= e else ""
        gaps.append(len(between.split()))
    if not gaps:
        return 0.0
    gap = min(gaps)
    return 0.15 if gap <= 3 else 0.08 if gap <= 8 else 0.0


def _nearest(found: list[extract.Found], text: str, question: Question, after: bool = False) -> extract.Found:
    """The found piece closest to where the question's ideas occur in the sentence."""
    anchors = _anchors(text, question)
    if not anchors:
        return found[0]

    def distance(f: extract.Found) -> float:
        gaps = []
        for s, e in anchors:
            if f.start >= e:
                gaps.append(f.start - e)
            elif f.end <= s:
                gaps.append((s - f.end) * (1.5 if after else 1.0))
            else:
                gaps.append(1e6)  # overlaps a word of the question: it is not the answer
        return min(gaps)

    return min(found, key=distance)


_YEARS = re.compile(r"\b(?:1[89]|20)\d\d\b")
_DAY = re.compile(r"\d{1,2}\s*/\s*\d{1,2}|ngày\s+\d{1,2}|\d{4}-\d{2}-\d{2}", re.IGNORECASE)


def _time_bonus(cand: Candidate, question: Question) -> float:
    """Prefer sentences about the year the question names: by the years they state, else by the date
    of their article."""
    if not question.year:
        return 0.0
    stated = set(_YEARS.findall(cand.text))
    if stated:
        return 0.2 if question.year in stated else -0.2
    published = cand.published or ""
    if question.month and published.startswith(f"{question.year}-{question.month:02d}"):
        return 0.15
    return 0.1 if published.startswith(question.year) else -0.1


def _candidates(store: Store, question: Question) -> list[Candidate]:
    query = _fts_query(question)
    if not query:
        return []
    try:
        hits = search_sentences(store, query, limit=CANDIDATES).hits
    except DossierError:
        return []
    return [
        Candidate(
            article=h.article_id,
            idx=h.idx,
            line=h.line,
            text=h.text,
            title=h.title,
            source_uri=h.source_uri,
            published=h.published,
            outlet=h.outlet,
        )
        for h in hits
    ]


def _cite(c: Candidate) -> Citation:
    return Citation(
        article=c.article,
        title=c.title,
        source_uri=c.source_uri,
        line=c.line,
        text=c.text,
        published=c.published,
    )


def _compose(question: Question, best: Candidate) -> str:
    where = best.outlet or best.source_uri
    when = f", {best.published}" if best.published else ""
    value = best.value or ""
    if best.value_iso and best.value_iso not in value:
        value = f"{value} ({best.value_iso})" if value else best.value_iso
    if question.kind == "what":
        lead = "Theo" if question.language == "vi" else "According to"
        return f"{lead} {where}{when}: {best.text}"
    if question.language == "vi":
        return f"{value} — theo {where}{when}, dòng {best.line} của {best.source_uri}."
    return f"{value} — according to {where}{when}, line {best.line} of {best.source_uri}."


def ask(store: Store, text: str) -> Answer:
    """Answer a factual question about the stored articles, citing the sentences used; when they do not
    answer it, say so (``known`` false) instead of guessing."""
    question = analyse(text)
    unknown = Answer(
        question=text,
        language=question.language,
        kind=question.kind,
        known=False,
        answer=_UNKNOWN[question.language],
        citations=[],
        basis="none",
    )
    if not question.concepts:
        return unknown
    _weigh(store, question)
    cands = _candidates(store, question)
    for cand in cands:
        cand.coverage, found = _coverage(cand.text, question)
        if cand.coverage < MIN_COVERAGE:
            continue
        _extract(store, cand, question)
        cand.score = cand.coverage + (0.3 if cand.value else 0.0) + _time_bonus(cand, question)
        cand.score += cand.extra.get("bonus", 0.0)
        explicit = question.kind != "when" or any(ch.isdigit() for ch in cand.value or "")
        if question.kind != "what" and explicit:
            cand.score += _proximity(cand.text, cand.value, question)
        if question.kind == "when" and cand.value:
            if not cand.extra.get("stated"):
                cand.score -= 0.2  # the date comes from an event this sentence supports, not from its words
            elif _DAY.search(cand.value):
                cand.score += 0.1  # a day stated in figures beats a month, a year or "the day before"
        cand.score -= min(len(cand.text), 600) / 6000  # at equal cover, the shorter sentence says it plainer
    usable = [c for c in cands if c.coverage >= MIN_COVERAGE and c.value]
    if not usable:
        return unknown
    usable.sort(key=lambda c: -c.score)
    best = usable[0]
    support = [c for c in usable[1:] if c.value == best.value and c.article != best.article][:2]
    return Answer(
        question=text,
        language=question.language,
        kind=question.kind,
        known=True,
        answer=_compose(question, best),
        value=best.value_iso or best.value,
        citations=[_cite(c) for c in [best, *support]],
        basis=best.basis,
    )
