"""Benchmark dossier's Vietnamese temporal tagger against dateparser on the written test set.

Both read the same cases (``tests/data/timex_cases.yaml``: a sentence, its anchor, the expression and
the value it must get, or none), in the same run:

* ``dossier.timex`` gets the whole sentence and the anchor: it must find the expression itself; a case
  is right when a resolved expression overlapping the written one has the expected value and
  granularity (and range end), or, for a case that expects none, when no resolved expression overlaps.
* ``dateparser`` gets only the expression (an easier task: nothing to find), with the anchor as
  ``RELATIVE_BASE``, ``languages=["vi"]`` and ``PREFER_DATES_FROM="past"``. Two readings of its answer:
  *lenient*, right when its date written at the expected granularity equals the expected value (it is
  not asked to know the precision); *strict*, right when its date written at the precision dateparser
  reports (``period``: day, week → day, month, year) equals the expected value. For a case that
  expects none, both are right when it returns nothing.

Usage: ``python benchmarks/timex_dateparser.py [--cases FILE] [--out FILE]``; writes a Markdown table
to ``benchmarks/RESULTS-timex.md`` and prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from dossier.timex.cases import Case, answer, correct, load_cases

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "timex_cases.yaml"
OUT = ROOT / "benchmarks" / "RESULTS-timex.md"


def written_at(day: dt.datetime, granularity: str) -> str:
    if granularity == "day":
        return day.date().isoformat()
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if granularity == "year":
        return f"{day.year:04d}"
    if granularity == "decade":
        return f"{day.year // 10:03d}X"
    return f"{day.year // 100:02d}XX"


def dateparser_reader() -> Callable[[Case], tuple[str | None, str | None, str | None]]:
    """A function giving dateparser's (lenient value, strict value, strict granularity) for a case."""
    import dateparser
    from dateparser.date import DateDataParser

    parser = DateDataParser(languages=["vi"])

    def read(case: Case) -> tuple[str | None, str | None, str | None]:
        base = dt.datetime.fromisoformat(case.anchor) if case.anchor else dt.datetime.now()
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        parsed = dateparser.parse(case.expression, languages=["vi"], settings=settings)
        lenient = written_at(parsed, case.granularity or "day") if parsed else None
        data = parser.get_date_data(case.expression)
        strict = strict_granularity = None
        if data and data.date_obj:
            period = {"week": "day", "time": "day"}.get(data.period or "day", data.period or "day")
            # the DateDataParser has no relative base; read relative words again with the base set
            day = parsed or data.date_obj
            strict, strict_granularity = written_at(day, period), period
        return lenient, strict, strict_granularity

    return read


def run(cases_path: Path) -> tuple[str, dict[str, float]]:
    cases = load_cases(cases_path)
    warnings.simplefilter("ignore")  # dateparser warns about pytz/regex internals on some versions

    started = time.perf_counter()
    ours = [correct(case, answer(case)) for case in cases]
    ours_seconds = time.perf_counter() - started

    read = dateparser_reader()
    started = time.perf_counter()
    answers = [read(case) for case in cases]
    theirs_seconds = time.perf_counter() - started
    lenient = [
        (value is None) if case.value is None else value == case.value
        for case, (value, _, _) in zip(cases, answers, strict=True)
    ]
    strict = [
        (value is None) if case.value is None else (value, granularity) == (case.value, case.granularity)
        for case, (_, value, granularity) in zip(cases, answers, strict=True)
    ]

    kinds = Counter("none" if c.value is None else c.granularity for c in cases)
    n = len(cases)
    figures = {
        "dossier": sum(ours) / n,
        "dateparser_lenient": sum(lenient) / n,
        "dateparser_strict": sum(strict) / n,
    }
    rows = [
        "| reader | input | right | accuracy | seconds |",
        "|---|---|---|---|---|",
        f"| dossier.timex | sentence + anchor | {sum(ours)}/{n} | {figures['dossier']:.3f} "
        f"| {ours_seconds:.2f} |",
        f"| dateparser (lenient: value at the expected precision) | expression + anchor | {sum(lenient)}/{n} "
        f"| {figures['dateparser_lenient']:.3f} | {theirs_seconds:.2f} |",
        f"| dateparser (strict: value at its own precision) | expression + anchor | {sum(strict)}/{n} "
        f"| {figures['dateparser_strict']:.3f} | (same run) |",
    ]
    by_kind = [
        "",
        "| expected | cases | dossier | dateparser lenient | dateparser strict |",
        "|---|---|---|---|---|",
    ]
    for kind in ("day", "month", "quarter", "year", "decade", "century", "none"):
        idx = [i for i, c in enumerate(cases) if ("none" if c.value is None else c.granularity) == kind]
        if idx:
            by_kind.append(
                f"| {kind} | {kinds[kind]} | {sum(ours[i] for i in idx)} | {sum(lenient[i] for i in idx)} "
                f"| {sum(strict[i] for i in idx)} |"
            )
    wrong = [
        f"- `{c.expression}` (anchor {c.anchor}): expected {c.value} {c.granularity or ''}"
        for c, ok in zip(cases, ours, strict=True)
        if not ok
    ]
    import dateparser

    shown = cases_path.relative_to(ROOT) if cases_path.is_relative_to(ROOT) else cases_path
    table = "\n".join(
        [
            f"# Vietnamese time expressions: dossier.timex vs dateparser {dateparser.__version__}",
            "",
            f"Run {dt.date.today().isoformat()}: `{shlex.join(['python', *sys.argv])}` on "
            f"`{shown}` ({n} cases).",
            "",
            *rows,
            *by_kind,
            "",
            "dossier.timex wrong on:" if wrong else "dossier.timex wrong on: none.",
            *wrong,
            "",
        ]
    )
    return table, figures


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--cases", type=Path, default=CASES)
    args.add_argument("--out", type=Path, default=OUT)
    ns = args.parse_args(argv)
    if not ns.cases.exists():
        print(f"no case file at {ns.cases}", file=sys.stderr)
        return 2
    table, _ = run(ns.cases.resolve())
    ns.out.write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
