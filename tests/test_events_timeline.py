"""The timeline of the example corpus: the command, the HTML page and its chart."""

from pathlib import Path

from typer.testing import CliRunner

from dossier.cli import app
from dossier.exports.html_site import write_site
from dossier.store.sqlite import Store
from dossier.timeline import Entry, timeline
from dossier.timeline_chart import svg
from dossier.timex.values import interval


def test_the_seed_timeline_runs_from_1948_to_november_2024_with_evidence_for_every_entry(built_store: Store):
    entries = timeline(built_store)
    dated = [e for e in entries if e.date]
    assert dated[0].date == "1948" and dated[-1].date.startswith("2024-11")
    starts = [interval(e.date)[0] for e in dated]
    assert starts == sorted(starts)
    for entry in entries:
        assert entry.evidence and all(ev.line >= 1 and ev.text and ev.source_uri for ev in entry.evidence)
    years = {e.date[:4] for e in dated}
    assert {"1948", "1950", "2017", "2019", "2022", "2023", "2024"} <= years


def test_timeline_command_filters_by_entity_and_dates(built_store: Store, runner: CliRunner):
    db = str(built_store.path)
    got = runner.invoke(
        app, ["timeline", "--db", db, "--entity", "Kim Jong Un", "--from", "2023-09", "--to", "2023-09"]
    )
    assert got.exit_code == 0, got.output
    heads = [line for line in got.output.splitlines() if line and not line.startswith(" ")]
    # kept: what overlaps September 2023, so events dated only to the year 2023 too
    assert heads and all(h.split()[0] in ("2023", "2023-09") or h.startswith("2023-09-") for h in heads)
    assert any(h.split()[:2] == ["2023-09-13", "meeting"] and "Vladimir Putin" in h for h in heads)
    assert ".txt:" in got.output  # every piece of evidence names its file and line
    bad = runner.invoke(app, ["timeline", "--db", db, "--from", "13/09/2023"])
    assert bad.exit_code == 2 and "E050" in bad.output


def test_the_html_timeline_groups_by_year_and_draws_the_chart(built_store: Store, tmp_path: Path):
    site = write_site(built_store, tmp_path / "site")
    page = (site / "timeline.html").read_text(encoding="utf-8")
    assert "<svg" in page and "Events per year" in page and "<script" not in page
    assert page.index('id="y1948"') < page.index('id="y2023"') < page.index('id="y2024"')
    assert 'href="articles/art-' in page and "#L" in page  # links to the evidence lines


def test_the_chart_escapes_text_from_articles():
    entry = Entry("evt-1", "2023-09-13", None, "meeting", '<script>alert("x")</script> & co', [], None)
    picture = svg([entry, Entry("evt-2", "1948", None, "other", "founding", [], None)])
    assert "<script>" not in picture and "&lt;script&gt;" in picture and "&amp; co" in picture
    assert picture.startswith("<svg") and picture.count("<rect") >= 2
    assert svg([Entry("evt-3", None, None, "other", "undated", [], None)]) == ""
