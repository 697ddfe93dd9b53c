"""Generate N realistic Vietnamese news articles by recombining the example corpus.

Real sentences, titles, outlets, authors and names are read from ``examples/corpus`` through the
project's own pipeline (decode → extract → segment). Each generated article takes an outlet, a
publication date and an author, a title and 8–24 real sentences, with names swapped between sentences
so that new combinations occur. Some articles carry a **planted dated event** (a real sentence that
states a date, its date replaced by a new one near the publication date) and some are **planted
near-verbatim duplicates** of an earlier article (another outlet, a day or two later, one sentence
dropped or a few words changed). What was planted is returned with the articles, so that tests and
benchmarks can score duplicates and event dates against it.

Deterministic: the same ``n`` and ``seed`` give the same corpus on every machine.

Usage::

    python benchmarks/generate_corpus.py N OUT_DIR [--seed S] [--per-file K]   # writes captures + truth.json

As a library: :func:`generate` returns a :class:`Corpus`; :func:`write_captures` writes it as
compilation captures that ``dossier build`` reads; :func:`processed_sources` gives the same articles as
pipeline output, ready for ``Store.save`` without re-parsing (what the search benchmark uses).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from dossier.models import Article, Document, OffsetMap, ProcessedSource, Segment, Source
from dossier.pipeline import Context
from dossier.stages import decode, extract, segment

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
START = dt.date(2022, 1, 1)
DAYS = 4 * 365  # publication dates fall in 2022–2025

# A name: two to four capitalised words (Vietnamese capitals included), not starting a sentence.
_CAP = "A-ZĐÁÀẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴ"
_NAME = re.compile(rf"(?<=[a-zà-ỹ,] )[{_CAP}][\w-]+(?: [{_CAP}][\w-]+){{1,3}}")
# Dates a sentence states: 19/06, 19/06/2024, 19-6-2024, ngày 19 tháng 6 (năm 2024)
_DMY = re.compile(r"\b(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}))?\b")
_VI_DATE = re.compile(r"\bngày (\d{1,2}) tháng (\d{1,2})(?: năm (\d{4}))?")
_WEEKDAY_TIMES = ("08:00", "09:30", "11:15", "14:40", "16:05", "20:30")


@dataclass
class PlantedEvent:
    article: int  # index of the article in Corpus.articles
    paragraph: int  # index of the paragraph that states it
    date: str  # ISO date the sentence now states
    text: str


@dataclass
class GeneratedArticle:
    title: str
    outlet: str
    published: str  # YYYY-MM-DD
    published_time: str
    authors: list[str]
    paragraphs: list[str]
    duplicate_of: int | None = None  # index of the article this copies near-verbatim


@dataclass
class Corpus:
    seed: int
    articles: list[GeneratedArticle] = field(default_factory=list)
    events: list[PlantedEvent] = field(default_factory=list)

    def truth(self) -> dict[str, object]:
        """What was planted, as JSON-ready data: duplicate pairs and dated events (article indices)."""
        return {
            "seed": self.seed,
            "articles": len(self.articles),
            "duplicates": [
                {"copy": i, "original": a.duplicate_of, "kind": "near-verbatim"}
                for i, a in enumerate(self.articles)
                if a.duplicate_of is not None
            ],
            "events": [asdict(e) for e in self.events],
        }


@dataclass
class Pool:
    """What the example corpus offers to recombine."""

    sentences: list[str]
    dated: list[str]  # sentences that state a day and month
    titles: list[str]
    outlets: list[str]
    authors: list[str]
    names: list[str]


@lru_cache(maxsize=4)
def load_pool(corpus: Path = CORPUS) -> Pool:
    """Read the example captures through the project's pipeline and collect their parts."""
    sentences: list[str] = []
    titles: list[str] = []
    outlets: set[str] = set()
    authors: set[str] = set()
    ctx = Context()
    for path in sorted(corpus.glob("*.txt")):
        doc = decode.decode(Source(uri=path.as_posix(), data=path.read_bytes(), media_type="text/plain"))
        for art in extract.extract(doc):
            art = segment.run(art, ctx)
            titles.append(art.title)
            if art.outlet:
                outlets.add(art.outlet)
            authors.update(a for a in art.authors if 3 <= len(a) <= 40)
            sentences.extend(s.text for s in art.sentences if _usable(s.text))
    sentences = list(dict.fromkeys(sentences))
    counts = Counter(m.group(0) for s in sentences for m in _NAME.finditer(s))
    names = sorted(n for n, c in counts.items() if c >= 3)
    dated = [s for s in sentences if _DMY.search(s) or _VI_DATE.search(s)]
    return Pool(
        sentences=sentences,
        dated=dated,
        titles=sorted(set(titles)),
        outlets=sorted(outlets),
        authors=sorted(authors) or ["Phóng viên"],
        names=names,
    )


def _usable(text: str) -> bool:
    return 40 <= len(text) <= 600 and "http" not in text and "©" not in text and "\n" not in text


def _swap_names(text: str, rng: random.Random, names: list[str]) -> str:
    if not names or rng.random() < 0.5:
        return text

    def repl(m: re.Match[str]) -> str:
        # a name of as many words, so that "ông Kim Jong Un" does not become "ông Hà Nội Un"
        size = m.group(0).count(" ")
        same = [n for n in names if n.count(" ") == size]
        return rng.choice(same) if same and rng.random() < 0.6 else m.group(0)

    return _NAME.sub(repl, text)


def _restate_date(text: str, day: dt.date) -> str:
    """The sentence with its first stated date replaced by ``day`` (in the sentence's own format)."""

    def dmy(m: re.Match[str]) -> str:
        out = f"{day.day}/{day.month:02d}" if "/" in m.group(0) else f"{day.day}-{day.month}"
        return out + (
            f"/{day.year}" if m.group(3) and "/" in m.group(0) else f"-{day.year}" if m.group(3) else ""
        )

    def vi(m: re.Match[str]) -> str:
        return f"ngày {day.day} tháng {day.month}" + (f" năm {day.year}" if m.group(3) else "")

    if _VI_DATE.search(text):
        return _VI_DATE.sub(vi, text, count=1)
    return _DMY.sub(dmy, text, count=1)


def _near_copy(original: GeneratedArticle, rng: random.Random, outlets: list[str]) -> GeneratedArticle:
    paragraphs = list(original.paragraphs)
    if len(paragraphs) > 4 and rng.random() < 0.5:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    else:
        i = rng.randrange(len(paragraphs))
        words = paragraphs[i].split(" ")
        j = rng.randrange(len(words))
        words[j] = {"và": "cùng", "đã": "vừa", "của": "thuộc"}.get(words[j], words[j])
        paragraphs[i] = " ".join(words)
    day = dt.date.fromisoformat(original.published) + dt.timedelta(days=rng.randint(0, 2))
    others = [o for o in outlets if o != original.outlet] or outlets
    return GeneratedArticle(
        title=original.title,
        outlet=rng.choice(others),
        published=day.isoformat(),
        published_time=rng.choice(_WEEKDAY_TIMES),
        authors=[],
        paragraphs=paragraphs,
    )


def generate(
    n: int,
    seed: int = 7,
    duplicate_rate: float = 0.03,
    event_rate: float = 0.3,
    corpus: Path = CORPUS,
    sentences: tuple[int, int] = (8, 24),
) -> Corpus:
    """``n`` articles recombined from the example corpus, with planted duplicates and dated events;
    each article has between ``sentences[0]`` and ``sentences[1]`` sentences (the default averages
    ~2,600 characters; (16, 32) averages ~4,000)."""
    pool = load_pool(corpus)
    rng = random.Random(seed)
    out = Corpus(seed=seed)
    for i in range(n):
        if i > 10 and rng.random() < duplicate_rate:
            original = rng.randrange(max(0, i - 2000), i)
            while out.articles[original].duplicate_of is not None:
                original = out.articles[original].duplicate_of  # type: ignore[assignment]
            copy = _near_copy(out.articles[original], rng, pool.outlets)
            copy.duplicate_of = original
            out.articles.append(copy)
            continue
        published = START + dt.timedelta(days=rng.randrange(DAYS))
        count = rng.randint(*sentences)
        paragraphs = [_swap_names(s, rng, pool.names) for s in rng.sample(pool.sentences, count)]
        art = GeneratedArticle(
            title=_swap_names(rng.choice(pool.titles), rng, pool.names),
            outlet=rng.choice(pool.outlets),
            published=published.isoformat(),
            published_time=rng.choice(_WEEKDAY_TIMES),
            authors=[rng.choice(pool.authors)] if rng.random() < 0.6 else [],
            paragraphs=paragraphs,
        )
        if pool.dated and rng.random() < event_rate:
            day = published - dt.timedelta(days=rng.randint(0, 6))
            at = rng.randrange(len(paragraphs))
            paragraphs[at] = _restate_date(rng.choice(pool.dated), day)
            out.events.append(
                PlantedEvent(article=i, paragraph=at, date=day.isoformat(), text=paragraphs[at])
            )
        out.articles.append(art)
    return out


# -- as captures and as pipeline output --------------------------------------------------------------------
def capture_lines(art: GeneratedArticle) -> tuple[list[str], list[int]]:
    """One article as capture lines (title, outlet, date line, author, paragraphs separated by blank
    lines) and the 0-based index of each paragraph's line."""
    day = dt.date.fromisoformat(art.published)
    lines = [
        art.title,
        art.outlet,
        f"Đăng ngày: {day.day:02d}/{day.month:02d}/{day.year} - {art.published_time}",
    ]
    if art.authors:
        lines.append(", ".join(art.authors))
    lines.append("")
    where = []
    for para in art.paragraphs:
        where.append(len(lines))
        lines.extend([para, ""])
    return lines, where


def _batches(corpus: Corpus, per_file: int) -> Iterator[tuple[int, list[GeneratedArticle]]]:
    for start in range(0, len(corpus.articles), per_file):
        yield start, corpus.articles[start : start + per_file]


def write_captures(corpus: Corpus, out_dir: Path, per_file: int = 50) -> list[Path]:
    """Write the corpus as compilation captures of ``per_file`` articles each, and ``truth.json``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for start, batch in _batches(corpus, per_file):
        lines: list[str] = []
        for art in batch:
            lines.extend(capture_lines(art)[0])
            lines.append("")
        path = out_dir / f"gen_{start:07d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    (out_dir / "truth.json").write_text(
        json.dumps(corpus.truth(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return paths


def processed_sources(
    corpus: Corpus, per_file: int = 50, uri_prefix: str = "generated"
) -> Iterator[ProcessedSource]:
    """The corpus as the pipeline's output for the captures :func:`write_captures` writes, sentences
    included (by the real segment stage), without re-reading them: one ProcessedSource per file."""
    ctx = Context()
    for start, batch in _batches(corpus, per_file):
        lines: list[str] = []
        articles: list[Article] = []
        data_uri = f"{uri_prefix}/gen_{start:07d}.txt"
        for art in batch:
            own, where = capture_lines(art)
            base = len(lines)
            text_parts, segments, offset = [], [], 0
            for idx in where:
                para = own[idx]
                segments.append(Segment(start=offset, line=base + idx + 1, column=0, length=len(para)))
                text_parts.append(para)
                offset += len(para) + 1
            lines.extend(own)
            lines.append("")
            articles.append(
                Article(
                    source_id="",
                    start_line=base + 1,
                    end_line=base + len(own) - 1,
                    title=art.title,
                    text="\n".join(text_parts),
                    offsets=OffsetMap(segments),
                    published=art.published,
                    published_time=art.published_time,
                    outlet=art.outlet,
                    authors=list(art.authors),
                )
            )
        source = Source(uri=data_uri, data="\n".join(lines).encode("utf-8"), media_type="text/plain")
        for a in articles:
            a.source_id = source.id
        doc = Document(
            source_id=source.id, uri=data_uri, media_type="text/plain", encoding="utf-8", lines=lines
        )
        yield ProcessedSource(
            source=source,
            encoding="utf-8",
            document=doc,
            articles=[segment.run(a, ctx) for a in articles],
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("out", type=Path, help="folder for the captures and truth.json")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-file", type=int, default=50, help="articles per capture file")
    parser.add_argument("--duplicate-rate", type=float, default=0.03)
    parser.add_argument("--event-rate", type=float, default=0.3)
    parser.add_argument("--sentences", type=int, nargs=2, default=(8, 24), metavar=("MIN", "MAX"))
    args = parser.parse_args(argv)
    corpus = generate(
        args.n, args.seed, args.duplicate_rate, args.event_rate, sentences=tuple(args.sentences)
    )
    paths = write_captures(corpus, args.out, args.per_file)
    truth = corpus.truth()
    print(
        f"wrote {len(corpus.articles)} articles in {len(paths)} files to {args.out} "
        f"({len(truth['duplicates'])} planted duplicates, {len(corpus.events)} dated events; truth.json)"  # type: ignore[arg-type]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
