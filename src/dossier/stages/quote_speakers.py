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

import copy
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import islice
from operator import attrgetter

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
_PASSIVES = (match_key("được "), match_key("bị "))
_WORDS = re.compile(r"\w+")
_HYPHENATED_WORDS = re.compile(r"[\w-]+")
_LAST_CLAUSE_BREAK = re.compile(r"[,.;\n()][^,.;\n()]*\Z")
_OF = match_key("của ")


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


@cache
def _any_of(words: frozenset[str]) -> re.Pattern[str]:
    """A pattern that finds any of these words (as plain text)."""
    return re.compile("|".join(re.escape(w) for w in sorted(words)))


def _strip(key: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not (key[start].isalnum()):
        start += 1
    while end > start and not (key[end - 1].isalnum() or key[end - 1] in ".’'"):
        end -= 1
    return start, end


class SpeakerResolver:
    """Resolves the subject of speech frames in one article, remembering the last speaker so that a
    pronoun or an unframed quotation can be carried over to them."""

    def __init__(
        self,
        text: str,
        mentions: Iterable[Mention],
        lexicon: SpeechLexicon | None = None,
        key: str | None = None,
    ) -> None:
        """``key`` is ``match_key(text)`` when the caller has it already."""
        self.text = text
        self.key = match_key(text) if key is None else key
        self.lex = lexicon or speech_lexicon()
        self.mentions = sorted((m for m in mentions if m.type in SPEAKER_TYPES), key=attrgetter("start"))
        self._starts = [m.start for m in self.mentions]
        self.last: Speaker | None = None
        # stretch -> (speaker, whether a pronoun carried the last speaker over, the last speaker then)
        self._resolved: dict[tuple[int, int], tuple[Speaker | None, bool, Speaker | None]] = {}
        self._carried = False
        # person index -> the role that introduces them, the role in apposition (None: none)
        self._introductions: dict[int, RoleEntry | None] = {}
        self._appositions: dict[int, RoleEntry | None] = {}
        self._holding: dict[frozenset[str], set[int]] = {}

    def fresh(self) -> SpeakerResolver:
        """A resolver of the same article that remembers no speaker yet; it shares everything read
        from the article (roles, resolved stretches), so a second reader of the article pays less."""
        other = copy.copy(self)
        other.last = None
        return other

    # -- mentions and roles --------------------------------------------------------------------
    def mentions_in(self, start: int, end: int, types: frozenset[str] = SPEAKER_TYPES) -> list[Mention]:
        """The mentions of these types inside ``[start, end)``, in text order."""
        mentions = self.mentions
        i = bisect_left(self._starts, start)
        out = []
        while i < len(mentions) and mentions[i].start <= end:
            m = mentions[i]
            if m.end <= end and m.type in types:
                out.append(m)
            i += 1
        return out

    @cached_property
    def roles(self) -> list[RoleEntry]:
        """Every person the article introduces with a role, in text order (a role before the name, then
        one in apposition after it)."""
        found = (e for i in range(len(self._persons)) for e in (self._introduced(i), self._apposed(i)))
        return [e for e in found if e is not None]

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
        return self._role_after_modifiers(self._skip_modifiers(start, end), end)

    def _role_after_modifiers(self, at: int, end: int) -> tuple[str, str, int] | None:
        m = self.lex.role_any.starts(self.key, at)
        if m is None or m.end() > end:
            return None
        role = " ".join(m.group().split())
        return role, self.lex.role_kind[role], m.end()

    def _modifiers(self, start: int, end: int) -> frozenset[str]:
        found = self.mentions_in(start, end, GROUP_TYPES)
        if found:
            return frozenset(m.entity_id for m in found)
        words = " ".join(_WORDS.findall(self.key, start, end)[:4])
        return frozenset([words]) if words else frozenset()

    def _names_role(self, role_end: int, person: Mention) -> bool:
        """Whether the person right after a role holds it (``người phát ngôn Bộ Ngoại giao Mỹ Matthew
        Miller``) rather than standing in a phrase of its own (``phụ tá hàng đầu của Tổng thống Putin``):
        only a few words, none of them a preposition or a predicate, come between."""
        between = self.key[role_end : person.start]
        words = _HYPHENATED_WORDS.findall(between)
        if len(words) > NAMED_ROLE_WORDS:
            return False
        if _PREPOSITIONS.search(between):
            return False
        return not self.lex.predicate_starters.opens_a_word(between)

    @cached_property
    def _persons(self) -> list[tuple[Mention, int]]:
        """The person mentions, each with the start of the window searched for a role that introduces
        it: after the last clause break before the name, at most ``ROLE_WINDOW`` characters back."""
        out = []
        for person in self.mentions:
            if person.type == "person":
                brk = _LAST_CLAUSE_BREAK.search(self.text, max(0, person.start - ROLE_WINDOW), person.start)
                out.append((person, max(brk.start() + 1 if brk else 0, person.start - ROLE_WINDOW)))
        return out

    def _windows_holding(self, words: frozenset[str]) -> set[int]:
        """The persons whose role window holds one of ``words``."""
        found = self._holding.get(words)
        if found is None:
            search = _any_of(words).search
            found = {i for i, (p, window) in enumerate(self._persons) if search(self.key, window, p.start)}
            self._holding[words] = found
        return found

    def _introduced(self, i: int) -> RoleEntry | None:
        """The role before person ``i`` that names its holder (``Ngoại trưởng Nga Sergei Lavrov``)."""
        if i in self._introductions:
            return self._introductions[i]
        person, window = self._persons[i]
        entry = None
        for hit in self.lex.role_any.finditer(self.key, window, person.start):
            role = " ".join(hit.group().split())
            if self._names_role(hit.end(), person):
                mods = self._modifiers(hit.end(), person.start)
                entry = RoleEntry(
                    role, self.lex.role_kind[role], mods, person.entity_id, person.text, person.start
                )
                break
        self._introductions[i] = entry
        return entry

    def _apposed(self, i: int) -> RoleEntry | None:
        """The role in apposition after person ``i`` (``Yang Uk, nhà nghiên cứu tại …``)."""
        if i in self._appositions:
            return self._appositions[i]
        person = self._persons[i][0]
        entry = None
        if self.text.startswith(",", person.end):
            stop = _SEGMENT_BREAK.search(self.text, person.end + 1)
            end = stop.start() if stop else len(self.text)
            found = self._role_at(person.end + 1, end)
            if found:
                role, kind, role_end = found
                mods = self._modifiers(role_end, end)
                entry = RoleEntry(role, kind, mods, person.entity_id, person.text, person.start)
        self._appositions[i] = entry
        return entry

    def _by_role(self, role: str, kind: str, modifiers: frozenset[str], at: int) -> RoleEntry | None:
        """The person this article introduces with this role (a leader: any leader's role) for the same
        modifiers; the nearest before ``at``, else the nearest after."""

        def fits(e: RoleEntry) -> bool:
            same_role = e.role == role or (kind == "leader" and e.kind == "leader")
            return same_role and (not modifiers or bool(e.modifiers & modifiers))

        # only a person whose window holds the first word of a fitting role can be introduced by one
        firsts = self.lex.leader_words if kind == "leader" else frozenset([role.split()[0]])
        candidates = self._windows_holding(firsts)
        fitting = []
        for i, (person, _) in enumerate(self._persons):
            if i in candidates:
                entry = self._introduced(i)
                if entry is not None and fits(entry):
                    fitting.append(entry)
            if self.text.startswith(",", person.end):
                entry = self._apposed(i)
                if entry is not None and fits(entry):
                    fitting.append(entry)
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
        for m, key in self._group_keys:
            if key.startswith(phrase):
                return m.entity_id
        return None

    @cached_property
    def _group_keys(self) -> list[tuple[Mention, str]]:
        return [(m, match_key(m.text)) for m in self.mentions if m.type in GROUP_TYPES]

    # -- segments ---------------------------------------------------------------------------------
    def segments(self, start: int, end: int) -> list[tuple[int, int]]:
        """The comma-separated parts of ``[start, end)``, nearest to ``end`` first, stripped."""
        cuts = self._cuts(start, end)
        return [_strip(self.key, cuts[i], min(cuts[i + 1] - 1, end)) for i in reversed(range(len(cuts) - 1))]

    def _cuts(self, start: int, end: int) -> list[int]:
        return [start] + [m.end() for m in _SEGMENT_BREAK.finditer(self.text, start, end)] + [end + 1]

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
        if start >= end or key.startswith(_PASSIVES, start):
            return None, "skip"
        if self.lex.speech_verbs.starts(key, start):
            return None, "skip"  # a participial clause: "…, trả lời câu hỏi của các phóng viên, …"
        inside = self.mentions_in(start, end)
        persons = [m for m in inside if m.type == "person"]
        skipped = self._skip_modifiers(start, end)
        role = self._role_after_modifiers(skipped, end)
        lead = len(_HYPHENATED_WORDS.findall(self.text, start, persons[0].start)) if persons else 0
        if persons and (self._names_role(role[2], persons[0]) if role else lead <= MAX_LEAD_WORDS):
            p = persons[0]
            ids = tuple(dict.fromkeys(m.entity_id for m in persons))
            return Speaker(self.text[start:end], p.entity_id, "person", start, ids), "found"
        pronoun = self.lex.pronouns.starts(key, start)
        if pronoun and not self.text[pronoun.end() : pronoun.end() + 2].strip()[:1].isupper():
            return self.carry_over(start, pronoun.group()), "found"
        if role is not None:
            found = self._role_speaker(role, start, end)
            if persons or not last_resort:
                return found, "apposition"
            return found, "found"
        groups = [m for m in inside if m.type in GROUP_TYPES]
        if groups and groups[0].start <= skipped + 1:
            ids = tuple(dict.fromkeys(m.entity_id for m in groups))
            words = self._np_text(start, end, groups[0].end, None)
            return Speaker(words, groups[0].entity_id, "group", start, ids), "found"
        at = self._skip_honorific(start, end)
        name = self._capitalised_run(at, end)
        # a sentence capitalises its first word, so one capitalised word alone is not yet a name
        if name >= 2 or (name == 1 and at > start):
            tokens = list(islice(_TOKEN.finditer(self.text, at, end), name))
            return Speaker(self.text[start : tokens[-1].end()], None, "name", start), "found"
        orgs = [m for m in groups if m.type == "organization"]
        if orgs:
            org = orgs[0].entity_id
            return Speaker(self.text[start:end], org, "group", start, (org,)), "found"
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
        return self._np_text(start, end, keep_to, self._role_at(start, end))

    def _np_text(self, start: int, end: int, keep_to: int, role: tuple[str, str, int] | None) -> str:
        """:meth:`np_text` when the role that opens the phrase (``_role_at(start, end)``) is known."""
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

    def _role_speaker(self, role: tuple[str, str, int], start: int, end: int) -> Speaker:
        name, kind, role_end = role
        words = self._np_text(start, end, 0, role)
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
        if self.key.startswith(_OF, rest):
            rest += 4
        entity = self._short_form(rest, end)
        return Speaker(words, entity, "role", start, (entity,) if entity else ())

    def carry_over(self, at: int, words: str) -> Speaker:
        """The last speaker named before ``at`` (or the last person mentioned before it)."""
        self._carried = True
        if self.last is not None and self.last.start < at:
            last = self.last
            return Speaker(last.text, last.entity, "pronoun", at, last.entities)
        persons = [m for m in self.mentions if m.type == "person" and m.end <= at]
        if persons:
            p = persons[-1]
            return Speaker(p.text, p.entity_id, "pronoun", at, (p.entity_id,))
        return Speaker(words, None, "pronoun", at)

    def resolve(self, start: int, end: int) -> Speaker | None:
        """The speaker that the subject stretch ``[start, end)`` names, or None. A stretch is read
        once: its answer is kept, and reused unless a pronoun in it carried over a last speaker who
        has changed since."""
        known = self._resolved.get((start, end))
        if known is not None and (not known[1] or known[2] == self.last):
            return known[0]
        self._carried = False
        speaker = self._resolve(start, end)
        self._resolved[(start, end)] = (speaker, self._carried, self.last)
        return speaker

    def _resolve(self, start: int, end: int) -> Speaker | None:
        # the segments nearest the frame first, each stripped only when it is reached
        cuts = self._cuts(start, end)
        count = len(cuts) - 1
        fallback: Speaker | None = None
        for i in range(count):
            j = count - 1 - i
            s, e = _strip(self.key, cuts[j], min(cuts[j + 1] - 1, end))
            speaker, verdict = self.segment_speaker(s, e, last_resort=i == count - 1)
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
