"""Engines and sharded corpus stages: the Ray build gives the local build's export, and merging events
shard by shard gives what merging them all at once gives."""

from __future__ import annotations

import random
import weakref
from typing import Any

import pytest

from conftest import CORPUS
from dossier.engine import LocalEngine, make_engine
from dossier.engine.compare import comparable_export
from dossier.errors import DossierError
from dossier.pipeline import Context, build
from dossier.stages import event_merge, event_shards
from dossier.store.sqlite import Store

PERSONS = {"p-kim", "p-putin", "p-shoigu"}
OTHERS = ["s-russia", "s-nk", "s-china"]
TYPES = ["visit", "meeting", "statement", "agreement"]
DATES = ["2023-09-13", "2023-09", "2023-Q3", "2023", "2024-06-19", "2024-06", "2024", "202X", "199X", "1999"]


def mentions(seed: int, n: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        who = rng.sample(sorted(PERSONS), rng.randint(0, 2)) + rng.sample(OTHERS, rng.randint(1, 2))
        out.append(
            {
                "article": f"art-{rng.randint(0, 30):02d}",
                "line": rng.randint(1, 50),
                "sentence": i,
                "type": rng.choice(TYPES),
                "date": rng.choice(DATES),
                "date_end": None,
                "participants": who,
                "place": rng.choice([None, "s-russia"]),
                "summary": f"s{i}",
                "text": f"t{i}",
            }
        )
    return out


@pytest.mark.parametrize("seed", range(5))
def test_merging_shard_by_shard_gives_the_events_of_merging_everything(seed: int) -> None:
    rows = mentions(seed, 300)
    whole = event_merge.merge(rows, PERSONS)
    shards = event_shards.plan(sorted({(r["type"], r["date"]) for r in rows}))
    by_shard = []
    for kind, dates in shards:
        part = [r for r in rows if r["type"] == kind and r["date"] in dates]
        by_shard.extend(event_shards.shard_events(part, PERSONS))
    assert sorted(by_shard, key=lambda e: e["id"]) == sorted(whole, key=lambda e: e["id"])


def test_a_wide_date_joins_the_years_it_spans_into_one_shard() -> None:
    shards = event_shards.plan(
        [
            ("visit", "2023-09-13"),
            ("visit", "2024"),
            ("visit", "202X"),
            ("visit", "2019"),
            ("meeting", "2023"),
        ]
    )
    assert ("meeting", ["2023"]) in shards
    joined = next(dates for kind, dates in shards if kind == "visit" and "202X" in dates)
    assert sorted(joined) == ["2023-09-13", "2024", "202X"]
    assert ("visit", ["2019"]) in shards


def test_an_unknown_engine_is_refused_with_a_reason() -> None:
    with pytest.raises(DossierError, match="E070"):
        make_engine("spark")


def test_the_local_engine_maps_in_order_and_lazily() -> None:
    pulled: list[int] = []

    def items():
        for i in range(5):
            pulled.append(i)
            yield i

    results = LocalEngine().map(lambda x, k: x * k, items(), 3)
    assert next(results) == 0 and pulled == [0]
    assert list(results) == [3, 6, 9, 12]


def test_the_local_engine_lets_go_of_an_item_before_the_next_is_made() -> None:
    class Rows(list):  # a shard's rows: what should not be held twice
        pass

    made: list[weakref.ref[Rows]] = []
    held_while_making: list[bool] = []

    def items():
        for i in range(3):
            held_while_making.append(any(r() is not None for r in made))
            rows = Rows(range(i))
            made.append(weakref.ref(rows))
            yield rows
            del rows

    assert list(LocalEngine().map(len, items())) == [0, 1, 2]
    assert held_while_making == [False, False, False]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_ray_build_of_the_example_corpus_exports_what_the_local_build_does(
    tmp_path, db_url, built_store: Store
) -> None:
    engine = make_engine("ray", workers=2)
    try:
        assert engine.name == "ray" and engine.workers == 2
        with Store(db_url(tmp_path, "ray")) as store:
            report = build([CORPUS.as_posix()], store, ctx=Context(engine=engine))
            assert report.articles == 30 and not report.failed
            assert comparable_export(store) == comparable_export(built_store)
    finally:
        engine.close()


def test_the_build_command_names_an_unknown_engine(runner, tmp_path, db_url) -> None:
    from dossier.cli import app

    db = db_url(tmp_path, "x")
    result = runner.invoke(app, ["build", CORPUS.as_posix(), "--db", db, "--engine", "spark"])
    assert result.exit_code == 2
    assert "E070" in result.output
