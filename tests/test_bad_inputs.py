"""The bad-input corpus, made here (nothing downloaded): every kind of broken or hostile input gets a
correct result or a one-line coded reason in ``dossier status``, and the rest of the batch completes.

One folder of bad files is built once (``batch``); the large files, the URLs and the static site each
have their own tests.
"""

from __future__ import annotations

import codecs
import os
import random
import re
import time
import tracemalloc
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backend_pass import StoreLocations
from dossier import pipeline
from dossier.cli import app
from dossier.config import Options
from dossier.pipeline import Stage, build
from dossier.store.sqlite import Store
from dossier.vi import legacy
from dossier.vi.text import match_key

TITLE = "Nga và Triều Tiên ký hiệp ước đối tác chiến lược toàn diện"
BODY = [
    "Tổng thống Nga Vladimir Putin và nhà lãnh đạo Triều Tiên Kim Jong Un đã ký hiệp ước tại Bình Nhưỡng"
    " hôm thứ Tư, theo hãng thông tấn trung ương của hai nước.",
    "Hiệp ước buộc mỗi bên phải giúp đỡ bên kia nếu bị tấn công, ông Putin cho biết sau lễ ký.",
    "Mỹ và các đồng minh bày tỏ quan ngại về quan hệ quân sự ngày càng chặt chẽ giữa hai nước.",
]
ARTICLE = "\n".join([TITLE, *BODY]) + "\n"
PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1>
{paragraphs}
</article></body></html>
"""


def page(title: str = TITLE, body: list[str] = BODY, wrap: str = "<p>{}</p>") -> str:
    return PAGE.format(title=title, paragraphs="\n".join(wrap.format(p) for p in body))


def windows_1258(text: str) -> bytes:
    """Windows-1258 has the shaped letters precomposed and the tones as combining marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        shaped = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(shaped + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


HOSTILE_PAGE = f"""<!doctype html><html><head><meta charset="utf-8"><title>{TITLE}</title>
<script>document.cookie = "stolen"; alert('script-in-head')</script>
<style>body {{ background: url("javascript:alert('css')") }}</style></head>
<body onload="alert('onload')"><article><h1>{TITLE}</h1>
<p onclick="alert('onclick')">{BODY[0]}</p>
<script>alert('script-in-body')</script>
<p>{BODY[1]} Mã độc viết &lt;script&gt;alert('escaped-text')&lt;/script&gt; trong bài.</p>
<img src="x" onerror="alert('onerror')"><svg onload="alert('svg')"></svg>
<p><a href="javascript:alert('href')">{BODY[2]}</a></p>
<iframe src="javascript:alert('iframe')"></iframe>
</article></body></html>
"""


@dataclass
class Batch:
    folder: Path
    store: Store
    report: pipeline.BuildReport

    def source(self, name: str) -> dict[str, object]:
        return next(s for s in self.store.sources() if Path(s["uri"]).name == name)

    def articles(self, name: str) -> list[dict[str, object]]:
        sid = self.source(name)["id"]
        return [a for a in self.store.articles() if a["source_id"] == sid]

    def text(self, name: str) -> str:
        (article,) = self.articles(name)
        return str(article["text"])


def _write_bad_files(folder: Path) -> None:
    utf8 = ARTICLE.encode("utf-8")
    files: dict[str, bytes] = {
        "good.txt": utf8,
        "empty.txt": b"",
        "blank.md": b"  \n\t\n\n",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)),
        "noise.html": random.Random(9).randbytes(8192),
        "report.txt": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
        # cut inside the last character (ớ is three bytes), as an interrupted download leaves it
        "truncated.txt": ARTICLE.rstrip("c.\n").encode("utf-8")[:-1],
        "utf16-bom.txt": codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
        "utf16-le.txt": ARTICLE.encode("utf-16-le"),
        "utf16-be.txt": ARTICLE.encode("utf-16-be"),
        "utf16-ascii.txt": "Hoi nghi thuong dinh\nPutin va Kim Jong Un gap nhau tai Vladivostok.\n".encode(
            "utf-16-le"
        ),
        "cp1258.txt": windows_1258(ARTICLE),
        "tcvn3.txt": legacy.from_unicode(ARTICLE, "tcvn3").encode("cp1252"),
        "vni.txt": legacy.from_unicode(ARTICLE, "vni").encode("cp1252"),
        "vni-saved-as-utf8.html": page(
            legacy.from_unicode(TITLE, "vni"), [legacy.from_unicode(p, "vni") for p in BODY]
        ).encode("utf-8"),
        "nfd.txt": unicodedata.normalize("NFD", ARTICLE).encode("utf-8"),
        "tones.txt": ARTICLE.replace("hòa", "hoà").encode("utf-8")
        + "Hai bên cam kết hòa bình và hoà giải, ông Thủy và bà Thuỷ nói.\n".encode(),
        "nuls.txt": ARTICLE.replace("hiệp ước tại", "hiệp ước\x00 tại").encode("utf-8"),
        "malformed.html": (
            f"<html><body><div><p>{TITLE}<article><h1>{TITLE}</h2><p>{BODY[0]}<p><b>{BODY[1]}</i>"
            f"</td></tr></table><span><p>{BODY[2]}</div></div></div></body></body><p>"
        ).encode(),
        "deep.html": page(wrap="<div><span>" * 1500 + "<p>{}</p>" + "</span></div>" * 1500).encode("utf-8"),
        "hostile.html": HOSTILE_PAGE.encode("utf-8"),
        "line\nbreak.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no disk and no time
    os.mkfifo(folder / "fifo.txt")
    (folder / "self.txt").symlink_to("self.txt")
    loop = folder / "loop"
    loop.mkdir()
    (loop / "up").symlink_to("..")
    (loop / "inner.txt").write_bytes(ARTICLE.replace("hôm thứ Tư", "hôm thứ Năm").encode("utf-8"))


# name → the code of its one-line reason, or None for a correct result
EXPECTED: dict[str, str | None] = {
    "good.txt": None,
    "empty.txt": "E004",
    "blank.md": "E004",
    "image.txt": "E002",
    "noise.html": "E002",
    "report.txt": "E002",
    "huge.txt": "E008",
    "truncated.txt": None,
    "utf16-bom.txt": None,
    "utf16-le.txt": None,
    "utf16-be.txt": None,
    "utf16-ascii.txt": None,
    "cp1258.txt": None,
    "tcvn3.txt": None,
    "vni.txt": None,
    "vni-saved-as-utf8.html": None,
    "nfd.txt": None,
    "tones.txt": None,
    "nuls.txt": None,
    "malformed.html": None,
    "deep.html": None,
    "hostile.html": None,
    "line\nbreak.txt": "E002",
    "fifo.txt": "E035",
    "self.txt": "E001",
    "inner.txt": None,
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, db_url: StoreLocations) -> Iterator[Batch]:
    folder = tmp_path_factory.mktemp("bad")
    _write_bad_files(folder)
    store = Store(db_url(folder.parent, folder.name))
    report = build([folder.as_posix()], store)
    yield Batch(folder, store, report)
    store.close()


def test_every_bad_input_gets_a_result_or_a_coded_reason(batch: Batch):
    by_name = {Path(s["uri"]).name: s for s in batch.store.sources()}
    assert set(by_name) == set(EXPECTED)
    for name, code in EXPECTED.items():
        src = by_name[name]
        if code is None:
            assert src["status"] == "ok", (name, src["error"])
            assert batch.articles(name), name
        else:
            assert src["status"] == "error" and str(src["error"]).startswith(code), (name, src["error"])
    assert len(batch.report.added) == sum(1 for c in EXPECTED.values() if c is None)


def test_status_shows_each_failure_on_one_line(batch: Batch, runner: CliRunner):
    result = runner.invoke(app, ["status", "--db", str(batch.store.path)], terminal_width=60)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for name, code in EXPECTED.items():
        if code is None:
            continue
        shown = name.replace("\n", "\\x0a")
        hits = [ln for ln in lines if f"/{shown}: {code}: " in ln]
        assert len(hits) == 1, (name, result.output)


@pytest.mark.parametrize(
    "name", ["utf16-bom.txt", "utf16-le.txt", "utf16-be.txt", "cp1258.txt", "tcvn3.txt", "vni.txt", "nfd.txt"]
)
def test_other_encodings_and_nfd_give_the_same_article(batch: Batch, name: str):
    (good,) = batch.articles("good.txt")
    (article,) = batch.articles(name)
    assert (article["title"], article["text"]) == (good["title"], good["text"])
    sentences = batch.store.sentences(str(article["id"]))
    assert [s["line"] for s in sentences] == [s["line"] for s in batch.store.sentences(str(good["id"]))]


def test_legacy_encodings_are_named(batch: Batch):
    assert batch.source("tcvn3.txt")["encoding"] == "tcvn3"
    assert batch.source("vni.txt")["encoding"] == "vni"
    assert batch.source("cp1258.txt")["encoding"] == "cp1258"
    assert batch.source("vni-saved-as-utf8.html")["encoding"] == "utf-8+vni"
    (article,) = batch.articles("vni-saved-as-utf8.html")
    assert article["title"] == TITLE and BODY[1] in str(article["text"])


def test_truncated_utf8_keeps_the_text_and_marks_the_cut(batch: Batch):
    assert batch.source("truncated.txt")["encoding"] == "utf-8"
    text = batch.text("truncated.txt")
    assert BODY[1] in text and text.endswith("giữa hai nư\ufffd")


def test_mixed_tone_placement_is_kept_as_written_and_matches(batch: Batch):
    text = batch.text("tones.txt")
    assert "hoà giải" in text and "hòa bình" in text and "Thủy" in text and "Thuỷ" in text
    assert match_key("hoà") == match_key("hòa") and match_key("Thuỷ") == match_key("Thủy")


def test_stray_nul_bytes_are_blanked_not_fatal(batch: Batch):
    assert "hiệp ước  tại" in batch.text("nuls.txt")


def test_malformed_and_deeply_nested_html_still_give_the_article(batch: Batch):
    for name in ("malformed.html", "deep.html"):
        text = batch.text(name)
        assert all(p in text for p in BODY), name


def test_scripts_and_event_handlers_never_reach_the_article(batch: Batch):
    (article,) = batch.articles("hostile.html")
    text = str(article["text"])
    assert BODY[0] in text and BODY[2] in text
    for payload in ("script-in-head", "script-in-body", "onload", "onclick", "onerror", "svg", "href", "css"):
        assert payload not in text
    # escaped markup in the page is text, and stays text
    assert "<script>alert('escaped-text')</script>" in text


def test_the_static_site_escapes_hostile_text(batch: Batch, tmp_path: Path):
    from dossier.exports import export

    site = export(batch.store, "html", tmp_path / "site")
    assert site is not None
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html")]
    assert any("&lt;script&gt;alert(" in p for p in pages)
    # the payloads show as text; none is a tag, an event handler or a link
    for html in pages:
        assert not re.search(r"<script[^>]*>[^<]*alert", html)
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.I)
        assert not re.search(r"(?:href|src)\s*=\s*[\"']?\s*javascript:", html, re.I)


def test_a_symlink_loop_is_walked_once(batch: Batch):
    uris = [s["uri"] for s in batch.store.sources()]
    assert sum(1 for u in uris if u.endswith("inner.txt")) == 1
    assert (
        "loop" in batch.source("self.txt")["error"].lower() or "symbolic" in batch.source("self.txt")["error"]
    )


def test_a_bug_in_a_stage_is_recorded_and_the_batch_goes_on(store: Store, tmp_path: Path, monkeypatch):
    def explode(article: object, ctx: object) -> object:
        if "Bình Nhưỡng" in getattr(article, "text", ""):
            raise RecursionError("maximum recursion depth exceeded")
        return article

    stage = Stage("explode", "fails on one article", explode)
    monkeypatch.setattr(pipeline, "ARTICLE_STAGES", [*pipeline.ARTICLE_STAGES, stage])
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Tiêu đề khác\nMột bài viết khác về hội nghị thượng đỉnh.\n", encoding="utf-8"
    )
    report = build([tmp_path.as_posix()], store)
    assert [Path(u).name for u in report.added] == ["b.txt"]
    (failure,) = store.failures()
    assert failure["error"].startswith("E037") and "explode" in failure["error"]
    assert "RecursionError" in failure["error"]


def _measured_build(folder: Path, store: Store) -> tuple[pipeline.BuildReport, float, int]:
    """Build ``folder`` with a good article added: (report, seconds, peak bytes Python allocated)."""
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    started = time.monotonic()
    tracemalloc.start()
    try:
        report = build([folder.as_posix()], store)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return report, time.monotonic() - started, peak


def test_a_200_mb_file_is_refused_before_reading(tmp_path: Path, store: Store):
    huge = tmp_path / "lon.txt"
    with huge.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    report, seconds, peak = _measured_build(tmp_path, store)
    assert seconds < 10
    assert peak < 20 * 1024 * 1024  # nothing near the file's size was allocated
    assert [Path(u).name for u in report.added] == ["good.txt"]
    assert report.failed[0][1].startswith("E008") and "209715200 bytes" in report.failed[0][1]


def test_a_file_of_one_50_mb_line_is_refused_with_bounded_memory(tmp_path: Path, store: Store):
    line = tmp_path / "mot-dong.txt"
    sentence = "Tổng thống Nga và nhà lãnh đạo Triều Tiên ký hiệp ước tại Bình Nhưỡng. ".encode()
    with line.open("wb") as fh:
        fh.write(sentence * (50_000_000 // len(sentence) + 1))
    size = line.stat().st_size
    report, seconds, peak = _measured_build(tmp_path, store)
    assert seconds < 20
    # the bytes, and the decoder's working copy of the text: never a copy per stage
    assert peak < 5 * size
    assert [Path(u).name for u in report.added] == ["good.txt"]
    (failure,) = store.failures()
    assert failure["error"].startswith("E030") and "line 1 is" in failure["error"]


def test_urls_that_hang_trickle_loop_fail_or_leave_the_allowed_schemes(
    http_server: tuple[str, Path], http_requests: list[str], store: Store
):
    base, root = http_server
    (root / "bai.html").write_text(page(), encoding="utf-8")
    (root / "lon.txt").write_bytes(ARTICLE.encode() * 2000)
    urls = {
        f"{base}/bai.html": None,
        f"{base}/slow": "E033",
        f"{base}/trickle": "E033",
        f"{base}/loop": "E005",
        f"{base}/error": "E005",
        f"{base}/missing.html": "E005",
        f"{base}/to-ftp": "E032",
        f"{base}/lon.txt": "E031",
        "ftp://127.0.0.1/bai.txt": "E032",
        "file:///etc/passwd": "E032",
        "http://127.0.0.1:9/closed.html": "E005",
    }
    started = time.monotonic()
    report = build(list(urls), store, Options(fetch_timeout=1.0, max_fetch_bytes=100_000))
    assert time.monotonic() - started < 8  # each fetch is cut off at its deadline
    assert report.added == [f"{base}/bai.html"]
    errors = {f["uri"]: f["error"] for f in store.failures()}
    for url, code in urls.items():
        if code:
            assert errors[url].startswith(code), (url, errors[url])
    assert "500" in errors[f"{base}/error"] and "404" in errors[f"{base}/missing.html"]
    assert "redirects" in errors[f"{base}/loop"]
    assert "ftp" in errors[f"{base}/to-ftp"]
    # only what was named was asked for, and the redirect loop stopped at the limit
    assert set(http_requests) == {
        "/bai.html",
        "/slow",
        "/trickle",
        "/loop",
        "/error",
        "/missing.html",
        "/to-ftp",
        "/lon.txt",
    }
    assert http_requests.count("/loop") == Options().max_redirects + 1


def test_links_in_content_are_never_fetched(
    http_server: tuple[str, Path], http_requests: list[str], store: Store, tmp_path: Path
):
    base, root = http_server
    (root / "bai.html").write_text(
        page(body=[*BODY, f'<a href="{base}/next.html">Tiếp</a> <img src="{base}/pixel.png">']).replace(
            "</head>", f'<link rel="canonical" href="{base}/canon.html"></head>'
        ),
        encoding="utf-8",
    )
    (tmp_path / "local.html").write_text((root / "bai.html").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "local.txt").write_text(ARTICLE + f"Xem thêm: {base}/more.html\n", encoding="utf-8")
    build(
        [(tmp_path / "local.html").as_posix(), (tmp_path / "local.txt").as_posix(), f"{base}/bai.html"], store
    )
    assert http_requests == ["/bai.html"]
