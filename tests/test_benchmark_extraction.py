"""The article-extraction benchmark script: its scorer on hand-made strings, and a short real run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "article_extraction.py"
DATA = ROOT.parent / "shared" / "benchmarks" / "article-extraction"


def _load_script() -> ModuleType:
    """The benchmark script imported as a module (registered so that its dataclasses resolve)."""
    spec = importlib.util.spec_from_file_location("article_extraction", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load_script()


def scores(truth: str, prediction: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of a one-page benchmark."""
    s = bench.aggregate([bench.match_counts(truth, prediction)])
    return (s.precision, s.recall, s.f1)


# -- the scorer ----------------------------------------------------------------------------------------


def test_tokens_are_word_runs_with_case_kept() -> None:
    assert bench.tokenize("Hello, world! It's 2024.") == ["Hello", "world", "It", "s", "2024"]
    assert bench.tokenize("Tiếng Việt, 日本語") == ["Tiếng", "Việt", "日本語"]
    assert bench.tokenize("") == []


def test_shingles_are_four_token_runs_and_short_texts_give_one() -> None:
    assert bench.shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert bench.shingles("a b") == {("a", "b"): 1}
    assert bench.shingles("  ,. ") == {}


def test_perfect_prediction_scores_one() -> None:
    text = "The quick brown fox jumps over the lazy dog.\n\nA second paragraph follows here."
    assert scores(text, text) == (1.0, 1.0, 1.0)
    # punctuation and whitespace do not matter, only the token sequence
    assert scores(text, "The quick brown fox jumps over the lazy dog A second paragraph follows here") == (
        1.0,
        1.0,
        1.0,
    )


def test_disjoint_prediction_scores_zero() -> None:
    assert scores("alpha beta gamma delta", "one two three four") == (0.0, 0.0, 0.0)
    # case is kept, as upstream: the same words in another case share no shingle
    assert scores("The cat sat down", "the cat sat down") == (0.0, 0.0, 0.0)


def test_partial_overlap_has_the_known_value() -> None:
    # truth shingles: (a b c d), (b c d e); prediction: (a b c d), (b c d x) → tp = fp = fn = 1
    assert bench.match_counts("a b c d e", "a b c d x") == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert scores("a b c d e", "a b c d x") == pytest.approx((0.5, 0.5, 0.5))
    # a prediction missing the last word: tp = 1, fp = 0, fn = 1 → P = 1, R = 1/2, F1 = 2/3
    assert scores("a b c d e", "a b c d") == pytest.approx((1.0, 0.5, 2 / 3))


def test_empty_prediction_has_no_precision_and_zero_recall() -> None:
    pages = [bench.match_counts("a b c d e", "a b c d e"), bench.match_counts("a b c d e", "")]
    s = bench.aggregate(pages)
    assert (s.precision, s.recall) == (1.0, 0.5)  # the empty page only counts for recall
    assert s.f1 == pytest.approx(2 / 3)
    assert bench.aggregate([]) == bench.Scores(0.0, 0.0, 0.0)


def test_a_raising_extractor_scores_as_empty_and_is_listed() -> None:
    pages = [bench.Page("p1", b"<p>x</p>", "a b c d e"), bench.Page("p2", b"<p>y</p>", "f g h i j")]

    def flaky(page: object) -> str:
        if page is pages[1]:
            raise ValueError("boom")
        return "a b c d e"

    run = bench.run_extractor("flaky", flaky, pages)
    assert run.bodies == {"p1": "a b c d e", "p2": ""}
    assert run.failures == [("p2", "ValueError: boom")]
    assert bench.score_run(run, pages) == bench.Scores(1.0, 0.5, pytest.approx(2 / 3))


def test_missing_data_folder_exits_with_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.md"
    assert bench.main(["--data", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    assert "not found" in capsys.readouterr().err
    assert not out.exists()


# -- a short real run ----------------------------------------------------------------------------------


@pytest.mark.skipif(not DATA.is_dir(), reason="the shared article-extraction benchmark is not present")
def test_benchmark_on_three_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.md"
    assert bench.main(["--limit", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    rows = {
        cells[0]: cells[1:]
        for line in printed.splitlines()
        if line.startswith("| ") and not line.startswith("| extractor")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert bench.DOSSIER_NAME in rows and bench.TRAFILATURA_NAME in rows
    for pages, precision, recall, f1, _seconds in rows.values():
        assert pages == "3"
        assert all(0.0 <= float(v) <= 1.0 for v in (precision, recall, f1))
    report = out.read_text(encoding="utf-8")
    assert "--limit 3" in report and bench.DOSSIER_NAME in report
