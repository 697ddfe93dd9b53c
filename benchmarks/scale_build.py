"""How the whole build scales: throughput per stage, peak memory, store size and query latency at
N = 1k, 10k … generated articles of ~4,000 characters, with the anchors measured in the same run.

For each N, ``generate_corpus.py`` writes N articles (16–32 real sentences each, recombined from
``examples/corpus``, with planted near-verbatim duplicates and dated events) as compilation captures;
then one child process builds them with ``dossier.pipeline.build`` into a fresh SQLite store on one
core, timing every stage, and reports its peak RSS, the store's size, and the latency of searches
(``dossier.store.search.search``, top 20 with snippets) and of timeline queries
(``dossier.timeline.timeline``, a page of events, of all and filtered by entity and period); another
child process then writes the store's JSON export, timed, with its own peak RSS. Anchors, on articles of the
same corpus, in the same run: trafilatura on each article rendered as an HTML page, underthesea's
word segmentation and NER (the ``[bench]`` extra), and dateparser's ``search_dates`` over the text;
underthesea's word segmentation, the figure the build is compared with, is also timed just before
and right after each build, and during it: every ``--anchor-every`` seconds the build waits while
another process times it (the waits are not in the build's time). On a shared machine the speed
drifts within minutes; those samples see the machine as the build sees it.
With ``--ray`` one N (``--ray-size``; the largest up to 10,000 by default) is also built with
``--engine ray`` on 1 and 2 workers and its JSON export compared with the local build's.

Usage::

    python benchmarks/scale_build.py [--sizes 1000 10000 100000] [--ray] [--export-up-to N] [--out F]

Results: ``BENCHMARKS.md`` (a table, the command and the machine).
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
DEFAULT_OUT = ROOT / "BENCHMARKS.md"
sys.path.insert(0, str(Path(__file__).resolve().parent))
SENTENCES = (16, 32)  # ~4,000 characters per article
PER_FILE = 20
TIMELINE_PAGE = 100  # events per timeline query: a page, as the explorer and the API read it


def corpus_dir(n: int, seed: int) -> Path:
    """The captures of n generated articles, written once and kept in the benchmark cache."""
    out = CACHE / f"scale-{n}-{seed}"
    if not (out / "truth.json").exists():
        cmd = [sys.executable, str(ROOT / "benchmarks" / "generate_corpus.py"), str(n), str(out)]
        cmd += ["--seed", str(seed), "--per-file", str(PER_FILE), "--sentences", *map(str, SENTENCES)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the build, in a child process ---------------------------------------------------------------------
def _timed(fn: Callable[..., Any], name: str, cpu: dict[str, float]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            cpu[name] += time.process_time() - t0

    return run


class AnchorSamples:
    """underthesea's word segmentation timed during a build, in another process while the build waits
    (between two sources, or before a corpus stage), once ``every`` seconds of the build have passed
    since the last sample."""

    def __init__(self, corpus: Path, sample: int, every: float) -> None:
        self.corpus, self.sample, self.every = corpus, sample, every
        self.rates: list[float] = []
        self.waited = 0.0  # seconds the build waited: taken out of its wall time
        self._due = time.perf_counter() + every

    def between(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn``, first taking a sample when one is due."""

        def run(*args: Any, **kwargs: Any) -> Any:
            if self.every > 0 and time.perf_counter() >= self._due:
                t0 = time.perf_counter()
                rate = run_child("_segmenter", str(self.corpus), str(self.sample))
                self.rates.append(rate["underthesea_word_tokenize"])
                self.waited += time.perf_counter() - t0
                self._due = time.perf_counter() + self.every
            return fn(*args, **kwargs)

        return run


def child_build(
    corpus: Path, db: Path, engine: str, workers: int, queries: int, anchor_every: float = 0, sample: int = 50
) -> dict[str, Any]:
    """Build ``corpus`` into ``db`` and measure; what the parent reads as JSON. ``anchor_every`` > 0:
    underthesea is sampled during the build (:class:`AnchorSamples`, ``sample`` articles each time).

    The corpus stages run as ``dossier build`` runs them: in this process, or (a local build of a large
    store, :func:`dossier.fresh_stages.wanted`) each in a fresh interpreter replacing it, the last then
    replaced by :func:`child_after_build`, which measures the store. The process is one all along: its
    CPU time and peak RSS span all of them."""
    from dossier import fresh_stages, pipeline
    from dossier.engine import make_engine
    from dossier.stages import decode, entities, extract
    from dossier.store.sqlite import Store

    cpu: dict[str, float] = defaultdict(float)
    samples = AnchorSamples(corpus, sample, anchor_every if engine == "local" else 0)
    if engine == "local":  # stage timings are only seen in this process
        decode.decode = _timed(decode.decode, "decode", cpu)  # type: ignore[assignment]
        extract.extract = _timed(extract.extract, "extract", cpu)  # type: ignore[assignment]
        for stages, kind in ((pipeline.ARTICLE_STAGES, "article"), (pipeline.CORPUS_STAGES, "corpus")):
            for i, st in enumerate(stages):
                run = _timed(st.run, f"{kind}:{st.name}", cpu)
                if kind == "corpus":
                    run = samples.between(run)
                stages[i] = pipeline.Stage(st.name, st.what, run)
        Store.save = samples.between(_timed(Store.save, "store.save", cpu))  # type: ignore[method-assign]
        # saves are committed in batches: the last commit happens when the build's batch ends
        Store.flush = _timed(Store.flush, "store.save", cpu)  # type: ignore[method-assign]
    ctx = pipeline.Context(engine=make_engine(engine, workers=workers))
    entities.recogniser(ctx)  # the knowledge base and model, loaded before the clock starts
    rss_loaded = rss_mb()
    store = Store(db)
    t0, c0 = time.perf_counter(), time.process_time()
    report = pipeline.build([str(corpus)], store, ctx=ctx, list_uris=False, finish=False)
    partial: dict[str, Any] = {
        "articles": report.articles,
        "failed": len(report.failed),
        "started": [t0, c0],
        "stages": cpu,
        "rss_loaded_mb": rss_loaded,
        "queries": queries,
    }
    if report.stale and fresh_stages.wanted(store, ctx):
        ctx.engine.close()
        store.close()
        partial.update(waited=samples.waited, rates=samples.rates)
        saved, timings = db.with_name(db.name + ".partial.json"), db.with_name(db.name + ".stages.jsonl")
        saved.write_text(json.dumps(partial), encoding="utf-8")
        timings.unlink(missing_ok=True)
        then = [sys.executable, __file__, "_after_build", str(db), str(saved), str(timings)]
        fresh_stages.run_in_fresh_interpreters(str(db), ctx.options, then=then, timings=str(timings))
    if report.stale:
        pipeline.finish_build(store, ctx)
    ctx.engine.close()
    partial.update(waited=samples.waited, rates=samples.rates)
    return measure_build(store, db, partial)


def child_after_build(db: Path, saved: Path, timings: Path) -> dict[str, Any]:
    """The measures of a build whose corpus stages each ran in a fresh interpreter (:func:`child_build`)."""
    from dossier.store.sqlite import Store

    partial = json.loads(saved.read_text(encoding="utf-8"))
    saved.unlink()
    peaks = {}
    for line in timings.read_text(encoding="utf-8").splitlines():
        stage = json.loads(line)
        if stage["stage"] != "indexes":  # made again inside the build when it runs in one interpreter
            partial["stages"][f"corpus:{stage['stage']}"] = stage["cpu_s"]
        peaks[stage["stage"]] = stage["peak_rss_mb"]
    timings.unlink()
    partial["corpus_stage_peaks_mb"] = peaks
    return measure_build(Store(db), db, partial)


def measure_build(store: Any, db: Path, partial: dict[str, Any]) -> dict[str, Any]:
    """Time and memory of the build started at ``partial["started"]`` (in this process, which may have
    been several interpreters), then the store's size, counts and query latency."""
    t0, c0 = partial.pop("started")
    wall, proc_cpu = time.perf_counter() - t0 - partial.pop("waited"), time.process_time() - c0
    rss_build = rss_mb()  # the build's own peak, before the queries below read whole tables
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())
    rates, queries = partial.pop("rates"), partial.pop("queries")
    out: dict[str, Any] = {
        **partial,
        "wall": wall,
        "cpu": proc_cpu,
        "rss_build_mb": rss_build,
        "store_bytes": size,
        "counts": store.counts(),
    }
    if rates:
        out["underthesea_during"] = rates
    if queries:
        out.update(query_latency(store, queries))
    out["rss_peak_mb"] = rss_mb()
    store.close()
    return out


def query_latency(store: Any, n: int) -> dict[str, Any]:
    """p50/p95 milliseconds of searches and timeline queries on the built store."""
    import search_latency

    from dossier.store.search import search
    from dossier.timeline import timeline

    mix = search_latency.query_mix(n, seed=7)
    times = []
    for _kind, query, filters in mix:
        t0 = time.perf_counter()
        search(store, query, filters)
        times.append((time.perf_counter() - t0) * 1000)
    entity_rows = store.conn.execute(
        "SELECT entity_id, COUNT(*) AS n FROM mentions GROUP BY entity_id ORDER BY n DESC LIMIT 10"
    ).fetchall()
    names = [r[0] for r in entity_rows]
    # what the explorer and the API ask for: one page of the timeline (TIMELINE_PAGE events with their
    # evidence), of all events and filtered by entity and period
    tl_all, tl_filtered = [], []
    for i in range(5):
        t0 = time.perf_counter()
        timeline(store, limit=TIMELINE_PAGE)
        tl_all.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        timeline(
            store,
            entity=names[i % len(names)] if names else None,
            date_from="2023-01",
            date_to="2023-06",
            limit=TIMELINE_PAGE,
        )
        tl_filtered.append((time.perf_counter() - t0) * 1000)
    return {
        "search_ms": (statistics.median(times), percentile(times, 0.95), len(times)),
        "timeline_all_ms": statistics.median(tl_all),
        "timeline_filtered_ms": statistics.median(tl_filtered),
    }


def child_export(db: Path, out: Path) -> dict[str, Any]:
    """The JSON export of a built store, timed, with the peak memory of the process that writes it."""
    from dossier.exports import write_json
    from dossier.store.sqlite import Store

    rss0 = rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    with Store(db) as store:
        write_json(store, out)
    return {
        "export_s": time.perf_counter() - t0,
        "export_cpu_s": time.process_time() - c0,
        "export_rss_mb": rss_mb(),
        "export_rss_before_mb": rss0,
        "export_bytes": out.stat().st_size,
    }


# -- anchors ---------------------------------------------------------------------------------------------
def sample_articles(corpus: Path, k: int) -> list[dict[str, Any]]:
    """The first k generated articles of a corpus, re-generated (same seed) as title + paragraphs."""
    import generate_corpus

    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    made = generate_corpus.generate(min(k, truth["articles"]), seed=truth["seed"], sentences=SENTENCES)
    return [{"title": a.title, "outlet": a.outlet, "paragraphs": a.paragraphs} for a in made.articles]


def as_html(art: dict[str, Any]) -> str:
    esc = html.escape
    paras = "".join(f"<p>{esc(p)}</p>" for p in art["paragraphs"])
    return (
        f"<html><head><meta charset='utf-8'><title>{esc(art['title'])}</title></head><body>"
        "<nav><a href='/'>Trang chủ</a> | <a href='/the-gioi'>Thế giới</a> |"
        " <a href='/kinh-te'>Kinh tế</a></nav>"
        f"<article><h1>{esc(art['title'])}</h1>{paras}</article>"
        f"<aside><h3>Tin liên quan</h3><ul><li><a href='/a'>{esc(art['title'][:40])}</a></li></ul></aside>"
        f"<footer>© {esc(art['outlet'])}. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</footer>"
        "</body></html>"
    )


def per_second(fn: Callable[[Any], Any], items: list[Any]) -> float:
    """Items per CPU second of ``fn`` over ``items`` (after one untimed warm-up call)."""
    fn(items[0])
    t0 = time.process_time()
    for item in items:
        fn(item)
    return len(items) / max(time.process_time() - t0, 1e-9)


def child_segmenter(corpus: Path, k: int) -> dict[str, Any]:
    """underthesea's word segmentation alone, articles per CPU second: measured just before and right
    after each build, so that the build is compared with it at the same moments of a shared machine."""
    from underthesea import word_tokenize

    texts = ["\n".join(a["paragraphs"]) for a in sample_articles(corpus, k)]
    return {"underthesea_word_tokenize": per_second(word_tokenize, texts)}


def child_anchors(corpus: Path, k: int) -> dict[str, Any]:
    arts = sample_articles(corpus, k)
    texts = ["\n".join(a["paragraphs"]) for a in arts]
    out: dict[str, Any] = {"chars": statistics.mean(len(t) for t in texts), "sample": len(texts)}
    import trafilatura

    out["trafilatura"] = per_second(trafilatura.extract, [as_html(a) for a in arts])
    try:
        from underthesea import ner, word_tokenize
    except ImportError:
        out["underthesea"] = None
    else:
        out["underthesea_word_tokenize"] = per_second(word_tokenize, texts)
        out["underthesea_ner"] = per_second(ner, texts[: max(5, k // 20)])
    from dateparser.search import search_dates

    out["dateparser_search_dates"] = per_second(
        lambda t: search_dates(t, languages=["vi"]), texts[: max(5, k // 20)]
    )
    return out


# -- the parent --------------------------------------------------------------------------------------------
def run_child(*args: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, *args]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{res.stderr[-4000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def fresh_db(name: str) -> Path:
    db = CACHE / name
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    return db


def segmenter_rate(result: dict[str, Any]) -> float:
    """underthesea's rate for a build: the mean of its measures just before, during and just after it
    (the machine's speed drifts during a long build; a run without the first has only the others)."""
    after = result["underthesea_word_tokenize"]
    before, during = result.get("underthesea_before", after), result.get("underthesea_during", [])
    return statistics.mean([before, *during, after])


def _during(result: dict[str, Any]) -> str:
    rates = result.get("underthesea_during", [])
    if not rates:
        return "none"
    return f"{statistics.mean(rates):.1f} ({len(rates)}, {min(rates):.1f}–{max(rates):.1f})"


def table(results: dict[int, dict[str, Any]], anchors: dict[str, Any], ray: dict[str, Any] | None) -> str:
    sizes = sorted(results)
    lines = ["| figure | " + " | ".join(f"N = {n:,}" for n in sizes) + " |", "|---|" + "---|" * len(sizes)]

    def row(label: str, fmt: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(fmt(results[n]) for n in sizes) + " |")

    row("articles built", lambda r: f"{r['articles']:,}")
    row("whole build, articles/s on one core (wall)", lambda r: f"{r['articles'] / r['wall']:.1f}")
    row("whole build, articles per CPU second", lambda r: f"{r['articles'] / r['cpu']:.1f}")
    if all("underthesea_word_tokenize" in r for r in results.values()):
        row(
            "underthesea.word_tokenize alone, articles per CPU second (just before / during: mean of n,"
            " lowest–highest / just after the build)",
            lambda r: (
                f"{r.get('underthesea_before', math.nan):.1f} / {_during(r)}"
                f" / {r['underthesea_word_tokenize']:.1f}"
            ),
        )
        row(
            "whole build ÷ underthesea.word_tokenize alone (the mean of its measures before, during, after)",
            lambda r: f"{r['articles'] / r['cpu'] / segmenter_rate(r):.2f}×",
        )
    stage_names = sorted({s for r in results.values() for s in r["stages"]}, key=_stage_order)
    for name in stage_names:
        row(
            f"stage `{name}`: articles per CPU second (share of build)",
            lambda r, s=name: (
                f"{r['articles'] / max(r['stages'].get(s, 0), 1e-9):,.0f} "
                f"({100 * r['stages'].get(s, 0) / r['cpu']:.0f}%)"
            ),
        )
    row(
        "peak RSS of the build, MB (after loading the models; after the queries too)",
        lambda r: f"{r['rss_build_mb']:.0f} ({r['rss_loaded_mb']:.0f}; {r['rss_peak_mb']:.0f})",
    )
    row(
        "steps after the sources, each in a fresh interpreter: its own peak RSS, MB",
        lambda r: (
            ", ".join(f"{name} {mb:.0f}" for name, mb in r["corpus_stage_peaks_mb"].items())
            if "corpus_stage_peaks_mb" in r
            else "in the build's interpreter"
        ),
    )
    row(
        "store size, MB (bytes per article)",
        lambda r: f"{r['store_bytes'] / 1e6:.1f} ({r['store_bytes'] / r['articles']:,.0f})",
    )
    row("search p50 / p95, ms", lambda r: f"{r['search_ms'][0]:.1f} / {r['search_ms'][1]:.1f}")
    row(
        "store writes + corpus stages, CPU ms per article",
        lambda r: f"{1000 * (r['stages'].get('store.save', 0) + _corpus_cpu(r)) / r['articles']:.2f}",
    )
    row(
        f"timeline, a page of {TIMELINE_PAGE} (all events / entity + 6 months), ms",
        lambda r: f"{r['timeline_all_ms']:.0f} / {r['timeline_filtered_ms']:.0f}",
    )
    if any("export_s" in r for r in results.values()):
        row(
            "JSON export of the whole store: seconds, peak RSS MB of its process, MB written",
            lambda r: (
                f"{r['export_s']:.0f} s, {r['export_rss_mb']:.0f} MB, {r['export_bytes'] / 1e6:,.0f} MB"
                if "export_s" in r
                else "not timed"
            ),
        )
    row("events / duplicates flagged", lambda r: f"{r['counts']['events']:,} / {r.get('duplicates', '—')}")
    out = "\n".join(lines)
    a = anchors
    out += (
        f"\n\nAnchors, same run, on {a['sample']} articles of the same corpus"
        f" (mean {a['chars']:,.0f} characters),"
        " articles per CPU second:\n\n| anchor | articles/s |\n|---|---|\n"
        f"| trafilatura.extract on the article as an HTML page | {a['trafilatura']:.1f} |\n"
    )
    if a.get("underthesea_word_tokenize"):
        out += f"| underthesea.word_tokenize | {a['underthesea_word_tokenize']:.1f} |\n"
        out += f"| underthesea.ner | {a['underthesea_ner']:.2f} |\n"
    out += f"| dateparser.search.search_dates (languages=['vi']) | {a['dateparser_search_dates']:.2f} |\n"
    if ray:
        out += "\n" + ray["table"]
    return out


def _stage_order(name: str) -> tuple[int, str]:
    order = ["decode", "extract", "article:", "store.save", "corpus:"]
    return next((i for i, p in enumerate(order) if name.startswith(p)), 9), name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build throughput, memory, size and latency at several N.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--anchor-sample", type=int, default=200)
    parser.add_argument(
        "--anchor-every",
        type=float,
        default=60,
        metavar="S",
        help="time underthesea on 50 articles every S seconds of each build, the build waiting (0: never)",
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ray", action="store_true", help="also build one N on Ray, 1 and 2 workers")
    parser.add_argument(
        "--ray-size",
        type=int,
        metavar="N",
        help="the N built on Ray (one of --sizes; default: the largest up to 10,000)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--no-export",
        dest="export",
        action="store_false",
        help="leave out the timed JSON export of each store",
    )
    parser.add_argument(
        "--export-up-to",
        type=int,
        metavar="N",
        help="time the JSON export only of the stores of at most N articles",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="take the figures of sizes already measured from the cache"
    )
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Any]] = {}
    for n in args.sizes:
        corpus = corpus_dir(n, args.seed)
        saved = CACHE / f"scale-result-{n}-{args.seed}.json"
        if args.reuse and saved.exists():
            results[n] = json.loads(saved.read_text(encoding="utf-8"))
            continue
        db = fresh_db(f"scale-{n}.sqlite")
        before = run_child("_segmenter", str(corpus), str(args.anchor_sample)) if _has_underthesea() else {}
        print(f"N={n}: building {corpus} …", flush=True)
        every = str(args.anchor_every if _has_underthesea() else 0)
        results[n] = run_child("_build", str(corpus), str(db), "local", "1", str(args.queries), every)
        if before:
            results[n]["underthesea_before"] = before["underthesea_word_tokenize"]
        truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
        results[n]["duplicates"] = f"{_flagged(db)} (planted {len(truth['duplicates'])})"
        if _has_underthesea():
            results[n].update(run_child("_segmenter", str(corpus), str(args.anchor_sample)))
        if args.export and (args.export_up_to is None or n <= args.export_up_to):
            out = CACHE / f"scale-{n}-export.json"
            results[n].update(run_child("_export", str(db), str(out)))
            out.unlink()
        saved.write_text(json.dumps(results[n]), encoding="utf-8")
        print(json.dumps(results[n]), flush=True)
    saved = CACHE / f"scale-anchors-{args.sizes[0]}-{args.seed}.json"
    if args.reuse and saved.exists():
        anchors = json.loads(saved.read_text(encoding="utf-8"))
    else:
        anchors = run_child("_anchors", str(corpus_dir(args.sizes[0], args.seed)), str(args.anchor_sample))
        saved.write_text(json.dumps(anchors), encoding="utf-8")
    print(json.dumps(anchors), flush=True)
    ray = None
    if args.ray:
        n = args.ray_size or max((n for n in args.sizes if n <= 10_000), default=min(args.sizes))
        if n not in results:
            parser.error(f"--ray-size {n} is not one of --sizes")
        ray = ray_runs(n, args.seed, results[n], CACHE / f"scale-{n}.sqlite")
    body = table(results, anchors, ray)
    growth = ""
    if len(args.sizes) > 1:
        lo, hi = min(args.sizes), max(args.sizes)
        a, b = results[lo], results[hi]
        growth = (
            f"\nFrom N = {lo:,} to N = {hi:,} ({hi / lo:.0f}× the articles): build CPU time ×"
            f"{b['cpu'] / a['cpu']:.1f}, corpus stages ×"
            f"{_corpus_cpu(b) / max(_corpus_cpu(a), 1e-9):.1f},"
            f" store writes + corpus stages per article ×"
            f"{_writes_per_article(b) / max(_writes_per_article(a), 1e-9):.2f},"
            f" peak RSS of the build ×{b['rss_build_mb'] / a['rss_build_mb']:.2f},"
            f" store size ×{b['store_bytes'] / a['store_bytes']:.1f}.\n"
        )
    cmd = "python benchmarks/scale_build.py " + " ".join(shlex.quote(x) for x in (argv or sys.argv[1:]))
    text = (
        "# Scale benchmarks\n\n"
        f"`{cmd.strip()}` — {time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}. Generated articles of 16–32 real "
        f"sentences ({PER_FILE} per capture file), SQLite store, `--engine local` on one core; see "
        "`benchmarks/README.md` for what each figure means.\n\n" + body + growth
    )
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


def _writes_per_article(r: dict[str, Any]) -> float:
    return (r["stages"].get("store.save", 0) + _corpus_cpu(r)) / r["articles"]


def _corpus_cpu(r: dict[str, Any]) -> float:
    return sum(v for k, v in r["stages"].items() if k.startswith("corpus:"))


def _has_underthesea() -> bool:
    import importlib.util

    return importlib.util.find_spec("underthesea") is not None


def _flagged(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]


def ray_runs(n: int, seed: int, local: dict[str, Any], local_db: Path) -> dict[str, Any]:
    """The corpus of N articles built on Ray with 1 and 2 workers; exports compared with the local
    build's (the run above, same corpus)."""
    corpus = corpus_dir(n, seed)
    rows = [("local (the run above)", local)]
    exports = {"local (the run above)": _export(local_db)}
    for label, workers in (("ray, 1 worker", 1), ("ray, 2 workers", 2)):
        db = fresh_db(f"scale-ray-{workers}.sqlite")
        r = run_child("_build", str(corpus), str(db), "ray", str(workers), "0")
        exports[label] = _export(db)
        rows.append((label, r))
        print(label, json.dumps(r), flush=True)
    same = all(e == exports["local (the run above)"] for e in exports.values())
    lines = [
        f"Distributed build of N = {n:,} (wall seconds, whole build including the corpus stages):\n",
        "| engine | wall s | articles/s | export equal to local |",
        "|---|---|---|---|",
    ]
    for label, r in rows:
        equal = exports[label] == exports["local (the run above)"]
        lines.append(f"| {label} | {r['wall']:.1f} | {r['articles'] / r['wall']:.1f} | {equal} |")
    return {"table": "\n".join(lines) + "\n", "same": same}


def _export(db: Path) -> Any:
    from dossier.engine.compare import comparable_export

    return comparable_export(db)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        corpus, db, engine, workers, queries = sys.argv[2:7]
        every = float(sys.argv[7]) if len(sys.argv) > 7 else 0
        print(json.dumps(child_build(Path(corpus), Path(db), engine, int(workers), int(queries), every)))
    elif len(sys.argv) > 1 and sys.argv[1] == "_after_build":
        print(json.dumps(child_after_build(*map(Path, sys.argv[2:5]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "_export":
        print(json.dumps(child_export(Path(sys.argv[2]), Path(sys.argv[3]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "_segmenter":
        print(json.dumps(child_segmenter(Path(sys.argv[2]), int(sys.argv[3]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "_anchors":
        print(json.dumps(child_anchors(Path(sys.argv[2]), int(sys.argv[3]))))
    else:
        sys.exit(main())
