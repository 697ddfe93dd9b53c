"""The explorer's pages and JSON API through the ASGI test client: every page renders what the store
holds (or "none yet"), article text is always escaped, errors are clear, and JSON matches the pages."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend_pass import StoreLocations
from dossier.models import Mention, Quote, Source, TimeExpr
from dossier.pipeline import PIPELINE_VERSION, process
from dossier.store.sqlite import Store
from dossier.web.app import create_app

HOSTILE = """Tin <script>alert('tiêu đề')</script> về Bình Nhưỡng
RFI Tiếng Việt
Đăng ngày: 18/06/2024 - 10:15

Ông Putin nói "<img src=x onerror=alert(1)>" tại Bình Nhưỡng hôm 18/06.

Đoạn hai <a href="javascript:alert(2)" onclick="alert(3)">bấm</a> và <svg onload=alert(4)> với Kim Jong Un.
"""


def _hostile_store(path: Path | str) -> tuple[Store, str]:
    store = Store(path)
    done = process(
        Source(uri="evil/<b>capture</b>.txt", data=HOSTILE.encode("utf-8"), media_type="text/plain")
    )
    assert done.status == "ok", done.error
    art = done.articles[0]
    text = art.text
    putin = text.index("Putin")
    kim = text.index("Kim Jong Un")
    when = text.index("18/06")
    quote = text.index("<img")
    art.mentions = [
        Mention(putin, putin + 5, "Putin", "ent-putin<script>", "person", line=5),
        Mention(kim, kim + 11, "Kim Jong Un", "ent-kim", "person", line=7),
    ]
    art.times = [TimeExpr(when, when + 5, "18/06", "2024-06-18", "day", "explicit", line=5)]
    art.quotes = [
        Quote(
            quote,
            quote + len("<img src=x onerror=alert(1)>"),
            "<img src=x onerror=alert(1)>",
            "ông Putin",
            "ent-putin<script>",
            line=5,
        )
    ]
    store.save(done, PIPELINE_VERSION)
    store.replace_entities(
        [
            {
                "id": "ent-putin<script>",
                "type": "person",
                "name": "Putin <script>alert(5)</script>",
                "aliases": ["Putin"],
            },
            {"id": "ent-kim", "type": "person", "name": "Kim Jong Un", "aliases": ["Kim Jong Un", "ông Kim"]},
        ]
    )
    store.replace_events(
        [
            {
                "id": "evt-1",
                "date": "2024-06-18",
                "type": "visit",
                "summary": "Putin <b onmouseover=alert(6)>visits</b> Pyongyang",
                "participants": ["ent-putin<script>", "ent-kim"],
                "evidence": [{"article": art.id, "line": 5, "text": text.split("\n")[0]}],
            },
            {
                "id": "evt-2",
                "date": "2023-09-13",
                "type": "meeting",
                "summary": "Kim meets Putin",
                "participants": ["ent-kim"],
                "evidence": [{"article": art.id, "line": 7, "text": "Đoạn hai"}],
            },
        ]
    )
    store.replace_claims(
        [
            {
                "id": "clm-1",
                "text": "claim <script>alert(7)</script>",
                "asserted_by": ["ent-kim"],
                "denied_by": ["ent-putin<script>"],
                "evidence": [{"article": art.id, "line": 5, "text": "<i>evidence</i>", "stance": "deny"}],
            }
        ]
    )
    return store, art.id


@pytest.fixture
def hostile(tmp_path: Path, db_url: StoreLocations) -> Iterator[tuple[TestClient, str]]:
    store, article_id = _hostile_store(db_url(tmp_path, "hostile"))
    with TestClient(create_app(store.path)) as client:
        yield client, article_id
    store.close()


@pytest.fixture(scope="module")
def corpus_client(built_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(built_store.path)) as client:
        yield client


PAGES = ["/", "/articles", "/timeline", "/entities", "/network", "/coverage", "/claims", "/ask", "/api"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_on_the_example_corpus(corpus_client: TestClient, path: str) -> None:
    response = corpus_client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert 'src="/static/explore.js"' in response.text
    assert "http://" not in response.text.replace("http://{host}", "") or "cdn" not in response.text.lower()


def test_pages_of_an_empty_store_say_none_yet(tmp_path: Path, db_url: StoreLocations) -> None:
    db = db_url(tmp_path, "empty")
    Store(db).close()
    with TestClient(create_app(db)) as client:
        for path in ["/timeline", "/entities", "/network", "/coverage", "/claims"]:
            response = client.get(path)
            assert response.status_code == 200
            assert "None yet" in response.text, path


def test_no_asset_comes_from_another_site(corpus_client: TestClient) -> None:
    for path in PAGES:
        html = corpus_client.get(path).text
        for attr in ('src="http', "src='http", 'href="http', "href='http", "//cdn", "@import"):
            assert attr not in html, (path, attr)
    assert corpus_client.get("/static/explore.css").status_code == 200
    assert corpus_client.get("/docs").status_code == 404  # Swagger UI would load a CDN


class _Tags(HTMLParser):
    """Every tag and attribute a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize(
    "path",
    ["/search?q=binh+nhuong", "/search?q=script", "/articles/{id}", "/articles/{id}?q=script", "/timeline",
     "/entities/ent-putin%3Cscript%3E", "/entities/ent-kim", "/claims", "/network", "/coverage", "/articles",
     "/search?q=&entity=ent-kim"],
)  # fmt: skip
def test_article_content_is_escaped_everywhere(hostile: tuple[TestClient, str], path: str) -> None:
    client, article_id = hostile
    response = client.get(path.replace("{id}", article_id))
    assert response.status_code == 200, response.text
    parser = _Tags()
    parser.feed(response.text)
    for tag, attrs in parser.tags:
        assert tag not in ("img", "b", "i", "iframe", "object", "embed"), (path, tag, attrs)
        assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
        assert not any((v or "").strip().lower().startswith("javascript:") for v in attrs.values()), (
            path,
            attrs,
        )
        if tag == "script":
            assert attrs.get("src") == "/static/explore.js", (path, attrs)
    if path not in ("/network", "/coverage"):  # these show no text from the hostile capture
        assert "&lt;" in response.text


def test_the_reader_marks_entities_times_quotes_and_search_words_with_provenance(
    hostile: tuple[TestClient, str],
) -> None:
    client, article_id = hostile
    page = client.get(f"/api/articles/{article_id}?q=binh nhuong").json()
    assert page["source_uri"] == "evil/<b>capture</b>.txt"
    assert (page["start_line"], page["end_line"]) == (1, 7)
    marks = [m for p in page["paragraphs"] for m in p["marks"]]
    assert any(m["entity"] == "ent-kim" and m["text"] == "Kim Jong Un" for m in marks)
    assert any(m["time"] == "2024-06-18" and m["text"] == "18/06" for m in marks)
    assert any(m["quote"] and "onerror" in m["text"] for m in marks)
    assert [m["text"] for m in marks if m["hit"]] == ["Bình", "Nhưỡng"]
    assert [p["line"] for p in page["paragraphs"]] == [5, 7]
    html = client.get(f"/articles/{article_id}?q=binh nhuong").text
    assert '<a class="m-entity" href="/entities/ent-kim" data-type="person">Kim Jong Un</a>' in html
    assert '<time class="m-time" datetime="2024-06-18" title="2024-06-18">18/06</time>' in html
    assert "<mark>Bình</mark>" in html
    assert 'id="L5"' in html and "evil/&lt;b&gt;capture&lt;/b&gt;.txt" in html


def test_timeline_filters_by_entity_period_and_type(hostile: tuple[TestClient, str]) -> None:
    client, _ = hostile
    everything = client.get("/api/timeline").json()
    assert [e["id"] for e in everything["events"]] == ["evt-2", "evt-1"]
    assert [e["id"] for e in client.get("/api/timeline?entity=ent-putin%3Cscript%3E").json()["events"]] == [
        "evt-1"
    ]
    assert [e["id"] for e in client.get("/api/timeline?from=2024&to=2024-12").json()["events"]] == ["evt-1"]
    assert [e["id"] for e in client.get("/api/timeline?type=meeting").json()["events"]] == ["evt-2"]
    bad = client.get("/api/timeline?from=June").json()
    assert bad["error"].startswith("E041") and bad["events"] == []
    html = client.get("/timeline?entity=ent-kim").text
    assert 'data-entities="ent-putin&lt;script&gt; ent-kim "' in html


def test_entity_page_shows_names_quotes_neighbours_and_events(hostile: tuple[TestClient, str]) -> None:
    client, _ = hostile
    putin = client.get("/api/entities/ent-putin%3Cscript%3E").json()
    assert putin["name"] == "Putin <script>alert(5)</script>"
    assert putin["mentions"] == 1 and putin["by_month"] == [
        {"month": "2024-06", "mentions": 1, "articles": 1}
    ]
    assert [q["text"] for q in putin["quotes"]] == ["<img src=x onerror=alert(1)>"]
    assert [e["id"] for e in putin["events"]] == ["evt-1"]
    assert client.get("/api/entities/ent-nobody").status_code == 404
    assert client.get("/entities/ent-nobody").status_code == 404


def test_network_links_entities_named_in_the_same_sentence(
    corpus_client: TestClient, built_store: Store
) -> None:
    net = corpus_client.get("/api/network?limit=30").json()
    if not built_store.mentions():
        pytest.skip("the build made no entity mentions")
    ids = {n["id"] for n in net["nodes"]}
    assert net["edges"] and all(
        e["source"] in ids and e["target"] in ids and e["weight"] >= 1 for e in net["edges"]
    )
    assert all(40 <= n["x"] <= net["width"] - 40 and 40 <= n["y"] <= net["height"] - 40 for n in net["nodes"])
    html = corpus_client.get("/network?limit=30").text
    assert html.count('class="node"') == len(net["nodes"])


def test_coverage_counts_articles_per_day_per_outlet(corpus_client: TestClient, built_store: Store) -> None:
    cov = corpus_client.get("/api/coverage").json()
    assert sum(c["articles"] for c in cov["cells"]) == built_store.counts()["articles"]
    by_day = sum(b["articles"] for b in cov["bars"])
    assert by_day + cov["not_by_day"] == built_store.counts()["articles"]
    assert cov["first_day"] <= cov["last_day"]


def test_search_api_gives_clear_errors_never_a_crash(corpus_client: TestClient) -> None:
    for q in ['"hiệp ước', "(Nga", "-Nga", "NOT"]:
        response = corpus_client.get("/api/search", params={"q": q})
        assert response.status_code == 200
        assert response.json()["error"].startswith("E040")
        page = corpus_client.get("/search", params={"q": q})
        assert page.status_code == 200 and 'role="alert"' in page.text
    bad = corpus_client.get("/api/search", params={"q": "Nga", "from": "hôm qua"}).json()
    assert bad["error"].startswith("E041")
    assert corpus_client.get("/api/articles/art-missing").json() == {
        "error": {"code": "E042", "message": "E042: no article art-missing in the store"}
    }


def test_search_page_and_api_show_the_same_results(corpus_client: TestClient) -> None:
    data = corpus_client.get("/api/search", params={"q": "hiệp ước", "limit": 5}).json()
    html = corpus_client.get("/search", params={"q": "hiệp ước"}).text
    assert data["total"] >= 2
    for hit in data["hits"]:
        assert f'href="/articles/{hit["id"]}' in html
    assert html.count("<mark>") >= data["total"]


def test_openapi_describes_every_api_path(corpus_client: TestClient) -> None:
    spec = corpus_client.get("/openapi.json").json()
    expected = {"/api/search", "/api/sentences", "/api/articles", "/api/articles/{article_id}",
                "/api/timeline", "/api/entities", "/api/entities/{entity_id}", "/api/network",
                "/api/coverage", "/api/claims", "/api/ask"}  # fmt: skip
    assert expected <= set(spec["paths"])
    assert "SearchPage" in spec["components"]["schemas"] and "Answer" in spec["components"]["schemas"]
    listing = corpus_client.get("/api").text
    assert all(path in listing for path in expected)


def test_ask_page_and_api_answer_with_citations(corpus_client: TestClient) -> None:
    answer = corpus_client.get(
        "/api/ask", params={"q": "Where did Putin go after leaving North Korea?"}
    ).json()
    assert answer["known"] and "Hà Nội" in answer["value"]
    assert answer["citations"][0]["line"] == 16
    html = corpus_client.get("/ask", params={"q": "Ai là tổng thống Pháp?"}).text
    assert 'class="answer unknown"' in html and "Không biết" in html


def test_serve_refuses_a_missing_store(tmp_path: Path, db_url: StoreLocations) -> None:
    from dossier.errors import DossierError

    with pytest.raises(DossierError) as err:
        create_app(db_url.missing(tmp_path))
    assert err.value.code == "E011"
