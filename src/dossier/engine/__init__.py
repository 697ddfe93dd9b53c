"""Where a build's work runs: in this process (``local``, the default) or on a Ray cluster (``ray``).

An engine maps a plain function over work items: the per-source pipeline over sources, and the
corpus stages' per-key work over shards (event mentions by type and year, duplicate candidates by LSH
band, new entities by blocking key). Results come back in the order of the items; the one writer, the
store, stays in the driver.
"""

from __future__ import annotations

from dossier.engine.local import Engine, LocalEngine

__all__ = ["Engine", "LocalEngine", "make_engine"]


def make_engine(name: str = "local", address: str | None = None, workers: int | None = None) -> Engine:
    """The engine called ``name`` (``local`` or ``ray``); ``address`` is a Ray cluster's address
    (``auto``, ``ray://host:10001``), else a local Ray instance with ``workers`` CPUs is started."""
    if name == "local":
        return LocalEngine()
    if name == "ray":
        from dossier.engine.ray_engine import RayEngine

        return RayEngine(address=address, workers=workers)
    from dossier.errors import DossierError

    raise DossierError("E070", engine=name)
