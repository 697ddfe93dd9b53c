"""Article stage ``quotes``: direct quotations with their speakers, and indirect speech as statements.

1. :func:`dossier.stages.quote_marks.find_quotes` finds every quotation, whatever its marks, also one
   that runs over paragraphs. Their insides are masked so that the sentences around them can be read.
2. A quotation is *speech* when a speech frame governs it (``vi/data/speech.yaml``): a speech verb
   after it (``“…,” ông Putin nói``), a speech verb or ``theo X,`` before it in its sentence
   (``Ông Kim nhấn mạnh bản chất “…”``, ``Theo ông Putin, … “…”``), or, for a quotation that is a
   sentence of its own, the speaker of the quotation or statement just before it. A quoted phrase
   without a frame (``một phương Tây "thù địch"``), one that follows a naming cue or a classifier
   (``cái gọi là tên lửa KN-25 "siêu lớn"``, ``bức "tường lửa"``), a proper name in quotes and a
   heading made of a quotation are not speech.
3. The speaker is resolved by :class:`dossier.stages.quote_speakers.SpeakerResolver` against the
   article's entity mentions.
4. A sentence without quotation whose speech verb has a speaker (``X cho biết rằng …``) is kept as an
   ``indirect`` statement: its text is what follows the verb (after ``rằng``/``là``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dossier.models import Article, Quote
from dossier.stages.quote_lexicon import SpeechLexicon, speech_lexicon
from dossier.stages.quote_marks import QuoteSpan, find_quotes, mask
from dossier.stages.quote_speakers import Speaker, SpeakerResolver, as_speaker
from dossier.stages.segment import split_sentences
from dossier.vi.text import match_key

if TYPE_CHECKING:
    from dossier.pipeline import Context

CARRY_PARAGRAPHS = 2  # an unframed quotation goes to a speaker named at most this many paragraphs back
MAX_HEADING_WORDS = 12
MAX_NAME_WORDS = 4
TERM_CUE_WINDOW = 40  # characters before a quotation searched for a naming cue
MIN_STATEMENT_WORDS = 5
COMPLEMENT_WINDOW = 60  # characters after a speech verb searched for "rằng"


@dataclass
class Frame:
    """A speech verb (or ``theo``) found in a sentence: where it is and who its subject names."""

    start: int
    end: int
    speaker: Speaker | None


class ArticleSpeech:
    """Everything the quotes and claims stages read from one article's speech frames."""

    def __init__(self, article: Article, lexicon: SpeechLexicon | None = None) -> None:
        self.article = article
        self.lex = lexicon or speech_lexicon()
        self.text = article.text
        self.spans = find_quotes(self.text)
        self.masked = mask(self.text, self.spans)
        self.mkey = match_key(self.masked)
        self.sentences = [(s.start, s.end) for s in split_sentences(self.masked, article.offsets)]
        self.resolver = SpeakerResolver(self.text, article.mentions, self.lex)

    # -- frames -----------------------------------------------------------------------------------
    def verbs(self, start: int, end: int) -> list[re.Match[str]]:
        """Speech verbs in ``[start, end)`` of the masked text, leaving out nouns and passives."""
        found = []
        for m in self.lex.speech_verbs.finditer(self.mkey, start, end):
            if self.lex.not_verb_after.ends_before(self.mkey, m.start()) is not None:
                continue
            found.append(m)
        return found

    def frame_before(self, sentence_start: int, at: int) -> Frame | None:
        """The nearest speech frame before ``at`` in the sentence that has a speaker: a speech verb
        with its subject, or ``theo X,``."""
        for verb in reversed(self.verbs(sentence_start, at)):
            speaker = self.resolver.resolve(sentence_start, verb.start())
            if speaker is not None:
                return Frame(verb.start(), verb.end(), speaker)
        for marker in reversed(self.lex.source_markers.finditer(self.mkey, sentence_start, at)):
            comma = self.masked.find(",", marker.end(), at)
            if comma < 0:
                continue
            speaker = self.resolver.resolve(marker.end(), comma)
            if speaker is not None:
                return Frame(marker.start(), marker.end(), speaker)
        return None

    def frame_after(self, at: int, sentence_end: int) -> Frame | None:
        """The first speech verb after ``at`` whose subject stands between ``at`` and the verb."""
        for verb in self.verbs(at, sentence_end):
            speaker = self.resolver.resolve(at, verb.start())
            return Frame(verb.start(), verb.end(), speaker) if speaker else None
        return None

    def frame_announcing(self, sentence_start: int) -> Frame | None:
        """The frame of the sentence just before, when it ends with a speech verb and a colon that
        announce what follows (``… Carrie Nooten … tường trình:`` then the quotation)."""
        before = self.masked[:sentence_start].rstrip()
        if not before.endswith(":"):
            return None
        prev_start = next((s for s, e in reversed(self.sentences) if s < len(before)), 0)
        verbs = self.verbs(prev_start, len(before))
        if not verbs or re.search(r"\w", self.masked[verbs[-1].end() : len(before)]):
            return None
        speaker = self.resolver.resolve(prev_start, verbs[-1].start())
        return Frame(verbs[-1].start(), verbs[-1].end(), speaker) if speaker else None

    # -- quotations -------------------------------------------------------------------------------
    def _only_marks(self, start: int, end: int) -> bool:
        return not re.search(r"\w", self.masked[start:end])

    def is_term(self, span: QuoteSpan) -> bool:
        """A quoted name or term rather than speech (see the module docstring)."""
        quoted = span.text(self.text)
        words = quoted.split()
        if len(words) <= MAX_NAME_WORDS and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
            return True
        if self.lex.classifiers.ends_before(self.mkey, span.open) is not None:
            return True
        window = self.mkey[max(0, span.open - TERM_CUE_WINDOW) : span.open]
        window = re.split(r"[,;:]", window)[-1]
        return bool(self.lex.term_cues.finditer(window))

    def is_heading(self, span: QuoteSpan) -> bool:
        """A paragraph that is nothing but a short quotation without sentence punctuation."""
        line_start = self.text.rfind("\n", 0, span.open) + 1
        line_end = self.text.find("\n", span.close)
        line_end = len(self.text) if line_end < 0 else line_end
        outside = self.text[line_start : span.open] + self.text[span.close : line_end]
        quoted = span.text(self.text)
        return (
            not re.search(r"\w", outside)
            and len(quoted.split()) <= MAX_HEADING_WORDS
            and not re.search(r"[.!?…,:]$", quoted)
        )

    def sentence_of(self, offset: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= offset < e:
                return s, e
        return offset, offset

    def paragraph(self, offset: int) -> int:
        return self.text.count("\n", 0, offset)

    def quotes(self) -> list[Quote]:
        """Every quotation that is speech, and every indirect statement, in text order."""
        out: list[Quote] = []
        by_sentence: dict[tuple[int, int], list[QuoteSpan]] = {}
        for span in self.spans:
            by_sentence.setdefault(self.sentence_of(span.open), []).append(span)
        for sentence in self.sentences:
            spans = by_sentence.get(sentence, [])
            if not spans:
                statement = self.statement(*sentence)
                if statement is not None:
                    out.append(statement)
                continue
            for i, span in enumerate(spans):
                following = spans[i + 1].open if i + 1 < len(spans) else sentence[1]
                quote = self.direct(span, sentence, following)
                if quote is not None:
                    out.append(quote)
        return out

    def direct(self, span: QuoteSpan, sentence: tuple[int, int], following: int) -> Quote | None:
        """The quotation as speech with its speaker, or None when it is not speech."""
        if self.is_heading(span) or self.is_term(span):
            return None
        start, end = sentence
        opens_sentence = self._only_marks(start, span.open)
        frame = None
        if opens_sentence:
            frame = self.frame_after(span.close, following)
        if frame is None:
            frame = self.frame_before(start, span.open)
        if frame is None and not opens_sentence:
            frame = self.frame_after(span.close, following)
        if frame is None and opens_sentence:
            frame = self.frame_announcing(start)
        speaker = frame.speaker if frame else None
        if frame is None:
            if not (opens_sentence and self._only_marks(span.close, end)):
                return None  # a quoted phrase inside a sentence with no speech frame
            last = self.resolver.last
            if (
                last is not None
                and self.paragraph(span.open) - self.paragraph(last.start) <= CARRY_PARAGRAPHS
            ):
                speaker = Speaker(last.text, last.entity, "carry", span.open, last.entities)
        if speaker is not None and speaker.how != "carry":
            self.resolver.remember(speaker)
        q_start, q_end = span.trimmed(self.text)
        return self._quote(q_start, q_end, span.text(self.text), speaker, "direct")

    def statement(self, start: int, end: int) -> Quote | None:
        """Indirect speech in a sentence without quotation: ``X cho biết (rằng) …``."""
        for verb in self.verbs(start, end):
            if self.lex.not_indirect.starts(self.mkey, verb.start()) is not None:
                continue
            speaker = self.resolver.resolve(start, verb.start())
            if speaker is None or (speaker.entity is None and speaker.how not in ("name", "role")):
                continue
            at = verb.end()
            for comp in self.lex.complementizers.finditer(self.mkey, at, min(end, at + COMPLEMENT_WINDOW)):
                at = comp.end()
                break
            while at < end and not self.text[at].isalnum():
                at += 1
            stop = end
            while stop > at and self.text[stop - 1] in " .;":
                stop -= 1
            said = self.text[at:stop]
            if len(said.split()) < MIN_STATEMENT_WORDS:
                continue
            self.resolver.remember(speaker)
            return self._quote(at, stop, said, speaker, "indirect")
        return None

    def _entity(self, speaker: Speaker | None) -> str | None:
        """The speaker's entity; a capital that speaks stands for its state when the article names
        that state too (so the state is an entity the dossier lists)."""
        if speaker is None or speaker.entity is None:
            return None
        state = as_speaker(speaker.entity)
        named = {m.entity_id for m in self.article.mentions}
        return state if state in named else speaker.entity

    def _quote(self, start: int, end: int, text: str, speaker: Speaker | None, kind: str) -> Quote:
        offsets = self.article.offsets
        return Quote(
            start=start,
            end=end,
            text=text,
            speaker_text=speaker.text if speaker else None,
            speaker=self._entity(speaker),
            kind=kind,
            line=offsets.line_of(start),
            end_line=offsets.line_of(max(start, end - 1)),
        )


def run(article: Article, ctx: Context) -> Article:
    """Fill ``article.quotes`` with its direct quotations and indirect statements."""
    article.quotes = ArticleSpeech(article).quotes()
    return article
