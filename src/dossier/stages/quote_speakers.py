"""Who a speech frame names: the speaker of a quotation, the holder of a claim.

A frame's subject is the stretch of text between the start of its clause and its speech verb (or
between a quotation and the verb after it). That stretch is cut at commas into segments, read from
the one nearest the verb outwards, because Vietnamese puts appositions and adverbials around the
subject with commas: ``Hồi đầu tuần, Ngoại trưởng Hoa Kỳ Antony Blinken nói``, ``Artyom Lukin, giáo
sư tại …, viết``. A segment names the speaker by

* a person the entities stage found in it (``Ngoại trưởng Hoa Kỳ Antony Blinken``);
* a pronoun or an anaphoric description (``ông``, ``ông này``): the last speaker named before;
* a role: a leader (``nhà lãnh đạo Bắc Hàn``) is the person this article introduces with a leader's
  role for the same country (``nhà lãnh đạo Bắc Hàn Kim Jong Un``); a spokesperson or an official
  without a name (``một phát ngôn viên Bộ Ngoại giao Hoa Kỳ``) speaks for the organisation or country
  named in the role; any other role without a name stays a description;
* an organisation or a country that opens the segment (``Điện Kremlin``, ``Moscow cho biết``);
* or a capitalised name the entities stage did not link (the speaker text, without an entity).

Segments that open with a time or place adverbial, or with a passive (``được AFP trích dẫn``), are
never the subject; an apposition (a role without a name) gives way to a name before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from dossier.kb.loader import load_kb
from dossier.models import Mention
from dossier.stages.quote_lexicon import SpeechLexicon, speech_lexicon
from dossier.vi.text import match_key

SPEAKER_TYPES = frozenset({"person", "organization", "country", "place", "other"})
GROUP_TYPES = frozenset({"organization", "country", "place", "other"})
MAX_LEAD_WORDS = 2  # words before a subject's name that is not introduced by a role ("ông", "bà")
NAMED_ROLE_WORDS = 8  # words at most between a role and the name of its holder
_PREPOSITIONS = re.compile(match_key(r"(?<!\w)(?:của|về|với|cho|từ|trong)(?!\w)"))
ROLE_WINDOW = 60  # characters before a person's name searched for the role that introduces it
_TOKEN = re.compile(r"[^\s,;:()]+")
_SEGMENT_BREAK = re.compile(r"[,;()\[\]–—]")


@cache
def _states() -> tuple[dict[str, str], dict[str, str]]:
    """(capital entity id -> state id, person or organisation id -> state id) from the knowledge base."""
    kb = load_kb()
    capitals = {f"ent-{city}": f"ent-{state}" for city, state in kb.capital_of.items()}
    members = {
        e.entity_id: f"ent-{e.country}" for e in kb if e.country and e.type in ("person", "organization")
    }
    return capitals, members


def as_speaker(entity_id: str) -> str:
    """A capital that speaks or acts stands for its state (``Moscow cho biết``); anything else is itself."""
    return _states()[0].get(entity_id, entity_id)


def as_state(entity_id: str) -> str:
    """The state an actor stands for in a proposition: a capital's state, a person's or an
    organisation's country; a state or an unknown entity is itself."""
    capitals, members = _states()
    return capitals.get(entity_id) or members.get(entity_id) or entity_id


@dataclass(frozen=True)
class Speaker:
    """Who a frame names: the words that name them, the entity when known, and how it was found."""

    text: str
    entity: str | None
    how: str  # person | group | pronoun | role | name
    start: int  # offset of the naming words in the article text
    entities: tuple[str, ...] = ()  # every entity a coordinated subject names (for claim holders)


@dataclass(frozen=True)
class RoleEntry:
    role: str  # the role's key: "tổng thống"
    kind: str  # leader | voice | official | person
    modifiers: frozenset[str]  # entity ids (or folded words) that qualify the role: the country
    person: str  # the entity id of the person the role introduces
    text: str
    at: int


def _strip(key: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not (key[start].isalnum()):
        start += 1
    while end > start and not (key[end - 1].isalnum() or key[end - 1] in ".’'"):
        end -= 1
    return start, end


class SpeakerResolver:
    """Resolves the subject of speech frames in one article, remembering the last speaker so that a
    pronoun or an unframed quotation can be carried over to them."""

    def __init__(self, text: str, mentions: Iterable[Mention], lexicon: SpeechLexicon | None = None) -> None:
        self.text = text
        self.key = match_key(text)
        self.lex = lexicon or speech_lexicon()
        self.mentions = sorted((m for m in mentions if m.type in SPEAKER_TYPES), key=lambda m: m.start)
        self.last: Speaker | None = None
        self.roles = self._role_map()

    # -- mentions and roles --------------------------------------------------------------------
    def mentions_in(self, start: int, end: int, types: frozenset[str] = SPEAKER_TYPES) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end and m.type in types]

    def _skip_modifiers(self, at: int, end: int) -> int:
        while True:
            while at < end and self.key[at] in " \t":
                at += 1
            m = self.lex.role_modifiers.starts(self.key, at)
            if m is None or m.end() > end:
                return at
            at = m.end()

    def _role_at(self, start: int, end: int) -> tuple[str, str, int] | None:
        """(role key, kind, end offset) of a role that opens ``[start, end)`` after modifiers."""
        at = self._skip_modifiers(start, end)
        m = self.lex.role_any.starts(self.key, at)
        if m is None or m.end() > end:
            return None
        role = " ".join(m.group().split())
        return role, self.lex.role_kind[role], m.end()

    def _modifiers(self, start: int, end: int) -> frozenset[str]:
        found = self.mentions_in(start, end, GROUP_TYPES)
        if found:
            return frozenset(m.entity_id for m in found)
        words = " ".join(re.findall(r"\w+", self.key[start:end])[:4])
        return frozenset([words]) if words else frozenset()

    def _names_role(self, role_end: int, person: Mention) -> bool:
        """Whether the person right after a role holds it (``người phát ngôn Bộ Ngoại giao Mỹ Matthew
        Miller``) rather than standing in a phrase of its own (``phụ tá hàng đầu của Tổng thống Putin``):
        only a few words, none of them a preposition or a predicate, come between."""
        between = self.key[role_end : person.start]
        words = re.findall(r"[\w-]+", between)
        if len(words) > NAMED_ROLE_WORDS:
            return False
        if _PREPOSITIONS.search(between):
            return False
        return not any(
            self.lex.predicate_starters.starts(between, m.start()) for m in re.finditer(r"\w+", between)
        )

    def _role_map(self) -> list[RoleEntry]:
        entries: list[RoleEntry] = []
        for person in (m for m in self.mentions if m.type == "person"):
            clause = max((self.text.rfind(ch, 0, person.start) for ch in ",.;\n()"), default=-1)
            window = max(clause + 1, person.start - ROLE_WINDOW)
            for hit in self.lex.role_any.finditer(self.key, window, person.start):
                role = " ".join(hit.group().split())
                if self._names_role(hit.end(), person):
                    mods = self._modifiers(hit.end(), person.start)
                    entries.append(
                        RoleEntry(
                            role, self.lex.role_kind[role], mods, person.entity_id, person.text, person.start
                        )
                    )
                    break
            after = self.text[person.end : person.end + 3]
            if after.startswith(","):
                stop = _SEGMENT_BREAK.search(self.text, person.end + 1)
                end = stop.start() if stop else len(self.text)
                found = self._role_at(person.end + 1, end)
                if found:
                    role, kind, role_end = found
                    entries.append(
                        RoleEntry(
                            role,
                            kind,
                            self._modifiers(role_end, end),
                            person.entity_id,
                            person.text,
                            person.start,
                        )
                    )
        return entries

    def _by_role(self, role: str, kind: str, modifiers: frozenset[str], at: int) -> RoleEntry | None:
        """The person this article introduces with this role (a leader: any leader's role) for the same
        modifiers; the nearest before ``at``, else the nearest after."""

        def fits(e: RoleEntry) -> bool:
            same_role = e.role == role or (kind == "leader" and e.kind == "leader")
            return same_role and (not modifiers or bool(e.modifiers & modifiers))

        fitting = [e for e in self.roles if fits(e)]
        before = [e for e in fitting if e.at < at]
        if before:
            return max(before, key=lambda e: e.at)
        return min(fitting, key=lambda e: e.at) if fitting else None

    def _short_form(self, start: int, end: int) -> str | None:
        """The entity of an earlier mention whose name begins with these words (``Bộ Ngoại giao`` for
        ``Bộ Ngoại giao Hoa Kỳ``): a short form of a name the article gave in full."""
        words = self.key[start:end].split()
        while words and not words[-1][0].isalpha():
            words.pop()
        phrase = " ".join(words[:4])
        if len(phrase) < 4 or not self.text[start:end].strip()[:1].isupper():
            return None
        for m in self.mentions:
            if m.type in GROUP_TYPES and match_key(m.text).startswith(phrase):
                return m.entity_id
        return None

    # -- segments ---------------------------------------------------------------------------------
    def segments(self, start: int, end: int) -> list[tuple[int, int]]:
        """The comma-separated parts of ``[start, end)``, nearest to ``end`` first, stripped."""
        cuts = [start] + [m.end() for m in _SEGMENT_BREAK.finditer(self.text, start, end)] + [end + 1]
        parts = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            s, e = _strip(self.key, a, min(b - 1, end))
            parts.append((s, e))
        return list(reversed(parts))

    def _open_clause(self, start: int, end: int) -> int:
        """Skip the function words that may open a clause before its subject (``end`` when the
        segment is nothing else)."""
        while True:
            m = self.lex.clause_openers.starts(self.key, start) or self.lex.predicate_starters.starts(
                self.key, start
            )
            if m is None:
                return start
            start = m.end()
            while start < end and self.key[start] in " \t":
                start += 1
            if start >= end:
                return end

    def segment_speaker(self, start: int, end: int, *, last_resort: bool) -> tuple[Speaker | None, str]:
        """(speaker, verdict) of one segment. Verdicts: ``found``; ``skip`` (adverbial, passive,
        empty: look further out); ``apposition`` (a role without a name: a name further out wins);
        ``stop`` (something else stands in the subject's place)."""
        if start >= end:
            return None, "skip"
        if self.lex.adverbial_openers.starts(self.key, start):
            return None, "skip"
        start = self._open_clause(start, end)
        key = self.key
        if start >= end or key.startswith((match_key("được "), match_key("bị ")), start):
            return None, "skip"
        if self.lex.speech_verbs.starts(key, start):
            return None, "skip"  # a participial clause: "…, trả lời câu hỏi của các phóng viên, …"
        words = self.text[start:end]
        persons = self.mentions_in(start, end, frozenset({"person"}))
        role = self._role_at(start, end)
        lead = len(re.findall(r"[\w-]+", self.text[start : persons[0].start])) if persons else 0
        if persons and (self._names_role(role[2], persons[0]) if role else lead <= MAX_LEAD_WORDS):
            p = persons[0]
            return Speaker(
                words, p.entity_id, "person", start, tuple(dict.fromkeys(m.entity_id for m in persons))
            ), "found"
        pronoun = self.lex.pronouns.starts(key, start)
        if pronoun and not self.text[pronoun.end() : pronoun.end() + 2].strip()[:1].isupper():
            return self.carry_over(start, pronoun.group()), "found"
        if role is not None:
            found = self._role_speaker(role, start, end, words)
            if persons or not last_resort:
                return found, "apposition"
            return found, "found"
        groups = self.mentions_in(start, end, GROUP_TYPES)
        if groups and groups[0].start <= self._skip_modifiers(start, end) + 1:
            ids = tuple(dict.fromkeys(m.entity_id for m in groups))
            words = self.np_text(start, end, keep_to=groups[0].end)
            return Speaker(words, groups[0].entity_id, "group", start, ids), "found"
        at = self._skip_honorific(start, end)
        name = self._capitalised_run(at, end)
        # a sentence capitalises its first word, so one capitalised word alone is not yet a name
        if name >= 2 or (name == 1 and at > start):
            tokens = list(_TOKEN.finditer(self.text, at, end))[:name]
            return Speaker(self.text[start : tokens[-1].end()], None, "name", start), "found"
        orgs = [m for m in groups if m.type == "organization"]
        if orgs:
            return Speaker(words, orgs[0].entity_id, "group", start, (orgs[0].entity_id,)), "found"
        return None, "stop"

    def _capitalised_run(self, start: int, end: int) -> int:
        """How many capitalised words follow one another from ``start``."""
        count = 0
        for tok in _TOKEN.finditer(self.text, start, end):
            if not tok.group()[:1].isupper():
                break
            count += 1
        return count

    def np_text(self, start: int, end: int, keep_to: int = 0) -> str:
        """The words of the noun phrase that opens ``[start, end)``: everything up to ``keep_to`` (a
        mention, a role), then up to the first word that opens a predicate (``… Hoa Kỳ | đã lặp lại``,
        ``Hàn Quốc và Mỹ | hôm 15/9``)."""
        role = self._role_at(start, end)
        keep_to = max(keep_to, role[2] if role else start, self._skip_honorific(start, end))
        stop = end
        for tok in _TOKEN.finditer(self.key, start, end):
            if (
                tok.start() >= keep_to
                and self.text[tok.start()].islower()
                and (
                    self.lex.predicate_starters.starts(self.key, tok.start())
                    or self.lex.speech_verbs.starts(self.key, tok.start())
                )
            ):
                stop = tok.start()
                break
        return self.text[start:stop].strip(" ,") or self.text[start:end].strip()

    def _skip_honorific(self, start: int, end: int) -> int:
        m = self.lex.honorifics.starts(self.key, start)
        if m is None:
            return start
        at = m.end()
        while at < end and self.text[at] == " ":
            at += 1
        return at

    def _role_speaker(self, role: tuple[str, str, int], start: int, end: int, words: str) -> Speaker:
        name, kind, role_end = role
        words = self.np_text(start, end)
        mods = self._modifiers(role_end, end)
        if kind in ("leader", "person"):
            entry = self._by_role(name, kind, mods, start)
            if entry is not None:
                return Speaker(words, entry.person, "role", start, (entry.person,))
            return Speaker(words, None, "role", start)
        groups = self.mentions_in(role_end, end, GROUP_TYPES)
        if groups:
            ids = tuple(dict.fromkeys(m.entity_id for m in groups))
            entity = groups[0].entity_id
            if entity.startswith("ent-new-"):
                # an unlinked short form of a name the article gave in full ("Bộ Ngoại giao")
                known = self._short_form(groups[0].start, groups[0].end)
                entity = known if known and not known.startswith("ent-new-") else entity
            return Speaker(words, entity, "role", start, (entity, *ids[1:]))
        rest = role_end
        while rest < end and not self.text[rest].isalnum():
            rest += 1
        if self.key.startswith(match_key("của "), rest):
            rest += 4
        entity = self._short_form(rest, end)
        return Speaker(words, entity, "role", start, (entity,) if entity else ())

    def carry_over(self, at: int, words: str) -> Speaker:
        """The last speaker named before ``at`` (or the last person mentioned before it)."""
        if self.last is not None and self.last.start < at:
            last = self.last
            return Speaker(last.text, last.entity, "pronoun", at, last.entities)
        persons = [m for m in self.mentions if m.type == "person" and m.end <= at]
        if persons:
            p = persons[-1]
            return Speaker(p.text, p.entity_id, "pronoun", at, (p.entity_id,))
        return Speaker(words, None, "pronoun", at)

    def resolve(self, start: int, end: int) -> Speaker | None:
        """The speaker that the subject stretch ``[start, end)`` names, or None."""
        parts = [p for p in self.segments(start, end)]
        fallback: Speaker | None = None
        for i, (s, e) in enumerate(parts):
            speaker, verdict = self.segment_speaker(s, e, last_resort=i == len(parts) - 1)
            if verdict == "found":
                return speaker
            if verdict == "apposition":
                fallback = fallback or speaker
                continue
            if verdict == "stop":
                break
        return fallback

    def remember(self, speaker: Speaker | None) -> None:
        if speaker is not None and (speaker.entity or speaker.how in ("name", "role")):
            self.last = speaker
