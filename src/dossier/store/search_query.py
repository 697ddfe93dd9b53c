"""The search box's query language, turned into a safe FTS5 expression over folded text.

What a user may type (every word is matched without diacritics, tone placement or case):

* ``binh nhuong`` – every word must occur (AND); articles that have them side by side rank higher;
* ``"hòa bình"`` – the words in this order, side by side;
* ``Nga*`` – a word starting with ``nga``;
* ``Nga OR Triều Tiên`` (or ``|``) – either side;
* ``-Ukraine`` or ``NOT Ukraine`` – leave out what has this word;
* ``( … )`` – grouping.

Every word reaches FTS5 as a quoted string, so characters that mean something to FTS5 (``:``, ``^``,
``+``, ``NEAR``) are plain text here. What cannot be read (an unclosed quote or bracket, nothing
but exclusions) raises :class:`DossierError` E040 with the reason, never an SQLite error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dossier.errors import DossierError
from dossier.vi.text import fold, match_key, nfc

# What FTS5's unicode61 tokenizer keeps as a token, on folded text.
TOKEN = re.compile(r"\w+", re.UNICODE)
_MAX_TERMS = 32


@dataclass
class Query:
    """A parsed query: the FTS5 expression and the words to highlight."""

    text: str  # what the user typed
    expr: str  # the FTS5 MATCH expression, with EXACT_COLUMNS where a table's exact columns go
    core: str = ""  # the same matches without the ranking boosts (to restrict to some columns)
    terms: list[str] = field(default_factory=list)  # folded words that must or may occur
    prefixes: list[str] = field(default_factory=list)  # folded word starts (from ``word*``)
    phrases: list[list[str]] = field(default_factory=list)  # runs of folded words to find side by side
    # folded word → the exact spellings (match_key) typed for it, for words typed with diacritics
    exact: dict[str, set[str]] = field(default_factory=dict)

    def fts(self, exact_columns: str) -> str:
        """The MATCH expression for a table whose diacritic-keeping columns are ``exact_columns``."""
        return self.expr.replace(EXACT_COLUMNS, exact_columns)

    @property
    def atoms(self) -> list[str]:
        """Every positive word and prefix as its own FTS5 expression (to gauge how common each is)."""
        return [_quote(t) for t in self.terms] + [_quote(p) + "*" for p in self.prefixes]

    @property
    def any_fts(self) -> str:
        """An FTS5 expression matching text with any one of the positive words (to pick snippets)."""
        parts = [_quote(t) for t in self.terms] + [_quote(p) + "*" for p in self.prefixes]
        return " OR ".join(parts)

    def wants(self, folded: str) -> bool:
        """Whether a folded text word is one of the query's words or starts with one of its prefixes."""
        return folded in self.terms or (bool(self.prefixes) and folded.startswith(tuple(self.prefixes)))

    def matches_word(self, folded: str, key: str) -> bool:
        """Whether a text word (its fold, its match_key) is one the query looks for. Diacritics count
        only when both the query word and the text word have them: ``phủ`` finds ``phủ`` and ``phu``
        but not ``phụ``."""
        if not self.wants(folded):
            return False
        spellings = self.exact.get(folded)
        return spellings is None or key == folded or key in spellings


EXACT_COLUMNS = "\x00"  # replaced by a table's exact column filter, e.g. {title_exact body_exact}


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fail(query: str, reason: str) -> DossierError:
    return DossierError("E040", query=query, reason=reason)


@dataclass
class _Tok:
    kind: str  # word | phrase | or | and | not | minus | lparen | rparen
    value: str = ""
    prefix: bool = False


_WORD = re.compile(r'[^\s"()|]+')


def _lex(raw: str) -> list[_Tok]:
    raw = raw.replace("\u201c", '"').replace("\u201d", '"')  # typographic quotes act as plain ones
    toks: list[_Tok] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            end = raw.find('"', i + 1)
            if end == -1:
                raise _fail(raw, f"the quote opened at character {i + 1} is never closed")
            toks.append(_Tok("phrase", raw[i + 1 : end]))
            i = end + 1
        elif ch == "(":
            toks.append(_Tok("lparen"))
            i += 1
        elif ch == ")":
            toks.append(_Tok("rparen"))
            i += 1
        elif ch == "|":
            toks.append(_Tok("or"))
            i += 1
        else:
            m = _WORD.match(raw, i)
            assert m is not None
            word = m.group(0)
            i = m.end()
            if word in ("OR", "AND", "NOT"):
                toks.append(_Tok(word.lower()))
                continue
            if word.startswith("-") and len(word) > 1:
                toks.append(_Tok("minus"))
                word = word[1:]
            prefix = word.endswith("*")
            toks.append(_Tok("word", word.rstrip("*"), prefix=prefix))
    return toks


class _Parser:
    """Recursive descent over the tokens: expr := conj (OR conj)*; conj := unary+; unary := [NOT|-] atom;
    atom := word | phrase | ( expr )."""

    def __init__(self, raw: str, toks: list[_Tok], boosts: bool = True) -> None:
        self.raw = raw
        self.boosts = boosts
        self.toks = toks
        self.pos = 0
        self.query = Query(text=raw, expr="")

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> str:
        expr = self.expr()
        if self.peek() is not None:
            raise _fail(self.raw, "a closing bracket ')' has no opening one")
        if expr is None:
            raise _fail(self.raw, "there is no word to search for")
        return expr

    def expr(self) -> str | None:
        parts = [self.conj()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in ("or", "rparen"):  # type: ignore[union-attr]
                raise _fail(self.raw, "OR needs something to search for on both sides")
            parts.append(self.conj())
        kept = [p for p in parts if p]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else "(" + " OR ".join(kept) + ")"

    def conj(self) -> str | None:
        positives: list[str] = []
        negatives: list[str] = []
        plain_run: list[str] = []  # consecutive plain words, for the side-by-side bonus
        exact_atoms: list[str] | None = []  # the positives spelt with diacritics, while all are words
        while (tok := self.peek()) is not None and tok.kind not in ("or", "rparen"):
            if tok.kind == "and":
                self.take()
                continue
            negate = tok.kind in ("not", "minus")
            if negate:
                self.take()
                if self.peek() is None or self.peek().kind in ("or", "rparen", "and"):  # type: ignore[union-attr]
                    raise _fail(self.raw, "NOT or '-' must be followed by a word to leave out")
            atom, words, exact = self.atom(positive=not negate)
            if atom is None:
                continue
            (negatives if negate else positives).append(atom)
            if not negate:
                if words is not None:
                    plain_run.extend(words)
                if exact is None:
                    exact_atoms = None
                elif exact_atoms is not None:
                    exact_atoms.append(exact)
        if not positives:
            if negatives:
                raise _fail(self.raw, "a search needs at least one word that is not left out")
            return None
        expr = positives[0] if len(positives) == 1 else "(" + " AND ".join(positives) + ")"
        boosts: list[str] = []
        if 2 <= len(plain_run) <= 6:
            boosts.append(_quote(" ".join(plain_run)))
            self.query.phrases.append(plain_run)
        if exact_atoms is not None and exact_atoms != positives:
            exact = exact_atoms[0] if len(exact_atoms) == 1 else "(" + " AND ".join(exact_atoms) + ")"
            boosts.append(f"{EXACT_COLUMNS} : {exact}")
        if boosts and self.boosts:
            # each boost matches a subset of expr, so the matches stay the same; bm25 adds their scores,
            # so words side by side, and spelt as typed, rank first
            expr = "(" + " OR ".join([expr, *boosts]) + ")"
        for neg in negatives:
            expr = f"{expr} NOT {neg}"
        return expr

    def atom(self, positive: bool) -> tuple[str | None, list[str] | None, str | None]:
        """The FTS5 text of one atom; its folded words when it is one plain word (else None); and its
        FTS5 text spelt as typed, diacritics kept (None for a group or a prefix)."""
        tok = self.take()
        if tok.kind == "lparen":
            inner = self.expr()
            nxt = self.peek()
            if nxt is None or nxt.kind != "rparen":
                raise _fail(self.raw, "an opening bracket '(' is never closed")
            self.take()
            return (f"({inner})" if inner else None), None, None
        if tok.kind == "rparen":
            raise _fail(self.raw, "a closing bracket ')' has no opening one")
        if tok.kind in ("or", "and", "not"):
            raise _fail(self.raw, f"{tok.kind.upper()} is out of place")
        value = nfc(tok.value)
        words = TOKEN.findall(fold(value))
        keys = TOKEN.findall(match_key(value))
        if not words:
            return None, None, None
        if len(self.query.terms) + len(self.query.prefixes) > _MAX_TERMS:
            raise _fail(self.raw, f"more than {_MAX_TERMS} words")
        if len(keys) != len(words):  # a script whose fold changes the word count: no exact form
            keys = words
        if positive and not tok.prefix:
            for word, key in zip(words, keys, strict=True):
                if key != word:
                    self.query.exact.setdefault(word, set()).add(key)
        if tok.kind == "phrase" or len(words) > 1:
            # a quoted phrase, or a hyphenated word (Nga-Triều) that folds into several
            text = _quote(" ".join(words)) + ("*" if tok.prefix else "")
            if positive:
                self.query.terms.extend(words)
                self.query.phrases.append(words)
            return text, None, (None if tok.prefix else _quote(" ".join(keys)))
        word = words[0]
        if tok.prefix:
            if positive:
                self.query.prefixes.append(word)
            return _quote(word) + "*", None, None
        if positive:
            self.query.terms.append(word)
        return _quote(word), [word], _quote(keys[0])


def parse(raw: str) -> Query:
    """Parse what a user typed into a :class:`Query`; raises DossierError E040 with a readable reason."""
    raw = nfc(raw or "").strip()
    if not raw:
        raise _fail(raw, "there is no word to search for")
    parser = _Parser(raw, _lex(raw))
    parser.query.expr = parser.parse()
    parser.query.core = _Parser(raw, _lex(raw), boosts=False).parse()
    # keep first occurrences only, in order
    parser.query.terms = list(dict.fromkeys(parser.query.terms))
    parser.query.prefixes = list(dict.fromkeys(parser.query.prefixes))
    return parser.query


def highlight(text: str, folded: str, query: Query) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_hit) runs: the hits are its words that the query looks for
    (see :meth:`Query.matches_word`).

    ``folded`` is ``fold(text)``; the fold keeps lengths, so positions found in it are positions in
    ``text``. When lengths differ (text outside Vietnamese and Latin scripts), the text is folded again.
    """
    if len(folded) != len(text):
        folded = fold(text)
        if len(folded) != len(text):
            return [(text, False)]
    out: list[tuple[str, bool]] = []
    at = 0
    for m in TOKEN.finditer(folded):
        start, end = m.span()
        word = m.group(0)
        if not query.wants(word) or not query.matches_word(word, match_key(text[start:end])):
            continue
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out


def score_sentence(text: str, folded: str, query: Query) -> float:
    """How well one sentence shows the query: distinct query words found (as
    :meth:`Query.matches_word` reads them), plus one per phrase found side by side. 0 when none occur."""
    if len(folded) != len(text):
        folded = fold(text)
    words = TOKEN.findall(folded)
    present = set(words)
    candidates = present.intersection(query.terms)
    if query.prefixes:
        starts = tuple(query.prefixes)
        candidates.update(w for w in present if w.startswith(starts))
    if not candidates:
        return 0.0
    found = {w for w in candidates if w not in query.exact}
    for word in candidates - found:
        # a word typed with diacritics: one occurrence spelt compatibly is enough
        for m in re.finditer(r"\b" + re.escape(word) + r"\b", folded):
            if query.matches_word(word, match_key(text[m.start() : m.end()])):
                found.add(word)
                break
    if not found:
        return 0.0
    joined = " " + " ".join(words) + " "
    bonus = sum(1.0 for ph in query.phrases if f" {' '.join(ph)} " in joined)
    return len(found) + bonus
