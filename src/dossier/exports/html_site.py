"""The static HTML dossier: plain files with relative links and no external assets, readable straight
from disk. Every page escapes what it shows; article text is never trusted as markup."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from dossier import __version__
from dossier.exports._common import date_label, paragraphs
from dossier.exports.entity_index import entity_sentences
from dossier.store.sqlite import Store
from dossier.timeline import page as timeline_page

LISTING_PAGES = ("index", "sources", "entities", "timeline", "quotes", "claims")
# Article ids become file names; anything but a stable id could escape the articles/ folder.
_SAFE_ID = re.compile(r"art-[0-9A-Za-z_-]+")


def environment() -> Environment:
    """The Jinja2 environment for the site: HTML-escaping on for every template and string."""
    return Environment(
        loader=PackageLoader("dossier.exports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def article_page(article_id: str) -> str:
    """The site-relative path of an article's page; refuses ids that are not plain stable ids."""
    if not _SAFE_ID.fullmatch(article_id):
        raise ValueError(f"not an article id: {article_id!r}")
    return f"articles/{article_id}.html"


def _shared(store: Store) -> dict[str, Any]:
    """What several pages show, read from the store once."""
    articles = list(store.articles())
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for art in articles:
        by_source[art["source_id"]].append(art)
    entities = store.entities()
    return {
        "articles": articles,
        "articles_by_source": by_source,
        "titles": {a["id"]: a["title"] or a["id"] for a in articles},
        "sources": store.sources(),
        "counts": store.counts(),
        "entities": entities,
        "entity_sentences": entity_sentences(store),
        "names": {e["id"]: e["name"] for e in entities},
        "events": store.events(),
        "timeline": timeline_page(store),
        "times": store.times(),
        "quotes": store.quotes(),
        "said_by": _said_by(store.quotes()),
        "claims": store.claims(),
        "dates": {a["id"]: date_label(a) for a in articles},
        "date_label": date_label,
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "version": __version__,
    }


def _said_by(quotes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each speaker entity's quotations and statements, in store order."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in quotes:
        if q["speaker"]:
            out[q["speaker"]].append(q)
    return dict(out)


def _original_lines(store: Store, art: dict[str, Any]) -> list[tuple[int, str]]:
    lines = store.source_lines(art["source_id"])
    last = min(art["end_line"], len(lines))
    return [(n, lines[n - 1]) for n in range(art["start_line"], last + 1)]


def _article_context(store: Store, articles: list[dict[str, Any]], i: int) -> dict[str, Any]:
    art = articles[i]
    return {
        "article": art,
        "paragraphs": paragraphs(art),
        "original": _original_lines(store, art),
        "previous": articles[i - 1] if i > 0 else None,
        "next": articles[i + 1] if i + 1 < len(articles) else None,
    }


def _write(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def write_site(store: Store, out_dir: Path) -> Path:
    """Write the dossier site into ``out_dir`` (created if missing) and return ``out_dir``.

    Pages: index.html (counts, chronological contents, sources), sources.html, entities.html,
    timeline.html, quotes.html, claims.html, one articles/<id>.html per article, and style.css.
    """
    out_dir = Path(out_dir)
    env = environment()
    shared = _shared(store)
    for name in LISTING_PAGES:
        page = env.get_template(f"{name}.html").render(shared, root="", page=name)
        _write(out_dir / f"{name}.html", page)
    template = env.get_template("article.html")
    for i, art in enumerate(shared["articles"]):
        context = _article_context(store, shared["articles"], i)
        html = template.render(shared, root="../", page="article", **context)
        _write(out_dir / article_page(art["id"]), html)
    css = resources.files("dossier.exports").joinpath("templates/style.css").read_text(encoding="utf-8")
    _write(out_dir / "style.css", css)
    return out_dir
