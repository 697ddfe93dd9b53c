"""Training the statistical recogniser with the project's own code: ``python -m dossier.ner.train``
(``make ner-model``).

Training text: the articles of the captures given (by default ``examples/corpus``), less every file
a gold folder names (``--holdout-gold``, so that the dev gold stays unseen). Labels are weak, made
without a person: the knowledge base's names (with their KB types) and the shape rules of
:mod:`dossier.ner.rules`. Each sentence is used twice, once as written and once with the words of
its names masked, so that the model learns names from their shape and the words around them rather
than by remembering which words the KB lists. The CRF (python-crfsuite, L-BFGS with L1 and L2
regularisation) is written to ``ner/model/vi-ner.crfsuite``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

from dossier.models import Source
from dossier.ner.context import initial_tokens
from dossier.ner.crf import TYPE_LABELS, chunks, model_path
from dossier.ner.features import sentence_features
from dossier.ner.recogniser import Recogniser, load_recogniser
from dossier.ner.rules import rule_candidates
from dossier.ner.tokens import Tokens, tokenize
from dossier.stages import decode, extract
from dossier.stages.ingest import MEDIA_TYPES

MASK = "<name>"
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def article_texts(corpus: Path, holdout: set[str]) -> Iterator[str]:
    """The clean text of every article of every capture under ``corpus`` not named in ``holdout``."""
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in MEDIA_TYPES or path.name in holdout:
            continue
        source = Source(
            uri=path.as_posix(), data=path.read_bytes(), media_type=MEDIA_TYPES[path.suffix.lower()]
        )
        for article in extract.extract(decode.decode(source)):
            yield article.text


def gold_files(gold: Path | None) -> set[str]:
    """The file names a gold folder's answer files name (none when there is no folder)."""
    names: set[str] = set()
    if gold is None or not gold.is_dir():
        return names
    for path in gold.glob("*.json"):
        rows = json.loads(path.read_text(encoding="utf-8"))
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict) and isinstance(row.get("file"), str):
                names.add(row["file"])
    return names


def weak_labels(rec: Recogniser, text: str, tokens: Tokens, initial: set[int]) -> tuple[list[str], set[int]]:
    """BIO labels from the KB's names and the shape rules, and which tokens the KB's names cover."""
    labels = ["O"] * len(tokens)
    kb_tokens: set[int] = set()
    matches = rec.linker.kb_matches(text, tokens, initial)
    for m in matches:
        if m.alias.kind == "short" or not tokens[m.first].text[0].isupper():
            continue  # context-dependent forms and common-noun phrases are not taught as names
        label = TYPE_LABELS[rec.kb.entities[m.alias.entities[0]].type]
        labels[m.first] = f"B-{label}"
        for i in range(m.first + 1, m.last):
            labels[i] = f"I-{label}"
        kb_tokens.update(range(m.first, m.last))
    taken = {i for m in matches for i in range(m.first, m.last)}
    for c in rule_candidates(text, tokens, taken, initial, rec.lexicon):
        label = TYPE_LABELS[c.type]
        labels[c.first] = f"B-{label}"
        for i in range(c.first + 1, c.last):
            labels[i] = f"I-{label}"
    return labels, kb_tokens


def masked(tokens: Tokens, which: set[int]) -> Tokens:
    """The tokens with the words at ``which`` replaced by a placeholder (their shape is kept)."""
    return tokens.with_words(
        [t._replace(exact=MASK, loose=MASK) if i in which else t for i, t in enumerate(tokens)]
    )


def training_sequences(rec: Recogniser, texts: list[str]) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features, labels) per sentence: as written, then with the KB's names masked."""
    for text in texts:
        tokens = tokenize(text)
        initial = initial_tokens(text, tokens)
        labels, kb_tokens = weak_labels(rec, text, tokens, initial)
        plain = sentence_features(text, tokens, initial, rec.lexicon)
        hidden = (
            sentence_features(text, masked(tokens, kb_tokens), initial, rec.lexicon) if kb_tokens else None
        )
        for a, b in chunks(tokens, initial):
            yield plain[a:b], labels[a:b]
            if hidden is not None and not kb_tokens.isdisjoint(range(a, b)):
                yield hidden[a:b], labels[a:b]


def train(corpus: Path, out: Path, holdout: set[str]) -> dict[str, int]:
    """Train the model on ``corpus`` (less ``holdout`` files) into ``out``; returns counts."""
    import pycrfsuite

    rec = load_recogniser(use_model=False)
    texts = list(article_texts(corpus, holdout))
    trainer = pycrfsuite.Trainer(verbose=False)
    sequences = tokens = names = 0
    for feats, labels in training_sequences(rec, texts):
        trainer.append(feats, labels)
        sequences += 1
        tokens += len(labels)
        names += sum(lab.startswith("B-") for lab in labels)
    trainer.set_params(PARAMS)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return {"articles": len(texts), "sequences": sequences, "tokens": tokens, "names": names}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("examples/corpus"), help="captures to learn from")
    parser.add_argument("--holdout-gold", type=Path, default=None, help="leave out the files this gold names")
    parser.add_argument("--out", type=Path, default=model_path(), help="where to write the model")
    args = parser.parse_args(argv)
    holdout = gold_files(args.holdout_gold)
    counts = train(args.corpus, args.out, holdout)
    held = f", held out {', '.join(sorted(holdout))}" if holdout else ""
    print(f"trained {args.out} ({args.out.stat().st_size} bytes) on {counts}{held}")


if __name__ == "__main__":
    main()
