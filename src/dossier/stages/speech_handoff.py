"""The quotes stage's reading of an article, handed on to the claims stage of the same build.

Both stages read an article's speech frames the same way (:class:`dossier.stages.quotes.ArticleSpeech`:
its quotations masked, its sentences, its speech verbs, the subjects of its frames). The quotes stage
leaves its reading in the build's context; the claims stage takes it back for the very same article
object, provided that the text and the mentions it read are still the article's, and otherwise reads
the article afresh. Only a bounded number of readings is held, so that a run of the quotes stage
without the claims stage cannot grow without end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dossier.models import Article, Mention

if TYPE_CHECKING:
    from dossier.pipeline import Context
    from dossier.stages.quotes import ArticleSpeech

MAX_HELD = 256  # readings held at once (the process loop runs a stage over one source's articles)


class SpeechHandoff:
    """Readings by article object (never by text: two articles with the same text are two readings)."""

    def __init__(self) -> None:
        self._held: dict[int, tuple[Article, str, list[Mention], int, ArticleSpeech]] = {}

    def put(self, article: Article, speech: ArticleSpeech) -> None:
        if len(self._held) >= MAX_HELD:
            self._held.popitem()  # which one goes does not matter: a reading not held is made again
        self._held[id(article)] = (article, article.text, article.mentions, len(article.mentions), speech)

    def take(self, article: Article) -> ArticleSpeech | None:
        """The reading made of this article, if its text and mentions have not been replaced since."""
        held = self._held.pop(id(article), None)
        if held is None:
            return None
        same, text, mentions, count, speech = held
        unchanged = text is article.text and mentions is article.mentions and count == len(mentions)
        return speech if same is article and unchanged else None


def handoff(ctx: Context | None) -> SpeechHandoff | None:
    """The build's handoff (None without a build context: each stage then reads the article itself)."""
    return None if ctx is None else ctx.resource("speech-handoff", SpeechHandoff)
