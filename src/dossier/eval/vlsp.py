"""The VLSP-2016 NER format, and scoring the recogniser on it.

A VLSP file holds one word per line, tab-separated: word, POS tag, chunk tag, NER tag (BIO with PER,
ORG, LOC, MISC), sometimes a fifth column of nested tags; sentences are separated by blank lines,
sometimes wrapped in ``<s>``/``</s>`` lines. A word may be several syllables, joined by spaces or
underscores (``Hà_Nội``).

Scoring is CoNLL's: an entity is right when its first word, last word and type all agree; precision,
recall and F1 overall and per type. The recogniser reads each sentence as plain text (words joined by
spaces) and its mentions are mapped back to the words they cover; the KB's types map to VLSP's
(country, place and facility → LOC; weapon-system and other → MISC).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.errors import DossierError
from dossier.eval.score import prf
from dossier.ner.crf import TYPE_LABELS, spans

LABELS = ("PER", "ORG", "LOC", "MISC")


@dataclass
class VlspSentence:
    words: list[str]
    tags: list[str]  # the NER column, BIO
    pos: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def offsets(self) -> list[tuple[int, int]]:
        """(start, end) of each word in :attr:`text`."""
        out, at = [], 0
        for word in self.words:
            out.append((at, at + len(word)))
            at += len(word) + 1
        return out


def read_vlsp(path: Path) -> list[VlspSentence]:
    """The sentences of a VLSP-2016 column file (UTF-8); raises E063 on a malformed line."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DossierError("E063", path=path, line=0, reason=exc) from exc
    sentences: list[VlspSentence] = []
    words: list[str] = []
    tags: list[str] = []
    pos: list[str] = []

    def close() -> None:
        if words:
            sentences.append(VlspSentence(list(words), list(tags), list(pos)))
        words.clear(), tags.clear(), pos.clear()

    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line in ("<s>", "</s>") or line.startswith("-DOCSTART-"):
            close()
            continue
        cols = line.split("\t") if "\t" in line else line.split()
        if len(cols) < 4:
            raise DossierError("E063", path=path, line=number, reason=f"expected 4 columns, got {len(cols)}")
        tag = cols[3]
        if tag != "O" and (tag[:2] not in ("B-", "I-") or tag[2:] not in LABELS):
            raise DossierError("E063", path=path, line=number, reason=f"unknown NER tag {tag!r}")
        words.append(cols[0].replace("_", " "))
        pos.append(cols[1])
        tags.append(tag)
    close()
    return sentences


def entities_of(tags: list[str]) -> set[tuple[int, int, str]]:
    """(first word, last word + 1, type) of every entity in a BIO tag sequence."""
    return set(spans(tags))


def predicted_tags(sentence: VlspSentence, mentions: list[Any]) -> list[str]:
    """BIO tags over the sentence's words for the recogniser's mentions (outermost first)."""
    bounds = sentence.offsets()
    tags = ["O"] * len(bounds)
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        covered = [i for i, (s, e) in enumerate(bounds) if s < m.end and e > m.start]
        if not covered or any(tags[i] != "O" for i in covered):
            continue
        label = TYPE_LABELS.get(m.type, "MISC")
        tags[covered[0]] = f"B-{label}"
        for i in covered[1:]:
            tags[i] = f"I-{label}"
    return tags


def score_vlsp(path: Path, recognise: Any) -> dict[str, Any]:
    """Score ``recognise(text) -> mentions`` on a VLSP file: overall and per-type P/R/F1."""
    sentences = read_vlsp(path)
    counts: dict[str, Counter[str]] = {label: Counter() for label in ("all", *LABELS)}
    for sentence in sentences:
        gold = entities_of(sentence.tags)
        pred = entities_of(predicted_tags(sentence, recognise(sentence.text)))
        for label in ("all", *LABELS):
            g = {e for e in gold if label in ("all", e[2])}
            p = {e for e in pred if label in ("all", e[2])}
            counts[label].update(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    figures = [prf(label, c["tp"], c["fp"], c["fn"]) for label, c in counts.items()]
    return {"file": str(path), "sentences": len(sentences), "figures": figures}


def render(result: dict[str, Any]) -> str:
    lines = [f"VLSP file: {result['file']} ({result['sentences']} sentences)", ""]
    lines.append(f"{'type':<6} {'P':>6} {'R':>6} {'F1':>6}  counts")
    for f in result["figures"]:
        lines.append(
            f"{f['metric']:<6} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f}  "
            f"tp={f['tp']} fp={f['fp']} fn={f['fn']}"
        )
    return "\n".join(lines)


def evaluate_vlsp(path: Path) -> dict[str, Any]:
    """Score the project's recogniser (packaged KB and model) on a VLSP file."""
    from dossier.ner.recogniser import load_recogniser

    return score_vlsp(path, load_recogniser().recognise)
