"""Event mentions from the sentences of one article.

A sentence reports an event when it has a trigger word of an event type (``vi/data/event_triggers.yaml``)
that is not hypothetical (``có thể``, ``nếu``, ``dự kiến`` just before it) and names at least one
participant (a person, country or organisation mention). One sentence may report several events: each
trigger goes with the time expression nearest to it, and triggers that share a time make one event,
named by the most specific type among them (``vụ thử hạt nhân … năm 2017`` and ``gặp ông Putin … năm
2019`` in one sentence are two events). The date of an event is, in this order: the sentence's own time
expression; else the nearest time of an earlier sentence in the same paragraph (the governing one);
else the article's date, only when the sentence reports the news of the day (one of the first
sentences, or a statement, accusation or denial that is not background). An event without a date is
not kept: it could not be placed on a timeline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from dossier.models import Article, EventMention, Mention, Sentence, TimeExpr
from dossier.timex.lexicon import alternation
from dossier.vi.text import match_key

SUMMARY_CHARS = 220
# the statement-like types whose reports are news of the day when nothing else dates them
_REPORTING = ("statement", "accusation", "denial")


@dataclass(frozen=True)
class Lexicon:
    triggers: list[tuple[re.Pattern[str], str, bool]]  # (pattern, type, strong)
    priority: dict[str, int]
    modal: re.Pattern[str]
    modal_window: int
    background: re.Pattern[str]
    participant_types: frozenset[str]
    place_types: frozenset[str]
    lead_sentences: int


def _words(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + alternation([match_key(w) for w in words]) + r")(?!\w)")


@cache
def lexicon() -> Lexicon:
    """The trigger words and the rules' word lists, read once from the package data."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("dossier.vi").joinpath("data/event_triggers.yaml").read_text(encoding="utf-8")
    )
    triggers = []
    for kind, lists in raw["types"].items():
        for strength in ("strong", "weak"):
            if lists.get(strength):
                triggers.append((_words(lists[strength]), kind, strength == "strong"))
    return Lexicon(
        triggers=triggers,
        priority={kind: i for i, kind in enumerate(raw["priority"])},
        modal=_words(raw["modal"]),
        modal_window=int(raw["modal_window"]),
        background=_words(raw["background"]),
        participant_types=frozenset(raw["participant_types"]),
        place_types=frozenset(raw["place_types"]),
        lead_sentences=int(raw["lead_sentences"]),
    )


@dataclass(frozen=True)
class Trigger:
    start: int  # offsets in the article text
    end: int
    type: str
    strong: bool


def triggers(sentence: Sentence) -> list[Trigger]:
    """The non-hypothetical trigger words of a sentence, longest first where two overlap."""
    lx = lexicon()
    key = match_key(sentence.text)
    modal_ends = [m.end() for m in lx.modal.finditer(key)]
    found: list[Trigger] = []
    for pattern, kind, strong in lx.triggers:
        for m in pattern.finditer(key):
            if any(0 <= m.start() - end <= lx.modal_window for end in modal_ends):
                continue
            found.append(Trigger(sentence.start + m.start(), sentence.start + m.end(), kind, strong))
    kept: list[Trigger] = []
    for trig in sorted(found, key=lambda t: (-(t.end - t.start), t.start)):
        if all(trig.end <= k.start or trig.start >= k.end for k in kept):
            kept.append(trig)
    return sorted(kept, key=lambda t: t.start)


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _paragraph_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


@dataclass
class _Group:
    time: TimeExpr | None
    triggers: list[Trigger]

    @property
    def span(self) -> tuple[int, int]:
        points = [t.start for t in self.triggers] + [t.end for t in self.triggers]
        return min(points), max(points)


def _groups(trigs: list[Trigger], times: list[TimeExpr]) -> list[_Group]:
    """Triggers grouped by the time expression nearest to each (one group when there is none)."""
    if not times:
        return [_Group(None, trigs)]
    by_time: dict[int, list[Trigger]] = defaultdict(list)
    for trig in trigs:
        nearest = min(
            range(len(times)), key=lambda i: _distance((trig.start, trig.end), (times[i].start, times[i].end))
        )
        by_time[nearest].append(trig)
    return [_Group(times[i], by_time[i]) for i in sorted(by_time)]


def _assign(mentions: list[Mention], groups: list[_Group]) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        best = min(range(len(groups)), key=lambda i: _distance((mention.start, mention.end), groups[i].span))
        out[best].append(mention)
    return out


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def _news_of_the_day(article: Article, sentence: Sentence, kind: str) -> bool:
    lx = lexicon()
    if sentence.index < lx.lead_sentences:
        return True
    return kind in _REPORTING and not lx.background.search(match_key(sentence.text))


def extract(article: Article, article_date: str | None = None) -> list[EventMention]:
    """The event mentions of ``article``, from its sentences, time expressions (``article.times``) and
    entity mentions. ``article_date`` dates the news of the day (default: the publication date)."""
    lx = lexicon()
    article_date = article_date if article_date is not None else article.published
    times = sorted(article.times, key=lambda t: t.start)
    out: list[EventMention] = []
    for sentence in article.sentences:
        trigs = triggers(sentence)
        if not trigs:
            continue
        own = [t for t in times if sentence.start <= t.start < sentence.end]
        para = _paragraph_start(article.text, sentence.start)
        governing = [
            t for t in times if para <= t.start < sentence.start and t.granularity in ("day", "month")
        ]
        mentions = [m for m in article.mentions if sentence.start <= m.start < sentence.end]
        groups = _groups(trigs, own)
        assigned = _assign(mentions, groups)
        for i, group in enumerate(groups):
            strong = [t for t in group.triggers if t.strong]
            if group.time is None and not strong:
                continue  # a noun alone ("cuộc chiến") dates nothing and reports nothing new
            kind = min((t.type for t in group.triggers), key=lambda k: lx.priority[k])
            date, date_end = _date(group, governing, article, sentence, kind, article_date)
            if date is None:
                continue
            members = assigned.get(i, [])
            participants = _unique(m.entity_id for m in members if m.type in lx.participant_types)
            places = _unique(m.entity_id for m in members if m.type in lx.place_types)
            if not participants:
                continue
            out.append(
                EventMention(
                    sentence=sentence.index,
                    type=kind,
                    text=sentence.text,
                    date=date,
                    date_end=date_end,
                    participants=participants,
                    place=places[0] if places else None,
                    summary=_summary(sentence.text),
                    line=sentence.line,
                )
            )
    return out


def _date(
    group: _Group,
    governing: list[TimeExpr],
    article: Article,
    sentence: Sentence,
    kind: str,
    article_date: str | None,
) -> tuple[str | None, str | None]:
    if group.time is not None:
        return group.time.value, group.time.value_end
    if governing:
        return governing[-1].value, governing[-1].value_end
    if article_date and _news_of_the_day(article, sentence, kind):
        return article_date, None
    return None, None


def _unique(ids: Any) -> list[str]:
    seen: dict[str, None] = {}
    for entity_id in ids:
        seen.setdefault(entity_id, None)
    return list(seen)
