"""Benchmark dossier's entity recogniser against ``underthesea.ner`` on the same text, in one run.

Text: every line of the dev-gold captures (001, 003, 004) inside a gold article span, less the lines
the gold marks as boilerplate — the lines ``dossier eval`` scores mentions on — fed to both
recognisers one line at a time. Gold mentions are found exactly as ``dossier eval`` finds them
(:func:`dossier.eval.score.gold_mentions`: every gold alias, longest first); each carries the type of
its gold entity, mapped to VLSP's four types (person → PER; organization → ORG; country, place,
facility → LOC; weapon-system, other → MISC).

Figures: mention P/R/F1 with the type required (``typed``) and without (``span``), a predicted span
matching a gold one when they overlap on the same line, one-to-one, widest overlap first; and speed
in characters per second, the best of ``--repeat`` timed passes over all five captures' lines after
one warm-up pass (models loaded before timing), the two recognisers' passes interleaved.
underthesea's figure includes the word segmentation, POS tagging and chunking its NER needs;
dossier's includes KB matching, the CRF and linking.

The same comparison as ``dossier eval`` makes it: the example corpus is built twice into temporary
stores, once as the pipeline is and once with the ``entities`` article stage replaced by
``underthesea.ner`` (each name it finds becomes a new entity named by its words, which the corpus
stage clusters as it does the recogniser's), and both stores are scored against the gold: entity-level
and mention-level P/R/F1.

Usage: ``python benchmarks/ner_underthesea.py [--gold DIR] [--repeat N] [--out FILE]``
(``pip install -e '.[bench]'`` for underthesea).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier import pipeline
from dossier.eval import evaluate
from dossier.eval.gold import load_gold
from dossier.eval.score import Context, EntityMatcher, StoreView, gold_mentions, greedy, prf
from dossier.models import Article, Mention
from dossier.ner.crf import TYPE_LABELS
from dossier.ner.names import new_entity_id
from dossier.ner.recogniser import load_recogniser
from dossier.pipeline import Stage
from dossier.store.sqlite import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"

Span = tuple[int, int, str]  # start, end (columns on the line), VLSP type


@dataclass
class Line:
    file: str
    number: int
    text: str


class _NoStore:
    """The scorer's gold-mention finder reads only the gold and the corpus lines, never a store."""

    def articles(self) -> list[dict]:
        return []

    def sources(self) -> list[dict]:
        return []

    def entities(self) -> list[dict]:
        return []


def gold_lines(gold_dir: Path) -> tuple[list[Line], dict[tuple[str, int], list[Span]]]:
    """The scored lines and the typed gold mentions on each."""
    gold = load_gold(gold_dir)
    view = StoreView.build(_NoStore(), gold)  # type: ignore[arg-type]
    entities = gold.get("entities") or []
    ctx = Context(gold, _NoStore(), view, EntityMatcher(entities, []))  # type: ignore[arg-type]
    types = {e["id"]: TYPE_LABELS[e["type"]] for e in entities}
    mentions: dict[tuple[str, int], list[Span]] = {}
    for m in gold_mentions(ctx, entities):
        label = types[sorted(m.entities)[0]]
        mentions.setdefault((m.file, m.line), []).append((m.start, m.end, label))
    boiler = {(b["file"], b["line"]) for b in gold.get("boilerplate") or []}
    lines = []
    for art in gold.get("articles") or []:
        for n in range(art["start_line"], art["end_line"] + 1):
            text = view.line_text(art["file"], n)
            if text.strip() and (art["file"], n) not in boiler:
                lines.append(Line(art["file"], n, text))
    return lines, mentions


def dossier_recogniser() -> Callable[[str], list[Span]]:
    rec = load_recogniser()

    def run(text: str) -> list[Span]:
        return [(f.start, f.end, TYPE_LABELS.get(f.type, "MISC")) for f in rec.recognise(text)]

    return run


def underthesea_recogniser() -> Callable[[str], list[Span]]:
    from underthesea import ner

    def run(text: str) -> list[Span]:
        out: list[Span] = []
        at = 0
        start, kind, end = -1, "", -1
        for word, _pos, _chunk, tag in ner(text):
            found = text.find(word, at)
            if found < 0:  # underthesea normalised the word: keep going without an offset
                continue
            at = found + len(word)
            prefix, _, label = tag.partition("-")
            if start >= 0 and (prefix != "I" or label != kind):
                out.append((start, end, kind))
                start = -1
            if prefix in ("B", "I") and start < 0:
                start, kind = found, label
            if start >= 0:
                end = at
        if start >= 0:
            out.append((start, end, kind))
        return out

    return run


def score(
    lines: list[Line], gold: dict[tuple[str, int], list[Span]], run: Callable[[str], list[Span]], typed: bool
) -> dict:
    """Mention P/R/F1 over the lines (see the module doc)."""
    tp = fp = fn = 0
    for line in lines:
        want = gold.get((line.file, line.number), [])
        got = run(line.text)
        candidates = []
        for p, (ps, pe, pk) in enumerate(got):
            for g, (gs, ge, gk) in enumerate(want):
                overlap = min(pe, ge) - max(ps, gs)
                if overlap > 0 and (not typed or pk == gk):
                    candidates.append(((float(overlap),), p, g))
        pairs = len(greedy(candidates))
        tp, fp, fn = tp + pairs, fp + len(got) - pairs, fn + len(want) - pairs
    return prf("typed" if typed else "span", tp, fp, fn)


def speeds(texts: list[str], runs: dict[str, Callable[[str], list[Span]]], repeat: int) -> dict[str, float]:
    """Characters per second of each recogniser: the best of ``repeat`` passes after one warm-up
    pass, the passes of the recognisers interleaved so that a change in the machine's load falls on
    both alike."""
    for run in runs.values():
        for text in texts:
            run(text)
    chars = sum(len(t) for t in texts)
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            for text in texts:
                run(text)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: chars / seconds for name, seconds in best.items()}


def underthesea_stage(run: Callable[[str], list[Span]]) -> Callable[[Article, Any], Article]:
    """An ``entities`` article stage made of underthesea.ner, paragraph by paragraph."""
    types = {"PER": "person", "ORG": "organization", "LOC": "place", "MISC": "other"}

    def stage(article: Article, ctx: Any) -> Article:
        mentions, at = [], 0
        for paragraph in article.text.split("\n"):
            for start, end, label in run(paragraph):
                surface = paragraph[start:end]
                etype = types.get(label, "other")
                line = article.offsets.line_of(at + start)
                mentions.append(
                    Mention(
                        at + start,
                        at + end,
                        surface,
                        new_entity_id(surface, etype),
                        etype,
                        line,
                        0.5,
                        "model",
                    )
                )
            at += len(paragraph) + 1
        article.mentions = mentions
        return article

    return stage


def store_figures(gold_dir: Path, stage: Callable[[Article, Any], Article] | None) -> dict[str, dict]:
    """``dossier eval``'s entity and mention figures for the corpus built with ``stage`` as the
    entities stage (None: the pipeline as it is)."""
    saved = list(pipeline.ARTICLE_STAGES)
    if stage is not None:
        pipeline.ARTICLE_STAGES[:] = [
            Stage(s.name, s.what, stage) if s.name == "entities" else s for s in pipeline.ARTICLE_STAGES
        ]
    try:
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite") as store:
            pipeline.build([CORPUS.as_posix()], store)
            result = evaluate(store, gold_dir)
    finally:
        pipeline.ARTICLE_STAGES[:] = saved
    return {f["metric"]: f for f in result["kinds"]["entities"]}


def corpus_lines() -> list[str]:
    return [
        line
        for path in sorted(CORPUS.glob("*.txt"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "dev-gold")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS-ner.md")
    args = parser.parse_args(argv)
    if not (args.gold / "entities.json").is_file():
        print(f"no gold entities in {args.gold}", file=sys.stderr)
        return 2
    try:
        contenders = {
            "dossier (KB + CRF + linking)": dossier_recogniser(),
            "underthesea.ner": underthesea_recogniser(),
        }
    except ImportError as exc:
        print(f"{exc}: install the bench extra (pip install -e '.[bench]')", file=sys.stderr)
        return 2
    lines, gold = gold_lines(args.gold)
    texts = corpus_lines()
    cps = speeds(texts, contenders, args.repeat)
    rows = []
    for name, run in contenders.items():
        t, s = score(lines, gold, run, typed=True), score(lines, gold, run, typed=False)
        rows.append((name, t, s, cps[name]))
    stores = {
        "dossier (KB + CRF + linking)": store_figures(args.gold, None),
        "underthesea.ner": store_figures(args.gold, underthesea_stage(contenders["underthesea.ner"])),
    }
    ours, theirs = rows[0][3], rows[1][3]
    table = [
        "| recogniser | typed P / R / F1 | span P / R / F1 | chars/s |",
        "| --- | --- | --- | --- |",
    ]
    for name, t, s, cps in rows:
        table.append(
            f"| {name} | {t['precision']:.3f} / {t['recall']:.3f} / {t['f1']:.3f} "
            f"(tp={t['tp']} fp={t['fp']} fn={t['fn']}) | {s['precision']:.3f} / {s['recall']:.3f} / "
            f"{s['f1']:.3f} | {cps:,.0f} |"
        )
    chars = sum(len(t) for t in texts)
    command = " ".join(
        shlex.quote(a) for a in ["python", "benchmarks/ner_underthesea.py", *(argv or sys.argv[1:])]
    )
    n_gold = sum(len(v) for v in gold.values())
    lines_md = [
        "# Entity recognition: dossier vs underthesea.ner",
        "",
        f"Run {dt.date.today().isoformat()} on {platform.machine()} / Python {platform.python_version()}: "
        f"`{command}`",
        "",
        f"Quality on {len(lines)} dev-gold lines ({n_gold} gold mentions); speed on {len(texts)} lines "
        f"({chars:,} characters) of the five example captures, best of {args.repeat}.",
        "",
        *table,
        "",
        f"dossier runs at {ours / theirs:.1f}× underthesea.ner's characters per second.",
        "",
        "As `dossier eval` scores them (the example corpus built with each as the `entities` stage):",
        "",
        "| recogniser | entities P / R / F1 | mentions P / R / F1 |",
        "| --- | --- | --- |",
        *(f"| {name} | {_prf(fig['entities'])} | {_prf(fig['mentions'])} |" for name, fig in stores.items()),
        "",
    ]
    report = "\n".join(lines_md)
    print(report)
    args.out.write_text(report, encoding="utf-8")
    return 0


def _prf(f: dict) -> str:
    return (
        f"{f['precision']:.3f} / {f['recall']:.3f} / {f['f1']:.3f} (tp={f['tp']} fp={f['fp']} fn={f['fn']})"
    )


if __name__ == "__main__":
    sys.exit(main())
