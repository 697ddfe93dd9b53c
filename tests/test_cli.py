"""The command line end to end, as a user runs it."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backend_pass import StoreLocations
from conftest import CORPUS, SHARED
from dossier.cli import app
from dossier.exports.json_export import validate


def test_build_status_export_end_to_end(runner: CliRunner, tmp_path: Path, db_url: StoreLocations):
    db = db_url(tmp_path, "d")
    result = runner.invoke(app, ["build", CORPUS.as_posix(), "--db", db])
    assert result.exit_code == 0, result.output
    assert "5 processed, 0 unchanged, 0 failed; 30 articles" in result.output

    again = runner.invoke(app, ["build", CORPUS.as_posix(), "--db", db])
    assert "0 processed, 5 unchanged" in again.output

    status = runner.invoke(app, ["status", "--db", db])
    assert status.exit_code == 0 and "articles" in status.output and "no failed sources" in status.output

    out = tmp_path / "d.json"
    assert runner.invoke(app, ["export", "--db", db, "--format", "json", "-o", out.as_posix()]).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate(doc)
    assert doc["dossier_version"] == "1"
    assert len(doc["articles"]) == 30 and len(doc["sources"]) == 5
    bbc = next(a for a in doc["articles"] if a["span"]["start_line"] == 624)
    assert bbc["published"] == "2023-09-14" and bbc["outlet"] == "BBC News Tiếng Việt"
    assert bbc["source"].startswith("src-") and bbc["id"].startswith("art-")
    bbc_times = {(t["text"], t["value"]) for t in doc["times"] if t["article"] == bbc["id"]}
    assert ("hôm thứ Tư", "2023-09-13") in bbc_times  # 13/09/2023 was a Wednesday
    assert any(e["date"] == "2023-09-13" and e["type"] == "meeting" for e in doc["events"])
    said = {q["speaker"] for q in doc["quotes"]} | {h for c in doc["claims"] for h in c["asserted_by"]}
    assert "ent-vladimir-putin" in said and said - {None} <= {e["id"] for e in doc["entities"]}
    assert any(e["id"] == "ent-north-korea" and e["wikidata"] == "Q423" for e in doc["entities"])
    assert {m["entity"] for m in doc["mentions"]} <= {e["id"] for e in doc["entities"]}

    site = tmp_path / "site"
    assert runner.invoke(app, ["export", "--db", db, "-f", "html", "-o", site.as_posix()]).exit_code == 0
    assert (site / "index.html").is_file() and len(list((site / "articles").glob("*.html"))) == 30
    md = tmp_path / "d.md"
    assert runner.invoke(app, ["export", "--db", db, "-f", "md", "-o", md.as_posix()]).exit_code == 0
    assert "Lịch sử đảo chiều" in md.read_text(encoding="utf-8")
    csv_dir = tmp_path / "csv"
    assert runner.invoke(app, ["export", "--db", db, "-f", "csv", "-o", csv_dir.as_posix()]).exit_code == 0
    assert (csv_dir / "articles.csv").read_text(encoding="utf-8-sig").count("\n") >= 31


def test_missing_store_is_a_clear_error(runner: CliRunner, tmp_path: Path, db_url: StoreLocations):
    result = runner.invoke(app, ["status", "--db", db_url.missing(tmp_path, "none")])
    assert result.exit_code == 2
    assert "E011" in result.output and "does not exist" in result.output


def test_folder_export_without_output_is_a_clear_error(runner: CliRunner, built_store):
    result = runner.invoke(app, ["export", "--db", str(built_store.path), "-f", "html"])
    assert result.exit_code == 2 and "E013" in result.output


def test_pipeline_lists_the_stages_in_order(runner: CliRunner):
    result = runner.invoke(app, ["pipeline"])
    names = [line.split()[1] for line in result.output.splitlines() if line[:1].isdigit()]
    assert names[:5] == ["ingest", "decode", "extract", "segment", "entities"]


@pytest.mark.skipif(not (SHARED / "dev-gold").exists(), reason="needs ../shared/dev-gold")
def test_eval_on_the_dev_gold_meets_the_article_floor(runner: CliRunner, built_store):
    result = runner.invoke(
        app, ["eval", "--db", str(built_store.path), "--gold", str(SHARED / "dev-gold"), "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    span = next(row for row in figures["kinds"]["articles"] if row["metric"] == "span")
    assert span["f1"] >= 0.95
    fields = {row["metric"]: row["value"] for row in figures["kinds"]["articles"] if "value" in row}
    assert min(fields.values()) >= 0.95, fields
