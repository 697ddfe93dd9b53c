"""The dossier explorer: a FastAPI app with server-rendered pages and a JSON API (``dossier serve``)."""
