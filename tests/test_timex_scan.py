"""The temporal tagger runs each pattern only on the windows of a text that hold one of its cores
(dossier.timex.scan): the candidates must be exactly those of every pattern run over the whole text."""

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from dossier.models import Article, OffsetMap, Sentence
from dossier.timex.grammar import candidates, patterns, trimmed
from dossier.timex.handlers import Text
from dossier.timex.lexicon import alternation, lexicon, word_start_alternation
from dossier.timex.scan import Windows
from dossier.vi.text import match_key

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "timex_cases.yaml"

# texts that stress the windows: stops beside digits, expressions across a line break, quotes and
# brackets, a weekday after a full stop, expressions at the very start and end
EDGES = [
    "Ngày 13.9.2023, hai bên gặp nhau. Tháng 9. 2023 họ lại gặp. Hôm 5 . 6 . 2021 thì không.",
    "Cuộc gặp với cựu Tổng thống Donald Trump vào tháng\n6 năm 2018 tại Singapore. Năm 2019: Hà Nội.",
    "Hai nhà lãnh đạo nâng cốc chúc mừng nhau trong bữa tiệc chiều thứ Tư\nTrước đó trong giai đoạn",
    "“Hôm qua”, ông nói. (Ngày 12/9) và (thứ Hai 11/9). Quý 3/2023; quý IV năm nay! Thế kỷ XX…",
    "2023. Đầu năm nay, 3 năm trước đó, hai tuần sau, cách đây 5 năm, những năm 1990s - 2000.",
    "Sáng nay. Tối qua? Thứ Sáu tuần trước, chủ nhật tới, CN. Gần đây, mới đây. thập niên 90.",
    "từ 1950-1953, từ tháng 6 đến tháng 9/2023, ngày 5 và 8 tháng Năm năm 2020, 2000 binh sĩ.",
]


def whole_text(original: str) -> list[tuple[int, int, str]]:
    """What the tagger found before windows: every pattern over the whole key, then its handler."""
    text = Text(original, match_key(original))
    out = []
    for rule in patterns():
        for m in rule.pattern.finditer(text.key):
            spec = rule.handler(m, text, lexicon())
            if spec is None:
                continue
            out.append((*trimmed(text.key, m.start(), m.end()), repr(spec)))
    return out


def found(original: str) -> list[tuple[int, int, str]]:
    return [(c.start, c.end, repr(c.spec)) for c in candidates(original)]


@cache
def texts() -> list[str]:
    sentences = [str(c["s"]) for c in yaml.safe_load(CASES.read_text(encoding="utf-8"))]
    corpus = (ROOT / "examples" / "corpus").glob("*.txt")
    return EDGES + sentences + ["\n".join(sentences)] + [p.read_text(encoding="utf-8") for p in corpus]


@pytest.mark.parametrize("index", range(len(texts())))
def test_candidates_in_windows_are_those_of_the_whole_text(index: int):
    text = texts()[index]
    assert found(text) == whole_text(text)


def test_the_edge_texts_have_expressions_of_every_kind_and_one_across_a_line_break():
    kinds = {c.spec.rule for t in EDGES for c in candidates(t)}
    assert {"date-dmy", "date-dm", "month", "unit-shift", "count-ref", "relative-day", "weekday"} <= kinds
    assert {"year", "decade", "century", "quarter", "recent"} <= kinds
    assert any("\n" in EDGES[1][c.start : c.end] for c in candidates(EDGES[1]))


def test_windows_end_at_full_stops_that_no_digit_stands_next_to():
    text = "Ngày 13.9.2023 rồi. Ông nói 5 . tháng 9. 2023 xong. Năm 2020. Hết"
    key = match_key(text)
    windows = Windows(key)
    # the stops of 13.9.2023, after 5, before 2023 and after 2020 may belong to a date: no cut there
    assert [text[s:e] for s, e in zip(windows.starts, windows.ends, strict=True)] == [
        "Ngày 13.9.2023 rồi",
        " Ông nói 5 . tháng 9. 2023 xong",
        " Năm 2020. Hết",
    ]


def test_a_match_after_the_last_core_of_its_window_is_never_looked_at():
    # "năm" without a direction is no unit shift: its window has no core of that rule
    key = match_key("Cả năm. Năm ngoái và năm")
    rule = next(r for r in patterns() if r.handler.__name__ == "unit_shift")
    held = Windows(key).holding(rule.cores)
    assert [(key[lo:hi], key[lo:last]) for lo, hi, last in held] == [
        (match_key(" năm ngoái và năm"), match_key(" năm ngoái"))
    ]


def test_word_start_alternation_matches_what_a_look_behind_does():
    words = [match_key(w) for w in ("sẽ", "sắp", "dự kiến", "trước đó", "đã", "-x", "từng")]
    fast = re.compile("(?:" + word_start_alternation(words) + r")(?!\w)")
    slow = re.compile(r"(?<!\w)(?:" + alternation(words) + r")(?!\w)")
    for text in texts()[:60]:
        key = match_key(text)
        assert [m.span() for m in fast.finditer(key)] == [m.span() for m in slow.finditer(key)]


def test_the_article_key_sets_each_sentence_key():
    text = "Hôm qua, ông Putin nói.  Hoà bình  sẽ đến.\nNgười ta mong THỦY chung."
    spans = [(0, 23), (25, 42), (43, len(text))]
    article = Article("src", 1, 1, "t", text, OffsetMap.from_json([[0, 1, 1, len(text)]]))
    article.sentences = [Sentence(i, s, e, text[s:e], 1) for i, (s, e) in enumerate(spans)]
    key = article.key
    assert key == match_key(text)
    assert all("key" in s.__dict__ for s in article.sentences)  # set, not computed later
    assert [s.key for s in article.sentences] == [match_key(s.text) for s in article.sentences]


def test_a_sentence_that_is_not_its_slice_of_the_text_keeps_its_own_key():
    text = "Ông nói. Hoà bình."
    article = Article("src", 1, 1, "t", text, OffsetMap.from_json([[0, 1, 1, len(text)]]))
    article.sentences = [Sentence(0, 0, 8, "Ông nói.", 1), Sentence(1, 9, 18, "hòa bình", 1)]
    article.key  # noqa: B018 - computing it sets the sentences' keys
    assert "key" in article.sentences[0].__dict__
    assert "key" not in article.sentences[1].__dict__
    assert article.sentences[1].key == match_key("hòa bình")
