"""Kill-and-resume, repeatedly: ``kill -9`` of a real ``dossier build`` at random moments, then a build
that finishes the job; each result must equal an uninterrupted build (the JSON export, compared as
values with the generation time fixed).

Each trial starts from an empty store, kills ``dossier build examples/corpus`` at a moment drawn
uniformly from the length of an uninterrupted build measured in the same run (the anchor), checks the
store (``PRAGMA integrity_check``, no stored source without its articles), runs the build again to the
end and compares. Random moments land anywhere: during start-up, inside a source's transaction,
between sources, in the corpus stages.

Usage: ``python benchmarks/crash_resume.py [--trials N] [--seed S] [--out FILE]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dossier.exports import build_export
from dossier.pipeline import build
from dossier.store.sqlite import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
DOSSIER = Path(sys.executable).with_name("dossier")
DEFAULT_OUT = ROOT / "benchmarks" / "RESULTS-crash-resume.md"


def _export(db: Path) -> dict[str, Any]:
    with Store(db) as store:
        return build_export(store, generated_at="2000-01-01T00:00:00Z")


def _run(db: Path, kill_after: float | None) -> tuple[int, float]:
    """``dossier build`` of the corpus, killed after ``kill_after`` seconds; (exit status, seconds)."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(DOSSIER), "build", CORPUS.as_posix(), "--db", db.as_posix()],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.returncode, time.monotonic() - started


def _consistent(db: Path) -> bool:
    if not db.exists():
        return True
    with sqlite3.connect(db) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return False
        try:
            bare = conn.execute(
                "SELECT COUNT(*) FROM sources s WHERE status = 'ok' AND NOT EXISTS"
                " (SELECT 1 FROM articles a WHERE a.source_id = s.id)"
            ).fetchone()[0]
        except sqlite3.OperationalError:  # killed before the schema was written
            return True
        return bare == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        anchor_db = Path(tmp) / "anchor.sqlite"
        status, anchor = _run(anchor_db, None)
        if status != 0:
            print("the uninterrupted build failed", file=sys.stderr)
            return 2
        expected = _export(anchor_db)
        for trial in range(args.trials):
            db = Path(tmp) / f"trial{trial}.sqlite"
            moment = rng.uniform(0.2, anchor)
            status, _ = _run(db, moment)
            consistent = _consistent(db)
            with Store(db) as store:
                build([CORPUS.as_posix()], store)
            equal = _export(db) == expected
            rows.append((trial + 1, moment, status, consistent, equal))
            print(
                f"trial {trial + 1}: kill at {moment:.2f} s, status {status}, consistent={consistent},"
                f" equal={equal}"
            )
    command = "python benchmarks/crash_resume.py" + "".join(
        f" {flag} {shlex.quote(str(value))}"
        for flag, value, default in (
            ("--trials", args.trials, 10),
            ("--seed", args.seed, 1),
            ("--out", args.out, DEFAULT_OUT),
        )
        if value != default
    )
    killed = sum(1 for r in rows if r[2] == -9)
    lines = [
        "# Kill-and-resume, repeatedly",
        "",
        f"Run {dt.date.today().isoformat()} with `{command}`. Anchor: an uninterrupted `dossier build"
        f" examples/corpus` took {anchor:.2f} s in the same run; each trial kills a build at a moment drawn"
        " from that span, then builds again to the end.",
        "",
        f"**{sum(1 for r in rows if r[3] and r[4])}/{len(rows)} trials consistent and equal to the"
        f" uninterrupted build** ({killed} killed, {len(rows) - killed} finished before their moment).",
        "",
        "| trial | killed at (s) | exit status | store consistent after the kill | resumed = uninterrupted |",
        "|---|---|---|---|---|",
        *(
            f"| {t} | {m:.2f} | {s} | {'yes' if c else 'NO'} | {'yes' if e else 'NO'} |"
            for t, m, s, c, e in rows
        ),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0 if all(r[3] and r[4] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
