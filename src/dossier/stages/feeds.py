"""RSS and Atom feeds the user names: the feed is fetched, then the item links it lists.

Naming a feed is asking for its items, so its links are fetched — with the same limits as any URL
(size, time, redirects, schemes) — and nothing else: links inside the items' pages are never followed.
A feed remembers the links it has already given (in the store's build state), so a feed read again
only fetches its new items.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

from lxml import etree

from dossier.config import Options
from dossier.errors import DossierError
from dossier.stages.ingest import fetch_url, url_scheme
from dossier.store.sqlite import Store

MAX_ITEMS = 200  # links taken from one reading of a feed, the first listed first
_REMEMBERED = 5000  # links remembered per feed


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def feed_links(data: bytes, base_url: str, limit: int = MAX_ITEMS) -> list[str]:
    """The item links of an RSS (0.9x, 1.0, 2.0) or Atom document, absolute, once each, in the order
    listed. Raises E074 when the document is not a feed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DossierError("E074", uri=base_url, reason=exc) from exc
    if root is None or _local(root.tag) not in ("rss", "rdf", "feed"):
        found = _local(root.tag) if root is not None else "no XML"
        raise DossierError("E074", uri=base_url, reason=f"its root element is {found}")
    links: list[str] = []
    for item in root.iter():
        kind = _local(item.tag)
        if kind == "item":  # RSS: <link>URL</link>, else a permalink <guid>
            link = next((c.text for c in item if _local(c.tag) == "link" and c.text), None)
            if link is None:
                link = next(
                    (c.text for c in item if _local(c.tag) == "guid" and c.get("isPermaLink") != "false"),
                    None,
                )
        elif kind == "entry":  # Atom: <link href=… rel="alternate"> (rel defaults to alternate)
            link = next(
                (
                    c.get("href")
                    for c in item
                    if _local(c.tag) == "link" and c.get("href") and c.get("rel", "alternate") == "alternate"
                ),
                None,
            )
        else:
            continue
        if link:
            absolute = urljoin(base_url, link.strip())
            if url_scheme(absolute) and absolute not in links:
                links.append(absolute)
        if len(links) >= limit:
            break
    return links


def _state_key(url: str) -> str:
    return f"feed:{url}"


def new_items(store: Store, url: str, options: Options, limit: int = MAX_ITEMS) -> list[str]:
    """Fetch the feed at ``url`` and return the item links it lists that it never gave before (all of
    them with ``options.force``). Raises DossierError when the feed cannot be fetched or read."""
    feed = fetch_url(url, options)
    links = feed_links(feed.data, url, limit)
    seen = set(json.loads(store.build_state(_state_key(url)) or "[]"))
    return links if options.force else [link for link in links if link not in seen]


def remember(store: Store, url: str, links: list[str]) -> None:
    """Record that the feed at ``url`` gave ``links`` (the most recent few thousand are kept)."""
    known = json.loads(store.build_state(_state_key(url)) or "[]")
    merged = list(dict.fromkeys([*known, *links]))[-_REMEMBERED:]
    store.set_build_state(_state_key(url), json.dumps(merged))
