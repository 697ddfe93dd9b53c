"""The shapes of what the explorer shows: each page's data, rendered as HTML and returned as JSON.

These models are the JSON API's contract (its OpenAPI description is generated from them). Every fact
carries its provenance: the article, the source file and the 1-based line.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Piece(BaseModel):
    """A run of text; ``hit`` when it matches the search words."""

    text: str
    hit: bool = False


class EntityRef(BaseModel):
    id: str
    name: str
    type: str | None = None


class ArticleRef(BaseModel):
    id: str
    title: str
    published: str | None = None
    outlet: str | None = None
    source_uri: str | None = None


class Evidence(BaseModel):
    """A sentence that supports a fact: its article and the source line where it starts."""

    article: str
    title: str = ""
    source_uri: str | None = None
    line: int
    text: str
    stance: str | None = None


class Snippet(BaseModel):
    idx: int = Field(description="index of the sentence in its article")
    line: int = Field(description="1-based line of the source file where the sentence starts")
    pieces: list[Piece]


class SearchHit(BaseModel):
    id: str
    title: str
    title_pieces: list[Piece]
    published: str | None
    outlet: str | None
    source_uri: str
    start_line: int
    end_line: int
    score: float = Field(description="relevance (BM25, higher is better); 0 when listing by filters only")
    snippets: list[Snippet]


class SearchFilters(BaseModel):
    entity: str | None = None
    outlet: str | None = None
    date_from: str | None = Field(None, alias="from")
    date_to: str | None = Field(None, alias="to")
    event_type: str | None = None

    model_config = {"populate_by_name": True}


class FacetOptions(BaseModel):
    """What the filters can be set to."""

    entities: list[EntityRef]
    outlets: list[str]
    event_types: list[str]


class SearchPage(BaseModel):
    query: str
    filters: SearchFilters
    total: int = 0
    took_ms: float = 0.0
    hits: list[SearchHit] = []
    error: str | None = Field(None, description="why the query could not be run (E040/E041), if it could not")
    options: FacetOptions


class SentenceHitOut(BaseModel):
    article: ArticleRef
    idx: int
    line: int
    score: float
    pieces: list[Piece]


class SentenceSearch(BaseModel):
    query: str
    hits: list[SentenceHitOut]
    error: str | None = None


class Mark(BaseModel):
    """A highlighted piece of an article: the text, and what it is part of."""

    text: str
    entity: str | None = Field(None, description="entity id, when the piece names one")
    entity_type: str | None = None
    time: str | None = Field(None, description="normalised value, when the piece is a time expression")
    quote: str | None = Field(None, description="quote id, when the piece is quoted speech")
    speaker: str | None = None
    hit: bool = False


class Paragraph(BaseModel):
    line: int
    start: int = Field(description="offset of the paragraph in the article's clean text")
    marks: list[Mark]


class MentionOut(BaseModel):
    entity: str
    name: str
    type: str
    line: int
    start: int
    end: int
    text: str


class TimeOut(BaseModel):
    line: int
    start: int
    end: int
    text: str
    value: str
    value_end: str | None = None
    granularity: str
    basis: str


class QuoteOut(BaseModel):
    id: str
    speaker: str | None
    speaker_name: str | None
    speaker_text: str | None
    text: str
    kind: str
    line: int
    article: str | None = None
    title: str | None = None
    published: str | None = None
    source_uri: str | None = None


class ArticleEvent(BaseModel):
    sentence: int
    line: int
    type: str
    date: str | None
    summary: str
    text: str


class ArticleClaim(BaseModel):
    sentence: int
    line: int
    stance: str
    proposition: str
    text: str


class OriginalLine(BaseModel):
    n: int
    text: str


class ArticlePage(BaseModel):
    id: str
    title: str
    published: str | None
    published_time: str | None
    outlet: str | None
    original_outlet: str | None
    authors: list[str]
    translator: str | None
    language: str
    source_id: str
    source_uri: str
    start_line: int
    end_line: int
    duplicate_of: ArticleRef | None
    paragraphs: list[Paragraph]
    entities: list[EntityRef] = Field(description="the entities the article names, most named first")
    mentions: list[MentionOut]
    times: list[TimeOut]
    quotes: list[QuoteOut]
    events: list[ArticleEvent]
    claims: list[ArticleClaim]
    original: list[OriginalLine] = Field(description="the source file's lines of this article, as captured")
    query: str | None = None


class ArticleList(BaseModel):
    total: int
    articles: list[ArticleRef]


class TimelineEvent(BaseModel):
    id: str
    date: str | None
    date_end: str | None
    type: str
    summary: str
    participants: list[EntityRef]
    place: EntityRef | None
    evidence: list[Evidence]


class Timeline(BaseModel):
    entity: str | None = None
    date_from: str | None = Field(None, alias="from")
    date_to: str | None = Field(None, alias="to")
    type: str | None = None
    events: list[TimelineEvent]
    total: int = Field(description="events in the store before filtering")
    entities: list[EntityRef] = Field(description="entities that take part in some event, for the filter")
    types: list[str]
    error: str | None = None

    model_config = {"populate_by_name": True}


class EntityRow(BaseModel):
    id: str
    name: str
    type: str | None
    mentions: int


class EntityList(BaseModel):
    entities: list[EntityRow]


class MonthCount(BaseModel):
    month: str
    mentions: int
    articles: int


class Neighbour(BaseModel):
    entity: EntityRef
    sentences: int = Field(description="sentences that name both")


class EntityPage(BaseModel):
    id: str
    name: str
    type: str | None
    wikidata: str | None
    aliases: list[str]
    description: str | None = None
    mentions: int
    by_month: list[MonthCount]
    articles: list[ArticleRef]
    quotes: list[QuoteOut]
    neighbours: list[Neighbour]
    events: list[TimelineEvent]


class Node(BaseModel):
    id: str
    name: str
    type: str | None
    mentions: int
    degree: int
    x: float
    y: float
    r: float


class Edge(BaseModel):
    source: str
    target: str
    weight: int = Field(description="sentences that name both")
    width: float


class Network(BaseModel):
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    min_weight: int
    max_weight: int = 0


class CoverageCell(BaseModel):
    date: str | None
    outlet: str | None
    articles: int


class CoverageBar(BaseModel):
    """One outlet's articles on one day, placed on the chart."""

    date: str
    outlet: str
    articles: int
    x: float
    y: float
    height: float


class Coverage(BaseModel):
    cells: list[CoverageCell] = Field(
        description="articles per publication date (as precise as stored) per outlet"
    )
    outlets: list[str]
    first_day: str | None
    last_day: str | None
    days: int
    bars: list[CoverageBar]
    colours: dict[str, str]
    ticks: list[tuple[float, str]]
    width: int
    height: int
    max_per_day: int
    not_by_day: int = Field(description="articles dated only to a month or year, or undated")


class Claim(BaseModel):
    id: str
    text: str
    asserted_by: list[EntityRef]
    denied_by: list[EntityRef]
    evidence: list[Evidence]


class Claims(BaseModel):
    claims: list[Claim]


class Citation(BaseModel):
    article: str
    title: str
    source_uri: str
    line: int
    text: str
    published: str | None = None


class Answer(BaseModel):
    question: str
    language: str = Field(description="vi or en: the language of the question, and of the answer")
    kind: str = Field(description="when | who | where | how-many | what")
    known: bool = Field(description="false when the corpus does not answer the question")
    answer: str = Field(description="the answer in a sentence, or a plain statement that it is not known")
    value: str | None = Field(None, description="the bare answer: a date, a name, a place, a number")
    citations: list[Citation]
    basis: str = Field(description="what the answer rests on: event, quote, claim, sentence")
