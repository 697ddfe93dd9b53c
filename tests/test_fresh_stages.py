"""The corpus stages each in a fresh interpreter (``dossier.fresh_stages``): the real ``dossier build``
replaces its process stage by stage and leaves the store an in-process build leaves; a stage that
cannot run leaves the cross-article objects to the next build."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backend_pass import StoreLocations
from conftest import CORPUS
from dossier import fresh_stages
from dossier.cli import app
from dossier.config import Options
from dossier.engine.compare import comparable_export
from dossier.fresh_stages import Plan, command, wanted
from dossier.pipeline import FINALIZE_PENDING, Context, build, finish_build
from dossier.store import bulk_indexes
from dossier.store.lock import build_lock
from dossier.store.sqlite import Store

DOSSIER = Path(sys.executable).with_name("dossier")  # the command users run, from this environment


def _events(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])


def test_a_build_with_fresh_stages_leaves_the_store_of_an_in_process_build(
    tmp_path: Path, db_url: StoreLocations, built_store: Store
) -> None:
    db = db_url(tmp_path)
    done = subprocess.run(
        [str(DOSSIER), "build", CORPUS.as_posix(), "--db", db, "--fresh-stages", "always"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # the summary, then a line from each step's own interpreter, in order
    lines = ("30 articles written", "  indexes:", "  dedup:", "  entities:", "  events:", "  claims:")
    said = [done.stderr.index(line) for line in lines]
    assert said == sorted(said)
    with Store(db) as store:
        assert store.build_state(FINALIZE_PENDING) is None
        assert comparable_export(store) == comparable_export(built_store)


def test_a_stage_that_cannot_run_leaves_the_cross_article_objects_to_the_next_build(
    tmp_path: Path, db_url: StoreLocations, built_store: Store
) -> None:
    db = db_url(tmp_path)
    with Store(db) as store:
        report = build([CORPUS.as_posix()], store, finish=False)
        assert report.stale and report.processed == 5
        assert store.build_state(FINALIZE_PENDING) == "1" and _events(store) == 0
        argv, env = command(Plan(db=db, options=asdict(Options())))
        with build_lock(store.path):  # another build holds the store
            held = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        assert held.returncode == 1
        assert "step indexes" in held.stderr and "E036" in held.stderr
        assert store.build_state(FINALIZE_PENDING) == "1" and _events(store) == 0
        assert bulk_indexes.deferred(store)  # set aside while the sources were written, not made again
        # the next build finds nothing new to process and recomputes what the stage left
        again = build([CORPUS.as_posix()], store)
        assert again.processed == 0 and not again.stale
        assert store.build_state(FINALIZE_PENDING) is None and not bulk_indexes.deferred(store)
        assert comparable_export(store) == comparable_export(built_store)
        assert finish_build(store) is False  # nothing left to recompute


def test_auto_runs_the_stages_apart_for_a_large_store(
    built_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = Context()
    assert not wanted(built_store, ctx, "auto")  # 30 articles
    assert wanted(built_store, ctx, "always") and not wanted(built_store, ctx, "never")
    monkeypatch.setattr(fresh_stages, "MIN_ARTICLES", 30)
    assert wanted(built_store, ctx, "auto")
    with pytest.raises(ValueError, match="mode"):
        wanted(built_store, ctx, "sometimes")


def test_an_unknown_mode_or_a_missing_plan_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["build", CORPUS.as_posix(), "--db", str(tmp_path / "x.sqlite"), "--fresh-stages", "sometimes"]
    )
    assert result.exit_code == 2 and "--fresh-stages takes one of auto, always, never" in result.output
    assert not (tmp_path / "x.sqlite").exists()
    env = {"PATH": "/usr/bin:/bin"}
    alone = subprocess.run(
        [sys.executable, "-m", "dossier.fresh_stages"], env=env, capture_output=True, text=True, timeout=60
    )
    assert alone.returncode == 2 and "holds no plan" in alone.stderr
