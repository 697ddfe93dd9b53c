"""From found names to linked mentions, one article at a time.

The order is: knowledge-base names (with the case, compound and name-run filters of
:mod:`dossier.ner.context`), then the recogniser's names for what the KB lacks, then linking:

* a capital's name is the city after a place preposition (``tại Bình Nhưỡng``) and the state it stands
  for otherwise (``Bình Nhưỡng phủ nhận``);
* a short form (``Kim``, ``ông Kim``) goes to the person of that name the article mentions most
  (``Kim Jong-un`` over ``Kim Il-sung`` when he is the one the article is about), the KB's default
  holder of the short form breaking ties, or to that default when the article names nobody; a
  surname alone (``Lukin``) goes to the full name the article gave earlier;
* a title alone (``nhà lãnh đạo Triều Tiên``, ``Bộ trưởng Quốc phòng Nga``) goes to the holder the
  article names, or else to the one holding it on the article's date; a title before a name is not
  part of it;
* an abbreviation used in pairs (``Nga - Triều``, ``Mỹ-Trung``) counts only in such a pair.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from dossier.kb.loader import KBEntity, KnowledgeBase
from dossier.ner.context import (
    glued_to_name,
    initial_tokens,
    locative_before,
    starts_compound,
)
from dossier.ner.gazetteer import Gazetteer, Match, longest_first
from dossier.ner.lexicon import Lexicon
from dossier.ner.names import NameIndex, new_entity_id, translit_key
from dossier.ner.tokens import DASH_PAIR, Tokens, key_tokens
from dossier.vi.text import match_key

PLURAL = frozenset({"các", "những", "hai", "ba", "nhiều", "mọi"})
_COMMA_THEN = re.compile(r"\s*,\s*")
_CAPITAL_OF = [match_key(p).split() for p in ("thủ đô của", "thủ đô")]
_new = tuple.__new__


class Found(NamedTuple):
    """A mention before it is stored: offsets in the text, and what it refers to."""

    start: int
    end: int
    text: str
    entity: str  # ent-<slug> or ent-new-<hash>
    type: str
    method: str  # kb | model | context
    confidence: float
    name: str | None = None  # canonical name of a new entity
    tokens: tuple[int, int] = (0, 0)


class Candidate(NamedTuple):
    """A recognised name the KB does not know (from the statistical recogniser or the rules)."""

    first: int
    last: int
    type: str  # person | organization | place | other
    confidence: float
    method: str = "model"


@dataclass
class Linker:
    """Links the names of one article; built once per build from the KB."""

    kb: KnowledgeBase
    gazetteer: Gazetteer
    lexicon: Lexicon
    names: NameIndex = field(init=False)

    def __post_init__(self) -> None:
        self.names = NameIndex(self.kb)

    # -- knowledge-base names --------------------------------------------------------------------------
    def kb_matches(
        self, text: str, tokens: Tokens, initial: set[int], found: list[Match] | None = None
    ) -> list[Match]:
        """The KB names in the text, filtered and without overlaps (``found``: the gazetteer's
        ``names`` matches, if known)."""
        if found is None:
            found = self.gazetteer.find(text, tokens)
        # short and paired forms are too weak to make a neighbour part of a known name
        covered = {i for m in found if m.alias.kind == "name" for i in range(m.first, m.last)}
        kept = [
            m for m in found if m.last - m.first > 1 or self._plausible(text, tokens, m, initial, covered)
        ]
        chosen = longest_first(kept)
        if not any(m.alias.kind == "paired" for m in chosen):
            return chosen
        ending = {m.last: m for m in chosen}
        starting = {m.first: m for m in chosen}
        return [m for m in chosen if m.alias.kind != "paired" or self._paired(tokens, m, ending, starting)]

    def _plausible(self, text: str, tokens: Tokens, m: Match, initial: set[int], covered: set[int]) -> bool:
        if m.size > 1:
            return True
        if m.alias.kind != "short" and not tokens[m.first].text[0].isupper():
            return True  # a lower-case alias ("phương Tây" is two tokens; this is "phương")
        if starts_compound(tokens, m.first, self.lexicon):
            return False
        if m.first in initial and tokens[m.first].exact in self.lexicon.initial_ambiguous:
            return False
        # tokens some other name covers ("Nga Vladimir Putin": a state, then a name); only the
        # neighbours just outside the match are asked about, so the match's own token may be in it
        others = covered
        if m.alias.kind == "short":
            return not glued_to_name(text, tokens, m.first, m.last, initial, others, False, self.lexicon)
        if m.alias.person:
            return not glued_to_name(text, tokens, m.first, m.last, initial, others, False, self.lexicon)
        return not glued_to_name(text, tokens, m.first, m.last, initial, others, True, self.lexicon)

    def _paired(self, tokens: Tokens, m: Match, ending: dict[int, Match], starting: dict[int, Match]) -> bool:
        """Whether a paired form stands in a pair: a dash joins it to a paired form or a country
        right before or after it (``ending``/``starting``: the chosen matches by where they end and
        start)."""
        for other, joint in ((ending.get(m.first), m.first), (starting.get(m.last), m.last)):
            if other is None or not DASH_PAIR.fullmatch(tokens.gaps[joint]):
                continue
            kinds = {self.kb.entities[s].type for s in other.alias.entities}
            if other.alias.kind == "paired" or "country" in kinds:
                return True
        return False

    # -- linking ---------------------------------------------------------------------------------------
    def link(
        self,
        text: str,
        tokens: Tokens,
        candidates: list[Candidate],
        published: str | None,
        initial: set[int] | None = None,
        matches: list[Match] | None = None,
        roles: list[Match] | None = None,
    ) -> list[Found]:
        """Every mention of the article, in text order (``matches``: :meth:`kb_matches`, and
        ``roles``: the gazetteer's ``roles`` matches, if known)."""
        initial = initial if initial is not None else initial_tokens(text, tokens)
        if matches is None:
            matches = self.kb_matches(text, tokens, initial)
        taken = {i for m in matches for i in range(m.first, m.last)}
        free = [c for c in candidates if taken.isdisjoint(range(c.first, c.last))]
        named = Counter(s for m in matches if m.alias.kind == "name" for s in m.alias.entities)
        out: list[Found] = []
        pending_short: list[Match] = []
        for m in matches:
            if m.alias.kind == "short":
                pending_short.append(m)
                continue
            slug, confidence = self._resolve(m, tokens, named)
            ent = self.kb.entities[slug]
            capital = self._capital_phrase(tokens, m, ent) if ent.capital else None
            if capital is not None:
                city = self.kb.entities[ent.capital or ""]
                out.append(
                    self._found(text, capital, m.last, tokens, city.entity_id, city.type, "context", 0.9)
                )
                continue
            out.append(self._found(text, m.first, m.last, tokens, ent.entity_id, ent.type, "kb", confidence))
        out.extend(self._new_names(text, tokens, free, out))
        out.extend(self._short_forms(text, tokens, pending_short, out))
        if roles is None:
            roles = self.gazetteer.find(text, tokens, "roles")
        out.extend(self._roles(text, tokens, published, out, initial, roles))
        return sorted(out, key=lambda f: (f.start, -f.end))

    def _resolve(self, m: Match, tokens: Tokens, named: Counter[str]) -> tuple[str, float]:
        """The KB entity a name means: of several owners of one alias, the one the article names most
        (KB order breaks ties); a capital's name is the state unless a place preposition precedes it."""
        slugs = m.alias.entities
        confidence = 1.0 if m.exact else 0.9
        slug = slugs[0]
        if len(slugs) > 1:
            slug = max(slugs, key=lambda s: (named[s], -slugs.index(s)))
            confidence = 0.7
        state = self.kb.capital_of.get(slug)
        if state:
            if locative_before(tokens, m.first, self.lexicon):
                return slug, min(confidence, 0.85)
            return state, min(confidence, 0.8)
        return slug, confidence

    @staticmethod
    def _capital_phrase(tokens: Tokens, m: Match, ent: KBEntity) -> int | None:
        """Where "thủ đô (của) <state>" starts, when the state has a capital in the KB: the phrase
        names the city."""
        if not ent.capital:
            return None
        before = [t.exact for t in tokens[max(0, m.first - 3) : m.first]]
        for phrase in _CAPITAL_OF:
            if before[-len(phrase) :] == phrase:
                return m.first - len(phrase)
        return None

    def _new_names(self, text: str, tokens: Tokens, free: list[Candidate], known: list[Found]) -> list[Found]:
        """Names the KB lacks: linked to a KB person when the transliteration agrees
        (``Serguei Choigu`` → Sergei Shoigu), to an earlier full name when only the surname is given,
        else to a new entity."""
        out: list[Found] = []
        persons = [f for f in known if f.type == "person"]
        for c in sorted(free, key=lambda c: c.first):
            surface = text[tokens.starts[c.first] : tokens.ends[c.last - 1]]
            kb_slug = self.names.lookup(surface, c.type) if c.last - c.first > 1 else None
            if kb_slug:
                ent = self.kb.entities[kb_slug]
                out.append(self._found(text, c.first, c.last, tokens, ent.entity_id, ent.type, "model", 0.8))
                persons.append(out[-1])
                continue
            if c.last - c.first == 1:
                earlier = self._surname_of(surface, persons + [f for f in out if f.type == "person"])
                if earlier is not None:
                    out.append(
                        self._found(
                            text, c.first, c.last, tokens, earlier.entity, "person", "context",
                            min(0.8, earlier.confidence), earlier.name,
                        )
                    )  # fmt: skip
                    continue
            out.append(
                self._found(
                    text, c.first, c.last, tokens, new_entity_id(surface, c.type), c.type, c.method,
                    c.confidence, surface,
                )
            )  # fmt: skip
            if c.type == "person":
                persons.append(out[-1])
        return out

    @staticmethod
    def _surname_of(surface: str, persons: list[Found]) -> Found | None:
        key = translit_key(surface)
        for f in reversed(persons):
            words = f.text.replace("-", " ").split()
            if len(words) > 1 and key in {translit_key(words[-1]), translit_key(words[0])}:
                return f
        return None

    def _short_forms(self, text: str, tokens: Tokens, shorts: list[Match], known: list[Found]) -> list[Found]:
        out: list[Found] = []
        for m in shorts:
            key = translit_key(m.alias.text)
            counts: Counter[str] = Counter()
            last_seen: dict[str, int] = {}
            types: dict[str, Found] = {}
            for f in known:
                if f.type != "person" or f.tokens[1] - f.tokens[0] < 2:
                    continue
                if key in _word_keys(f.text):
                    counts[f.entity] += 1
                    last_seen[f.entity] = max(
                        last_seen.get(f.entity, -1), f.start if f.start < m.start else -1
                    )
                    types[f.entity] = f
            default = f"ent-{m.alias.entities[0]}"
            if counts:
                best = max(
                    counts,
                    key=lambda e: (counts[e] + (0.5 if e == default else 0.0), last_seen[e]),
                )
                ref = types[best]
                out.append(
                    self._found(text, m.first, m.last, tokens, best, "person", "context", 0.8, ref.name)
                )
            else:
                ent = self.kb.entities[m.alias.entities[0]]
                out.append(
                    self._found(text, m.first, m.last, tokens, ent.entity_id, ent.type, "context", 0.6)
                )
        return out

    def _roles(
        self,
        text: str,
        tokens: Tokens,
        published: str | None,
        known: list[Found],
        initial: set[int],
        roles: list[Match],
    ) -> list[Found]:
        """Titles standing alone for their holder."""
        out: list[Found] = []
        if not roles:
            return out
        starts = {f.tokens[0] for f in known}
        named = Counter(f.entity for f in known)
        for m in longest_first(roles):
            if m.first > 0 and tokens[m.first - 1].exact in PLURAL:
                continue
            if self._names_someone(text, tokens, m.last, initial, starts):
                continue  # a title before a name ("Tổng thống Nga Vladimir Putin", "…, tướng No")
            holder = self._holder(m, published, named)
            if holder is not None:
                out.append(
                    self._found(text, m.first, m.last, tokens, holder.entity_id, holder.type, "context", 0.7)
                )
        return out

    def _names_someone(self, text: str, tokens: Tokens, at: int, initial: set[int], starts: set[int]) -> bool:
        """Whether a name follows a title ending before token ``at``: right after it, or after a
        comma and another title ("Bộ trưởng Quốc phòng Triều Tiên, tướng No Kwang-chol")."""
        if at >= len(tokens):
            return False
        gap = tokens.gaps[at]
        if gap.strip() and not _COMMA_THEN.fullmatch(gap):
            return False
        keys = [t.exact for t in tokens[at : at + 3]]
        titles = self.lexicon.person_titles | self.lexicon.honorifics
        j = at + max((n for n in range(1, len(keys) + 1) if tuple(keys[:n]) in titles), default=0)
        if j >= len(tokens):
            return False
        return j in starts or (tokens[j].upper and j not in initial and not tokens[j].text[0].isdigit())

    def _holder(self, m: Match, published: str | None, named: Counter[str]) -> KBEntity | None:
        """The one holder of the title the article names, else the one holding it at its date."""
        holders = [self.kb.entities[slug] for slug in m.alias.entities]
        mentioned = [e for e in holders if named[e.entity_id]]
        if len(mentioned) == 1:
            return mentioned[0]
        dated = [
            e for e in holders if any(_same_title(r.title, m) and r.holds_at(published) for r in e.roles)
        ]
        return dated[0] if len(dated) == 1 else None

    @staticmethod
    def _found(
        text: str,
        first: int,
        last: int,
        tokens: Tokens,
        entity: str,
        etype: str,
        method: str,
        confidence: float,
        name: str | None = None,
    ) -> Found:
        start, end = tokens.starts[first], tokens.ends[last - 1]
        return _new(
            Found, (start, end, text[start:end], entity, etype, method, confidence, name, (first, last))
        )


@lru_cache(maxsize=65536)
def _word_keys(name: str) -> frozenset[str]:
    """The transliteration keys of a name's words (``Kim Jong-un``: kim, jong, un)."""
    return frozenset(translit_key(w) for w in name.replace("-", " ").split())


def _same_title(title: str, m: Match) -> bool:
    return key_tokens(title)[0] == m.alias.exact
