"""``dossier ask``: factual questions about the corpus answered from its extracted facts and sentences,
always with the sentences cited."""

from dossier.ask.answer import ask

__all__ = ["ask"]
