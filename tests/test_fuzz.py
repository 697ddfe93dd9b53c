"""Property tests (Hypothesis) on the text stages: on any input they never crash, every offset they
give lies inside the text and points at what it claims, and the same input gives the same output.

The inputs mix the pieces news captures are made of (dates, bylines, Markdown, quotation marks,
abbreviations, time words) with arbitrary Unicode, control characters and combining marks. Runs are
derandomized so that ``make test`` is repeatable; ``HYPOTHESIS_PROFILE=fuzz`` searches longer with
fresh randomness.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from dossier.errors import DossierError
from dossier.models import Article, Document, OffsetMap, Segment, Source
from dossier.pipeline import Context, process
from dossier.stages import quotes
from dossier.stages.clean import boilerplate_kinds
from dossier.stages.decode import decode
from dossier.stages.markup import strip_markup
from dossier.stages.segment import split_sentences
from dossier.stages.split import split
from dossier.timex import Anchor, tag

# Hypothesis keeps caches under .hypothesis/ in the working folder; a temporary one goes with the run.
_HOME = tempfile.TemporaryDirectory(prefix="hypothesis-")
set_hypothesis_home_dir(_HOME.name)
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,  # no .hypothesis folder left behind
    deadline=None,  # the first call loads word lists
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("fuzz", parent=settings.get_profile("ci"), derandomize=False)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
SCALE = 20 if PROFILE == "fuzz" else 1  # examples per test: a few seconds in make test, minutes when fuzzing

PIECES = [
    *["Tổng thống", "Nga", "Vladimir Putin", "và", "nhà lãnh đạo", "Triều Tiên", "Kim Jong Un", "ký"],
    *["hiệp ước", "tại", "Bình Nhưỡng", "ông", "bà", "nói", "cho biết", "rằng", "khẳng định", "theo"],
    *["hòa", "hoà", "thuỷ", "thủy", "Điện Kremlin", "Mỹ", "Hàn Quốc"],
    *["16/09/2023", "15-9-2023", "14 tháng 9 2023", "September 10, 2023", "11:39", "hôm thứ Tư", "hôm qua"],
    *["tuần trước", "3 năm sau", "năm 2017", "tháng 6", "thế kỷ 20", "quý 3", "thập niên 1990", "ngày mai"],
    *["Đăng ngày:", "Capture à partir de :", "[RFI](#)", "[BBC](https://bbc.com/x)", "Ảnh:", "Nguồn:"],
    *["**", "##", "#", "*", "_", "> ", "- ", "1.", "|", "\\", "TS.", "Mr.", "U.S.", "11.000", "a.m."],
    *["“", "”", '"', "'", "‘", "’", "«", "»", "(", ")", "[", "]", ".", ",", "!", "?", "…", ":", ";", "–"],
    *["\u0301", "\u0323", "\t", "\r", "\u00a0", "\u200b", "\ufeff", "\x00", "\x0c", "e\u0302\u0301", "😀"],
]
QUOTE_MARKS = "\"'“”‘’«»„‟‹›"
word = st.one_of(st.sampled_from(PIECES), st.text(max_size=8))
line = st.lists(word, max_size=20).map(" ".join)
text = st.lists(st.one_of(line, st.just("")), min_size=1, max_size=25).map("\n".join)


def _document(raw: str) -> Document:
    lines = [unicodedata.normalize("NFC", ln) for ln in raw.replace("\r", "").split("\n")]
    return Document(
        source_id="src-fuzz", uri="fuzz.txt", media_type="text/plain", encoding="utf-8", lines=lines
    )


def _words(text: str) -> list[str]:
    return [w for w in (w.strip(QUOTE_MARKS) for w in text.split()) if w]


def _article(body: str) -> Article:
    paragraphs = body.split("\n")
    segments, at = [], 0
    for i, para in enumerate(paragraphs):
        segments.append(Segment(at, i + 2, 0, len(para)))
        at += len(para) + 1
    return Article(
        source_id="src-fuzz",
        start_line=1,
        end_line=len(paragraphs) + 1,
        title="Tiêu đề",
        text=body,
        offsets=OffsetMap(segments),
        published="2023-09-14",
    )


@settings(max_examples=150 * SCALE)
@given(
    st.binary(max_size=400) | text.map(lambda t: t.encode("utf-8")) | text.map(lambda t: t.encode("utf-16"))
)
def test_decode_gives_lines_and_column_maps_or_a_coded_reason(data: bytes):
    try:
        doc = decode(Source(uri="fuzz.txt", data=data, media_type="text/plain"), max_line_chars=10_000)
    except DossierError as err:
        assert err.code in {"E002", "E003", "E004", "E030"}
        return
    assert doc.lines and all("\n" not in ln and "\r" not in ln for ln in doc.lines)
    assert all(unicodedata.is_normalized("NFC", ln) for ln in doc.lines)
    for i, cmap in doc.column_maps.items():
        assert len(cmap) == len(doc.lines[i]) + 1
        assert cmap == sorted(cmap) and cmap[0] >= 0
    again = decode(Source(uri="fuzz.txt", data=data, media_type="text/plain"), max_line_chars=10_000)
    assert (again.lines, again.encoding, again.column_maps) == (doc.lines, doc.encoding, doc.column_maps)


@settings(max_examples=120 * SCALE)
@given(text)
def test_the_splitter_points_every_run_of_text_at_its_source_line(raw: str):
    doc = _document(raw)
    found = split(doc)
    assert [(f.title, f.text, f.start_line, f.end_line) for f in split(doc)] == [
        (f.title, f.text, f.start_line, f.end_line) for f in found
    ]
    for f in found:
        assert 1 <= f.start_line <= f.end_line <= len(doc.lines)
        for seg in f.offsets.segments:
            assert seg.start >= 0 and seg.start + seg.length <= len(f.text)
            assert 1 <= seg.line <= len(doc.lines)
            source = doc.lines[seg.line - 1]
            assert seg.column >= 0 and seg.column + seg.length <= len(source)
            assert f.text[seg.start : seg.start + seg.length] == source[seg.column : seg.column + seg.length]


@settings(max_examples=200 * SCALE)
@given(line)
def test_markup_stripping_keeps_columns(raw: str):
    clean = strip_markup(raw)
    assert strip_markup(raw) == clean
    for start, column, length in clean.runs:
        assert start >= 0 and start + length <= len(clean.text)
        assert clean.text[start : start + length] == raw[column : column + length]


@settings(max_examples=120 * SCALE)
@given(st.lists(line, max_size=20), st.booleans())
def test_the_cleaner_gives_one_known_kind_per_line(lines: list[str], vietnamese: bool):
    texts = [strip_markup(ln).text for ln in lines]
    kinds = boilerplate_kinds(texts, vietnamese)
    assert len(kinds) == len(texts)
    assert all(k in (None, "site-chrome", "image-credit", "caption") for k in kinds)
    assert boilerplate_kinds(texts, vietnamese) == kinds


@settings(max_examples=200 * SCALE)
@given(text)
def test_sentences_tile_the_text_in_order(body: str):
    article = _article(body)
    sentences = split_sentences(body, article.offsets)
    assert split_sentences(body, article.offsets) == sentences
    end = 0
    for s in sentences:
        assert end <= s.start < s.end <= len(body)
        assert s.text == body[s.start : s.end] and s.text.strip() == s.text
        assert 2 <= s.line <= body.count("\n") + 2
        end = s.end


@settings(max_examples=150 * SCALE)
@given(text, st.sampled_from([None, "2023-09-14", "2023-09", "2023"]))
def test_time_expressions_lie_inside_the_text(body: str, published: str | None):
    anchor = Anchor.parse(published)
    found = tag(body, anchor)
    assert [(t.start, t.end, t.value) for t in tag(body, anchor)] == [
        (t.start, t.end, t.value) for t in found
    ]
    for t in found:
        assert 0 <= t.start < t.end <= len(body)
        assert t.text == body[t.start : t.end]
        assert t.value is None or isinstance(t.value, str)


@settings(max_examples=120 * SCALE)
@given(text)
def test_quotes_lie_inside_the_text(body: str):
    found = quotes.run(_article(body), Context()).quotes
    again = quotes.run(_article(body), Context()).quotes
    assert again == found
    for q in found:
        assert 0 <= q.start <= q.end <= len(body)
        # the quote's text is its span with the spacing tidied and the marks that reopen a quotation
        # on each of its paragraphs left out
        assert _words(q.text) == _words(body[q.start : q.end])
        assert 2 <= q.line <= q.end_line <= body.count("\n") + 2


@settings(max_examples=40 * SCALE)
@given(text, st.sampled_from(["text/plain", "text/markdown", "text/html"]))
def test_every_stage_survives_any_text(body: str, media_type: str):
    """The whole per-source pipeline on any text: articles, or a reason about the input (never E037,
    which would mean a stage failed on it)."""
    data = body.encode("utf-8")
    done = process(Source(uri="fuzz.txt", data=data, media_type=media_type))
    assert done.status == "ok" or (done.error or "")[:4] in {"E002", "E003", "E004", "E007", "E030"}, (
        done.error
    )
    again = process(Source(uri="fuzz.txt", data=data, media_type=media_type))
    assert [(a.id, a.text, len(a.sentences)) for a in again.articles] == [
        (a.id, a.text, len(a.sentences)) for a in done.articles
    ]
