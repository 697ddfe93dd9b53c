"""Search latency on a generated corpus: p50/p95/p99 of ``dossier.store.search.search``.

Generates N articles with ``generate_corpus.py`` (real sentences and names from examples/corpus,
recombined), stores them through ``Store.save`` (which fills the search index) and times a fixed,
seeded mix of realistic queries — names with and without diacritics, word pairs, quoted phrases, single
frequent words, prefixes, and queries with outlet or date filters — each returning the top 20
articles with highlighted snippets, end to end as the web page and the API call it.

Anchors, measured in the same run on the same store and queries:

* ``raw FTS5`` — the engine alone: ``SELECT rowid … MATCH ? ORDER BY rank LIMIT 20`` with the same
  FTS5 expressions, no joins, no snippets: the floor that our own work adds to;
* ``LIKE scan`` — what a store without a full-text index would do: ``text LIKE '%word%'`` over every
  article (a handful of queries only; it is slow).

Usage::

    python benchmarks/search_latency.py [--articles 100000] [--queries 500] [--db PATH] [--out FILE]

The store is kept (default ``benchmarks/.cache/search-<N>.sqlite``) and reused when it holds the same
N, so that a second run times queries only. Results go to ``benchmarks/RESULTS-search.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shlex
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_corpus  # noqa: E402

from dossier.pipeline import PIPELINE_VERSION  # noqa: E402
from dossier.store.search import Filters, search  # noqa: E402
from dossier.store.search_query import TOKEN, parse  # noqa: E402
from dossier.store.sqlite import Store  # noqa: E402
from dossier.vi.text import fold  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "RESULTS-search.md"
CACHE = ROOT / "benchmarks" / ".cache"


def build_store(path: Path, n: int, seed: int) -> dict[str, float]:
    """Generate and store n articles unless ``path`` already holds them; returns timings and sizes."""
    if path.exists():
        with Store(path) as store:
            if store.counts()["articles"] >= n * 0.95:
                return {"reused": 1.0}
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    corpus = generate_corpus.generate(n, seed=seed)
    t1 = time.perf_counter()
    with Store(path) as store:
        for done in generate_corpus.processed_sources(corpus, per_file=100):
            store.save(done, PIPELINE_VERSION)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    t2 = time.perf_counter()
    return {"generate_s": t1 - t0, "store_and_index_s": t2 - t1}


def query_mix(n: int, seed: int) -> list[tuple[str, str, Filters]]:
    """(kind, query, filters): a seeded mix of what people type."""
    pool = generate_corpus.load_pool()
    rng = random.Random(seed)
    words = [w for s in pool.sentences for w in s.split() if TOKEN.fullmatch(w)]
    common = [
        w for w, _ in sorted(((w, words.count(w)) for w in set(words[:4000])), key=lambda p: -p[1])[:40]
    ]
    out: list[tuple[str, str, Filters]] = []
    for _ in range(n):
        r = rng.random()
        sentence = [w.strip(".,;:“”\"'()«»") for w in rng.choice(pool.sentences).split()]
        sentence = [w for w in sentence if w] or ["Nga"]
        at = rng.randrange(max(1, len(sentence) - 3))
        if r < 0.30:
            name = rng.choice(pool.names)
            out.append(("name", name if rng.random() < 0.5 else fold(name), Filters()))
        elif r < 0.55:
            out.append(("two words", " ".join(sentence[at : at + 2]), Filters()))
        elif r < 0.65:
            out.append(("quoted phrase", '"' + " ".join(sentence[at : at + 3]) + '"', Filters()))
        elif r < 0.75:
            out.append(("one frequent word", rng.choice(common), Filters()))
        elif r < 0.80:
            out.append(("prefix", rng.choice(pool.names).split()[0][:3] + "*", Filters()))
        elif r < 0.90:
            out.append(("name + outlet", rng.choice(pool.names), Filters(outlet=rng.choice(pool.outlets))))
        else:
            year = rng.choice([2022, 2023, 2024, 2025])
            month = rng.randint(1, 12)
            out.append(
                (
                    "words + month",
                    " ".join(sentence[at : at + 2]),
                    Filters(date_from=f"{year}-{month:02d}", date_to=f"{year}-{month:02d}"),
                )
            )
    return [(k, q, f) for k, q, f in out if TOKEN.search(q)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> str:
    return (
        f"{statistics.median(values):.1f} | {percentile(values, 0.95):.1f} | "
        f"{percentile(values, 0.99):.1f} | "
        f"{max(values):.1f} | {len(values)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search latency on a generated corpus.")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    db = args.db or CACHE / f"search-{args.articles}.sqlite"
    built = build_store(db, args.articles, args.seed)
    print(f"store {db}: {built}", flush=True)
    queries = query_mix(args.queries, args.seed)
    ours: list[float] = []
    raw: list[float] = []
    by_kind: dict[str, list[float]] = {}
    with Store(db) as store:
        counts = store.counts()
        for _, q, f in queries[:20]:  # warm the page cache and the code paths
            search(store, q, f)
        for kind, q, f in queries:
            t0 = time.perf_counter()
            search(store, q, f)
            ms = (time.perf_counter() - t0) * 1000
            ours.append(ms)
            by_kind.setdefault(kind, []).append(ms)
        conn = store.conn
        for _, q, _f in queries:
            fts = parse(q).fts("{title_exact body_exact}")
            t0 = time.perf_counter()
            conn.execute(
                "SELECT rowid FROM search_articles WHERE search_articles MATCH ? ORDER BY rank LIMIT 20",
                (fts,),
            ).fetchall()
            raw.append((time.perf_counter() - t0) * 1000)
        like: list[float] = []
        for _, q, _f in queries[:10]:
            word = TOKEN.findall(q)[0]
            t0 = time.perf_counter()
            conn.execute(
                "SELECT id FROM articles WHERE text LIKE ? LIMIT 20 OFFSET 1000000", (f"%{word}%",)
            ).fetchall()
            like.append((time.perf_counter() - t0) * 1000)
    size_mb = (
        sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / 2**20
    )
    command = "python benchmarks/search_latency.py " + " ".join(
        shlex.quote(a) for a in (argv or sys.argv[1:])
    )
    lines = [
        "# Search latency",
        "",
        f"Run {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} on "
        f"{platform.processor() or platform.machine()} ({os.cpu_count()} cores), "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}: `{command.strip()}`.",
        "",
        f"Store: {counts['articles']:,} articles, {counts['sentences']:,} sentences, {size_mb:,.0f} MiB "
        f"(`{db.name}`). Build: {', '.join(f'{k} {v:,.1f}' for k, v in built.items())}.",
        "",
        "Milliseconds per query (top 20 articles):",
        "",
        "| what | p50 | p95 | p99 | max | queries |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| **dossier search()** — ranked, filtered, with highlighted snippets | {summary(ours)} |",
        f"| anchor: raw FTS5 MATCH … ORDER BY rank LIMIT 20 | {summary(raw)} |",
        f"| anchor: LIKE '%word%' scan of every article | {summary(like)} |",
        "",
        "dossier search() by kind of query:",
        "",
        "| kind | p50 | p95 | p99 | max | queries |",
        "| --- | --- | --- | --- | --- | --- |",
        *[f"| {kind} | {summary(v)} |" for kind, v in sorted(by_kind.items())],
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
