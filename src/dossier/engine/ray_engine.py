"""The Ray engine: work items run as Ray tasks on a local Ray instance or on a cluster.

Each call of :meth:`RayEngine.map` sends the shared arguments to the object store once, keeps a
bounded window of tasks in flight (two per worker CPU), and yields results in the order of the items,
so the driver writes them through the one writer, the store, while the workers go on. Workers import
``dossier`` themselves: on a cluster, install the same version on every node (see the README).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from dossier.engine.local import Engine
from dossier.errors import DossierError


def _call(fn: Callable[..., Any], item: Any, *shared: Any) -> Any:
    return fn(item, *shared)


class RayEngine(Engine):
    name = "ray"
    in_process = False

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        try:
            import ray
        except ImportError as exc:  # pragma: no cover - ray is a dependency
            raise DossierError("E071", reason=exc) from exc
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            try:
                if address:
                    ray.init(address=address, log_to_driver=False)
                else:
                    ray.init(
                        num_cpus=workers,
                        include_dashboard=False,
                        log_to_driver=False,
                        configure_logging=False,
                    )
            except Exception as exc:  # ray raises ConnectionError, RuntimeError … with a reason
                raise DossierError("E072", address=address or "a new local instance", reason=exc) from exc
            self._started = True
        self.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._task = ray.remote(num_cpus=1)(_call)

    def map(self, fn: Callable[..., Any], items: Iterable[Any], *shared: Any) -> Iterator[Any]:
        ray = self._ray
        refs = [ray.put(s) for s in shared]
        fn_ref = ray.put(fn)
        window: deque[Any] = deque()
        limit = 2 * self.workers
        for item in items:
            window.append(self._task.remote(fn_ref, item, *refs))
            if len(window) >= limit:
                yield ray.get(window.popleft())
        while window:
            yield ray.get(window.popleft())

    def close(self) -> None:
        """Shut down the Ray instance this engine started (one it joined is left running)."""
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()
            self._started = False
