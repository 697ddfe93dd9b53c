"""Claims and denials: the article stage ``claims`` and the corpus stage that groups them.

Article stage (:func:`run`): each sentence is read for

* accusations (``cáo buộc rằng``, ``cho rằng``, ``tin rằng``, ``theo tình báo``; also the noun
  ``những cáo buộc của X về việc …`` and the passive ``bị cáo buộc``): stance ``accuse``;
* statements (``cho biết``, ``nói rằng``, ``tuyên bố``…): stance ``assert``; they become claims only
  when someone contests them;
* denials (``phủ nhận``, ``bác bỏ``, ``bác``): stance ``deny``. A denial of ``các cáo buộc này``,
  ``những ý định như vậy`` or ``một động thái mà …`` points back to the claims made in the sentences
  just before (or in its own sentence); a denial with its own clause, or a statement whose clause is
  negated (``… không vi phạm bất kỳ quy định nào``), denies that clause's proposition.

The holder is the subject of the frame (:class:`~dossier.stages.quote_speakers.SpeakerResolver`, every
entity of a coordinated subject: ``Moscow và Bình Nhưỡng``), a capital standing for its state. The
proposition is the frame :func:`~dossier.stages.claim_frames.read_clause` reads; hypothetical clauses
(``nếu``, ``bất kỳ … nào``) are not claims.

Corpus stage (:func:`run_corpus`): claim mentions of every canonical article (duplicates skipped, so a
republished story never counts twice) are grouped when their propositions are compatible; a group is a
claim when it is contested (an accusation or a denial) and someone asserts it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from dossier.models import Article, ClaimMention, stable_id
from dossier.stages.claim_frames import (
    Actors,
    ClaimLexicon,
    Proposition,
    claim_lexicon,
    parse_key,
    read_clause,
)
from dossier.stages.quote_speakers import as_speaker
from dossier.stages.quotes import ArticleSpeech
from dossier.stages.speech_handoff import handoff
from dossier.stages.speech_text import Scan
from dossier.store import corpus_io
from dossier.store.corpus_io import ClaimRow
from dossier.store.sqlite import Store
from dossier.vi.text import match_key

if TYPE_CHECKING:
    from dossier.pipeline import Context

ANAPHORA_SENTENCES = 8  # a denial of "these accusations" reaches this many sentences back
ANAPHORA_REACH = 30  # characters after a denial verb in which "các cáo buộc này" must start
COMPLEMENT_REACH = 40  # characters after a frame verb searched for "rằng"/"về việc"
ASSERTING = ("assert", "accuse")


def _K(pattern: str) -> re.Pattern[str]:
    """A pattern over matching keys: its Vietnamese words keyed the same way (tone placement, case)."""
    return re.compile(match_key(pattern))


_GENITIVE = _K(r"[^.;]{0,40}?\bcủa\s+")
_GENITIVE_CLAUSE = _K(r"(?:rằng|về việc|là)\b")
_COMPLEMENT_HERE = _K(r"\s*(?:,\s*)?(?:rằng|là|về việc|:)\s*")
_COMPLEMENT_NEAR = _K(r"(?:rằng|về việc)\b")
_COMPLEMENT_OWN = _K(r"\b(?:rằng|về việc)\b")
_NOUN_BEFORE = _K(r"(?:những|các|lời)\s*$")
_RELATIVE = _K(r"(?:động thái|điều)\s+mà\b(?=[^,]*$)")
_PASSIVE = match_key("bị")


@dataclass
class Found:
    sentence: int
    stance: str
    proposition: Proposition
    holders: list[str]
    text: str
    line: int


class ArticleClaims:
    """Reads one article's claim mentions (see the module docstring)."""

    def __init__(
        self, article: Article, speech: ArticleSpeech | None = None, lexicon: ClaimLexicon | None = None
    ):
        self.article = article
        self.speech = speech or ArticleSpeech(article)
        self.lex = lexicon or claim_lexicon()
        self.key = self.speech.resolver.key
        self.mkey = self.speech.mkey
        self.mentions = self.speech.resolver.mentions

    @cached_property
    def scans(self) -> tuple[Scan, Scan, Scan]:
        """The accusation, statement and denial verbs of the masked key."""
        scan = self.speech.scan
        return scan(self.lex.accusations), scan(self.lex.statements), scan(self.lex.denials)

    def holders(self, sentence_start: int, at: int) -> list[str]:
        speaker = self.speech.resolver.resolve(sentence_start, at)
        if speaker is None:
            return []
        ids = speaker.entities or ((speaker.entity,) if speaker.entity else ())
        return list(dict.fromkeys(as_speaker(i) for i in ids))

    def _genitive_holders(self, verb_end: int, end: int) -> tuple[list[str], int]:
        """For a noun frame (``những tuyên bố thường xuyên của Hoa Kỳ rằng``): the entities after
        ``của`` and where the clause begins."""
        m = _GENITIVE.match(self.key, verb_end, end)
        if not m:
            return [], verb_end
        comp = _GENITIVE_CLAUSE.search(self.key, m.end(), min(end, m.end() + 60))
        if not comp:
            return [], verb_end
        ids = [as_speaker(x.entity_id) for x in self.mentions if m.end() <= x.start and x.end <= comp.start()]
        return list(dict.fromkeys(ids)), comp.end()

    def _clause_start(self, at: int, end: int) -> int:
        comp = _COMPLEMENT_HERE.match(self.key, at, end)
        if comp:
            return comp.end()
        near = _COMPLEMENT_NEAR.search(self.key, at, min(end, at + COMPLEMENT_REACH))
        return near.end() if near else at

    def _read(self, start: int, end: int) -> Proposition | None:
        return read_clause(self.speech.text, self.key, start, end, self.actors, self.lex)

    @cached_property
    def actors(self) -> Actors:
        return Actors(self.mentions)

    def found(self) -> list[Found]:
        out: list[Found] = []
        sentences = self.speech.sentences
        # a sentence without any frame verb has nothing to read
        framed = set().union(*(scan.touched(sentences) for scan in self.scans))
        for index, (start, end) in enumerate(sentences):
            if index in framed:
                out.extend(self._sentence(index, start, end, out))
        return out

    def _sentence(self, index: int, start: int, end: int, earlier: list[Found]) -> list[Found]:
        accusations, statements, denials = self.scans
        frames = [("accuse", m) for m in accusations.within(start, end)]
        frames += [("assert", m) for m in statements.within(start, end)]
        denied = denials.within(start, end)
        if not frames and not denied:
            return []
        line = self.article.offsets.line_of(start)
        text = self.speech.text[start:end]
        here: list[Found] = []
        frames.sort(key=lambda f: f[1].start())
        taken: list[tuple[int, int]] = []
        for stance, verb in frames:
            if any(a <= verb.start() < b for a, b in taken):
                continue
            taken.append((verb.start(), verb.end()))
            before = self.mkey[max(start, verb.start() - 12) : verb.start()]
            passive = before.rstrip().endswith(_PASSIVE)
            noun = _NOUN_BEFORE.search(before) is not None
            if noun:
                holders, clause = self._genitive_holders(verb.end(), end)
            else:
                clause = self._clause_start(verb.end(), end)
            prop = self._read(clause, end)
            if prop is None or prop.conditional:
                continue
            if not noun:
                # (read after the clause: a frame without a proposition needs no holder)
                holders = [] if passive else self.holders(start, verb.start())
            own = "deny" if prop.negated else stance
            here.append(Found(index, own, prop, holders, text, line))
        for verb in denied:
            here.extend(self._denial(index, start, end, verb, text, line, earlier, here))
        return here

    def _denial(
        self,
        index: int,
        start: int,
        end: int,
        verb: re.Match[str],
        text: str,
        line: int,
        earlier: list[Found],
        here: list[Found],
    ) -> list[Found]:
        """The deny mentions of one denial verb: of its own clause, or of the claims it points back to."""
        after = self.mkey[verb.end() : verb.end() + ANAPHORA_REACH]
        own_clause = after.split(",")[0]
        pointing_back = self.lex.anaphora.finditer(after) and not _COMPLEMENT_OWN.search(own_clause)
        relative = _RELATIVE.search(self.mkey[start : verb.start()])
        # the deniers are read only once something is denied
        if not pointing_back and not relative:
            prop = self._read(self._clause_start(verb.end(), end), end)
            if prop is None or prop.conditional:
                return []
            return [Found(index, "deny", prop, self.holders(start, verb.start()), text, line)]
        if relative:
            targets = [f for f in here if f.stance in ASSERTING]
        else:
            targets = [
                f
                for f in earlier + here
                if f.stance in ASSERTING and index - f.sentence <= ANAPHORA_SENTENCES
            ]
        if not targets:
            return []
        holders = self.holders(start, verb.start())
        if relative:
            # "một động thái mà cả Moscow và Bình Nhưỡng đều phủ nhận": the deniers follow "mà"
            holders = self.holders(start + relative.end(), verb.start()) or holders
        seen: set[str] = set()
        out = []
        for target in targets:
            if target.proposition.key not in seen:
                seen.add(target.proposition.key)
                out.append(Found(index, "deny", target.proposition, holders, text, line))
        return out


def run(article: Article, ctx: Context) -> Article:
    """Fill ``article.claims`` with its accusations, statements and denials (reading the article's speech
    frames as the quotes stage read them when it left its reading)."""
    held = handoff(ctx)
    speech = held.take(article) if held is not None else None
    article.claims = [
        ClaimMention(
            sentence=f.sentence,
            stance=f.stance,
            proposition=f.proposition.text,
            text=f.text,
            holders=f.holders,
            key=f.proposition.key,
            line=f.line,
        )
        for f in ArticleClaims(article, speech.fresh() if speech is not None else None).found()
    ]
    return article


# -- corpus stage ---------------------------------------------------------------------------------------


def group_mentions(mentions: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Mentions grouped by compatible propositions (union-find; only mentions that share a predicate
    and an agent are compared, so the work grows with the size of such buckets, not with all pairs)."""
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    parsed: dict[str, Proposition] = {}  # a key is read once: a group repeats a few keys many times
    props = [
        parsed[m["key"]] if m["key"] in parsed else parsed.setdefault(m["key"], parse_key(m["key"]))
        for m in mentions
    ]
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    first_of_key: dict[str, int] = {}
    for i, prop in enumerate(props):
        if not prop.agents:
            continue
        # a repeated key is the same proposition: joined at once, and only its first is compared, so
        # the work grows with the distinct propositions of a bucket, not with its mentions
        first = first_of_key.setdefault(mentions[i]["key"], i)
        if first != i:
            parent[find(i)] = find(first)
            continue
        for agent in prop.agents:
            buckets[(prop.predicate, agent)].append(i)
    for members in buckets.values():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                if find(a) != find(b) and props[a].compatible(props[b]):
                    parent[find(b)] = find(a)
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[find(i)].append(m)
    return list(groups.values())


def contested(stances: set[str]) -> bool:
    """Whether a group of mentions with these stances is a claim: someone asserts it and it is
    contested (an accusation or a denial)."""
    return bool(stances & set(ASSERTING)) and bool({"accuse", "deny"} & stances)


class Claim:
    """One claim made from its group's mentions as they come in evidence order (their article's
    publication date, then article and line): read like the dict ``Store.replace_claims`` takes. Its
    ``evidence`` (each (article, line, stance) once) is given as the mentions are read, and fills in who
    asserts, who denies and the text (the first asserting mention's proposition) as it goes: a claim of
    tens of thousands of mentions is written as they are read, never held."""

    def __init__(self, claim_id: str, mentions: Iterable[dict[str, Any]]) -> None:
        self.id = claim_id
        self.text = ""
        self._told = False  # whether an asserting mention gave the text
        self._mentions = mentions
        self._asserted: dict[str, None] = {}
        self._denied: dict[str, None] = {}

    @property
    def evidence(self) -> Iterator[dict[str, Any]]:
        where: tuple[str, int] | None = None
        stances: set[str] = set()  # of the (article, line) being read: its mentions come together
        for m in self._mentions:
            stance = m["stance"]
            if stance in ASSERTING:
                if not self._told:
                    self.text, self._told = m["proposition"], True
                self._asserted.update(dict.fromkeys(m["holders"]))
            elif stance == "deny":
                self._denied.update(dict.fromkeys(m["holders"]))
            if (m["article"], m["line"]) != where:
                where = (m["article"], m["line"])
                stances.clear()
            if stance not in stances:
                stances.add(stance)
                yield m  # as it is (read without text, it names its mention)

    @property
    def asserted_by(self) -> list[str]:
        return list(self._asserted)

    @property
    def denied_by(self) -> list[str]:
        return list(self._denied)

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


def evidence_order(m: dict[str, Any], published: dict[str, str | None]) -> tuple[Any, ...]:
    """Where a mention's evidence goes: by its article's publication date (undated last), article, line."""
    return published.get(m["article"]) or "9999", m["article"], m["line"]


def claims_from(mentions: list[dict[str, Any]], published: dict[str, str | None]) -> list[dict[str, Any]]:
    """The claims (as ``Store.replace_claims`` takes them) that the stored claim mentions make."""
    out = []
    for group in group_mentions(mentions):
        if not contested({m["stance"] for m in group}):
            continue
        group.sort(key=lambda m: evidence_order(m, published))
        claim = Claim(stable_id("clm", min(m["key"] for m in group)), group)
        evidence = list(claim.evidence)
        out.append(
            {
                "id": claim.id,
                "text": claim.text,
                "asserted_by": claim.asserted_by,
                "denied_by": claim.denied_by,
                "evidence": evidence,
            }
        )
    return out


def run_corpus(store: Store, ctx: Context) -> None:
    """Recompute the claims from the claim mentions of canonical articles (duplicates skipped), one
    group at a time. Mentions are grouped by their keys (a repeated key is one proposition; keys are
    joined when compatible), so the groups are found among the distinct keys; a group's mentions are
    read in evidence order and written as they are read (:class:`Claim`). A mention whose key names no
    agent is a group of its own."""
    known = corpus_io.entity_ids(store)
    with_agents: list[dict[str, Any]] = []
    without: list[str] = []
    for key in corpus_io.claim_keys(store):
        if parse_key(key).agents:
            with_agents.append({"key": key})
        else:
            without.append(key)
    parts = [sorted(k["key"] for k in group) for group in group_mentions(with_agents)]

    def linked(mentions: Iterable[ClaimRow]) -> Iterator[ClaimRow]:
        for m in mentions:
            # a holder must be an entity the dossier lists; an unlinked one cannot be exported
            m["holders"] = [h for h in m["holders"] if h in known]
            yield m

    def claims() -> Iterator[Claim]:
        for keys in parts:
            if contested(corpus_io.claim_stances(store, keys)):
                yield Claim(stable_id("clm", keys[0]), linked(corpus_io.claim_mentions_in_order(store, keys)))
        for key in without:
            for m in linked(corpus_io.claim_mentions_in_order(store, [key])):
                if contested({m["stance"]}):
                    yield Claim(stable_id("clm", key), [m])

    corpus_io.write_claims(store, claims())
