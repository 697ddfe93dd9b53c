"""Benchmark the legacy Vietnamese encodings path: detection and conversion of TCVN3/ABC and VNI text,
and how often it touches text that is not in them.

Vietnamese set: the example captures (Unicode, ``examples/corpus``) written in TCVN3 and VNI, both as
single-byte files and as UTF-8 of what a browser shows without the font (the mojibake a saved page
keeps). Each is read back through ``dossier.stages.decode.decode`` and compared line by line with
the original and with the best any converter can give (``convert(from_unicode(line))``: TCVN3 has
no toned capitals and spends « » on letters, so some lines cannot come back exactly).

Leave-alone sets: the same captures in Unicode, and the 181 pages of the article-extraction benchmark
(English and a dozen other languages, UTF-8, and again as Windows-1252 where they fit); any line
converted there is a false conversion.

The anchor for speed is plain ``bytes.decode`` + NFC of the same data in the same run.

Usage: ``python benchmarks/legacy_encodings.py [--out FILE]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import shlex
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from dossier.models import Source
from dossier.stages.decode import _CONTROL, decode
from dossier.vi import legacy

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
PAGES = ROOT.parent / "shared" / "benchmarks" / "article-extraction" / "html"
DEFAULT_OUT = ROOT / "benchmarks" / "RESULTS-legacy-encodings.md"


@dataclass
class Row:
    what: str
    documents: int = 0
    named: int = 0  # documents whose encoding was named as expected
    lines: int = 0
    exact: int = 0  # lines equal to the Unicode original
    best: int = 0  # lines equal to the best conversion possible
    changed: int = 0  # leave-alone sets: lines converted from a legacy encoding
    other: int = 0  # leave-alone sets: lines read otherwise by a code page other than the expected one
    seconds: float = 0.0
    chars: int = 0


def _decode(data: bytes, media_type: str = "text/plain") -> tuple[list[str], str, float]:
    started = time.perf_counter()
    doc = decode(Source(uri="bench", data=data, media_type=media_type))
    return doc.lines, doc.encoding, time.perf_counter() - started


def vietnamese_rows() -> list[Row]:
    rows = []
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for encoding in legacy.ENCODINGS:
        for form in ("single-byte file", "UTF-8 mojibake"):
            row = Row(f"{encoding}, {form}")
            for text in texts:
                seen = legacy.from_unicode(text, encoding)
                data = (
                    seen.encode("cp1252", errors="replace") if form == "single-byte file" else seen.encode()
                )
                lines, name, took = _decode(data)
                expected = encoding if form == "single-byte file" else f"utf-8+{encoding}"
                originals = text.split("\n")
                best = [legacy.convert(ln, encoding)[0] for ln in seen.split("\n")]
                row.documents += 1
                row.named += name == expected
                row.lines += len(lines)
                row.exact += sum(a == b for a, b in zip(lines, originals, strict=True))
                row.best += sum(
                    a == unicodedata.normalize("NFC", b) for a, b in zip(lines, best, strict=True)
                )
                row.seconds += took
                row.chars += len(text)
            rows.append(row)
    return rows


def _leave_alone(what: str, items: list[tuple[bytes, str, str]]) -> Row:
    """Documents (bytes, media type, the codec a plain decode would use) that must not be converted."""
    row = Row(what)
    for data, media_type, codec in items:
        lines, name, took = _decode(data, media_type)
        plain = unicodedata.normalize("NFC", data.decode(codec, errors="replace"))
        plain_lines = _CONTROL.sub(" ", plain).replace("\r\n", "\n").replace("\r", "\n").split("\n")
        differ = sum(1 for a, b in zip(lines, plain_lines, strict=False) if a != b)
        converted = "tcvn3" in name or "vni" in name
        row.documents += 1
        row.named += not converted
        row.lines += len(lines)
        row.changed += differ if converted else 0
        row.other += 0 if converted else differ
        row.seconds += took
        row.chars += len(plain)
    return row


def leave_alone_rows() -> list[Row]:
    corpus = [(p.read_bytes(), "text/plain", "utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    pages = (
        [gzip.decompress(p.read_bytes()) for p in sorted(PAGES.glob("*.html.gz"))] if PAGES.exists() else []
    )
    as_cp1252 = []
    for page in pages:
        try:
            as_cp1252.append((page.decode("utf-8").encode("cp1252"), "text/html", "cp1252"))
        except (UnicodeDecodeError, UnicodeEncodeError):
            continue
    return [
        _leave_alone("Unicode Vietnamese (the example captures)", corpus),
        _leave_alone(
            "web pages, UTF-8 (article-extraction benchmark)", [(p, "text/html", "utf-8") for p in pages]
        ),
        _leave_alone("the same pages as Windows-1252, where they fit", as_cp1252),
    ]


def anchor_seconds() -> tuple[float, int]:
    """Plain decode + NFC of the Unicode captures: the floor any decoder pays."""
    total, chars = 0.0, 0
    for p in sorted(CORPUS.glob("*.txt")):
        data = p.read_bytes()
        started = time.perf_counter()
        text = unicodedata.normalize("NFC", data.decode("utf-8"))
        total += time.perf_counter() - started
        chars += len(text)
    return total, chars


def render(vi: list[Row], alone: list[Row], anchor: tuple[float, int], command: str) -> str:
    out = [
        "# Legacy Vietnamese encodings (TCVN3/ABC, VNI): detection and conversion",
        "",
        f"Run {dt.date.today().isoformat()} with `{command}`.",
        "",
        "## Vietnamese text in a legacy encoding",
        "",
        "| input | documents | encoding named | lines | = Unicode original | = best possible | chars/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in vi:
        out.append(
            f"| {r.what} | {r.documents} | {r.named}/{r.documents} | {r.lines} | {r.exact / r.lines:.3f} |"
            f" {r.best / r.lines:.3f} | {r.chars / max(r.seconds, 1e-9):,.0f} |"
        )
    out += [
        "",
        "*= best possible*: equal to `convert(from_unicode(line))`, what any converter gives back (TCVN3",
        "has no toned capitals: documents set them in a capitals font with the small letters' codes;",
        "« and » are TCVN3 letters). *= Unicode original* counts those losses too.",
        "",
        "## Text that must be left alone",
        "",
        "| input | documents | left unconverted | lines | lines converted | lines read by another code page |"
        " chars/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in alone:
        out.append(
            f"| {r.what} | {r.documents} | {r.named}/{r.documents} | {r.lines} | {r.changed} | {r.other} |"
            f" {r.chars / max(r.seconds, 1e-9):,.0f} |"
        )
    seconds, chars = anchor
    out += [
        "",
        "*Lines read by another code page*: charset-normalizer judged a page to be in another Latin code",
        "page than Windows-1252 (a question of code pages, not of the legacy Vietnamese encodings).",
        "",
        f"Anchor, same run: plain `bytes.decode` + NFC of the Unicode captures, {chars / seconds:,.0f}"
        " chars/s.",
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    decode(Source(uri="warm-up", data="Hµ Néi".encode("cp1252"), media_type="text/plain"))
    vi = vietnamese_rows()
    alone = leave_alone_rows()
    command = "python benchmarks/legacy_encodings.py" + (
        f" --out {shlex.quote(str(args.out))}" if args.out != DEFAULT_OUT else ""
    )
    text = render(vi, alone, anchor_seconds(), command)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
