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
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import Any, NamedTuple

from dossier.models import Article, EventMention, Mention, Sentence, TimeExpr
from dossier.stages.event_lexicon import lexicon
from dossier.timex.values import interval
from dossier.vi.text import match_key

SUMMARY_CHARS = 220
# the statement-like types whose reports are news of the day when nothing else dates them
_REPORTING = ("statement", "accusation", "denial")
_DESTINATIONS = ("place", "country", "facility")
_CLAUSE_STOP = re.compile(r"[,;:]")
_NOUN_MODAL_WINDOW = 12  # characters between an event noun and a modal word that governs it


def other_kinds(text: str) -> set[str]:
    """The kinds of "other" event a sentence speaks of (founding, collapse, coming to power …)."""
    key = match_key(text)
    return {kind for kind, pattern in lexicon().other_kinds.items() if pattern.search(key)}


class Trigger(NamedTuple):  # a tuple: made for every trigger word of every sentence
    start: int  # offsets in the article text
    end: int
    type: str
    strong: bool


class _Words:
    """The matches of the trigger lists, the modal words, the subordinators and the verbs of movement
    in one sentence, found with one scan (:class:`dossier.timex.word_lists.WordLists`)."""

    def __init__(self, sentence: Sentence) -> None:
        lx = lexicon()
        by_list = lx.sentence_words.scan(sentence.key)
        count = len(lx.triggers)
        self.modal = by_list.pop(count, [])
        self.subordinators = by_list.pop(count + 1, [])
        self.visits = by_list.pop(count + 2, [])  # visit_before_name, before a place named
        self.triggers = sorted(by_list.items()) if len(by_list) > 1 else list(by_list.items())


def triggers(
    sentence: Sentence, mentions: list[Mention] | None = None, words: _Words | None = None
) -> list[Trigger]:
    """The non-hypothetical trigger words of a sentence, longest first where two overlap. A verb of
    movement (``đến``, ``rời``) counts only right before the mention of a place or country."""
    lx = lexicon()
    key = sentence.key
    words = words or _Words(sentence)
    if not words.triggers and not words.visits:
        return []
    modal_ends = [m.end() for m in words.modal]
    modal_starts = [m.start() for m in words.modal]
    found: list[Trigger] = []
    for i, matches in words.triggers:
        _, kind, strong = lx.triggers[i]
        for m in matches:
            if any(0 <= m.start() - end <= lx.modal_window for end in modal_ends):
                continue
            if lx.place_nouns.search(key, max(0, m.start() - 30), m.start()):
                continue  # "một cơ sở phóng tên lửa": where launches happen, not a launch
            if not strong and any(0 <= start - m.end() <= _NOUN_MODAL_WINDOW for start in modal_starts):
                continue  # "cuộc gặp có thể xảy ra": the noun's own verb is hypothetical
            found.append(Trigger(sentence.start + m.start(), sentence.start + m.end(), kind, strong))
    destinations = (
        {m.start - sentence.start for m in mentions or [] if m.type in _DESTINATIONS}
        if words.visits
        else set()
    )
    for m in words.visits:
        if m.end() in destinations and not any(0 <= m.start() - end <= lx.modal_window for end in modal_ends):
            found.append(Trigger(sentence.start + m.start(), sentence.start + m.end(), "visit", True))
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

    @cached_property
    def span(self) -> tuple[int, int]:
        points = [t.start for t in self.triggers] + [t.end for t in self.triggers]
        return min(points), max(points)


@dataclass(frozen=True)
class _Scope:
    start: int
    end: int
    sequence: bool  # the time of a "sau khi …" clause, which also dates a main clause without one


def _scopes(sentence: Sentence, times: list[TimeExpr], words: _Words) -> list[_Scope]:
    """For each time, the stretch of the sentence it may date: all of it, unless the time sits in a
    subordinate clause (``kể từ khi … năm 2022,``): then that clause only, from its opening word to the
    next comma or semicolon."""
    lx = lexicon()
    opens = [(sentence.start + m.start(), m.group()) for m in words.subordinators]
    out = []
    for t in times:
        before = [
            (o, word)
            for o, word in opens
            if o <= t.start and not re.search(r"[,;:]", article_slice(sentence, o, t.start))
        ]
        if not before:
            out.append(_Scope(sentence.start, sentence.end, False))
            continue
        opener, word = max(before)
        stop = re.search(r"[,;:]", article_slice(sentence, t.end, sentence.end))
        sequence = bool(lx.sequence_subordinators.fullmatch(word))
        out.append(_Scope(opener, t.end + stop.start() if stop else sentence.end, sequence))
    return out


def article_slice(sentence: Sentence, start: int, end: int) -> str:
    return sentence.text[start - sentence.start : end - sentence.start]


def _groups(trigs: list[Trigger], times: list[TimeExpr], scopes: list[_Scope]) -> list[_Group]:
    """Triggers grouped by the time expression nearest to each among those whose scope holds them.
    Triggers left without one take the time of a "sau khi …" clause of the sentence, if any, and
    otherwise form one group without a time."""
    by_time: dict[int | None, list[Trigger]] = defaultdict(list)
    for trig in trigs:
        allowed = [i for i in range(len(times)) if scopes[i].start <= trig.start < scopes[i].end]
        if not allowed:
            allowed = [i for i in range(len(times)) if scopes[i].sequence][-1:]
        nearest = (
            min(allowed, key=lambda i: _distance((trig.start, trig.end), (times[i].start, times[i].end)))
            if allowed
            else None
        )
        by_time[nearest].append(trig)
    order = sorted(by_time, key=lambda i: -1 if i is None else i)
    return [_Group(None if i is None else times[i], by_time[i]) for i in order]


def _assign(mentions: list[Mention], groups: list[_Group]) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = defaultdict(list)
    if len(groups) == 1:
        if mentions:
            out[0] = list(mentions)
        return out
    spans = [g.span for g in groups]
    for mention in mentions:
        best = min(range(len(spans)), key=lambda i: _distance((mention.start, mention.end), spans[i]))
        out[best].append(mention)
    return out


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def _news_of_the_day(article: Article, sentence: Sentence, kind: str) -> bool:
    lx = lexicon()
    if sentence.index < lx.lead_sentences:
        return True
    return kind in _REPORTING and not lx.background.search(sentence.key)


def _mentions_by_sentence(article: Article) -> list[list[Mention]]:
    """For each sentence, the mentions that start in it, in the article's order."""
    sentences = article.sentences
    starts = [s.start for s in sentences]
    if any(s.start > s.end for s in sentences) or any(a.end > b.start for a, b in pairwise(sentences)):
        # not in order: no shortcut
        return [[m for m in article.mentions if s.start <= m.start < s.end] for s in sentences]
    out: list[list[Mention]] = [[] for _ in sentences]
    for m in article.mentions:
        i = bisect_right(starts, m.start) - 1
        if i >= 0 and m.start < sentences[i].end:
            out[i].append(m)
    return out


def extract(
    article: Article, article_date: str | None = None, keep_undated: bool = False
) -> list[EventMention]:
    """The event mentions of ``article``, from its sentences, time expressions (``article.times``) and
    entity mentions. ``article_date`` dates the news of the day (default: the publication date).
    With ``keep_undated``, a deed that nothing dates but that names a person (``chuyến thăm Triều Tiên
    của Bộ trưởng Sergei Shoigu``) is kept too, with no date: merging may join it to the one dated
    event it tells (:mod:`dossier.stages.event_join`)."""
    article_date = article_date if article_date is not None else article.published
    times = sorted(article.times, key=lambda t: t.start)
    time_starts = [t.start for t in times]
    out: list[EventMention] = []
    for sentence, mentions in zip(article.sentences, _mentions_by_sentence(article), strict=True):
        words = _Words(sentence)
        trigs = triggers(sentence, mentions, words)
        if not trigs:
            continue
        own = times[bisect_left(time_starts, sentence.start) : bisect_left(time_starts, sentence.end)]
        para = _paragraph_start(article.text, sentence.start)
        governing = [
            t
            for t in times[bisect_left(time_starts, para) : bisect_left(time_starts, sentence.start)]
            if t.granularity in ("day", "month")
        ]
        groups = _groups(trigs, own, _scopes(sentence, own, words))
        assigned = _assign(mentions, groups)
        for i, group in enumerate(groups):
            members = assigned.get(i, []) or _antecedent(mentions, group)
            for kinds in _kinds(group, sentence):
                event = _event(article, sentence, group, kinds, members, governing, article_date)
                if event is None and keep_undated and group.time is None:
                    event = _undated(sentence, kinds, mentions)
                if event is not None:
                    out.append(event)
        previous = _previous(article, sentence, trigs, mentions, groups, article_date)
        if previous is not None:
            out.append(previous)
    return out


def _previous(
    article: Article,
    sentence: Sentence,
    trigs: list[Trigger],
    mentions: list[Mention],
    groups: list[_Group],
    article_date: str | None,
) -> EventMention | None:
    """The earlier event that ``… chuyến công du đầu tiên tới Bình Nhưỡng … sau 24 năm`` recalls: one of
    the same type N years before the event the sentence reports (dated by its own time, else by the
    article), at year precision, with the sentence's participants. None when there is no such phrase,
    no deed before it or nothing to count back from."""
    lx = lexicon()
    found = lx.first_in_years.search(sentence.key)
    if found is None:
        return None
    at = sentence.start + found.start()
    deeds = [t for t in trigs if t.type not in _REPORTING and t.type not in ("other",) and t.start <= at]
    if not deeds:
        return None
    trig = max(deeds, key=lambda t: t.start)  # the deed the "first" speaks of: the nearest before it
    group = next(g for g in groups if trig in g.triggers)
    reference = group.time.value if group.time is not None else article_date
    span = interval(reference) if reference else None
    if span is None or span[0].year != span[1].year:
        return None
    people = _unique(m.entity_id for m in mentions if m.type in lx.participant_types)
    places = _unique(m.entity_id for m in mentions if m.type in lx.place_types)
    if not people:
        return None
    return EventMention(
        sentence=sentence.index,
        type=trig.type,
        text=sentence.text,
        date=f"{span[0].year - int(found.group(1)):04d}",
        participants=people,
        place=places[0] if places else None,
        summary=_summary(sentence.text),
        line=sentence.line,
    )


def _antecedent(mentions: list[Mention], group: _Group) -> list[Mention]:
    """For a clause that names no one ("kể từ khi ông lên nắm quyền"), the person named last before it."""
    before = [m for m in mentions if m.type == "person" and m.end <= group.span[0]]
    return before[-1:]


def _kinds(group: _Group, sentence: Sentence) -> list[list[Trigger]]:
    """The triggers of a group split into what was done and what was said: a sentence such as
    ``Blinken nói … chuyến công du của ông Putin`` reports a statement and a visit. Deeds of different
    types in different clauses are different events too: ``Hội đồng Bảo an áp đặt lệnh trừng phạt …
    sau khi Bình Nhưỡng bắn thử tên lửa`` reports a sanction and, in its ``sau khi`` clause, a test."""
    speech = [t for t in group.triggers if t.type in _REPORTING]
    deeds = [t for t in group.triggers if t.type not in _REPORTING]
    if len({t.type for t in deeds}) < 2:
        return [kinds for kinds in (deeds, speech) if kinds]  # one type of deed: one clause or many alike
    by_clause: dict[int, list[Trigger]] = defaultdict(list)
    for trig in deeds:
        by_clause[_clause_of(sentence, trig)].append(trig)
    clauses = list(by_clause.values())
    if len({frozenset(t.type for t in c) for c in clauses}) < 2:
        clauses = [deeds]
    return [kinds for kinds in (*clauses, speech) if kinds]


def _clause_of(sentence: Sentence, trig: Trigger) -> int:
    """Where the clause holding a trigger opens: the last clause-opening word before it with no comma
    or semicolon between (a ``sau khi``, ``nhằm đáp trả`` clause), else -1 (the main clause)."""
    # the key of the text before the trigger: a trigger opens a word, so no vowel run is cut
    cut = trig.start - sentence.start
    key = sentence.key
    opens = [m.end() for m in lexicon().clause_openers.finditer(key, 0, cut)]
    opens = [o for o in opens if not _CLAUSE_STOP.search(key, o, cut)]
    return max(opens, default=-1)


def _event(
    article: Article,
    sentence: Sentence,
    group: _Group,
    trigs: list[Trigger],
    members: list[Mention],
    governing: list[TimeExpr],
    article_date: str | None,
) -> EventMention | None:
    lx = lexicon()
    if group.time is None and not any(t.strong for t in trigs):
        return None  # a noun alone ("cuộc chiến") dates nothing and reports nothing new
    kind = min((t.type for t in trigs), key=lambda k: lx.priority[k])
    date, date_end = _date(group, governing, article, sentence, kind, article_date)
    if date is None:
        return None
    people = [m for m in members if m.type in lx.participant_types]
    if kind in _REPORTING:
        # the speaker first: the participant named nearest to the verb of saying
        verb = min((t for t in trigs if t.type == kind), key=lambda t: t.start)
        people.sort(key=lambda m: (m.type != "person", _distance((m.start, m.end), (verb.start, verb.end))))
    participants = _unique(m.entity_id for m in people)
    places = _unique(m.entity_id for m in members if m.type in lx.place_types)
    if not participants:
        return None
    return EventMention(
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


def _undated(sentence: Sentence, trigs: list[Trigger], mentions: list[Mention]) -> EventMention | None:
    """An undated mention of a deed whose trigger is followed, in its own phrase, by a person: the
    participants are the names of that phrase (``chuyến thăm Triều Tiên của Bộ trưởng Sergei Shoigu``),
    not the sentence's, since nothing else ties them to this deed. None when there is no such phrase."""
    lx = lexicon()
    kind = min((t.type for t in trigs), key=lambda k: lx.priority[k])
    if kind in lx.unjoinable:
        return None
    trig = min((t for t in trigs if t.type == kind), key=lambda t: t.start)
    if not any(m.type == "person" and m.start >= trig.end for m in mentions):
        return None  # no one named after the trigger: no phrase can name them
    lo, hi = trig.end - sentence.start, min(sentence.end, trig.end + lx.phrase_chars) - sentence.start
    phrase = sentence.text[lo:hi]
    # the sentence's key serves unless the phrase ends inside a word (a vowel run cut in two folds
    # its tone mark differently)
    key = (
        sentence.key[lo:hi]
        if hi >= len(sentence.text) or not sentence.text[hi].isalpha()
        else match_key(phrase)
    )
    stops = [m.start() for m in re.finditer(r"[,;:.!?()\[\]\"“”]", phrase)]
    stops += [m.start() for m in lx.clause_openers.finditer(key)]
    stops += [m.start() for m in lx.modal.finditer(key)]
    end = trig.end + min(stops, default=len(phrase))
    members = [m for m in mentions if trig.end <= m.start and m.end <= end]
    if not any(m.type == "person" for m in members):
        return None
    places = _unique(m.entity_id for m in members if m.type in lx.place_types)
    return EventMention(
        sentence=sentence.index,
        type=kind,
        text=sentence.text,
        participants=_unique(m.entity_id for m in members if m.type in lx.participant_types),
        place=places[0] if places else None,
        summary=_summary(sentence.text),
        line=sentence.line,
    )


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
    return list(dict.fromkeys(ids))
