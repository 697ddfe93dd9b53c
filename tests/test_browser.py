"""The explorer in a real browser: Playwright drives Debian's Chromium against a uvicorn server the test
starts on a free loopback port. Screenshots go to ``test-artifacts/``.

The acceptance paths of issue 7 are walked as a user would: the treaty's signing date, Kim's visit
itinerary and who denied the weapons transfers, each within three clicks; then the timeline filter, an
entity page, the network and the escaping of hostile article text (no script ever runs).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from backend_pass import StoreLocations
from dossier.store.sqlite import Store
from dossier.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    """uvicorn in a thread, on 127.0.0.1, stopped on exit."""

    def __init__(self, db: Path | str) -> None:
        self.port = _free_port()
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the explorer did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def base(built_store: Store) -> Iterator[str]:
    with _Server(built_store.path) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not dialogs, f"a script ran: {dialogs}"
    assert not errors, f"page errors: {errors}"


def _shot(pg: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_treaty_signing_date_in_two_clicks(page: object, base: str) -> None:
    pg = page
    pg.goto(base + "/")  # type: ignore[attr-defined]
    pg.fill("#q", "hiep uoc ky")  # type: ignore[attr-defined]  # no diacritics typed
    pg.click("form.search button")  # type: ignore[attr-defined]  # click 1
    pg.wait_for_selector("ol.results li.hit")  # type: ignore[attr-defined]
    _shot(pg, "search-treaty")
    first = pg.locator("ol.results li.hit").first  # type: ignore[attr-defined]
    assert "hiệp ước" in first.inner_text().lower()
    assert first.locator("mark").count() >= 2
    first.locator("a.title").click()  # click 2
    pg.wait_for_selector("article.reader")  # type: ignore[attr-defined]
    _shot(pg, "article-treaty")
    assert "003_ecbc9c42466f50f7.txt" in pg.inner_text("#provenance")  # type: ignore[attr-defined]
    signed = pg.locator("article.reader p", has_text="đã ký một hiệp ước")  # type: ignore[attr-defined]
    assert "19/06" in signed.inner_text()
    assert signed.get_attribute("id") == "L3"


def test_kim_itinerary_is_shown_in_the_results(page: object, base: str) -> None:
    pg = page
    pg.goto(base + "/")  # type: ignore[attr-defined]
    pg.fill("#q", "Kim Komsomolsk Vladivostok")  # type: ignore[attr-defined]
    pg.press("#q", "Enter")  # type: ignore[attr-defined]  # click 1
    pg.wait_for_selector("ol.results li.hit")  # type: ignore[attr-defined]
    _shot(pg, "search-itinerary")
    text = pg.inner_text("ol.results")  # type: ignore[attr-defined]
    assert "Komsomolsk" in text and "Vladivostok" in text
    pg.locator("ol.results li.hit a.title").first.click()  # type: ignore[attr-defined]  # click 2
    pg.wait_for_selector("article.reader")  # type: ignore[attr-defined]
    assert "Komsomolsk" in pg.inner_text("article.reader")  # type: ignore[attr-defined]


def test_who_denied_the_weapons_transfers_via_the_ask_box(page: object, base: str) -> None:
    pg = page
    pg.goto(base + "/timeline")  # type: ignore[attr-defined]  # the ask box is on every page
    pg.fill("header .ask-box input", "Who denied the weapons transfers?")  # type: ignore[attr-defined]
    pg.click("header .ask-box button")  # type: ignore[attr-defined]  # click 1
    pg.wait_for_selector("#answer")  # type: ignore[attr-defined]
    _shot(pg, "ask-denied")
    answer = pg.inner_text("#answer")  # type: ignore[attr-defined]
    assert "Triều Tiên" in answer or "Bình Nhưỡng" in answer
    assert pg.locator("#answer.known").count() == 1  # type: ignore[attr-defined]
    pg.locator("ol.citations a").first.click()  # type: ignore[attr-defined]  # click 2: the cited sentence
    pg.wait_for_selector("article.reader")  # type: ignore[attr-defined]
    target = pg.locator("article.reader p:target")  # type: ignore[attr-defined]
    assert "phủ nhận" in target.inner_text() or "bác bỏ" in target.inner_text()


def test_timeline_filters_without_reloading_and_opens_an_entity(
    page: object, tmp_path: Path, db_url: StoreLocations
) -> None:
    from test_web import _hostile_store

    store, _ = _hostile_store(db_url(tmp_path, "timeline"))
    with _Server(store.path) as url:
        pg = page
        pg.goto(url + "/timeline")  # type: ignore[attr-defined]
        assert pg.locator("ol.timeline li.event:visible").count() == 2  # type: ignore[attr-defined]
        pg.select_option("#tl-entity", "ent-putin<script>")  # type: ignore[attr-defined]
        assert pg.locator("ol.timeline li.event:visible").count() == 1  # type: ignore[attr-defined]
        assert pg.inner_text("#tl-count") == "1 of 2 events shown"  # type: ignore[attr-defined]
        pg.select_option("#tl-entity", "")  # type: ignore[attr-defined]
        pg.fill("#tl-from", "2024-01")  # type: ignore[attr-defined]
        assert pg.locator("ol.timeline li.event:visible").count() == 1  # type: ignore[attr-defined]
        _shot(pg, "timeline-filtered")
        pg.locator("ol.timeline li.event:visible a.entity", has_text="Kim Jong Un").first.click()  # type: ignore[attr-defined]
        pg.wait_for_selector("h1")  # type: ignore[attr-defined]
        assert pg.inner_text("h1") == "Kim Jong Un"  # type: ignore[attr-defined]
        assert "ông Kim" in pg.inner_text("#aliases")  # type: ignore[attr-defined]
        _shot(pg, "entity-kim")
        # hostile text shows as text, and no script ran (the page fixture fails on any dialog)
        pg.goto(url + "/claims")  # type: ignore[attr-defined]
        assert "<script>alert(7)</script>" in pg.inner_text("main")  # type: ignore[attr-defined]
        pg.goto(url + "/search?q=img")  # type: ignore[attr-defined]
        pg.locator("ol.results a.title").first.click()  # type: ignore[attr-defined]
        pg.wait_for_selector("article.reader")  # type: ignore[attr-defined]
        assert "<img src=x onerror=alert(1)>" in pg.inner_text("article.reader")  # type: ignore[attr-defined]
        assert pg.locator("article.reader img, article.reader svg").count() == 0  # type: ignore[attr-defined]
        _shot(pg, "article-hostile")
    store.close()


def test_network_and_coverage_draw_and_link(page: object, base: str, built_store: Store) -> None:
    pg = page
    pg.goto(base + "/coverage")  # type: ignore[attr-defined]
    assert pg.locator("#coverage rect.bar").count() > 0  # type: ignore[attr-defined]
    _shot(pg, "coverage")
    pg.goto(base + "/network")  # type: ignore[attr-defined]
    nodes = pg.locator("#network a.node")  # type: ignore[attr-defined]
    if not built_store.mentions():
        assert "None yet" in pg.inner_text("main")  # type: ignore[attr-defined]
        return
    assert nodes.count() > 1
    _shot(pg, "network")
    node = nodes.first
    node.hover()
    assert pg.locator("#network line.lit").count() >= 1  # type: ignore[attr-defined]
    name = node.get_attribute("data-id")
    node.click()
    pg.wait_for_selector("h1")  # type: ignore[attr-defined]
    assert pg.url.endswith("/entities/" + (name or ""))  # type: ignore[attr-defined]
