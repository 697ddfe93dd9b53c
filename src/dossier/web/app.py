"""``dossier serve``: the dossier explorer — search, reader, timeline, entities, network, coverage,
claims and questions — as server-rendered pages and a JSON API with an OpenAPI description.

Every page's data is computed once by :mod:`dossier.web.data` and either rendered by a Jinja2
template (HTML-escaping on) or returned as JSON. Assets are files of this package; nothing is loaded
from elsewhere, and a Content-Security-Policy forbids it (and any inline script) in the browser too.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel

from dossier import __version__
from dossier.errors import DossierError
from dossier.store.backend import connect, is_database_url
from dossier.store.search import Filters
from dossier.store.sqlite import Store
from dossier.web import charts, data, reader
from dossier.web.schemas import (
    Answer,
    ArticleList,
    ArticlePage,
    Claims,
    Coverage,
    EntityList,
    EntityPage,
    Network,
    SearchPage,
    SentenceSearch,
    Timeline,
)

NAV = [
    ("search", "/", "Search"),
    ("timeline", "/timeline", "Timeline"),
    ("entities", "/entities", "Entities"),
    ("network", "/network", "Network"),
    ("coverage", "/coverage", "Coverage"),
    ("claims", "/claims", "Claims"),
    ("articles", "/articles", "Articles"),
    ("ask", "/ask", "Ask"),
    ("api", "/api", "API"),
]
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
        " form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_NOT_FOUND = {"E042", "E043"}

Q = Annotated[str, Query(description="what to search for (see the query syntax on /api)")]
Entity = Annotated[str | None, Query(description="an entity id, name or alias")]
Outlet = Annotated[str | None, Query(description="an outlet name (diacritics and case ignored)")]
From = Annotated[str | None, Query(alias="from", description="YYYY, YYYY-MM or YYYY-MM-DD")]
To = Annotated[str | None, Query(alias="to", description="YYYY, YYYY-MM or YYYY-MM-DD")]
EventType = Annotated[str | None, Query(description="meeting, visit, agreement, … (EXPORT.md)")]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dossier.web", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(nav=NAV, version=__version__, bar_width=charts.bar_width)
    return env


class _Stores(threading.local):
    store: Store | None = None


def create_app(db: Path | str) -> FastAPI:
    """The explorer over the store at ``db`` (which must exist)."""
    db = Path(db)
    if not is_database_url(db) and not db.exists():
        raise DossierError("E011", path=db)
    if is_database_url(db):
        connect(db).close()  # E011 when the database is not there, E009 when the server is not
    opened: list[Store] = []  # every request thread's store, closed when the server stops

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        while opened:
            opened.pop().close()

    app = FastAPI(
        lifespan=lifespan,
        title="dossier explorer API",
        version=__version__,
        description=(
            "Read-only JSON over a dossier store: search, articles with their annotations and provenance,"
            " timeline events, entities, the co-occurrence network, coverage, claims and answers to"
            " questions. Every fact carries its article, source file and 1-based line."
        ),
        docs_url=None,  # Swagger UI and ReDoc load their code from a CDN; /api lists the API instead
        redoc_url=None,
    )
    env = _environment()
    local = _Stores()

    def store() -> Store:
        # sqlite3 connections stay in the thread that opened them; requests run in a thread pool
        if local.store is None:
            local.store = Store(db)
            opened.append(local.store)
        return local.store

    app.mount("/static", StaticFiles(packages=[("dossier.web", "static")]), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(DossierError)
    async def dossier_error(request: Request, err: DossierError) -> Response:
        status = 404 if err.code in _NOT_FOUND else 400
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"code": err.code, "message": str(err)}}, status_code=status)
        html = env.get_template("error.html").render(page="", error=str(err), status=status)
        return HTMLResponse(html, status_code=status)

    def render(name: str, page: str, model: BaseModel | None = None, **extra: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(f"{name}.html").render(page=page, m=model, **extra))

    def filters(
        entity: str | None,
        outlet: str | None,
        date_from: str | None,
        date_to: str | None,
        event_type: str | None,
    ) -> Filters:
        return Filters(
            entity=entity or None,
            outlet=outlet or None,
            date_from=date_from or None,
            date_to=date_to or None,
            event_type=event_type or None,
        )

    # -- JSON API ------------------------------------------------------------------------------------
    @app.get("/api/search", response_model=SearchPage, tags=["search"])
    def api_search(
        q: Q = "",
        entity: Entity = None,
        outlet: Outlet = None,
        date_from: From = None,
        date_to: To = None,
        event_type: EventType = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> SearchPage:
        """Articles matching the query and filters, ranked, with highlighted snippets. A query that
        cannot be read comes back with ``error`` set (HTTP 200), never as a server error."""
        return data.search_page(
            store(), q, filters(entity, outlet, date_from, date_to, event_type), limit, offset
        )

    @app.get("/api/sentences", response_model=SentenceSearch, tags=["search"])
    def api_sentences(
        q: Q,
        entity: Entity = None,
        outlet: Outlet = None,
        date_from: From = None,
        date_to: To = None,
        event_type: EventType = None,
        limit: Limit = 20,
    ) -> SentenceSearch:
        """Sentences matching the query, ranked, highlighted, each with its article and source line."""
        return data.sentence_search(
            store(), q, filters(entity, outlet, date_from, date_to, event_type), limit
        )

    @app.get("/api/articles", response_model=ArticleList, tags=["articles"])
    def api_articles(limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Offset = 0) -> ArticleList:
        """Articles, newest first."""
        return reader.article_list(store(), limit, offset)

    @app.get("/api/articles/{article_id}", response_model=ArticlePage, tags=["articles"])
    def api_article(article_id: str, q: str | None = None) -> ArticlePage:
        """One article: metadata, paragraphs with entities, time expressions, quotes (and the words of
        ``q``) marked, its annotations, and its original lines in the source file."""
        return reader.article_page(store(), article_id, q)

    @app.get("/api/timeline", response_model=Timeline, response_model_by_alias=True, tags=["timeline"])
    def api_timeline(
        entity: Entity = None, date_from: From = None, date_to: To = None, type: EventType = None
    ) -> Timeline:
        """Events in date order, filtered by entity, period and type, each with its evidence."""
        return data.timeline(store(), entity, date_from, date_to, type)

    @app.get("/api/entities", response_model=EntityList, tags=["entities"])
    def api_entities() -> EntityList:
        """Every entity, most mentioned first."""
        return data.entity_list(store())

    @app.get("/api/entities/{entity_id}", response_model=EntityPage, tags=["entities"])
    def api_entity(entity_id: str) -> EntityPage:
        """One entity: names, mentions by month, articles, quotes, who it appears with, its events."""
        return data.entity_page(store(), entity_id)

    @app.get("/api/network", response_model=Network, tags=["entities"])
    def api_network(
        limit: Annotated[int, Query(ge=2, le=200)] = 60, min_weight: Annotated[int, Query(ge=1)] = 1
    ) -> Network:
        """The co-occurrence network: entities named in the same sentences, weighted, laid out."""
        return data.network(store(), limit, min_weight)

    @app.get("/api/coverage", response_model=Coverage, tags=["articles"])
    def api_coverage() -> Coverage:
        """Articles per publication day per outlet (and the chart's geometry)."""
        return data.coverage(store())

    @app.get("/api/claims", response_model=Claims, tags=["claims"])
    def api_claims() -> Claims:
        """Contested claims with who asserts and who denies them, and the evidence."""
        return data.claims(store())

    @app.get("/api/ask", response_model=Answer, tags=["ask"])
    def api_ask(
        q: Annotated[str, Query(min_length=1, description="a question in Vietnamese or English")],
    ) -> Answer:
        """An answer from the corpus, with the sentences it rests on; ``known`` is false when the stored
        articles do not answer the question."""
        from dossier.ask import ask

        return ask(store(), q)

    # -- pages -----------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def page_search(
        q: str = "",
        entity: str | None = None,
        outlet: str | None = None,
        date_from: From = None,
        date_to: To = None,
        event_type: str | None = None,
        offset: int = 0,
    ) -> HTMLResponse:
        model = data.search_page(
            store(), q, filters(entity, outlet, date_from, date_to, event_type), 20, max(0, offset)
        )
        return render("search", "search", model, offset=max(0, offset))

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def page_articles(offset: int = 0) -> HTMLResponse:
        return render(
            "articles", "articles", reader.article_list(store(), 100, max(0, offset)), offset=max(0, offset)
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_article(article_id: str, q: str | None = None) -> HTMLResponse:
        return render("article", "articles", reader.article_page(store(), article_id, q))

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def page_timeline(
        entity: str | None = None, date_from: From = None, date_to: To = None, type: str | None = None
    ) -> HTMLResponse:
        return render("timeline", "timeline", data.timeline(store(), entity, date_from, date_to, type))

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def page_entities() -> HTMLResponse:
        return render("entities", "entities", data.entity_list(store()))

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_entity(entity_id: str) -> HTMLResponse:
        return render("entity", "entities", data.entity_page(store(), entity_id))

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def page_network(limit: int = 60, min_weight: int = 1) -> HTMLResponse:
        return render("network", "network", data.network(store(), limit, min_weight))

    @app.get("/coverage", response_class=HTMLResponse, include_in_schema=False)
    def page_coverage() -> HTMLResponse:
        return render("coverage", "coverage", data.coverage(store()))

    @app.get("/claims", response_class=HTMLResponse, include_in_schema=False)
    def page_claims() -> HTMLResponse:
        return render("claims", "claims", data.claims(store()))

    @app.get("/ask", response_class=HTMLResponse, include_in_schema=False)
    def page_ask(q: str = "") -> HTMLResponse:
        from dossier.ask import ask

        answer = ask(store(), q) if q.strip() else None
        return render("ask", "ask", answer, question=q)

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def page_api() -> HTMLResponse:
        spec = app.openapi()
        return render("api", "api", None, spec=spec)

    return app
