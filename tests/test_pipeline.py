"""The build loop end to end on real files, a real local HTTP server and a real SQLite file."""

import gc
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import seed
from dossier import memory, pipeline
from dossier.config import Options
from dossier.pipeline import Context, build, process_item
from dossier.stages import entities, ingest
from dossier.stages.markup import strip_markup
from dossier.store.backend import CORPUS_CACHE_KIB, SMALL_HEAP_KIB
from dossier.store.sqlite import Store

HTML_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Nga và Triều Tiên ký hiệp ước - Tin thế giới</title>
<meta property="og:site_name" content="VnExpress">
<meta property="article:published_time" content="2024-06-19T10:00:00+07:00">
<meta name="author" content="Minh Anh"></head>
<body><nav><a href="/">Trang chủ</a> | <a href="/the-gioi">Thế giới</a></nav>
<article><h1>Nga và Triều Tiên ký hiệp ước</h1>
<p>Tổng thống Nga Vladimir Putin và nhà lãnh đạo Triều Tiên Kim Jong Un đã ký hiệp ước đối tác chiến
lược toàn diện tại Bình Nhưỡng hôm 19/6, theo truyền thông hai nước.</p>
<p>Hiệp ước buộc mỗi bên phải hỗ trợ bên kia nếu bị tấn công từ bên ngoài, ông Putin cho biết sau lễ ký.</p>
<p>Mỹ và các đồng minh bày tỏ quan ngại sâu sắc về mối quan hệ quân sự ngày càng chặt chẽ giữa hai nước.</p>
</article><footer>© 2024 Báo điện tử. Liên hệ quảng cáo.</footer></body></html>
"""


def test_build_of_the_corpus_stores_articles_with_sentences(built_store: Store):
    counts = built_store.counts()
    assert counts["sources"] == 5 and counts["sources_ok"] == 5
    assert counts["articles"] == 30
    assert counts["sentences"] > 500


def test_every_sentence_points_at_the_source_line_it_starts_on(built_store: Store):
    for article in built_store.articles():
        lines = built_store.source_lines(article["source_id"])
        for sentence in built_store.sentences(article["id"]):
            head = sentence["text"].split("\n")[0][:25]
            assert head in strip_markup(lines[sentence["line"] - 1]).text, (article["title"], sentence)


def test_rebuilding_the_same_bytes_is_a_no_op(tmp_path: Path, store: Store):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed("003"), folder)
    first = build([folder.as_posix()], store)
    before = [dict(a) for a in store.articles()]
    second = build([folder.as_posix()], store)
    assert len(first.added) == 1 and second.added == [] and len(second.unchanged) == 1
    assert (first.processed, first.skipped, second.processed, second.skipped) == (1, 0, 0, 1)
    assert [dict(a) for a in store.articles()] == before


def test_a_changed_file_is_a_new_version_and_replaces_the_old_articles(tmp_path: Path, store: Store):
    path = tmp_path / "bai.txt"
    path.write_text("Tiêu đề cũ\nNội dung bài viết cũ về hội nghị thượng đỉnh.\n", encoding="utf-8")
    build([path.as_posix()], store)
    path.write_text("Tiêu đề mới\nNội dung bài viết mới về hiệp ước đối tác.\n", encoding="utf-8")
    build([path.as_posix()], store)
    versions = [(s["version"], s["status"]) for s in store.sources()]
    assert versions == [(1, "superseded"), (2, "ok")]
    assert [a["title"] for a in store.articles()] == ["Tiêu đề mới"]


def test_bytes_met_twice_in_a_build_are_processed_once_and_each_build_starts_afresh(
    tmp_path: Path, store: Store
):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed("003"), folder / "a.txt")
    shutil.copy(seed("003"), folder / "b.txt")  # the same bytes under another name
    shutil.copy(seed("004"), folder / "c.txt")
    first = build([folder.as_posix()], store)
    assert [Path(u).name for u in first.added] == ["a.txt", "c.txt"] and first.processed == 2
    assert [Path(u).name for u in first.unchanged] == ["b.txt"] and first.skipped == 1
    # a forced rebuild on the same connection meets every file anew: each of the bytes once again
    forced = build([folder.as_posix()], store, Options(force=True), list_uris=False)
    assert (forced.processed, forced.skipped, forced.added, forced.unchanged) == (2, 1, [], [])
    assert sorted(Path(s["uri"]).name for s in store.sources()) == ["a.txt", "c.txt"]


def test_a_broken_file_is_recorded_and_the_batch_goes_on(tmp_path: Path, store: Store):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed("004"), folder)
    (folder / "anh.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\xff")
    (folder / "rong.txt").write_bytes(b"")
    report = build([folder.as_posix(), (tmp_path / "missing.txt").as_posix()], store)
    assert len(report.added) == 1
    errors = {Path(f["uri"]).name: f["error"] for f in store.failures()}
    assert errors["anh.html"].startswith("E002")
    assert errors["rong.txt"].startswith("E004")
    assert errors["missing.txt"].startswith("E011")
    assert store.counts()["articles"] == 1


def test_html_goes_through_trafilatura_with_metadata(tmp_path: Path, store: Store):
    page = tmp_path / "bai.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    build([page.as_posix()], store)
    (article,) = list(store.articles())
    assert article["title"] == "Nga và Triều Tiên ký hiệp ước"
    assert article["published"] == "2024-06-19"
    assert article["outlet"] == "VnExpress"
    assert article["authors"] == ["Minh Anh"]
    assert "Hiệp ước buộc mỗi bên" in article["text"]
    assert "Trang chủ" not in article["text"] and "Liên hệ quảng cáo" not in article["text"]
    lines = HTML_PAGE.split("\n")
    sentence = next(s for s in store.sentences(article["id"]) if s["text"].startswith("Hiệp ước buộc"))
    assert "Hiệp ước buộc" in lines[sentence["line"] - 1]


def test_urls_are_fetched_over_http_and_failures_recorded(http_server: tuple[str, Path], store: Store):
    base, root = http_server
    (root / "bai.html").write_text(HTML_PAGE, encoding="utf-8")
    (root / "ban-tin.txt").write_bytes(seed("003").read_bytes())
    report = build([f"{base}/bai.html", f"{base}/ban-tin.txt", f"{base}/error", f"{base}/loop"], store)
    assert len(report.added) == 2
    sources = {s["uri"]: s for s in store.sources()}
    assert sources[f"{base}/bai.html"]["media_type"] == "text/html"
    assert sources[f"{base}/ban-tin.txt"]["media_type"] == "text/plain"
    errors = {f["uri"]: f["error"] for f in store.failures()}
    assert errors[f"{base}/error"].startswith("E005") and "500" in errors[f"{base}/error"]
    assert errors[f"{base}/loop"].startswith("E005")
    # the same bytes over HTTP as on disk are one source
    build([seed("003").as_posix()], store)
    assert sum(1 for s in store.sources() if s["status"] == "ok") == 2


def test_oversized_file_is_refused_with_the_limit(tmp_path: Path, store: Store):
    big = tmp_path / "lon.txt"
    big.write_text("Tiêu đề\n" + "Nội dung. " * 1000, encoding="utf-8")
    report = build([big.as_posix()], store, Options(max_bytes=1000))
    assert report.failed and report.failed[0][1].startswith("E008")


def test_after_its_first_source_the_collector_no_longer_walks_what_the_stages_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    gc.unfreeze()  # as in a new process
    monkeypatch.setattr(memory, "_settled", False)
    threshold = gc.get_threshold()
    try:
        ctx = Context()
        loaded = entities.recogniser(ctx)
        assert any(o is loaded for o in gc.get_objects())
        (tmp_path / "a.html").write_text(HTML_PAGE, encoding="utf-8")
        source = next(ingest.collect([str(tmp_path / "a.html")], ctx.options))
        kind, done = process_item(("process", source), ctx)
        assert kind == "done" and len(done.articles) == 1
        assert not any(o is loaded for o in gc.get_objects())  # frozen: no collection walks it
        assert gc.get_threshold()[0] == memory.YOUNG_THRESHOLD
    finally:
        gc.set_threshold(*threshold)


def test_the_corpus_stages_run_in_a_small_sqlite_heap_given_back_after(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
):
    if store.dialect != "sqlite":
        pytest.skip("SQLite's heap limit")

    def limits() -> tuple[int, int]:
        c = store.conn
        return c.execute("PRAGMA soft_heap_limit").fetchone()[0], c.execute("PRAGMA cache_size").fetchone()[0]

    seen: list[tuple[int, int]] = []
    first, *rest = pipeline.CORPUS_STAGES
    watched = replace(first, run=lambda s, c: (seen.append(limits()), first.run(s, c)))
    monkeypatch.setattr(pipeline, "CORPUS_STAGES", [watched, *rest])
    before = limits()
    (tmp_path / "a.html").write_text(HTML_PAGE, encoding="utf-8")
    build([str(tmp_path / "a.html")], store)
    assert seen == [(SMALL_HEAP_KIB * 1024, -CORPUS_CACHE_KIB)]  # negative: KiB
    assert limits() == before
    assert store.counts()["articles"] == 1
