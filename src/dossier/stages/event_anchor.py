"""Dating an undated article by the events it shares with dated ones.

An article without a publication date (a translation pasted without its header, say) still writes
``Hôm 19/06`` and ``Tháng Chín năm ngoái``: the day and month are there, the year is not. For each
year the corpus's dated articles were published in, the article is read as if written on the latest
day it names in that year (``19/06`` → 19 June of that year); the year under which most of its event
mentions agree with an event mention of a dated article (same type, dates that can be the same, a
shared participant) is taken, when it is the only best one. Its times and events are then resolved
against that day; its ``published`` field stays empty, since no capture gave it. When no year stands
out, nothing is guessed and its relative expressions stay unresolved.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from dossier.models import Article, EventMention, Mention, OffsetMap, Sentence
from dossier.stages import dates, event_extract
from dossier.stages.event_merge import dates_agree
from dossier.timex import Anchor, Timex, tag
from dossier.timex.values import month_end


def article_from_store(
    row: dict[str, Any], sentences: list[dict[str, Any]], mentions: list[dict[str, Any]]
) -> Article:
    """A stored article rebuilt as the model the stages work on (text, offsets, sentences, mentions)."""
    article = Article(
        source_id=row["source_id"],
        start_line=row["start_line"],
        end_line=row["end_line"],
        title=row["title"],
        text=row["text"],
        offsets=OffsetMap.from_json(row["offsets"]),
        published=row["published"],
        outlet=row.get("outlet"),
    )
    article.sentences = [Sentence(s["idx"], s["start"], s["end"], s["text"], s["line"]) for s in sentences]
    article.mentions = [
        Mention(m["start"], m["end"], m["text"], m["entity"], m["type"], line=m["line"]) for m in mentions
    ]
    return article


def hypotheses(found: list[Timex], years: list[int]) -> list[Anchor]:
    """One anchor per candidate year: the latest day (else month) the article names without a year."""
    days = [(t.spec.month, t.spec.day) for t in found if _yearless(t) and t.spec.day is not None]
    months = [t.spec.month for t in found if _yearless(t) and t.spec.month is not None]
    out = []
    for year in sorted(set(years)):
        try:
            if days:
                month, day = max(days)  # type: ignore[type-var]
                out.append(Anchor(date(year, month, day), "day"))  # type: ignore[arg-type]
            elif months:
                out.append(Anchor(month_end(year, max(months)), "month"))  # type: ignore[type-var]
        except ValueError:
            continue
    return out


def _yearless(t: Timex) -> bool:
    spec = t.spec
    return (
        spec.year is None
        and spec.year_offset is None
        and spec.shift_unit is None
        and not spec.from_reference
        and spec.month is not None
    )


def _agreements(events: list[EventMention], dated: list[dict[str, Any]]) -> int:
    """How many of the events agree with a dated mention: same type, dates that can be the same and
    two participants in common. Statements are left out: they are too many to tell a year."""
    hits = 0
    for event in events:
        if event.date is None or event.type in ("statement", "accusation", "denial"):
            continue
        participants = set(event.participants)
        if any(
            d["type"] == event.type
            and dates_agree(d["date"], event.date)
            and len(participants & set(d["participants"])) >= 2
            for d in dated
            if d.get("date")
        ):
            hits += 1
    return hits


def infer(article: Article, dated: list[dict[str, Any]], years: list[int]) -> Anchor | None:
    """The anchor under which the article agrees best with the dated event mentions, or None."""
    found = tag(article.text, None)
    scores: list[tuple[int, Anchor]] = []
    for anchor in hypotheses(found, years):
        trial = copy.copy(article)
        dates.annotate(trial, anchor)
        # no news-of-the-day dating here: it would agree with whatever year is tried
        events = event_extract.extract(trial, article_date="")
        scores.append((_agreements(events, dated), anchor))
    scores.sort(key=lambda s: s[0], reverse=True)
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


def redate(article: Article, anchor: Anchor) -> Article:
    """The article's times and event mentions resolved against an inferred anchor."""
    dates.annotate(article, anchor)
    article.events = event_extract.extract(article, article_date=anchor.day.isoformat(), keep_undated=True)
    return article
