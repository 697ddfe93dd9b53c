"""What a claim says, as a comparable frame: who does what, with what, to whom.

A claim's clause (what follows ``cáo buộc rằng``, ``phủ nhận``…) is read for the first predicate of a
known class (``vi/data/claims.yaml``: transfer, deploy, use, violate, exchange, attack), the entities
acting before it (agents), the first object class after it (weapons, munitions, missiles, troops,
technology, rules) and the entity it goes to or comes from (``cho Nga``, ``từ Nga``, ``… của Bắc
Hàn``). Entities are compared as states: a capital stands for its state (``Bình Nhưỡng`` → North Korea)
and a person or an organisation for the state it belongs to, as the knowledge base says.

Two frames state the same proposition when they have the same predicate, share an agent, and their
objects and recipients agree wherever both give one (:meth:`Proposition.compatible`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from itertools import islice

from dossier.models import Mention
from dossier.stages.quote_lexicon import Phrases, claim_data
from dossier.stages.quote_speakers import as_state
from dossier.vi.text import match_key

ACTOR_TYPES = frozenset({"person", "organization", "country", "place", "other"})
NEGATION_WINDOW = 12  # characters before a predicate searched for a negation
PASSIVE_WINDOW = 30  # characters before a predicate searched for "được X"
RECIPIENT_WORDS = 4  # words after a recipient preposition searched for the recipient
AGENT_REACH = 50  # characters before a predicate in which its agent is looked for first
OBJECT_REACH = 30  # characters after a predicate in which its object must start
_OWNER = re.compile(match_key(r"\s*của\s+"))
_NON_SPACE = re.compile(r"\S+")
_PASSIVE = match_key("được ")


@dataclass(frozen=True, eq=False)
class ClaimLexicon:
    accusations: Phrases
    statements: Phrases
    denials: Phrases
    anaphora: Phrases
    negations: Phrases
    conditionals: Phrases
    recipients: Phrases
    predicates: Phrases
    objects: Phrases
    predicate_class: dict[str, str]
    object_class: dict[str, str]


@cache
def claim_lexicon() -> ClaimLexicon:
    """The claim lexicon, read from the package data once per process."""
    data = claim_data()
    pclass = {match_key(w): cls for cls, words in data["predicates"].items() for w in words}
    oclass = {match_key(w): cls for cls, words in data["objects"].items() for w in words}
    lists = {
        name: Phrases.of(data[name])
        for name in (
            "accusations",
            "statements",
            "denials",
            "anaphora",
            "negations",
            "conditionals",
            "recipients",
        )
    }
    return ClaimLexicon(
        predicates=Phrases.of(list(pclass)),
        objects=Phrases.of(list(oclass)),
        predicate_class=pclass,
        object_class=oclass,
        **lists,
    )


@dataclass(frozen=True)
class Proposition:
    agents: frozenset[str]
    predicate: str
    object: str | None
    recipient: str | None
    negated: bool
    conditional: bool
    text: str

    @property
    def key(self) -> str:
        return "|".join(
            ["+".join(sorted(self.agents)), self.predicate, self.object or "", self.recipient or ""]
        )

    def compatible(self, other: Proposition) -> bool:
        """Whether both frames state the same proposition (see the module docstring)."""
        same_object = self.object == other.object or (
            self.predicate == "violate" and (self.object is None or other.object is None)
        )
        return (
            self.predicate == other.predicate
            and bool(self.agents & other.agents)
            and same_object
            and (self.recipient is None or other.recipient is None or self.recipient == other.recipient)
        )


def parse_key(key: str) -> Proposition:
    """The frame a :attr:`Proposition.key` was made from (without its text and flags)."""
    agents, predicate, obj, recipient = (key.split("|") + ["", "", "", ""])[:4]
    return Proposition(
        frozenset(a for a in agents.split("+") if a),
        predicate,
        obj or None,
        recipient or None,
        False,
        False,
        "",
    )


class Actors:
    """The mentions that can act in a proposition, found by offset (by bisection when they are in text
    order, as an article's are)."""

    def __init__(self, mentions: Iterable[Mention]) -> None:
        self.mentions = [m for m in mentions if m.type in ACTOR_TYPES]
        self.starts = [m.start for m in self.mentions]
        self.ordered = self.starts == sorted(self.starts)

    def within(self, start: int, end: int) -> list[Mention]:
        """The actors inside ``[start, end)``, in the order given."""
        if not self.ordered:
            return [m for m in self.mentions if start <= m.start and m.end <= end]
        out = []
        i = bisect_left(self.starts, start)
        while i < len(self.mentions) and self.starts[i] <= end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out


def _actors(mentions: Actors, start: int, end: int) -> list[Mention]:
    return mentions.within(start, end)


def read_clause(
    text: str,
    key: str,
    start: int,
    end: int,
    mentions: list[Mention] | Actors,
    lexicon: ClaimLexicon | None = None,
    state: Callable[[str], str] = as_state,
) -> Proposition | None:
    """The proposition the clause ``text[start:end]`` states (``key`` is its matching key), or None
    when no predicate of a known class in it has an agent and (except ``violate``) an object."""
    lex = lexicon or claim_lexicon()
    actors = mentions if isinstance(mentions, Actors) else Actors(mentions)
    for pred in lex.predicates.finditer(key, start, end):
        prop = _frame(text, key, start, end, pred, actors, lex, state)
        if prop is not None:
            return prop
    return None


def _frame(
    text: str,
    key: str,
    start: int,
    end: int,
    pred: re.Match[str],
    mentions: Actors,
    lex: ClaimLexicon,
    state: Callable[[str], str],
) -> Proposition | None:
    predicate = lex.predicate_class[" ".join(pred.group().split())]
    passive = key.rfind(_PASSIVE, max(start, pred.start() - PASSIVE_WINDOW), pred.start())
    agents = _actors(mentions, passive, pred.start()) if passive >= 0 else []
    if agents:
        objects = lex.objects.finditer(key, start, pred.start())
    else:
        clause_start = max(key.rfind(",", start, pred.start()) + 1, start, pred.start() - AGENT_REACH)
        agents = _actors(mentions, clause_start, pred.start()) or _actors(mentions, start, pred.start())
        objects = lex.objects.finditer(key, pred.end(), min(end, pred.end() + OBJECT_REACH))
    if not agents or (not objects and predicate != "violate"):
        return None
    obj = lex.object_class[" ".join(objects[0].group().split())] if objects else None
    recipient = None
    for prep in lex.recipients.finditer(key, pred.end(), min(end, pred.end() + OBJECT_REACH * 2)):
        # the first words after the preposition, read without splitting the rest of the article
        words = [w.group() for w in islice(_NON_SPACE.finditer(key, prep.end()), RECIPIENT_WORDS)]
        window_end = min(end, prep.end() + 1 + len(" ".join(words)))
        targets = _actors(mentions, prep.end(), window_end)
        if targets:
            recipient = state(targets[0].entity_id)
            break
    if recipient is None and predicate == "use" and objects:
        owner = _OWNER.match(key, objects[0].end())
        if owner:
            targets = _actors(mentions, owner.end(), owner.end() + 40)
            recipient = state(targets[0].entity_id) if targets else None
    negated = bool(_negated(lex).search(key, max(start, pred.start() - NEGATION_WINDOW), pred.start()))
    conditional = bool(lex.conditionals.finditer(key, start, pred.start()))
    agent_ids = frozenset(state(m.entity_id) for m in agents)
    if recipient in agent_ids and len(agent_ids) == 1:
        recipient = None
    return Proposition(
        agent_ids, predicate, obj, recipient, negated, conditional, text[start:end].strip(" ,.;:“”\"'‘’«»*")
    )


@cache
def _negated(lex: ClaimLexicon) -> re.Pattern[str]:
    """A negation right before a predicate (``không vi phạm``, ``chưa hề cung cấp``), not a modal one
    (``không được cung cấp`` forbids, it does not deny)."""
    words = "|".join(re.escape(w) for w in sorted(lex.negations.words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})\s+(?:(?:{match_key('hề|có|đã|từng')})\s+)?$")
