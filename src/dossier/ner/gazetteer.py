"""Finding the knowledge base's names in text: every alias, matched token by token.

Rules (the README of ``kb/data`` states them for editors):

* tokens compare by their ``exact`` key (NFC, tone placement folded, lower case); a name written
  without any diacritics (``Ha Noi``, ``Matxcova``) also matches by its ``loose`` key, and so does a
  name of two words or more written with different marks (``Bình Nhưởng``);
* a token the alias writes with a capital needs a capital in the text (``Kim`` is a name, ``kim`` a
  needle); an alias written all in lower case matches in any case; an acronym (``UN``, ``AP``) needs
  capitals throughout;
* tokens of one name are joined only by spaces, hyphens, dots or apostrophes (never a comma or a line
  break), and a match never starts or ends inside a token (Vietnamese word boundaries: ``Nga`` is not
  found in ``Ngang``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter
from typing import NamedTuple

from dossier.kb.loader import KnowledgeBase
from dossier.ner.tokens import Token, Tokens, joiner, key_tokens
from dossier.vi.text import has_vietnamese_letters

NAME_KINDS = ("name", "short", "paired")
_LAYERS = ("names", "roles")
_EXACT = attrgetter("exact")
_LOOSE = attrgetter("loose")
_new = tuple.__new__


@dataclass
class Alias:
    """One written form of one or more entities' names (or of a role they hold)."""

    text: str
    exact: tuple[str, ...]
    loose: tuple[str, ...]
    caps: tuple[bool, ...]
    acronym: tuple[bool, ...]
    kind: str  # name | short | paired | role
    entities: list[str] = field(default_factory=list)  # KB slugs, in KB order
    person: bool = False  # one of the entities is a person

    @property
    def size(self) -> int:
        return len(self.exact)


class Match(NamedTuple):
    """An alias found at tokens ``[first, last)`` = characters ``[start, end)``."""

    first: int
    last: int
    start: int
    end: int
    alias: Alias
    exact: bool

    @property
    def size(self) -> int:
        return self.last - self.first


def _is_acronym(token: str) -> bool:
    return 1 < len(token) <= 6 and token.isupper() and token.isalpha()


class Gazetteer:
    """An index of every name and role title in a knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._aliases: dict[tuple[str, tuple[str, ...]], Alias] = {}
        for ent in kb:
            for name in ent.names():
                self._add(name, "name", ent.id)
            for name in ent.short:
                self._add(name, "short", ent.id)
            for name in ent.paired:
                self._add(name, "paired", ent.id)
            for role in ent.roles:
                self._add(role.title, "role", ent.id)
        for alias in self._aliases.values():
            alias.person = any(kb.entities[s].type == "person" for s in alias.entities)
        # index by the first two keys (the second is "" for one-word aliases): most tokens start no
        # alias, and those that do start few with the same next word
        self._exact: dict[str, dict[tuple[str, str], list[Alias]]] = {"names": {}, "roles": {}}
        self._loose: dict[str, dict[tuple[str, str], list[Alias]]] = {"names": {}, "roles": {}}
        for alias in self._aliases.values():
            layer = "roles" if alias.kind == "role" else "names"
            self._exact[layer].setdefault(_pair(alias.exact), []).append(alias)
            if alias.loose != alias.exact:
                self._loose[layer].setdefault(_pair(alias.loose), []).append(alias)
        self._layers = {
            layer: (_KeyIndex(self._exact[layer], True), _KeyIndex(self._loose[layer], False))
            for layer in _LAYERS
        }
        self._starts = {layer: _Starts(self, layer) for layer in _LAYERS}

    def _add(self, name: str, kind: str, slug: str) -> None:
        exact, loose, caps = key_tokens(name)
        if not exact:
            return
        # a name that is both a full name and a short form is a full name
        key = ("role" if kind == "role" else "names", exact)
        alias = self._aliases.get(key)
        if alias is None:
            texts = [t for t in name.replace("-", " ").split() if t]
            acronym = (
                tuple(_is_acronym(t) for t in texts) if len(texts) == len(exact) else (False,) * len(exact)
            )
            alias = Alias(name, exact, loose, caps, acronym, kind)
            self._aliases[key] = alias
        else:
            # a token needs a capital only if every spelling of the name gives it one
            alias.caps = tuple(a and b for a, b in zip(alias.caps, caps, strict=True))
            if _rank(kind) < _rank(alias.kind):
                alias.kind = kind
        if slug not in alias.entities:
            alias.entities.append(slug)

    def __len__(self) -> int:
        return len(self._aliases)

    def aliases(self) -> list[Alias]:
        return list(self._aliases.values())

    def find(self, text: str, tokens: Tokens, layer: str = "names") -> list[Match]:
        """Every alias of ``layer`` (``names`` or ``roles``) found in ``text``, overlapping ones
        included, in text order."""
        return self.find_layers(text, tokens, (layer,))[0]

    def find_layers(self, text: str, tokens: Tokens, layers: tuple[str, ...]) -> list[list[Match]]:
        """:meth:`find` for each of ``layers``."""
        return [self._find(text, tokens, self._starts[layer]) for layer in layers]

    def _find(self, text: str, tokens: Tokens, records_of: _Starts) -> list[Match]:
        n = len(tokens)
        # what may start at each token (None: nothing), worked out once per word
        records = list(map(records_of.__getitem__, tokens))
        found: list[Match] = []
        starts, ends = tokens.starts, tokens.ends
        try_ = self._try
        for i in compress(range(n), records):
            singles, pairs, loose_singles, loose_pairs = records[i]
            # one-word aliases, then longer ones; exact matches, then loose ones
            for alias in singles:
                found.append(_new(Match, (i, i + 1, starts[i], ends[i], alias, True)))
            nxt = tokens[i + 1] if i + 1 < n else None
            if pairs and nxt is not None:
                longer = pairs.get(nxt.exact)
                if longer:
                    for alias in _candidates(longer, tokens, i, n, True):
                        m = try_(text, tokens, i, n, alias, True)
                        if m:
                            found.append(m)
            for alias in loose_singles:
                found.append(_new(Match, (i, i + 1, starts[i], ends[i], alias, False)))
            if loose_pairs and nxt is not None:
                longer = loose_pairs.get(nxt.loose)
                if longer:
                    tried = (tokens[i].exact, nxt.exact)  # the aliases that start so were tried
                    for alias in _candidates(longer, tokens, i, n, False):
                        if alias.exact[:2] == tried:
                            continue
                        m = try_(text, tokens, i, n, alias, False)
                        if m:
                            found.append(m)
        return found

    def _record(self, layer: str, tok: Token) -> _Record | None:
        """What may start at a token of this word in ``layer``: the one-word aliases it matches
        exactly, the longer aliases it may start (by the next token's exact key), the one-word
        aliases it matches only loosely, and the longer ones it may start loosely."""
        exact_index, loose_index = self._layers[layer]
        exact_singles = exact_index.single.get(tok.exact) or []
        singles = tuple(a for a in exact_singles if _fits(a, tok, True))
        loose_singles = tuple(
            a
            for a in loose_index.single.get(tok.loose) or ()
            if not any(a is b for b in exact_singles) and _fits(a, tok, False)
        )
        pairs = _starting(exact_index.by_next.get(tok.exact), tok)
        loose_pairs = _starting(loose_index.by_next.get(tok.loose), tok)
        if singles or pairs or loose_singles or loose_pairs:
            return (singles, pairs, loose_singles, loose_pairs)
        return None

    @staticmethod
    def _try(text: str, tokens: Tokens, i: int, n: int, alias: Alias, exact: bool) -> Match | None:
        keys = alias.exact if exact else alias.loose
        size = len(keys)
        if i + size > n:
            return None
        caps, acronym = alias.caps, alias.acronym
        if size == 1:
            tok = tokens[i]
            if (
                (tok.exact if exact else tok.loose) != keys[0]
                or (caps[0] and not tok.upper)
                or (acronym[0] and not tok.text.isupper())
                or (not exact and has_vietnamese_letters(tok.text))
            ):
                return None
            return _new(Match, (i, i + 1, tokens.starts[i], tokens.ends[i], alias, exact))
        for j in range(size):
            tok = tokens[i + j]
            if (tok.exact if exact else tok.loose) != keys[j]:
                return None
            if caps[j] and not tok.upper:
                return None
            if acronym[j] and not tok.text.isupper():
                return None
            if j and not joiner(tokens.gaps[i + j]):
                return None
        return _new(Match, (i, i + size, tokens.starts[i], tokens.ends[i + size - 1], alias, exact))


class _KeyIndex:
    """Aliases by their first key alone (one-word aliases), and the longer ones by their first key,
    then their second: two-word aliases, and longer ones by their third key (in each list, in the
    order the index lists them)."""

    def __init__(self, by_pair: dict[tuple[str, str], list[Alias]], exact: bool) -> None:
        self.single = {k[0]: v for k, v in by_pair.items() if not k[1]}
        self.by_next: dict[str, dict[str, _Longer]] = {}
        for (first, second), aliases in by_pair.items():
            if second:
                two = [a for a in aliases if a.size == 2]
                deeper: dict[str, list[Alias]] = {}
                for a in aliases:
                    if a.size > 2:
                        deeper.setdefault((a.exact if exact else a.loose)[2], []).append(a)
                self.by_next.setdefault(first, {})[second] = (two, deeper)


_Longer = tuple[list[Alias], dict[str, list[Alias]]]
_Record = tuple[tuple[Alias, ...], dict[str, _Longer], tuple[Alias, ...], dict[str, _Longer]]


def _candidates(longer: _Longer, tokens: Tokens, i: int, n: int, exact: bool) -> list[Alias]:
    """The aliases of two words or more whose first three keys may be those at token ``i``."""
    two, deeper = longer
    if deeper and i + 2 < n:
        third = tokens[i + 2]
        more = deeper.get(third.exact if exact else third.loose)
        if more:
            return [*two, *more]
    return two


_MAX_WORDS = 1 << 16  # distinct words whose records are kept before the cache starts over


class _Starts(dict[Token, _Record | None]):
    """A token's word → what may start at it in one layer (:meth:`Gazetteer._record`), filled on
    first sight."""

    def __init__(self, gazetteer: Gazetteer, layer: str) -> None:
        super().__init__()
        self.gazetteer = gazetteer
        self.layer = layer

    def __missing__(self, tok: Token) -> _Record | None:
        if len(self) >= _MAX_WORDS:
            self.clear()
        record = self[tok] = self.gazetteer._record(self.layer, tok)
        return record


def _starting(by_next: dict[str, _Longer] | None, tok: Token) -> dict[str, _Longer]:
    """The longer aliases (by their second key) whose first word a token of this word may be: one
    with a capital where the alias needs one, all capitals for an acronym ("và" starts no
    "Va-ti-căng")."""
    out: dict[str, _Longer] = {}
    for second, (two, deeper) in (by_next or {}).items():
        two = [a for a in two if _first_fits(a, tok)]
        deeper = {k: kept for k, v in deeper.items() if (kept := [a for a in v if _first_fits(a, tok)])}
        if two or deeper:
            out[second] = (two, deeper)
    return out


def _first_fits(alias: Alias, tok: Token) -> bool:
    return (tok.upper or not alias.caps[0]) and (tok.text.isupper() or not alias.acronym[0])


def _fits(alias: Alias, tok: Token, exact: bool) -> bool:
    """Whether a one-word alias whose key is the token's matches it: a capital where the alias
    needs one, capitals throughout for an acronym, and no Vietnamese letters for a loose match."""
    return (
        (tok.upper or not alias.caps[0])
        and (tok.text.isupper() or not alias.acronym[0])
        and (exact or not has_vietnamese_letters(tok.text))
    )


def _pair(keys: tuple[str, ...]) -> tuple[str, str]:
    return (keys[0], keys[1] if len(keys) > 1 else "")


def _rank(kind: str) -> int:
    return {"name": 0, "paired": 1, "short": 2, "role": 3}[kind]


def longest_first(matches: list[Match]) -> list[Match]:
    """Non-overlapping matches: the longest (then exact, then leftmost) wins where matches overlap."""
    chosen: list[Match] = []
    taken: set[int] = set()
    for m in sorted(matches, key=lambda m: (m.first - m.last, not m.exact, m.first)):
        if taken.isdisjoint(range(m.first, m.last)):
            chosen.append(m)
            taken.update(range(m.first, m.last))
    return sorted(chosen, key=lambda m: m.first)
