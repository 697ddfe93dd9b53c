"""What a large build does after its sources (make the indexes it set aside, then the corpus stages),
each step in a fresh interpreter that replaces the build's process.

A step frees what it held when it ends, but not the memory it fragmented: a Python arena with one live
object in it, a page of the C heap with one live block, stay in the process. In one process each step
therefore starts above where the one before ended, and the build's peak grows with the store (a
100,000-article build, traced: the sources left 99 MB where the models had taken 70; dedup then went
99 → 127 MB, events 105 → 129, claims 118 → 125). Alone in a fresh interpreter, the knowledge base
loaded, the stages peak at 97, 77, 93 and 76 MB (dedup, entities, events, claims) on that store.

Here the build's process replaces itself (``exec``) with a new interpreter for each step: everything a
step held goes back to the system with its interpreter, and the build's peak is that of its largest
single step. It stays one process (the pid, the exit status, the CPU time and the peak RSS the system
accounts for it are those of the command the user started), so nothing runs beside it. The plan (the
store, the options, the steps left) passes in the environment, not on the command line, where other
users could read a PostgreSQL password.

Each step takes the store's build lock. A step that fails leaves the store's ``finalize_pending`` mark
(and the indexes set aside): the next build finishes them, as after a crash.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from dossier.config import Options
from dossier.engine.local import LocalEngine
from dossier.errors import DossierError
from dossier.memory import release
from dossier.pipeline import CORPUS_STAGES, FINALIZE_PENDING, Context
from dossier.store import bulk_indexes
from dossier.store.lock import build_lock
from dossier.store.sqlite import Store

ENV = "DOSSIER_FRESH_STAGES"
MODES = ("auto", "always", "never")
# auto: fresh interpreters for a store of this many articles or more. Each costs ~0.6–0.8 s of CPU
# (imports, and the knowledge base for entities): 3.5 s over a 1,000-article build's 12–16 s, 3% of a
# 10,000-article one's.
MIN_ARTICLES = 5_000


@dataclass
class Plan:
    """What the next interpreter does: the first of ``stages`` (steps, :func:`steps`) on ``db``; then the
    others, each in an interpreter of its own; then ``then`` (a command, run in place of the last
    interpreter) if given. ``timings``: a file each step appends a JSON line to (its CPU and wall
    seconds and peak RSS)."""

    db: str
    options: dict[str, Any]
    stages: list[str] = field(default_factory=lambda: list(steps()))
    then: list[str] | None = None
    timings: str | None = None
    say: bool = False  # a line per step on standard error, where the build reports


def steps() -> dict[str, Callable[[Store, Context], None]]:
    """What a build left to finish, in order: the indexes it set aside (the stages read through them),
    then the corpus stages."""
    out: dict[str, Callable[[Store, Context], None]] = {
        "indexes": lambda store, _ctx: bulk_indexes.restore(store)
    }
    for stage in CORPUS_STAGES:
        assert stage.run is not None
        out[stage.name] = stage.run
    return out


def wanted(store: Store, ctx: Context, mode: str = "auto") -> bool:
    """Whether what a build into ``store`` leaves after its sources should run a step per fresh
    interpreter: only on the local engine (on Ray the corpus stages run where the engine puts them)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if mode == "never" or not isinstance(ctx.engine, LocalEngine):
        return False
    if mode == "always":
        return True
    return int(store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]) >= MIN_ARTICLES


def command(plan: Plan) -> tuple[list[str], dict[str, str]]:
    """The argv and environment of the interpreter that carries out ``plan``."""
    env = {**os.environ, ENV: json.dumps(asdict(plan))}
    return [sys.executable, "-m", "dossier.fresh_stages"], env


def run_in_fresh_interpreters(db: str, options: Options, **plan: Any) -> NoReturn:
    """Replace this process with the interpreter of the first stage on the store at ``db`` (see the
    module docstring), which the caller has closed; ``plan``: the other fields of :class:`Plan`."""
    _replace_with(*command(Plan(db=db, options=asdict(options), **plan)))


def _replace_with(argv: list[str], env: dict[str, str]) -> NoReturn:
    sys.stdout.flush()  # what Python holds in its buffers is lost with the interpreter
    sys.stderr.flush()
    os.execve(argv[0], argv, env)


def _peak_rss_mb() -> float:
    """This interpreter's own peak (the process's ``ru_maxrss`` spans every interpreter it has been)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_stage(plan: Plan) -> dict[str, Any]:
    """Run the first of ``plan.stages`` (see :func:`steps`) on its store, under the build lock; the last
    clears the store's stale mark. Returns the step's measures."""
    by_name = steps()
    name = plan.stages[0]
    if name not in by_name:
        raise ValueError(f"unknown step {name!r} (the steps: {', '.join(by_name)})")
    options = dict(plan.options)
    options["url_schemes"] = tuple(options.get("url_schemes", Options.url_schemes))
    ctx = Context(options=Options(**options))
    wall, cpu = time.perf_counter(), time.process_time()
    with Store(plan.db) as store, build_lock(store.path), store.conn.small_heap():
        release()
        by_name[name](store, ctx)
        if len(plan.stages) == 1:
            store.set_build_state(FINALIZE_PENDING, None)
    return {
        "stage": name,
        "cpu_s": time.process_time() - cpu,
        "wall_s": time.perf_counter() - wall,
        "peak_rss_mb": _peak_rss_mb(),
    }


def main() -> int:
    raw = os.environ.get(ENV)
    if not raw:
        print(f"error: {ENV} holds no plan; this module is started by a build", file=sys.stderr)
        return 2
    plan = Plan(**json.loads(raw))
    try:
        done = run_stage(plan)
    except DossierError as err:
        print(f"error in the build's step {plan.stages[0]}: {err}", file=sys.stderr)
        print("the next build of this store recomputes the cross-article objects", file=sys.stderr)
        return 1
    if plan.timings:
        with open(plan.timings, "a", encoding="utf-8") as out:
            out.write(json.dumps(done) + "\n")
    if plan.say:
        said = f"  {done['stage']}: {done['wall_s']:.1f} s, peak {done['peak_rss_mb']:.0f} MB"
        print(said, file=sys.stderr)
    if len(plan.stages) > 1:
        plan.stages = plan.stages[1:]
        _replace_with(*command(plan))
    if plan.then:
        env = {k: v for k, v in os.environ.items() if k != ENV}
        _replace_with(plan.then, env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
