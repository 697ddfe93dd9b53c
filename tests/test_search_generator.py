"""The corpus generator behind the search benchmark: deterministic, realistic enough to build like a
capture, and honest about what it planted."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from backend_pass import StoreLocations
from dossier.pipeline import PIPELINE_VERSION, build
from dossier.store.search import search
from dossier.store.sqlite import Store

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_corpus", ROOT / "benchmarks" / "generate_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load()


def test_the_same_seed_gives_the_same_corpus() -> None:
    a, b, c = gen.generate(30, seed=3), gen.generate(30, seed=3), gen.generate(30, seed=4)
    assert a.truth() == b.truth() and [x.title for x in a.articles] == [x.title for x in b.articles]
    assert [x.paragraphs for x in a.articles] != [x.paragraphs for x in c.articles]


def test_articles_are_made_of_real_sentences_and_plant_what_truth_says() -> None:
    pool = gen.load_pool()
    corpus = gen.generate(300, seed=11, duplicate_rate=0.1, event_rate=0.5)
    assert len(corpus.articles) == 300
    real = set(pool.sentences)
    share = sum(p in real for a in corpus.articles for p in a.paragraphs) / sum(
        len(a.paragraphs) for a in corpus.articles
    )
    assert share > 0.3  # the rest have names swapped or a date restated
    truth = corpus.truth()
    assert truth["duplicates"] and truth["events"]
    for dup in truth["duplicates"]:
        copy, original = corpus.articles[dup["copy"]], corpus.articles[dup["original"]]
        assert copy.title == original.title and copy.outlet != original.outlet
        assert len(set(copy.paragraphs) & set(original.paragraphs)) >= len(original.paragraphs) - 2
    for event in truth["events"]:
        assert corpus.articles[event["article"]].paragraphs[event["paragraph"]] == event["text"]
        day, month, year = event["date"][8:].lstrip("0"), event["date"][5:7], event["date"][:4]
        assert (
            f"{day}/{month}" in event["text"]
            or f"ngày {day} tháng {int(month)}" in event["text"]
            or (f"{day}-{int(month)}" in event["text"])
        ), (event, year)


def test_written_captures_build_into_the_same_articles(tmp_path: Path, db_url: StoreLocations) -> None:
    corpus = gen.generate(40, seed=5, duplicate_rate=0.0)
    paths = gen.write_captures(corpus, tmp_path / "gen", per_file=20)
    assert len(paths) == 2
    assert json.loads((tmp_path / "gen" / "truth.json").read_text(encoding="utf-8"))["articles"] == 40
    with Store(db_url(tmp_path, "built")) as built:
        build([(tmp_path / "gen").as_posix()], built)
        titles = [a["title"] for a in built.articles()]
        assert len(titles) >= 38  # the splitter may join an article to a neighbour with the same title
        assert {a.title for a in corpus.articles} >= set(titles)
    with Store(db_url(tmp_path, "direct")) as direct:
        for done in gen.processed_sources(corpus, per_file=20):
            direct.save(done, PIPELINE_VERSION)
        assert direct.counts()["articles"] == 40
        planted = next(e for e in corpus.truth()["events"])
        words = " ".join(planted["text"].replace('"', " ").split()[:6])
        assert search(direct, f'"{words}"').total >= 1
