"""The plain data that flows through the pipeline: sources → documents → articles → sentences.

Every object that is derived from text carries provenance: the source, and the 1-based line of the
source document where it starts.
"""

from __future__ import annotations

import bisect
import hashlib
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from dossier.vi.text import fold, match_key


def stable_id(prefix: str, *parts: object) -> str:
    """A deterministic id: the same inputs give the same id on every machine and every run."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:16]}"


@dataclass
class Source:
    """One input as bytes, before any interpretation."""

    uri: str
    data: bytes
    media_type: str  # text/plain, text/markdown, text/html
    sha256: str = ""
    fetched_from: str | None = None  # the URL, when the bytes came over HTTP

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.data).hexdigest()

    @property
    def id(self) -> str:
        return stable_id("src", self.sha256)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Document:
    """The decoded text of a source, normalised to NFC line by line.

    Line numbers are preserved exactly: ``lines[i]`` is source line ``i + 1``. Where NFC changed the
    length of a line, ``column_maps[i]`` maps each NFC column to the column in the decoded original.
    """

    source_id: str
    uri: str
    media_type: str
    encoding: str
    lines: list[str]
    column_maps: dict[int, list[int]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def original_column(self, line: int, column: int) -> int:
        """The column in the decoded original of ``column`` in 1-based ``line`` of the NFC text."""
        cmap = self.column_maps.get(line - 1)
        if cmap is None:
            return column
        return cmap[min(column, len(cmap) - 1)]


@dataclass(frozen=True)
class Segment:
    """A run of article text copied unchanged from one source line: text[start:start+length] is
    line ``line`` (1-based) from column ``column``."""

    start: int
    line: int
    column: int
    length: int


@dataclass
class OffsetMap:
    """Maps offsets in an article's clean text back to (line, column) in the source document."""

    segments: list[Segment] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def locate(self, offset: int) -> tuple[int, int]:
        """The (1-based line, 0-based NFC column) of an article-text offset.

        An offset that falls between segments (a joining newline, removed markup) is attributed to
        the next segment's start, or to the end of the last one.
        """
        if not self.segments:
            return (0, 0)
        if len(self._starts) != len(self.segments):  # built lazily: segments are appended while assembling
            self._starts = [s.start for s in self.segments]
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            seg = self.segments[0]
            return (seg.line, seg.column)
        seg = self.segments[i]
        if offset < seg.start + seg.length or i + 1 == len(self.segments):
            return (seg.line, seg.column + min(offset - seg.start, seg.length))
        nxt = self.segments[i + 1]
        return (nxt.line, nxt.column)

    def line_of(self, offset: int) -> int:
        return self.locate(offset)[0]

    def to_json(self) -> list[list[int]]:
        return [[s.start, s.line, s.column, s.length] for s in self.segments]

    @classmethod
    def from_json(cls, rows: list[list[int]]) -> OffsetMap:
        return cls([Segment(*row) for row in rows])


@dataclass
class Sentence:
    index: int
    start: int  # offsets in the article's clean text
    end: int
    text: str
    line: int  # 1-based source line where the sentence starts

    # Matching keys computed once per sentence for all stages; same length as ``text``.
    @cached_property
    def key(self) -> str:
        """``match_key(text)``: tone placement folded, lower-cased."""
        return match_key(self.text)

    @cached_property
    def folded(self) -> str:
        """``fold(text)``: diacritics, đ and case folded."""
        return fold(self.text)


@dataclass
class Mention:
    """A name in an article's text that refers to an entity."""

    start: int  # offsets in the article's clean text
    end: int
    text: str
    entity_id: str  # ent-<slug> for a knowledge-base entity, ent-new-<hash> for one the KB lacks
    type: str  # person | country | organization | place | facility | weapon-system | other
    line: int = 0  # 1-based source line (filled from the article's offset map)
    confidence: float = 1.0
    method: str = "kb"  # kb (alias match) | model (statistical recogniser) | context (coreference)
    name: str | None = None  # the canonical name, for an entity the KB lacks


@dataclass
class TimeExpr:
    """A time expression normalised with the precision the text gives (TIMEX3-like values)."""

    start: int
    end: int
    text: str
    value: str  # 2023-09-13 | 2023-09 | 2023 | 199X | 19XX ...
    granularity: str  # day | month | quarter | year | decade | century
    basis: str  # explicit | relative
    value_end: str | None = None  # for ranges: 1950–1953
    line: int = 0


@dataclass
class Quote:
    """Speech attributed to a speaker: a direct quotation, or indirect speech kept as a statement."""

    start: int  # offsets of the quoted text (inside the marks) in the article's clean text
    end: int
    text: str
    speaker_text: str | None = None  # the words that name the speaker: "ông Putin", "Điện Kremlin"
    speaker: str | None = None  # entity id, when linked
    kind: str = "direct"  # direct | indirect
    line: int = 0
    end_line: int = 0


@dataclass
class EventMention:
    """One sentence's report of an event; merged across articles into timeline events."""

    sentence: int  # index of the evidence sentence in the article
    type: str  # meeting | visit | agreement | military-test | military-action | statement | accusation
    # | denial | sanction | transfer | cyberattack | other
    text: str  # the evidence sentence
    date: str | None = None  # with the precision the text gives
    date_end: str | None = None
    participants: list[str] = field(default_factory=list)  # entity ids
    place: str | None = None  # entity id
    summary: str = ""
    line: int = 0


@dataclass
class ClaimMention:
    """One sentence that asserts or denies a contested proposition."""

    sentence: int
    stance: str  # assert | accuse (an accusation: contested by nature) | deny
    proposition: str  # a normalised statement of what is claimed
    text: str  # the evidence sentence
    holders: list[str] = field(default_factory=list)  # entity ids of who asserts or denies
    key: str | None = None  # groups mentions of the same proposition across articles
    line: int = 0


@dataclass
class Article:
    """One news story inside a document."""

    source_id: str
    start_line: int  # 1-based, inclusive: the article's own span in the source, heading included
    end_line: int
    title: str
    text: str  # the clean body, one paragraph per line
    offsets: OffsetMap
    published: str | None = None  # ISO date with the precision given: 2023, 2023-09, 2023-09-14
    published_time: str | None = None  # HH:MM when the capture gives it
    outlet: str | None = None
    original_outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    translator: str | None = None
    contributors: list[str] = field(default_factory=list)
    language: str = "vi"
    duplicate_of: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    claims: list[ClaimMention] = field(default_factory=list)

    @property
    def id(self) -> str:
        return stable_id("art", self.source_id, self.start_line)

    @cached_property
    def key(self) -> str:
        """``match_key(text)``, computed once for all stages. Each sentence whose :attr:`Sentence.key`
        is not computed yet gets its slice of it when that is the same string: the text is NFC, the key
        as long as it, and the sentence is its slice of the text with whitespace (or the text's edge) on
        both sides, which neither the tone-placement fold nor lower-casing reads across. The stages
        then fold no sentence again."""
        text = self.text
        key = match_key(text)
        if len(key) != len(text) or not unicodedata.is_normalized("NFC", text):
            return key
        for sentence in self.sentences:
            start, end = sentence.start, sentence.end
            if "key" in sentence.__dict__ or text[start:end] != sentence.text:
                continue
            if (start == 0 or text[start - 1].isspace()) and (end == len(text) or text[end].isspace()):
                sentence.key = key[start:end]
        return key


@dataclass
class ProcessedSource:
    """What the pipeline made of one source: everything that is written in one transaction."""

    source: Source
    encoding: str | None = None
    document: Document | None = None
    articles: list[Article] = field(default_factory=list)
    status: str = "ok"  # ok | error
    error: str | None = None
