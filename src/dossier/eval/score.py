"""Scoring a store against a gold folder, kind by kind, as the gold README prescribes.

Only the gold's sources are scored: a prediction counts when its source's file name (the basename of
the source uri) is one the gold kind names; kinds whose gold names no file (entities, duplicates) use
every file named anywhere in the folder. Matching is one-to-one and greedy: candidate pairs are taken
best first and a prediction or a gold answer is used at most once, so ``tp`` is the number of matched
pairs, ``fp`` the unmatched predictions and ``fn`` the unmatched gold answers. A ratio whose
denominator is 0 is reported as 0.0, so a kind nothing was predicted for shows P = R = F1 = 0.

Figures, by kind (``prf`` figures carry precision/recall/f1/tp/fp/fn, ``rate`` figures value/count/total):

* articles — ``span`` (prf): a predicted article matches a gold one on the same file when their line
  spans overlap by at least 60% of the shorter span. Over matched pairs, rates: ``title`` (NFC,
  case- and whitespace-folded, trailing punctuation stripped), ``published`` (same ISO string; both
  null is right), ``outlet`` and ``original_outlet`` (folded: no diacritics, lower case, a leading
  "the"/"báo" dropped, no spaces or punctuation; equal or one containing the other; both null is
  right), ``authors`` (same set of folded names), ``translator`` (same folded name; both null right).
* boilerplate — ``kept_body_lines`` (rate): gold body lines (inside a gold article span, not listed in
  boilerplate.json, non-empty, not the title) that the predicted articles of the file contain;
  ``removed_boilerplate_lines`` (rate): boilerplate lines they do not contain. A source line is
  contained when a predicted article's offset map has text from it; for an article stored without
  offsets, when its text has a paragraph equal to the line (whitespace-normalised).
* entities — ``entities`` (prf): predicted entities mentioned in an article on a gold file against
  every gold entity, matched as :class:`EntityMatcher` says (Wikidata id or a shared folded alias);
  ``mentions`` (prf): (line, surface) pairs, defined at :func:`score_mentions`.
* events — ``events`` (prf): the predicted date starts with the gold date (agreement at the gold's
  precision; likewise ``date_end`` when both have one) and at least one participant maps to a gold
  participant. ``event_dates_recovered`` (rate): gold events for which an event cited on one of
  their evidence lines carries the gold date at the gold's precision; ``event_times_on_evidence``
  (rate): gold events with a stored time expression on an evidence line whose value is the gold date.
* quotes — ``quotes`` (prf) over direct quotations (indirect statements are not scored): same
  file, the predicted line within the gold quote's lines ±1, and word Jaccard (folded, punctuation
  stripped) of at least 0.6. ``attribution`` (rate, over matched
  quotes): the speaker maps to the gold speaker entity or, when the gold speaker is a description,
  the folded speaker text and the description contain one another.
* claims — ``claims`` (prf; recall is found/total): a predicted claim with evidence on a gold evidence
  line (same file, ±1 line) whose asserted_by shares an entity with the gold's and, when the gold
  names deniers, whose denied_by shares one too.
* duplicates — ``duplicates`` (prf): both copies agree by file and start line (±3), in either order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.eval.gold import Gold, Record, load_gold
from dossier.models import OffsetMap
from dossier.store.sqlite import Store
from dossier.vi.text import fold, fold_tone_placement, nfc

SPAN_OVERLAP = 0.6
QUOTE_JACCARD = 0.6
EVIDENCE_SLACK = 1  # lines
DUPLICATE_SLACK = 3  # lines

Figure = dict[str, Any]
Pair = tuple[int, int]  # (index of a prediction, index of a gold answer)


# -- figures and matching ----------------------------------------------------------------------------


def prf(metric: str, tp: int, fp: int, fn: int) -> Figure:
    """A precision/recall/F1 figure from counts; 0.0 wherever a denominator is 0."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "metric": metric,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def rate(metric: str, count: int, total: int) -> Figure:
    """A single-valued figure: ``count`` out of ``total`` (0.0 when total is 0)."""
    value = round(count / total, 4) if total else 0.0
    return {"metric": metric, "value": value, "count": count, "total": total}


def prf_of(metric: str, pairs: list[Pair], n_predicted: int, n_gold: int) -> Figure:
    return prf(metric, len(pairs), n_predicted - len(pairs), n_gold - len(pairs))


def greedy(candidates: Iterable[tuple[tuple[float, ...], int, int]]) -> list[Pair]:
    """One-to-one pairs from (score, prediction, gold) candidates, best score first; ties keep the
    order the candidates came in, so the result is deterministic."""
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    pairs: list[Pair] = []
    for _, p, g in sorted(candidates, key=lambda c: c[0], reverse=True):
        if p not in used_pred and g not in used_gold:
            used_pred.add(p)
            used_gold.add(g)
            pairs.append((p, g))
    return pairs


# -- keys for comparing text ---------------------------------------------------------------------------


def title_key(text: str | None) -> str:
    """NFC, case-folded, whitespace collapsed, trailing punctuation stripped."""
    key = " ".join(nfc(text or "").casefold().split())
    while key and (unicodedata.category(key[-1]).startswith("P") or key[-1].isspace()):
        key = key[:-1]
    return key


def outlet_key(text: str) -> str:
    """No diacritics, lower case, a leading "the"/"báo" dropped, only letters and digits."""
    words = " ".join(fold(nfc(text)).split())
    stripped = re.sub(r"^(?:the|bao)\b\W*", "", words)
    return re.sub(r"[\W_]+", "", stripped) or re.sub(r"[\W_]+", "", words)


def name_key(text: str) -> str:
    """A name's or description's key: no diacritics, lower case, punctuation read as a space
    (``Kim Jong-un`` → ``kim jong un``)."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(nfc(text))).split())


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(nfc(text))))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def norm_line(text: str) -> str:
    return " ".join(nfc(text).split())


def basename(uri: str) -> str:
    return re.split(r"[\\/]", uri.rstrip("/\\"))[-1]


# -- the store, seen per gold file ---------------------------------------------------------------------


@dataclass
class StoreView:
    """The store's articles indexed by source file name, with the source lines each one came from."""

    articles: dict[str, Record]
    file_of: dict[str, str]  # article id -> file name
    lines: dict[str, list[str] | None]  # file name -> NFC source lines (None: text not available)
    offsets: dict[str, OffsetMap] = field(default_factory=dict)
    covered: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    paragraphs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def build(cls, store: Store, gold: Gold) -> StoreView:
        articles = {a["id"]: a for a in store.articles()}
        file_of = {art_id: basename(art["source_uri"]) for art_id, art in articles.items()}
        view = cls(articles=articles, file_of=file_of, lines={})
        current = [s for s in store.sources() if s["status"] != "superseded"]
        for file in sorted(gold.files):
            stored = [store.source_lines(s["id"]) for s in current if basename(s["uri"]) == file]
            view.lines[file] = next((lines for lines in stored if lines), None) or gold.corpus_lines(file)
        for art_id, art in articles.items():
            file = view.file_of[art_id]
            view.offsets[art_id] = OffsetMap.from_json(art["offsets"])
            if art["offsets"]:
                view.covered[file].update(seg[1] for seg in art["offsets"] if seg[3] > 0)
            else:
                view.paragraphs[file].update(norm_line(p) for p in art["text"].split("\n") if p.strip())
        return view

    def on(self, files: set[str]) -> list[Record]:
        """The predicted articles of these files, in store order."""
        return [a for i, a in self.articles.items() if self.file_of[i] in files]

    def in_scope(self, article_id: str | None, files: set[str]) -> bool:
        return self.file_of.get(article_id or "") in files

    def any_in_scope(self, article_ids: Iterable[str], files: set[str]) -> bool:
        return any(self.in_scope(a, files) for a in article_ids)

    def line_text(self, file: str, line: int) -> str:
        lines = self.lines.get(file) or []
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def has_line(self, file: str, line: int) -> bool:
        """Whether the predicted article text of ``file`` contains source line ``line``."""
        if line in self.covered.get(file, ()):
            return True
        text = norm_line(self.line_text(file, line))
        return bool(text) and text in self.paragraphs.get(file, ())


# -- articles -----------------------------------------------------------------------------------------


def span_overlap(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, float]:
    """(lines shared by two inclusive line spans, that count as a fraction of the shorter span)."""
    shared = max(0, min(a[1], b[1]) - max(a[0], b[0]) + 1)
    shorter = min(a[1] - a[0] + 1, b[1] - b[0] + 1)
    return shared, (shared / shorter if shorter > 0 else 0.0)


def match_articles(preds: list[Record], golds: list[Record], file_of: dict[str, str]) -> list[Pair]:
    """Pairs of articles on the same file whose spans overlap by at least 60% of the shorter one."""
    candidates = []
    for p, pred in enumerate(preds):
        for g, gold in enumerate(golds):
            if file_of[pred["id"]] != gold["file"]:
                continue
            shared, ratio = span_overlap(
                (pred["start_line"], pred["end_line"]), (gold["start_line"], gold["end_line"])
            )
            if ratio >= SPAN_OVERLAP:
                candidates.append(((float(shared), ratio), p, g))
    return greedy(candidates)


def same_outlet(pred: str | None, gold: str | None) -> bool:
    if pred is None or gold is None:
        return pred is None and gold is None
    a, b = outlet_key(pred), outlet_key(gold)
    return a == b or (bool(a) and bool(b) and (a in b or b in a))


def same_name(pred: str | None, gold: str | None) -> bool:
    if pred is None or gold is None:
        return pred is None and gold is None
    return name_key(pred) == name_key(gold)


ARTICLE_FIELDS: dict[str, Callable[[Record, Record], bool]] = {
    "title": lambda p, g: title_key(p["title"]) == title_key(g["title"]),
    "published": lambda p, g: p.get("published") == g.get("published"),
    "outlet": lambda p, g: same_outlet(p.get("outlet"), g.get("outlet")),
    "original_outlet": lambda p, g: same_outlet(p.get("original_outlet"), g.get("original_outlet")),
    "authors": lambda p, g: {name_key(a) for a in p["authors"]} == {name_key(a) for a in g["authors"]},
    "translator": lambda p, g: same_name(p.get("translator"), g.get("translator")),
}


def score_articles(golds: list[Record], ctx: Context) -> list[Figure]:
    """``span`` P/R/F1, then one accuracy rate per field over the matched pairs."""
    preds = ctx.view.on(ctx.gold.files_of("articles"))
    pairs = match_articles(preds, golds, ctx.view.file_of)
    figures = [prf_of("span", pairs, len(preds), len(golds))]
    for name, same in ARTICLE_FIELDS.items():
        right = sum(same(preds[p], golds[g]) for p, g in pairs)
        figures.append(rate(name, right, len(pairs)))
    return figures


# -- boilerplate --------------------------------------------------------------------------------------


def body_lines(
    articles: list[Record], boilerplate: list[Record], view: StoreView
) -> Iterator[tuple[str, int]]:
    """(file, line) of every gold body line: inside a gold span, not boilerplate, not empty, not the
    title."""
    boiler = {(b["file"], b["line"]) for b in boilerplate}
    for art in articles:
        title = title_key(art["title"])
        for line in range(art["start_line"], art["end_line"] + 1):
            text = view.line_text(art["file"], line)
            if text.strip() and (art["file"], line) not in boiler and title_key(text) != title:
                yield art["file"], line


def score_boilerplate(golds: list[Record], ctx: Context) -> list[Figure]:
    """``kept_body_lines`` (when articles.json is there) and ``removed_boilerplate_lines``."""
    figures = []
    articles = ctx.gold.get("articles")
    if articles is not None:
        body = list(body_lines(articles, golds, ctx.view))
        figures.append(rate("kept_body_lines", sum(ctx.view.has_line(f, n) for f, n in body), len(body)))
    removed = sum(not ctx.view.has_line(b["file"], b["line"]) for b in golds)
    figures.append(rate("removed_boilerplate_lines", removed, len(golds)))
    return figures


# -- entities -----------------------------------------------------------------------------------------


def alias_keys(names: list[str]) -> set[str]:
    """The non-empty :func:`name_key` of each name."""
    return {key for key in map(name_key, names) if key}


class EntityMatcher:
    """Which gold entities each predicted entity stands for.

    A predicted entity matches a gold entity when both carry a Wikidata id and the ids are equal, or,
    when either lacks one, when they share an alias after case and diacritic folding (predicted:
    aliases and name; gold: aliases and english_name). Two different Wikidata ids never match, which
    keeps ``Bình Nhưỡng`` the city apart from ``Bình Nhưỡng`` the state when the ids say so.
    """

    def __init__(self, gold: list[Record], predicted: list[Record]) -> None:
        self.gold = {g["id"]: g for g in gold}
        self.predicted = {p["id"]: p for p in predicted}
        self._gold_keys = {g["id"]: alias_keys(g["aliases"] + [g.get("english_name") or ""]) for g in gold}
        self._pred_keys = {p["id"]: alias_keys(p["aliases"] + [p["name"]]) for p in predicted}
        self.links: dict[str, set[str]] = {
            pid: {gid for gid in self.gold if self._matches(pid, gid)} for pid in self.predicted
        }

    def _matches(self, pred_id: str, gold_id: str) -> bool:
        pred_qid, gold_qid = self.predicted[pred_id].get("wikidata"), self.gold[gold_id].get("wikidata")
        if pred_qid and gold_qid:
            return pred_qid == gold_qid
        return bool(self._pred_keys[pred_id] & self._gold_keys[gold_id])

    def gold_ids(self, pred_id: str | None) -> set[str]:
        """The gold entities the predicted entity ``pred_id`` stands for (none for an unknown id)."""
        return self.links.get(pred_id or "", set())

    def shared(self, pred_ids: Iterable[str | None], gold_ids: Iterable[str]) -> set[str]:
        """The gold ids among ``gold_ids`` that some predicted id in ``pred_ids`` stands for."""
        mapped = set().union(*(self.gold_ids(p) for p in pred_ids))
        return mapped & set(gold_ids)

    def pair_score(self, pred_id: str, gold_id: str) -> tuple[float, ...]:
        """How strongly a linked pair agrees: same Wikidata id first, then how many aliases it shares."""
        pred_qid = self.predicted[pred_id].get("wikidata")
        same_qid = bool(pred_qid) and pred_qid == self.gold[gold_id].get("wikidata")
        return (float(same_qid), float(len(self._pred_keys[pred_id] & self._gold_keys[gold_id])))


def score_entities(golds: list[Record], ctx: Context) -> list[Figure]:
    """``entities`` P/R/F1 (predictions: entities mentioned on the gold files), then ``mentions``."""
    files = ctx.gold.files
    preds = [e for e in ctx.matcher.predicted.values() if ctx.view.any_in_scope(e["articles"], files)]
    gold_index = {g["id"]: i for i, g in enumerate(golds)}
    candidates = [
        (ctx.matcher.pair_score(pred["id"], gid), p, gold_index[gid])
        for p, pred in enumerate(preds)
        for gid in sorted(ctx.matcher.gold_ids(pred["id"]))
        if gid in gold_index
    ]
    pairs = greedy(candidates)
    return [prf_of("entities", pairs, len(preds), len(golds)), score_mentions(golds, ctx)]


@dataclass(frozen=True)
class GoldMention:
    file: str
    line: int
    start: int
    end: int
    entities: frozenset[str]


def alias_pattern(entities: list[Record]) -> tuple[re.Pattern[str] | None, dict[str, set[str]]]:
    """A regex finding any gold alias (longest first, whole words; case-sensitive when the alias starts
    with an upper-case letter), and a map from the found text's key to the gold entity ids."""
    owners: dict[str, set[str]] = defaultdict(set)
    alternatives: dict[str, str] = {}
    for ent in entities:
        for alias in ent["aliases"]:
            key = fold_tone_placement(nfc(alias.strip()))
            if not key:
                continue
            if key[0].isupper():
                owners[key].add(ent["id"])
                alternatives[key] = re.escape(key)
            else:
                owners[key.lower()].add(ent["id"])
                alternatives[key.lower()] = f"(?i:{re.escape(key)})"
    if not alternatives:
        return None, owners
    ordered = sorted(alternatives, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives[k] for k in ordered) + r")(?!\w)")
    return pattern, owners


def gold_mentions(ctx: Context, entities: list[Record]) -> list[GoldMention]:
    """Every occurrence of a gold alias inside the gold article spans (whole files when the folder has
    no articles.json), leaving out the lines boilerplate.json says are not article text."""
    pattern, owners = alias_pattern(entities)
    if pattern is None:
        return []
    boiler = {(b["file"], b["line"]) for b in ctx.gold.get("boilerplate") or []}
    articles = ctx.gold.get("articles")
    if articles is not None:
        spans = [(a["file"], a["start_line"], a["end_line"]) for a in articles]
    else:
        spans = [(f, 1, len(ctx.view.lines.get(f) or [])) for f in sorted(ctx.gold.files)]
    found: list[GoldMention] = []
    for file, start, end in spans:
        for line in range(start, end + 1):
            if (file, line) in boiler:
                continue
            for m in pattern.finditer(fold_tone_placement(ctx.view.line_text(file, line))):
                ids = owners.get(m.group(), set()) | owners.get(m.group().lower(), set())
                found.append(GoldMention(file, line, m.start(), m.end(), frozenset(ids)))
    return found


def mention_spans(mention: Record, line_text: str, offsets: OffsetMap | None) -> list[tuple[int, int]]:
    """Where a stored mention sits on its source line, as (start, end) columns.

    ``start`` is read first as an article-text offset (placed through the article's offset map), then
    as a column on the line; when neither puts the mention's text there, every occurrence of the text
    on the line is a candidate. A mention whose text is not on its line has no span.
    """
    want = fold(nfc(mention["text"]))
    folded = fold(line_text)
    n = len(want)
    if not want:
        return []
    if offsets is not None and offsets.segments:
        line, column = offsets.locate(mention["start"])
        if line == mention["line"] and folded[column : column + n] == want:
            return [(column, column + n)]
    if folded[mention["start"] : mention["start"] + n] == want:
        return [(mention["start"], mention["start"] + n)]
    spans, at = [], folded.find(want)
    while at >= 0:
        spans.append((at, at + n))
        at = folded.find(want, at + n)
    return spans


def score_mentions(entities: list[Record], ctx: Context) -> Figure:
    """``mentions`` P/R/F1, at the level of (line, surface) pairs, because the gold has no offsets.

    Gold mentions are found by scanning the source lines inside the gold article spans (less the gold
    boilerplate lines: captions, credits) for every gold alias (longest match, whole words,
    case-sensitive for aliases that start upper-case); each carries the gold entities that own the
    alias (an alias may belong to several, e.g. a capital and its state). Predicted mentions are the
    store's mentions in articles on the gold files. A predicted mention is right when its line has a
    gold mention whose span overlaps its own and whose entities include one its entity maps to
    (:class:`EntityMatcher`); pairs are one-to-one, widest overlap first. Predicted mentions outside
    the gold spans are therefore wrong, and short aliases found inside ordinary words that happen to be
    capitalised count as gold mentions.
    """
    gold = gold_mentions(ctx, entities)
    by_line: dict[tuple[str, int], list[int]] = defaultdict(list)
    for g, mention in enumerate(gold):
        by_line[(mention.file, mention.line)].append(g)
    files = ctx.gold.files
    preds = [m for m in ctx.store.mentions() if ctx.view.in_scope(m["article"], files)]
    candidates = []
    for p, pred in enumerate(preds):
        file = ctx.view.file_of[pred["article"]]
        line_text = ctx.view.line_text(file, pred["line"])
        spans = mention_spans(pred, line_text, ctx.view.offsets.get(pred["article"]))
        linked = ctx.matcher.gold_ids(pred["entity"])
        for g in by_line.get((file, pred["line"]), []):
            target = gold[g]
            overlap = max((min(e, target.end) - max(s, target.start) for s, e in spans), default=0)
            if overlap > 0 and linked & target.entities:
                candidates.append(((float(overlap),), p, g))
    return prf_of("mentions", greedy(candidates), len(preds), len(gold))


# -- events -------------------------------------------------------------------------------------------


def date_agrees(pred: Record, gold: Record) -> bool:
    """The predicted date carries the gold date at the gold's precision (and so does date_end, when
    both have one); a gold event without a date agrees only with an undated prediction."""
    if gold["date"] is None:
        return pred.get("date") is None
    if not (pred.get("date") or "").startswith(gold["date"]):
        return False
    if gold.get("date_end") and pred.get("date_end"):
        return str(pred["date_end"]).startswith(gold["date_end"])
    return True


def evidence_articles(obj: Record) -> list[str]:
    return [ev["article"] for ev in obj["evidence"]]


def evidence_of(items: list[Record], view: StoreView) -> set[tuple[str, int]]:
    """(file, line) of stored evidence rows."""
    return {(view.file_of[e["article"]], e["line"]) for e in items if e["article"] in view.file_of}


def near(pred: set[tuple[str, int]], gold: list[Record]) -> int:
    """How many gold evidence rows have a predicted evidence line on the same file within ±1 line."""
    return sum(
        any(f == ev["file"] and abs(line - ev["line"]) <= EVIDENCE_SLACK for f, line in pred) for ev in gold
    )


def score_events(golds: list[Record], ctx: Context) -> list[Figure]:
    """``events`` P/R/F1 and the ``event_dates_recovered`` rate."""
    files = ctx.gold.files_of("events")
    preds = [e for e in ctx.store.events() if ctx.view.any_in_scope(evidence_articles(e), files)]
    candidates = []
    for p, pred in enumerate(preds):
        evidence = evidence_of(pred["evidence"], ctx.view)
        for g, gold in enumerate(golds):
            shared = ctx.matcher.shared(pred["participants"], gold["participants"])
            if shared and date_agrees(pred, gold):
                exact = float(pred.get("date") == gold["date"])
                score = (float(near(evidence, gold["evidence"])), exact, float(len(shared)))
                candidates.append((score, p, g))
    return [prf_of("events", greedy(candidates), len(preds), len(golds)), *dates_recovered(golds, ctx)]


def dates_recovered(golds: list[Record], ctx: Context) -> list[Figure]:
    """Two rates over the gold events:

    * ``event_dates_recovered``: a stored event cited on one of the gold evidence lines carries the gold
      date at the gold's precision (the event's date may come from another sentence or article that
      was merged into it: the time of the event, not of the line).
    * ``event_times_on_evidence``: a stored time expression on one of the gold evidence lines has the
      gold date as its value (what the temporal tagger alone finds on those lines).
    """
    file_of = ctx.view.file_of
    stored = ctx.store.times()
    times = {(file_of[t["article"]], t["line"], t["value"]) for t in stored if t["article"] in file_of}
    on_line = sum(
        any((ev["file"], ev["line"], gold["date"]) in times for ev in gold["evidence"]) for gold in golds
    )
    cited: dict[tuple[str, int], list[Record]] = {}
    for event in ctx.store.events():
        for ev in event["evidence"]:
            if ev["article"] in file_of:
                cited.setdefault((file_of[ev["article"]], ev["line"]), []).append(event)
    recovered = sum(
        any(
            date_agrees(event, gold)
            for ev in gold["evidence"]
            for event in cited.get((ev["file"], ev["line"]), [])
        )
        for gold in golds
    )
    return [
        rate("event_dates_recovered", recovered, len(golds)),
        rate("event_times_on_evidence", on_line, len(golds)),
    ]


# -- quotes -------------------------------------------------------------------------------------------


def attributed_right(pred: Record, gold: Record, matcher: EntityMatcher) -> bool:
    """The speaker is the gold speaker entity; or, for a gold speaker given as a description, the
    folded speaker text and the description contain one another."""
    if gold["speaker"] in matcher.gold:
        return gold["speaker"] in matcher.gold_ids(pred.get("speaker"))
    said, wanted = name_key(pred.get("speaker_text") or ""), name_key(gold["speaker"])
    return bool(said) and bool(wanted) and (said in wanted or wanted in said)


def score_quotes(golds: list[Record], ctx: Context) -> list[Figure]:
    """``quotes`` P/R/F1 and the ``attribution`` rate over matched quotes."""
    files = ctx.gold.files_of("quotes")
    # the gold holds direct quotations; indirect statements are kept in the same table with kind "indirect"
    stored = [q for q in ctx.store.quotes() if q.get("kind", "direct") == "direct"]
    preds = [q for q in stored if ctx.view.in_scope(q["article"], files)]
    gold_words = [words(g["quote"]) for g in golds]
    candidates = []
    for p, pred in enumerate(preds):
        file, pred_words = ctx.view.file_of[pred["article"]], words(pred["text"])
        for g, gold in enumerate(golds):
            first, last = gold["line"], gold.get("end_line") or gold["line"]
            if file != gold["file"] or not first - EVIDENCE_SLACK <= pred["line"] <= last + EVIDENCE_SLACK:
                continue
            score = jaccard(pred_words, gold_words[g])
            if score >= QUOTE_JACCARD:
                candidates.append(((score,), p, g))
    pairs = greedy(candidates)
    right = sum(attributed_right(preds[p], golds[g], ctx.matcher) for p, g in pairs)
    return [prf_of("quotes", pairs, len(preds), len(golds)), rate("attribution", right, len(pairs))]


# -- claims -------------------------------------------------------------------------------------------


def score_claims(golds: list[Record], ctx: Context) -> list[Figure]:
    """``claims`` P/R/F1: recall is gold claims found over gold claims."""
    files = ctx.gold.files_of("claims")
    preds = [c for c in ctx.store.claims() if ctx.view.any_in_scope(evidence_articles(c), files)]
    candidates = []
    for p, pred in enumerate(preds):
        evidence = evidence_of(pred["evidence"], ctx.view)
        for g, gold in enumerate(golds):
            hits = near(evidence, gold["evidence"])
            asserted = ctx.matcher.shared(pred["asserted_by"], gold["asserted_by"])
            denied = ctx.matcher.shared(pred["denied_by"], gold["denied_by"])
            if hits and asserted and (denied or not gold["denied_by"]):
                candidates.append(((float(len(asserted) + len(denied)), float(hits)), p, g))
    return [prf_of("claims", greedy(candidates), len(preds), len(golds))]


# -- duplicates ---------------------------------------------------------------------------------------


def score_duplicates(golds: list[Record], ctx: Context) -> list[Figure]:
    """``duplicates`` P/R/F1 over pairs (article, the article it duplicates) with both on gold files."""
    files = ctx.gold.files
    preds = []
    for art_id, art in ctx.view.articles.items():
        kept = art.get("duplicate_of")
        if kept in ctx.view.articles and ctx.view.in_scope(art_id, files) and ctx.view.in_scope(kept, files):
            preds.append(
                (
                    (ctx.view.file_of[art_id], art["start_line"]),
                    (ctx.view.file_of[kept], ctx.view.articles[kept]["start_line"]),
                )
            )

    def agrees(end: tuple[str, int], gold: Record) -> bool:
        return end[0] == gold["file"] and abs(end[1] - gold["start_line"]) <= DUPLICATE_SLACK

    candidates = [
        ((1.0,), p, g)
        for p, (x, y) in enumerate(preds)
        for g, gold in enumerate(golds)
        if (agrees(x, gold["a"]) and agrees(y, gold["b"])) or (agrees(x, gold["b"]) and agrees(y, gold["a"]))
    ]
    return [prf_of("duplicates", greedy(candidates), len(preds), len(golds))]


# -- the whole evaluation -----------------------------------------------------------------------------


@dataclass
class Context:
    """What every scorer reads: the gold folder, the store, its per-file view and the entity links."""

    gold: Gold
    store: Store
    view: StoreView
    matcher: EntityMatcher


SCORERS: dict[str, Callable[[list[Record], Context], list[Figure]]] = {
    "articles": score_articles,
    "boilerplate": score_boilerplate,
    "entities": score_entities,
    "events": score_events,
    "quotes": score_quotes,
    "claims": score_claims,
    "duplicates": score_duplicates,
}


def evaluate(store: Store, gold_dir: str | Path) -> dict[str, Any]:
    """Score ``store`` against the gold folder ``gold_dir``.

    Returns ``{"gold": folder, "files": [file names], "kinds": {kind: [figure, ...]}, "notes": [...]}``
    with a kind for each gold file present (in the order of :data:`SCORERS`). Raises E010 when the
    folder is missing or a gold file is malformed.
    """
    gold = load_gold(gold_dir)
    view = StoreView.build(store, gold)
    ctx = Context(gold, store, view, EntityMatcher(gold.get("entities") or [], store.entities()))
    kinds = {kind: scorer(gold.kinds[kind], ctx) for kind, scorer in SCORERS.items() if kind in gold.kinds}
    notes = [
        f"source text of {file} is neither in the store nor in the gold's corpus: its lines are not scored"
        for file, lines in sorted(view.lines.items())
        if lines is None
    ]
    return {"gold": str(gold.path), "files": sorted(gold.files), "kinds": kinds, "notes": notes}
