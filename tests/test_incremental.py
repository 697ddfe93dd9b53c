"""Incremental updates: adding files merges them into what exists, removing a source removes what came
only from it, deleted files are pruned, feeds and watched folders give only their new items."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from conftest import CORPUS, seed
from dossier.cli import app
from dossier.engine.compare import comparable_export
from dossier.errors import DossierError
from dossier.incremental import remove
from dossier.pipeline import build
from dossier.stages.feeds import feed_links
from dossier.store.sqlite import Store
from dossier.watch import Watcher, watch


def _paragraphs(prefix: str, k: int = 8) -> list[str]:
    lines = [line.strip() for line in seed(prefix).read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if len(line) > 120][:k]


def article_html(title: str, prefix: str, link: str = "/khong-theo.html") -> str:
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(prefix))
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>Đăng ngày 14/09/2023</p>{body}<p><a href='{link}'>Đọc thêm</a></p></article></body></html>"
    )


def capture(title: str, prefix: str) -> str:
    return "\n\n".join([title, "Đăng ngày: 14/09/2023 - 10:00", *_paragraphs(prefix)]) + "\n"


def test_adding_and_removing_a_source_gives_what_a_build_from_scratch_gives(
    tmp_path, db_url, built_store
) -> None:
    """The corpus built without 000 (the BBC piece 002 copies), then 000 added: the export equals the
    whole corpus built at once (its duplicate pair found, its events merged); 000 removed again: the
    export equals the build without it."""
    rest = [p.as_posix() for p in sorted(CORPUS.glob("*.txt")) if not p.name.startswith("000")]
    with Store(db_url(tmp_path, "inc")) as store:
        build(rest, store)
        without = comparable_export(store)
        report = build([CORPUS.as_posix()], store)
        assert report.added == [seed("000").as_posix()] and len(report.unchanged) == 4
        assert comparable_export(store) == comparable_export(built_store)
        assert (
            store.conn.execute("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
            == 1
        )
        removed = remove(store, seed("000").as_posix())
        assert removed.uris == [seed("000").as_posix()] and removed.articles == 1
        assert comparable_export(store) == without
        with pytest.raises(DossierError, match="E073"):
            remove(store, seed("000").as_posix())


def test_build_prune_removes_files_deleted_from_the_folder(tmp_path, db_url, runner) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(capture("Nga và Triều Tiên ký hiệp ước", "001"), encoding="utf-8")
    (folder / "b.txt").write_text(capture("Thượng đỉnh ở Vostochny", "004"), encoding="utf-8")
    db = db_url(tmp_path, "p")
    assert runner.invoke(app, ["build", str(folder), "--db", db]).exit_code == 0
    (folder / "b.txt").unlink()
    kept = runner.invoke(app, ["build", str(folder), "--db", db])
    assert kept.exit_code == 0
    with Store(db) as store:
        assert store.counts()["sources"] == 2  # without --prune a deleted file stays
    pruned = runner.invoke(app, ["build", str(folder), "--db", db, "--prune"])
    assert pruned.exit_code == 0, pruned.output
    assert "; 1 removed" in " ".join(pruned.output.split())
    with Store(db) as store:
        assert [s["uri"] for s in store.sources()] == [(folder / "a.txt").as_posix()]
        assert all(a["source_uri"].endswith("a.txt") for a in store.articles())


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Tin</title><link>{base}/</link>
{items}
</channel></rss>"""


def _rss(base: str, names: list[str]) -> str:
    items = "\n".join(f"<item><title>{n}</title><link>{base}/{n}</link></item>" for n in names)
    return RSS.format(base=base, items=items)


def test_feed_items_are_fetched_once_and_links_inside_them_never(
    http_server, http_requests, runner, tmp_path, db_url
):
    base, root = http_server
    (root / "bai-1.html").write_text(article_html("Nga và Triều Tiên", "001"), encoding="utf-8")
    (root / "bai-2.html").write_text(article_html("Thượng đỉnh Nga - Triều", "004"), encoding="utf-8")
    (root / "rss.xml").write_text(_rss(base, ["bai-1.html", "bai-2.html"]), encoding="utf-8")
    db = db_url(tmp_path, "f")
    first = runner.invoke(app, ["build", "--feed", f"{base}/rss.xml", "--db", db])
    assert first.exit_code == 0, first.output
    assert sorted(http_requests) == ["/bai-1.html", "/bai-2.html", "/rss.xml"]
    with Store(db) as store:
        assert sorted(s["uri"] for s in store.sources()) == [f"{base}/bai-1.html", f"{base}/bai-2.html"]
    http_requests.clear()
    (root / "bai-3.html").write_text(article_html("Hiệp ước Nga - Triều", "003"), encoding="utf-8")
    (root / "rss.xml").write_text(_rss(base, ["bai-3.html", "bai-1.html", "bai-2.html"]), encoding="utf-8")
    again = runner.invoke(app, ["build", "--feed", f"{base}/rss.xml", "--db", db])
    assert again.exit_code == 0, again.output
    assert http_requests == ["/rss.xml", "/bai-3.html"]  # only the new item; "Đọc thêm" links never
    with Store(db) as store:
        assert store.counts()["sources"] == 3


def test_feed_links_read_rss_atom_and_rdf_and_refuse_other_xml() -> None:
    base = "https://bao.example/tin/"
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="a.html"/>'
        '<link rel="enclosure" href="x.mp3"/></entry><entry><link href="https://bao.example/b.html"/></entry></feed>'
    )
    assert feed_links(atom.encode(), base) == ["https://bao.example/tin/a.html", "https://bao.example/b.html"]
    rdf = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
        "<item><link>https://bao.example/c.html</link></item></rdf:RDF>"
    )
    assert feed_links(rdf.encode(), base) == ["https://bao.example/c.html"]
    rss = (
        "<rss><channel><item><guid>https://bao.example/d.html</guid></item><item><link>d2.html</link></item>"
    )
    assert feed_links((rss + "</channel></rss>").encode(), base) == [
        "https://bao.example/d.html",
        "https://bao.example/tin/d2.html",
    ]
    with pytest.raises(DossierError, match="E074"):
        feed_links(b"<html><body>not a feed</body></html>", base)


def test_watch_builds_only_new_and_changed_files_and_stops_when_told(tmp_path, db_url) -> None:
    folder = tmp_path / "w"
    folder.mkdir()
    a = folder / "a.txt"
    a.write_text(capture("Nga và Triều Tiên ký hiệp ước", "001"), encoding="utf-8")
    with Store(db_url(tmp_path, "w")) as store:
        watcher = Watcher([folder.as_posix()], store)
        assert watcher.poll().built == [a.as_posix()]
        assert watcher.poll().built == []  # nothing new: not even read
        b = folder / "b.txt"
        b.write_text(capture("Thượng đỉnh ở Vostochny", "004"), encoding="utf-8")
        assert watcher.poll().built == [b.as_posix()]
        rounds: list[int] = []
        assert watch(watcher, interval=0, rounds=2, on_round=lambda r: rounds.append(r.number)) == 2
        assert rounds == [4, 5]
        stop = threading.Event()
        # told to stop during a round (as SIGTERM does): it stops after that round, without waiting
        assert watch(watcher, interval=3600, stop=stop, on_round=lambda r: stop.set()) == 1
        assert store.counts()["sources"] == 2


def test_watch_command_runs_bounded_rounds(tmp_path: Path, db_url, runner) -> None:
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / "a.txt").write_text(capture("Nga và Triều Tiên ký hiệp ước", "001"), encoding="utf-8")
    db = db_url(tmp_path, "w")
    result = runner.invoke(app, ["watch", str(folder), "--db", db, "--rounds", "2", "--interval", "0"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "round 1: 1 source(s) built" in said and "round 2: 0 source(s) built" in said
