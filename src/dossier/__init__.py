"""dossier: captured news pages in, a dossier an analyst can trust out."""

__version__ = "0.1.0"
