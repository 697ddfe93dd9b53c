"""Exports: the JSON contract, Markdown, CSV and the static site, from a store filled by hand."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest

from backend_pass import StoreLocations
from dossier.errors import DossierError
from dossier.exports import export
from dossier.exports.csv_export import safe_cell, write_csv
from dossier.exports.html_site import write_site
from dossier.exports.json_export import build_export, schema, validate, write_json
from dossier.exports.markdown import md_paragraph, render_markdown, write_markdown
from dossier.models import (
    Article,
    Document,
    Mention,
    OffsetMap,
    ProcessedSource,
    Quote,
    Segment,
    Sentence,
    Source,
    TimeExpr,
    stable_id,
)
from dossier.store.sqlite import Store

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PUTIN_TITLE = "Ông Putin nói 'có khả năng' hợp tác quân sự với Kim Jong Un"
EVIL_TITLE = f'Bình Nhưỡng phóng tên lửa {SCRIPT} | thử nghiệm " onmouseover="alert(1)'

BBC_LINES = [
    f"## {PUTIN_TITLE}",  # 1
    "",
    "Tessa Wong",
    "",
    "14 tháng 9 2023",  # 5
    "",
    "Hai bên đã gặp mặt hôm thứ Tư tại trung tâm vũ trụ Vostochny sau khi ông Kim tới Nga bằng tàu hỏa.",
    "",
    'Ông Putin nói: "một người bạn cũ tốt hơn hai người bạn mới".',
    "",  # 10
    f"## {EVIL_TITLE}",
    "",
    "12 tháng 9 2023",
    "",
    f"Triều Tiên đã phóng hai tên lửa đạn đạo ra biển Nhật Bản {IMG}, theo quân đội Hàn Quốc.",  # 15
    "",
    "=cmd|' /C calc'!A0",
    "",
    "- Nhật Bản phản đối vụ phóng, Tokyo cho biết.",
]
TUOITRE_LINES = [
    "Putin gặp Kim Jong Un ở Vostochny",
    "",
    "Hai bên đã gặp mặt hôm thứ Tư tại trung tâm vũ trụ Vostochny sau khi ông Kim tới Nga bằng tàu hỏa.",
]


def make_article(
    source_id: str, lines: list[str], span: tuple[int, int], title: str, body: list[int], **meta: object
) -> Article:
    """An article whose clean text is the given source lines, one paragraph each, with exact offsets."""
    segments, sentences, parts, offset = [], [], [], 0
    for i, n in enumerate(body):
        text = lines[n - 1]
        segments.append(Segment(start=offset, line=n, column=0, length=len(text)))
        sentences.append(Sentence(index=i, start=offset, end=offset + len(text), text=text, line=n))
        parts.append(text)
        offset += len(text) + 1
    return Article(
        source_id=source_id,
        start_line=span[0],
        end_line=span[1],
        title=title,
        text="\n".join(parts),
        offsets=OffsetMap(segments),
        sentences=sentences,
        **meta,
    )


def processed(
    uri: str, lines: list[str], articles: list[Article] | None = None, source: Source | None = None
) -> ProcessedSource:
    source = source or Source(uri=uri, data="\n".join(lines).encode("utf-8"), media_type="text/plain")
    document = Document(source_id=source.id, uri=uri, media_type="text/plain", encoding="utf-8", lines=lines)
    return ProcessedSource(source=source, encoding="utf-8", document=document, articles=articles or [])


def bbc_source() -> tuple[ProcessedSource, Article, Article]:
    data = "\n".join(BBC_LINES).encode("utf-8")
    source = Source(uri="corpus/002_bbc.txt", data=data, media_type="text/plain")
    putin = make_article(
        source.id,
        BBC_LINES,
        (1, 9),
        PUTIN_TITLE,
        [7, 9],
        published="2023-09-14",
        published_time="08:30",
        outlet="BBC News Tiếng Việt",
        authors=["Tessa Wong"],
        contributors=["Laura Bicker"],
    )
    missile = make_article(
        source.id,
        BBC_LINES,
        (11, 19),
        EVIL_TITLE,
        [15, 17, 19],
        published="2023-09-12",
        outlet="VnExpress | Thế giới",
        original_outlet="Yonhap",
        translator="Minh Anh",
    )
    return processed(source.uri, BBC_LINES, [putin, missile], source), putin, missile


def annotate(store: Store, putin: Article, missile: Article) -> None:
    """Entities, mentions, times, an event, a quote and a claim, as the later stages store them."""
    p, k, v = stable_id("ent", "putin"), stable_id("ent", "kim"), stable_id("ent", "vostochny")
    store.replace_entities(
        [
            {
                "id": p,
                "type": "person",
                "name": "Vladimir Putin",
                "wikidata": "Q7747",
                "aliases": ["Putin", "ông Putin"],
            },
            {
                "id": k,
                "type": "person",
                "name": "Kim Jong Un",
                "wikidata": "Q56226",
                "aliases": ["ông Kim", "Kim Jong Un"],
            },
            {"id": v, "type": "facility", "name": "Vostochny", "aliases": ["trung tâm vũ trụ Vostochny"]},
        ]
    )
    putin.mentions = [
        Mention(80, 86, "ông Kim", k, "person", line=7),
        Mention(42, 68, "trung tâm vũ trụ Vostochny", v, "facility", line=7),
        Mention(0, 9, "Ông Putin", p, "person", line=9),
    ]
    putin.times = [TimeExpr(25, 35, "hôm thứ Tư", "2023-09-13", "day", "relative", line=7)]
    putin.quotes = [Quote(10, 52, "một người bạn cũ tốt hơn hai người bạn mới", "Ông Putin", p, line=9)]
    missile.times = [TimeExpr(0, 15, "12 tháng 9 2023", "2023-09-12", "day", "explicit", line=13)]
    store.annotate(putin)
    store.annotate(missile)
    store.replace_events(
        [
            {
                "id": stable_id("evt", 1),
                "date": "2023-09-13",
                "type": "meeting",
                "summary": "Putin và Kim Jong Un gặp nhau ở Vostochny",
                "participants": [p, k],
                "place": v,
                "evidence": [{"article": putin.id, "line": 7, "text": BBC_LINES[6]}],
            },
        ]
    )
    store.replace_claims(
        [
            {
                "id": stable_id("clm", 1),
                "text": "Triều Tiên phóng tên lửa đạn đạo",
                "asserted_by": [],
                "denied_by": [],
                "evidence": [{"article": missile.id, "line": 15, "text": BBC_LINES[14]}],
            },
        ]
    )


@pytest.fixture
def store(tmp_path: Path, db_url: StoreLocations) -> Iterator[Store]:
    """A store with two BBC articles (one with an XSS title), a failed source, a superseded version of a
    Tuổi Trẻ capture whose current version holds an undated duplicate, and one of each annotation."""
    st = Store(db_url(tmp_path))
    bbc, putin, missile = bbc_source()
    st.save(bbc, "test")
    bad = Source(uri="corpus/bad.bin", data=b"\x00\x01\x02", media_type="text/plain")
    st.save(ProcessedSource(source=bad, status="error", error=f"E002: {bad.uri} looks binary"), "test")
    old = processed("corpus/003_tuoitre.txt", TUOITRE_LINES[:1])
    st.save(old, "test")
    new = processed("corpus/003_tuoitre.txt", TUOITRE_LINES)
    copy = make_article(
        new.source.id, TUOITRE_LINES, (1, 3), TUOITRE_LINES[0], [3], outlet="Tuổi Trẻ", duplicate_of=putin.id
    )
    new.articles = [copy]
    st.save(new, "test")
    annotate(st, putin, missile)
    yield st
    st.close()


@pytest.fixture
def empty_store(tmp_path: Path, db_url: StoreLocations) -> Iterator[Store]:
    st = Store(db_url(tmp_path, "empty"))
    yield st
    st.close()


# -- JSON -------------------------------------------------------------------------------------------------


def test_json_export_validates_against_the_schema(store: Store) -> None:
    doc = build_export(store)
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator(schema()).validate(doc)
    validate(doc)
    assert doc["dossier_version"] == "1"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", doc["generated_at"])


def test_json_export_round_trips_stored_articles(store: Store, tmp_path: Path) -> None:
    out = write_json(store, tmp_path / "out" / "dossier.json")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "Bình Nhưỡng" in out.read_text(encoding="utf-8")  # not \u-escaped
    stored = list(store.articles())
    assert [a["id"] for a in doc["articles"]] == [a["id"] for a in stored]
    for got, row in zip(doc["articles"], stored, strict=True):
        assert got["source"] == row["source_id"]
        assert got["span"] == {"start_line": row["start_line"], "end_line": row["end_line"]}
        for key in (
            "title",
            "published",
            "published_time",
            "outlet",
            "original_outlet",
            "authors",
            "translator",
            "contributors",
            "language",
            "text",
            "duplicate_of",
        ):
            assert got[key] == row[key], key
    missile = next(a for a in doc["articles"] if a["title"] == EVIL_TITLE)
    assert missile["original_outlet"] == "Yonhap" and missile["translator"] == "Minh Anh"


def test_json_export_lists_failed_and_superseded_sources(store: Store) -> None:
    sources = build_export(store)["sources"]
    by_status = {s["status"]: s for s in sources}
    assert set(by_status) == {"ok", "error", "superseded"}
    assert by_status["error"]["error"].startswith("E002")
    assert by_status["superseded"]["version"] == 1
    assert [s["version"] for s in sources if s["uri"] == "corpus/003_tuoitre.txt"] == [1, 2]


def test_json_export_round_trips_annotations(store: Store) -> None:
    doc = build_export(store)
    assert doc["entities"] == [{k: e[k] for k in doc["entities"][0]} for e in store.entities()]
    kim = next(e for e in doc["entities"] if e["name"] == "Kim Jong Un")
    assert kim["mention_count"] == 1 and kim["wikidata"] == "Q56226"
    assert doc["mentions"] == store.mentions()
    assert doc["times"] == store.times()
    assert doc["quotes"] == [{k: q[k] for k in doc["quotes"][0]} for q in store.quotes()]
    assert doc["events"][0]["type"] == "meeting" and doc["events"][0]["evidence"][0]["line"] == 7
    assert doc["claims"][0]["evidence"][0]["line"] == 15


def test_json_to_stdout_when_no_path(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert write_json(store, None) is None
    assert json.loads(capsys.readouterr().out)["dossier_version"] == "1"


def test_empty_store_exports_a_valid_document(empty_store: Store) -> None:
    doc = build_export(empty_store)
    validate(doc)
    assert doc["articles"] == [] and doc["claims"] == []


def _broken(doc: dict, change: Callable[[dict], object]) -> None:
    change(doc)
    with pytest.raises(DossierError) as err:
        validate(doc)
    assert err.value.code == "E012"


def test_schema_rejects_an_unknown_event_type(store: Store) -> None:
    _broken(build_export(store), lambda d: d["events"][0].update(type="summit"))


@pytest.mark.parametrize("bad", ["2023-9", "2023-09-1", "14/09/2023", "2023-13"])
def test_schema_rejects_dates_that_are_not_iso_with_given_precision(store: Store, bad: str) -> None:
    _broken(build_export(store), lambda d: d["events"][0].update(date=bad))
    _broken(build_export(store), lambda d: d["articles"][0].update(published=bad))


def test_schema_rejects_a_day_value_without_a_day(store: Store) -> None:
    _broken(build_export(store), lambda d: d["times"][0].update(value="2023-09"))


def test_schema_rejects_a_wrong_id_prefix(store: Store) -> None:
    _broken(build_export(store), lambda d: d["quotes"][0].update(id="q-1"))


def test_schema_rejects_a_missing_contract_field(store: Store) -> None:
    _broken(build_export(store), lambda d: d["articles"][0].pop("duplicate_of"))


def test_validate_rejects_evidence_outside_its_article(store: Store) -> None:
    _broken(build_export(store), lambda d: d["claims"][0]["evidence"][0].update(line=3))


def test_validate_rejects_a_dangling_reference(store: Store) -> None:
    _broken(build_export(store), lambda d: d["articles"][0].update(duplicate_of="art-0000"))


def test_export_json_writes_nothing_when_invalid(store: Store, tmp_path: Path) -> None:
    store.conn.execute("UPDATE events SET type = 'summit'")
    out = tmp_path / "dossier.json"
    with pytest.raises(DossierError, match="E012"):
        export(store, "json", out)
    assert not out.exists()


# -- Markdown ---------------------------------------------------------------------------------------------


def _toc_rows(md: str) -> list[str]:
    start = md.index("## Contents")
    return [line for line in md[start:].split("\n\n---", 1)[0].splitlines() if line.startswith("| ")][1:]


def test_markdown_table_of_contents_is_chronological(store: Store, tmp_path: Path) -> None:
    md = write_markdown(store, tmp_path / "dossier.md").read_text(encoding="utf-8")
    rows = _toc_rows(md)
    assert [r.split(" | ")[0] for r in rows] == ["| 2023-09-12", "| 2023-09-14 08:30", "| undated"]
    assert "Tuổi Trẻ" in rows[2]


def test_markdown_escapes_structure_breaking_characters(store: Store) -> None:
    md = render_markdown(store)
    missile_row = _toc_rows(md)[0]
    assert missile_row.count(" | ") == 2  # the title's and outlet's pipes do not add columns
    assert r"VnExpress \| Thế giới" in missile_row
    unescaped_tags = re.findall(r"(?<!\\)<[^>]*>", md)
    assert unescaped_tags and all(re.fullmatch(r'<a id="art-[0-9a-f]+">|</a>', t) for t in unescaped_tags)
    assert r"\<script\>alert(1)\</script\>" in md
    assert "\n\\- Nhật Bản phản đối" in md  # a body line starting with "- " is not a list item
    assert md_paragraph("1. Thứ nhất") == r"1\. Thứ nhất"


def test_markdown_shows_metadata_and_provenance(store: Store) -> None:
    md = render_markdown(store)
    assert "- **Original outlet:** Yonhap" in md
    assert "- **Translator:** Minh Anh" in md
    assert "- **Authors:** Tessa Wong" in md
    assert "- **Contributors:** Laura Bicker" in md
    assert "- **Provenance:** source file corpus/002\\_bbc.txt lines 11–19" in md
    assert "Hai bên đã gặp mặt hôm thứ Tư" in md


# -- CSV --------------------------------------------------------------------------------------------------

CSV_FILES = (
    "articles",
    "sentences",
    "sources",
    "entities",
    "mentions",
    "times",
    "events",
    "quotes",
    "claims",
    "evidence",
)


def _read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_csv_files_have_a_bom_and_a_header_even_when_empty(empty_store: Store, tmp_path: Path) -> None:
    out = write_csv(empty_store, tmp_path / "csv")
    for name in CSV_FILES:
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert raw.count(b"\n") == 1, name


def test_csv_articles_round_trip_vietnamese(store: Store, tmp_path: Path) -> None:
    rows = _read_csv(write_csv(store, tmp_path) / "articles.csv")
    assert [r["published"] for r in rows] == ["2023-09-12", "2023-09-14", ""]
    putin = rows[1]
    assert putin["title"] == PUTIN_TITLE and putin["contributors"] == "Laura Bicker"
    assert putin["authors"] == "Tessa Wong" and putin["source_uri"] == "corpus/002_bbc.txt"
    assert putin["chars"] == str(len(BBC_LINES[6]) + 1 + len(BBC_LINES[8]))
    assert rows[0]["title"] == EVIL_TITLE and rows[0]["original_outlet"] == "Yonhap"


def test_csv_neutralises_formula_cells(store: Store, tmp_path: Path) -> None:
    sentences = _read_csv(write_csv(store, tmp_path) / "sentences.csv")
    texts = [s["text"] for s in sentences]
    assert "'=cmd|' /C calc'!A0" in texts
    assert "'- Nhật Bản phản đối vụ phóng, Tokyo cho biết." in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    cells = [safe_cell(v) for v in ("+1", "@x", "bình thường", 5, None, ["a", "b"])]
    assert cells == ["'+1", "'@x", "bình thường", 5, "", "a; b"]


def test_csv_annotations_and_sources(store: Store, tmp_path: Path) -> None:
    out = write_csv(store, tmp_path)
    assert {r["status"] for r in _read_csv(out / "sources.csv")} == {"ok", "error", "superseded"}
    assert [r["type"] for r in _read_csv(out / "events.csv")] == ["meeting"]
    evidence = {(r["kind"], r["line"]) for r in _read_csv(out / "evidence.csv")}
    assert evidence == {("event", "7"), ("claim", "15")}
    assert len(_read_csv(out / "mentions.csv")) == 3


# -- HTML -------------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The links, element ids and tags of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture
def site(store: Store, tmp_path: Path) -> Path:
    return write_site(store, tmp_path / "site")


def test_site_has_every_page(site: Path, store: Store) -> None:
    for name in ("index", "sources", "entities", "timeline", "quotes", "claims"):
        assert (site / f"{name}.html").is_file(), name
    assert (site / "style.css").is_file()
    for art in store.articles():
        assert (site / "articles" / f"{art['id']}.html").is_file()


def test_site_links_are_relative_and_resolve(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    parsed = {page.resolve(): _parse(page) for page in pages}
    for page, info in parsed.items():
        for link in info.links:
            if re.fullmatch(r"https://www\.wikidata\.org/wiki/Q\d+", link):
                continue  # the entity index links each entity's Wikidata page, the one outside link
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc and not link.startswith("/"), (page, link)
            target = (page.parent / parts.path).resolve() if parts.path else page
            assert target.is_file(), (page, link)
            if parts.fragment:
                assert parts.fragment in parsed[target].ids, (page, link)


def test_site_escapes_article_text_everywhere(site: Path, store: Store) -> None:
    missile = next(a for a in store.articles() if a["title"] == EVIL_TITLE)
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.lower() and "<img" not in html.lower(), page
        for tag, attributes in _parse(page).tags:
            assert tag not in ("script", "img", "iframe"), page
            assert not any(name.startswith("on") for name in attributes), (page, tag, attributes)
    for page in (site / "index.html", site / "claims.html", site / "articles" / f"{missile['id']}.html"):
        html = page.read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, page
    article_html = (site / "articles" / f"{missile['id']}.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in article_html


def test_site_renders_vietnamese(site: Path) -> None:
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<meta charset="utf-8">' in html and '<html lang="vi">' in html, page
    assert "Ông Putin nói" in (site / "index.html").read_text(encoding="utf-8")


def test_article_page_shows_metadata_and_provenance(site: Path, store: Store) -> None:
    missile = next(a for a in store.articles() if a["title"] == EVIL_TITLE)
    page = site / "articles" / f"{missile['id']}.html"
    html = page.read_text(encoding="utf-8")
    info = _parse(page)
    for text in (
        "2023-09-12",
        "VnExpress | Thế giới",
        "Yonhap",
        "Minh Anh",
        "corpus/002_bbc.txt",
        "lines 11–19",
    ):
        assert text in html, text
    lines = [int(a["data-line"]) for tag, a in info.tags if tag == "p" and "data-line" in a]
    assert lines == [15, 17, 19]
    assert 'title="source line 15"' in html
    assert {f"L{n}" for n in range(11, 20)} <= info.ids and "L10" not in info.ids and "L20" not in info.ids
    assert "<details" in html and "12 tháng 9 2023" in html  # an original line that is not in the body


def test_listing_pages_show_what_the_store_has(site: Path) -> None:
    assert "Kim Jong Un" in (site / "entities.html").read_text(encoding="utf-8")
    timeline = (site / "timeline.html").read_text(encoding="utf-8")
    assert "Putin và Kim Jong Un gặp nhau ở Vostochny" in timeline and "hôm thứ Tư" in timeline
    assert "một người bạn cũ tốt hơn hai người bạn mới" in (site / "quotes.html").read_text(encoding="utf-8")
    assert "Triều Tiên phóng tên lửa đạn đạo" in (site / "claims.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "E002: corpus/bad.bin looks binary" in index and "superseded" in index


def test_empty_pages_say_nothing_was_extracted(empty_store: Store, tmp_path: Path) -> None:
    site = write_site(empty_store, tmp_path / "site")
    for name in ("entities", "timeline", "quotes", "claims"):
        assert "none extracted yet" in (site / f"{name}.html").read_text(encoding="utf-8").lower(), name


# -- dispatch ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "html"])
def test_folder_formats_need_an_output_folder(store: Store, fmt: str) -> None:
    with pytest.raises(DossierError, match="E013.*-o DIR"):
        export(store, fmt, None)


def test_export_dispatches_each_format(store: Store, tmp_path: Path) -> None:
    assert export(store, "json", tmp_path / "d.json").is_file()
    assert export(store, "md", tmp_path / "d.md").is_file()
    assert (export(store, "csv", tmp_path / "csv") / "articles.csv").is_file()
    assert (export(store, "html", tmp_path / "site") / "index.html").is_file()
    with pytest.raises(DossierError, match="E014: unknown export format"):
        export(store, "xml", tmp_path / "d.xml")
