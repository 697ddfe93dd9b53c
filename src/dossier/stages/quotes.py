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

import copy
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING

from dossier.models import Article, Quote
from dossier.stages.claim_frames import claim_lexicon
from dossier.stages.quote_lexicon import Phrases, SpeechLexicon, speech_lexicon
from dossier.stages.quote_marks import QuoteSpan, find_quotes, mask
from dossier.stages.quote_speakers import Speaker, SpeakerResolver, as_speaker
from dossier.stages.segment import sentence_spans
from dossier.stages.speech_handoff import handoff
from dossier.stages.speech_text import Scan, Triggers
from dossier.vi.text import match_key

if TYPE_CHECKING:
    from dossier.pipeline import Context

CARRY_PARAGRAPHS = 2  # an unframed quotation goes to a speaker named at most this many paragraphs back
MAX_HEADING_WORDS = 12
MAX_NAME_WORDS = 4
TERM_CUE_WINDOW = 40  # characters before a quotation searched for a naming cue
MIN_STATEMENT_WORDS = 5
COMPLEMENT_WINDOW = 60  # characters after a speech verb searched for "rằng"
_WORD = re.compile(r"\w")
_CLAUSE_BREAK = re.compile(r"[,;:]")
_ENDS_PHRASE = (".", "!", "?", "…", ",", ":")
# at least MIN_STATEMENT_WORDS words, from a word on (what follows a speech verb, once trimmed)
_STATEMENT = re.compile(rf"\S+(?:\s+\S+){{{MIN_STATEMENT_WORDS - 1}}}")


@cache
def trigger_words() -> Triggers:
    """The words that open a frame in either stage that reads speech: the speech verbs, and the claims
    stage's accusations, statements and denials (an article's are found together, in one pass)."""
    claims = claim_lexicon()
    return Triggers([speech_lexicon().speech_verbs, claims.accusations, claims.statements, claims.denials])


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
        key = article.key
        # the masked key is the key masked alike (a fold never crosses a quotation mark)
        self.mkey = mask(key, self.spans) if len(key) == len(self.text) else match_key(self.masked)
        self.sentences = sentence_spans(self.masked)
        self._sentence_starts = [s for s, _ in self.sentences]
        self.resolver = SpeakerResolver(self.text, article.mentions, self.lex, key=key)
        self._scans: dict[int, Scan] = {}
        self._quoted: dict[int, str] = {}
        self._nouns: dict[int, bool] = {}  # verb offset -> whether a word before makes it a noun or passive

    def fresh(self) -> ArticleSpeech:
        """This reading for another reader of the article: everything read from the article is shared,
        but no speaker is remembered yet (as in a reading made anew)."""
        other = copy.copy(self)
        other.resolver = self.resolver.fresh()
        return other

    def scan(self, phrases: Phrases) -> Scan:
        """Every occurrence of ``phrases`` in the masked key (the words of :func:`trigger_words` are
        found together the first time one of them is asked for)."""
        found = self._scans.get(id(phrases))
        if found is None:
            group = trigger_words()
            if any(phrases is p for p in group.lists):
                scans = group.scans(self.mkey)
                self._scans.update((id(p), s) for p, s in zip(group.lists, scans, strict=True))
                found = self._scans[id(phrases)]
            else:
                found = self._scans[id(phrases)] = Scan(phrases, self.mkey)
        return found

    # -- frames -----------------------------------------------------------------------------------
    def verbs(self, start: int, end: int) -> list[re.Match[str]]:
        """Speech verbs in ``[start, end)`` of the masked text, leaving out nouns and passives."""
        found = []
        for m in self.scan(self.lex.speech_verbs).within(start, end):
            at = m.start()
            noun = self._nouns.get(at)
            if noun is None:
                noun = self._nouns[at] = self.lex.not_verb_after.ends_before(self.mkey, at) is not None
            if not noun:
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
        before = sentence_start  # the end of the text before, trailing spaces left out
        while before > 0 and self.masked[before - 1].isspace():
            before -= 1
        if before == 0 or self.masked[before - 1] != ":":
            return None
        i = bisect_left(self._sentence_starts, before) - 1
        prev_start = self.sentences[i][0] if i >= 0 else 0
        verbs = self.verbs(prev_start, before)
        if not verbs or _WORD.search(self.masked, verbs[-1].end(), before):
            return None
        speaker = self.resolver.resolve(prev_start, verbs[-1].start())
        return Frame(verbs[-1].start(), verbs[-1].end(), speaker) if speaker else None

    # -- quotations -------------------------------------------------------------------------------
    def _only_marks(self, start: int, end: int) -> bool:
        return _WORD.search(self.masked, start, end) is None

    def quoted(self, span: QuoteSpan) -> str:
        """The quoted words of ``span`` (:meth:`QuoteSpan.text`), worked out once."""
        words = self._quoted.get(span.open)
        if words is None:
            words = self._quoted[span.open] = span.text(self.text)
        return words

    def is_term(self, span: QuoteSpan) -> bool:
        """A quoted name or term rather than speech (see the module docstring)."""
        quoted = self.quoted(span)
        words = quoted.split()
        if len(words) <= MAX_NAME_WORDS and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
            return True
        if self.lex.classifiers.ends_before(self.mkey, span.open) is not None:
            return True
        window = self.mkey[max(0, span.open - TERM_CUE_WINDOW) : span.open]
        window = _CLAUSE_BREAK.split(window)[-1]
        return bool(self.lex.term_cues.finditer(window))

    def is_heading(self, span: QuoteSpan) -> bool:
        """A paragraph that is nothing but a short quotation without sentence punctuation."""
        line_start = self.text.rfind("\n", 0, span.open) + 1
        line_end = self.text.find("\n", span.close)
        line_end = len(self.text) if line_end < 0 else line_end
        if _WORD.search(self.text, line_start, span.open) or _WORD.search(self.text, span.close, line_end):
            return False
        quoted = self.quoted(span)
        return len(quoted.split()) <= MAX_HEADING_WORDS and not quoted.endswith(_ENDS_PHRASE)

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The sentence (start, end) that holds ``offset``, or (offset, offset) when none does."""
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i][1]:
            return self.sentences[i]
        return offset, offset

    def paragraph(self, offset: int) -> int:
        return self.text.count("\n", 0, offset)

    def quotes(self) -> list[Quote]:
        """Every quotation that is speech, and every indirect statement, in text order."""
        out: list[Quote] = []
        by_sentence: dict[tuple[int, int], list[QuoteSpan]] = {}
        for span in self.spans:
            by_sentence.setdefault(self.sentence_of(span.open), []).append(span)
        with_verbs = self.scan(self.lex.speech_verbs).touched(self.sentences)
        for index, sentence in enumerate(self.sentences):
            spans = by_sentence.get(sentence, [])
            if not spans:
                # a sentence without a speech verb states nothing
                statement = self.statement(*sentence) if index in with_verbs else None
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
        return self._quote(q_start, q_end, self.quoted(span), speaker, "direct")

    def statement(self, start: int, end: int) -> Quote | None:
        """Indirect speech in a sentence without quotation: ``X cho biết (rằng) …``."""
        for verb in self.verbs(start, end):
            if self.lex.not_indirect.starts(self.mkey, verb.start()) is not None:
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
            if not _STATEMENT.match(self.text, at, stop):
                continue  # too short (looked at first: a subject is read only for a statement)
            speaker = self.resolver.resolve(start, verb.start())
            if speaker is None or (speaker.entity is None and speaker.how not in ("name", "role")):
                continue
            self.resolver.remember(speaker)
            return self._quote(at, stop, self.text[at:stop], speaker, "indirect")
        return None

    def _entity(self, speaker: Speaker | None) -> str | None:
        """The speaker's entity; a capital that speaks stands for its state when the article names
        that state too (so the state is an entity the dossier lists)."""
        if speaker is None or speaker.entity is None:
            return None
        state = as_speaker(speaker.entity)
        return state if state in self._named else speaker.entity

    @cached_property
    def _named(self) -> set[str]:
        return {m.entity_id for m in self.article.mentions}

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
    """Fill ``article.quotes`` with its direct quotations and indirect statements (and leave the reading
    of the article to the claims stage)."""
    speech = ArticleSpeech(article)
    article.quotes = speech.quotes()
    held = handoff(ctx)
    if held is not None:
        held.put(article, speech)
    return article
