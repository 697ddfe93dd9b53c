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

from dossier.kb.loader import KnowledgeBase
from dossier.ner.tokens import Token, joined, key_tokens
from dossier.vi.text import has_vietnamese_letters

NAME_KINDS = ("name", "short", "paired")


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

    @property
    def size(self) -> int:
        return len(self.exact)


@dataclass(frozen=True)
class Match:
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
        # index by the first two keys (the second is "" for one-word aliases): most tokens start no
        # alias, and those that do start few with the same next word
        self._exact: dict[str, dict[tuple[str, str], list[Alias]]] = {"names": {}, "roles": {}}
        self._loose: dict[str, dict[tuple[str, str], list[Alias]]] = {"names": {}, "roles": {}}
        for alias in self._aliases.values():
            layer = "roles" if alias.kind == "role" else "names"
            self._exact[layer].setdefault(_pair(alias.exact), []).append(alias)
            if alias.loose != alias.exact:
                self._loose[layer].setdefault(_pair(alias.loose), []).append(alias)

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

    def find(self, text: str, tokens: list[Token], layer: str = "names") -> list[Match]:
        """Every alias of ``layer`` (``names`` or ``roles``) found in ``text``, overlapping ones
        included, in text order."""
        exact_index, loose_index = self._exact[layer], self._loose[layer]
        found: list[Match] = []
        n = len(tokens)
        for i, tok in enumerate(tokens):
            nxt = tokens[i + 1] if i + 1 < n else None
            exact_here: list[Alias] = [
                *exact_index.get((tok.exact, ""), ()),
                *(exact_index.get((tok.exact, nxt.exact), ()) if nxt else ()),
            ]
            for alias in exact_here:
                m = self._try(text, tokens, i, n, alias, exact=True)
                if m:
                    found.append(m)
            loose_here = [
                *loose_index.get((tok.loose, ""), ()),
                *(loose_index.get((tok.loose, nxt.loose), ()) if nxt else ()),
            ]
            for alias in loose_here:
                if alias in exact_here:
                    continue
                m = self._try(text, tokens, i, n, alias, exact=False)
                if m:
                    found.append(m)
        return found

    @staticmethod
    def _try(text: str, tokens: list[Token], i: int, n: int, alias: Alias, exact: bool) -> Match | None:
        size = alias.size
        if i + size > n:
            return None
        span = tokens[i : i + size]
        keys = alias.exact if exact else alias.loose
        for j, tok in enumerate(span):
            if (tok.exact if exact else tok.loose) != keys[j]:
                return None
            if alias.caps[j] and not tok.upper:
                return None
            if alias.acronym[j] and not tok.text.isupper():
                return None
            if j and not joined(text, span[j - 1], tok):
                return None
        if not exact:
            surface = text[span[0].start : span[-1].end]
            if has_vietnamese_letters(surface) and size < 2:
                return None
        return Match(i, i + size, span[0].start, span[-1].end, alias, exact)


def _pair(keys: tuple[str, ...]) -> tuple[str, str]:
    return (keys[0], keys[1] if len(keys) > 1 else "")


def _rank(kind: str) -> int:
    return {"name": 0, "paired": 1, "short": 2, "role": 3}[kind]


def longest_first(matches: list[Match]) -> list[Match]:
    """Non-overlapping matches: the longest (then exact, then leftmost) wins where matches overlap."""
    chosen: list[Match] = []
    taken: set[int] = set()
    for m in sorted(matches, key=lambda m: (-m.size, not m.exact, m.first)):
        if taken.isdisjoint(range(m.first, m.last)):
            chosen.append(m)
            taken.update(range(m.first, m.last))
    return sorted(chosen, key=lambda m: m.first)
