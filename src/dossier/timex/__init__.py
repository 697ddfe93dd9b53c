"""The project's Vietnamese temporal tagger: find time expressions and normalise them to TIMEX3-like
values (``2023-09-13``, ``2023-09``, ``2023-Q3``, ``2023``, ``199X``, ``19XX``) with the precision the
text gives, resolved against an anchor date in the direction the tense gives."""

from dossier.timex.tagger import Timex, tag
from dossier.timex.values import Anchor, interval, sort_key

__all__ = ["Anchor", "Timex", "interval", "sort_key", "tag"]
