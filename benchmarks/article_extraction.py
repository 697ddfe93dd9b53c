"""Benchmark dossier's HTML extraction on the Zyte article-extraction benchmark (181 pages).

Scores the article body that ``dossier.stages.extract.extract_html`` returns against the benchmark's
human-annotated ``articleBody``, next to plain ``trafilatura.extract(html)`` run in the same process and
the precomputed outputs of other extractors shipped in ``baseline_outputs/``.

Scoring reimplements the upstream ``evaluate.py`` as described in the data set's SOURCE.md: tokens are
the matches of the Unicode regex ``\\w+`` (case kept), compared as 4-token shingles; per page the
true-positive, false-positive and false-negative shingle counts are normalised by their sum; precision
and recall are averaged over pages (precision over pages with tp+fp > 0, recall over pages with
tp+fn > 0) and F1 is the harmonic mean of the two averages.

Usage: ``python benchmarks/article_extraction.py [--data DIR] [--limit N] [--out FILE]``
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import logging
import re
import shlex
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from dossier.models import Source
from dossier.stages.decode import decode
from dossier.stages.extract import extract_html

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
DEFAULT_OUT = ROOT / "benchmarks" / "RESULTS-article-extraction.md"
SHINGLE_SIZE = 4
DOSSIER_NAME = "dossier extract_html"
TRAFILATURA_NAME = "trafilatura.extract (defaults)"

_TOKEN = re.compile(r"\w+", re.UNICODE)

Counts = tuple[float, float, float]


# -- scoring --------------------------------------------------------------------------------------------


def tokenize(text: str) -> list[str]:
    """The ``\\w+`` tokens of ``text`` in order, case kept; an empty list for empty or ``None`` text."""
    return _TOKEN.findall(text or "")


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """How often each run of ``size`` consecutive tokens occurs in ``text``.

    A text with fewer than ``size`` (but at least one) tokens gives one shorter shingle of all its
    tokens, as upstream does; a text without tokens gives no shingles.
    """
    tokens = tokenize(text)
    runs = (tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))
    return Counter(run for run in runs if run)


def match_counts(truth: str, prediction: str, size: int = SHINGLE_SIZE) -> Counts:
    """(tp, fp, fn) over the shingles of one page, divided by their sum so that each page weighs the
    same; (0, 0, 0) when neither text has a token."""
    true_counts, pred_counts = shingles(truth, size), shingles(prediction, size)
    tp = float(sum((true_counts & pred_counts).values()))
    fp = float(sum((pred_counts - true_counts).values()))
    fn = float(sum((true_counts - pred_counts).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_score(tp: float, fp: float, fn: float) -> float:
    """One page's precision: 1 when nothing is wrong (fp = fn = 0), else tp / (tp + fp), 0 if both 0."""
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def recall_score(tp: float, fp: float, fn: float) -> float:
    """One page's recall: 1 when nothing is wrong (fp = fn = 0), else tp / (tp + fn), 0 if both 0."""
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


@dataclass(frozen=True)
class Scores:
    """Page-averaged precision and recall, and the F1 of those two averages; all in [0, 1]."""

    precision: float
    recall: float
    f1: float


def aggregate(pages: Sequence[Counts]) -> Scores:
    """Precision averaged over pages with tp + fp > 0 (an empty prediction has no precision), recall over
    pages with tp + fn > 0, F1 = 2PR / (P + R). An average over no pages is 0."""
    precisions = [precision_score(*c) for c in pages if c[0] + c[1] > 0]
    recalls = [recall_score(*c) for c in pages if c[0] + c[2] > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


# -- data ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One benchmark page: its id, the raw HTML bytes and the annotated article body."""

    id: str
    html: bytes
    truth: str


def check_data(data: Path) -> str | None:
    """None when ``data`` holds ``ground-truth.json`` and ``html/``; otherwise what is missing."""
    if not data.is_dir():
        return f"benchmark folder not found: {data}"
    for needed in ("ground-truth.json", "html"):
        if not (data / needed).exists():
            return f"benchmark folder {data} has no {needed}"
    return None


def load_pages(data: Path, limit: int | None = None) -> list[Page]:
    """The first ``limit`` pages (all when None) in the order of ``ground-truth.json``, HTML gunzipped."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    ids = list(truth)[:limit] if limit is not None else list(truth)
    return [
        Page(pid, gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes()), truth[pid]["articleBody"])
        for pid in ids
    ]


# -- extractors ----------------------------------------------------------------------------------------


@dataclass
class Run:
    """What one extractor produced: a body per page id, the seconds spent (None for precomputed output)
    and the pages that failed, with the reason (their body is empty)."""

    name: str
    bodies: dict[str, str]
    seconds: float | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)


def dossier_body(page: Page) -> str:
    """The body text dossier's HTML path gives: decode the bytes to a Document, then ``extract_html``."""
    doc = decode(Source(uri=f"html/{page.id}.html.gz", data=page.html, media_type="text/html"))
    return extract_html(doc).text


def trafilatura_body(page: Page) -> str:
    """The text plain ``trafilatura.extract`` gives with default settings for the UTF-8 decoded page."""
    return trafilatura.extract(page.html.decode("utf-8")) or ""


def run_extractor(name: str, extract: Callable[[Page], str], pages: Sequence[Page]) -> Run:
    """Runs ``extract`` on every page, timing only the extraction (after one untimed warm-up call on the
    first page, so that lazy initialisation is not charged to a page); a page whose extraction raises
    gets an empty body and is listed in ``failures``."""
    run = Run(name, {}, 0.0)
    if pages:
        with contextlib.suppress(Exception):
            extract(pages[0])
    for page in pages:
        start = time.perf_counter()
        try:
            run.bodies[page.id] = extract(page)
        except Exception as exc:  # any failure is scored as empty output, never aborts the benchmark
            run.bodies[page.id] = ""
            run.failures.append((page.id, f"{type(exc).__name__}: {exc}"))
        run.seconds = (run.seconds or 0.0) + time.perf_counter() - start
    return run


def load_baseline(path: Path, pages: Sequence[Page]) -> Run:
    """The precomputed output in ``path`` (``{"version", "output": {id: {"articleBody"}}}``) for
    ``pages``; a page missing from the file is empty output and listed in ``failures``."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    output = raw.get("output", {})
    run = Run(f"{path.stem} {raw.get('version', '?')} (upstream output)", {})
    for page in pages:
        if page.id in output:
            run.bodies[page.id] = output[page.id].get("articleBody") or ""
        else:
            run.bodies[page.id] = ""
            run.failures.append((page.id, "missing from file"))
    return run


def score_run(run: Run, pages: Sequence[Page]) -> Scores:
    """The run's scores over ``pages`` against their annotated bodies."""
    return aggregate([match_counts(page.truth, run.bodies.get(page.id, "")) for page in pages])


# -- reporting -----------------------------------------------------------------------------------------


def render_table(rows: Sequence[tuple[Run, Scores]], pages: int) -> str:
    """A Markdown table with one row per run: extractor, pages, precision, recall, F1, seconds total."""
    lines = [
        "| extractor | pages | precision | recall | F1 | seconds total |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for run, s in rows:
        seconds = f"{run.seconds:.1f}" if run.seconds is not None else "— (precomputed)"
        figures = f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f}"
        lines.append(f"| {run.name} | {pages} | {figures} | {seconds} |")
    return "\n".join(lines)


def render_failures(runs: Sequence[Run]) -> str:
    """A Markdown list of the pages each run failed on, or a line saying there were none."""
    lines = [f"- {run.name}, page `{pid}`: {reason}" for run in runs for pid, reason in run.failures]
    return "\n".join(lines) if lines else "None: every extractor returned output for every page."


def render_report(table: str, runs: Sequence[Run], command: str, data: Path, today: dt.date) -> str:
    """The results file: date, command, environment, the table, the scoring rule and the failures."""
    return f"""# Article-extraction benchmark results

- Date: {today.isoformat()}
- Command: `{command}`
- Data: `{data}` (Zyte article-extraction benchmark, see its SOURCE.md)
- Python {sys.version.split()[0]}, trafilatura {trafilatura.__version__}

{table}

Scoring (upstream rule, reimplemented): `\\w+` tokens with case kept, 4-token shingles, per-page tp/fp/fn
normalised by their sum; precision averaged over pages with output, recall over pages with a body;
F1 = harmonic mean of the averages. Seconds count extraction only (for dossier: decode +
`extract_html`), after one untimed warm-up call per extractor.
Rows marked "upstream output" score the precomputed files in `baseline_outputs/` with the same scorer.

## Pages scored as empty output

{render_failures(runs)}
"""


# -- entry point ---------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command-line options: ``--data``, ``--limit`` and ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown results file to write")
    return parser.parse_args(argv)


def benchmark(data: Path, limit: int | None) -> tuple[list[Page], list[Run]]:
    """The pages and every run on them: dossier, trafilatura, then each file of ``baseline_outputs/``."""
    pages = load_pages(data, limit)
    runs = [
        run_extractor(DOSSIER_NAME, dossier_body, pages),
        run_extractor(TRAFILATURA_NAME, trafilatura_body, pages),
    ]
    runs += [load_baseline(p, pages) for p in sorted((data / "baseline_outputs").glob("*.json"))]
    return pages, runs


@contextlib.contextmanager
def quiet_logger(name: str) -> Iterator[None]:
    """Silences logger ``name`` below CRITICAL for the duration, then restores its level."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the benchmark, prints the table and writes the results file. Returns 0, or 2 when the data
    folder is missing or incomplete."""
    args = parse_args(argv)
    problem = check_data(args.data)
    if problem:
        print(f"error: {problem} (pass --data DIR)", file=sys.stderr)
        return 2
    with quiet_logger("trafilatura"):
        pages, runs = benchmark(args.data, args.limit)
    table = render_table([(run, score_run(run, pages)) for run in runs], len(pages))
    print(table)
    given = list(argv) if argv is not None else sys.argv[1:]
    command = shlex.join(["python", "benchmarks/article_extraction.py", *given])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_report(table, runs, command, args.data, dt.date.today()), encoding="utf-8")
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
