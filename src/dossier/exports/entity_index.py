"""The data of the HTML dossier's entity index: for each entity, the sentences that mention it."""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Any

from dossier.store.sqlite import Store

MAX_SENTENCES = 200  # per entity: enough to read, small enough for one page


def entity_sentences(store: Store) -> dict[str, list[dict[str, Any]]]:
    """entity id → [{article, line, text, surface}], one row per sentence (first mention's surface),
    in article and text order, at most :data:`MAX_SENTENCES` per entity."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in store.mention_rows():
        by_article[m["article"]].append(m)
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[str, str, int]] = set()
    for article_id, mentions in by_article.items():
        sentences = store.sentences(article_id)
        starts = [s["start"] for s in sentences]
        for m in mentions:
            i = bisect.bisect_right(starts, m["start"]) - 1
            if i < 0 or (m["entity"], article_id, i) in seen or len(out[m["entity"]]) >= MAX_SENTENCES:
                continue
            seen.add((m["entity"], article_id, i))
            s = sentences[i]
            out[m["entity"]].append(
                {"article": article_id, "line": s["line"], "text": s["text"], "surface": m["text"]}
            )
    return dict(out)
