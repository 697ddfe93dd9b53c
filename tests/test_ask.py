"""``dossier ask`` on the example corpus: questions in Vietnamese and English, answered with the right
value and a citation of a sentence that states it; and a plain "not known" when the corpus is silent.

The acceptance bar (issue 7) is at least 8 of the 10+ factual questions right with a correct citation;
``test_at_least_eight_of_the_questions_are_answered_right`` guards it, and each question also has its own
test so that a regression names the question.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from dossier.ask import ask
from dossier.ask.question import analyse
from dossier.cli import app
from dossier.store.sqlite import Store
from dossier.vi.text import fold


@dataclass(frozen=True)
class Case:
    question: str
    kind: str
    values: tuple[str, ...]  # the answer is right when it contains one of these (diacritics ignored)
    cited: tuple[str, ...]  # …and the first cited sentence contains one of these


CASES = [
    Case("Hiệp ước đối tác chiến lược được ký khi nào?", "when", ("19/06", "2024-06-19"), ("19/06",)),
    Case("When was the treaty signed?", "when", ("19/06", "2024-06-19", "tháng 6"), ("19/06", "tháng 6")),
    Case("When did Putin arrive in Pyongyang?", "when", ("18/06", "2024-06-18"), ("18/06",)),
    Case("Ai đã phủ nhận các cáo buộc chuyển giao vũ khí?", "who",
         ("Moscow", "Bình Nhưỡng", "Nga", "Triều Tiên", "Bắc Hàn"), ("phủ nhận", "bác bỏ")),
    Case("Who denied the weapons transfers?", "who",
         ("Moscow", "Bình Nhưỡng", "Nga", "Triều Tiên", "Bắc Hàn"), ("phủ nhận", "bác bỏ")),
    Case("How many soldiers did North Korea send to Russia?", "how-many", ("11.000",), ("11.000 binh lính",)),
    Case("Bắc Hàn đã trao cho Nga bao nhiêu phi đạn đạn đạo?", "how-many",
         ("hàng chục",), ("hàng chục phi đạn",)),
    Case("Ông Putin và ông Kim Jong Un gặp nhau ở đâu vào tháng 9 năm 2023?", "where",
         ("Vostochny", "sân bay vũ trụ", "Viễn Đông"), ("Vostochny", "sân bay vũ trụ", "Viễn Đông")),
    Case("Where did Putin go after leaving North Korea?", "where", ("Hà Nội",), ("rời Bắc Hàn",)),
    Case("Ai đã tiếp đón ông Belousov?", "who", ("No Kwang-chol",), ("No Kwang-chol",)),
    Case("Liên Xô sụp đổ khi nào?", "when", ("1990",), ("sụp đổ của Liên Xô",)),
    Case("Ông Kim tới Nga bằng phương tiện gì?", "what", ("tàu",), ("tàu",)),
]  # fmt: skip
# Written after the first set was answered; two of them (Kim's rise to power, the Trump meeting) led
# to fixes of general rules (a place ends with its name; an answer next to the question's words wins).
SECOND = [
    Case("Bao nhiêu người thiệt mạng vì nạn đói ở Triều Tiên?", "how-many", ("3 triệu",), ("nạn đói",)),
    Case("Khi nào ông Kim Jong-un lên nắm quyền?", "when", ("2011",), ("lên nắm quyền",)),
    Case("Where did Kim meet Trump in 2019?", "where", ("Hà Nội",), ("Donald Trump",)),
    Case("Who welcomed Belousov at the airport?", "who", ("No Kwang-chol",), ("No Kwang-chol",)),
    Case("Bình Nhưỡng bị Hội đồng Bảo an áp đặt trừng phạt năm nào?", "when", ("2017",), ("Năm 2017",)),
    pytest.param(
        Case("Ai là Bộ trưởng Quốc phòng Nga?", "who", ("Shoigu", "Belousov"), ("Shoigu", "Belousov")),
        marks=pytest.mark.xfail(
            reason="identity questions ('X là ai', 'Ai là X') need the name in apposition to a title; "
            "the answerer reads subjects and agents of a verb only",
            strict=True,
        ),
    ),
]
UNANSWERABLE = [
    "Ai là tổng thống Pháp?",
    "When did Brazil win the World Cup?",
    "Giá vàng hôm nay là bao nhiêu?",
]


def _right(store: Store, case: Case) -> tuple[bool, str]:
    answer = ask(store, case.question)
    said = fold(f"{answer.answer} {answer.value or ''}")
    if not answer.known or not answer.citations:
        return False, f"not answered: {answer.answer}"
    first = fold(answer.citations[0].text)
    ok_value = any(fold(v) in said for v in case.values)
    ok_cite = any(fold(c) in first for c in case.cited)
    return (
        ok_value and ok_cite,
        f"{answer.value!r} citing {answer.citations[0].source_uri}:{answer.citations[0].line}",
    )


@pytest.mark.parametrize("case", CASES, ids=[c.question for c in CASES])
def test_question_is_answered_with_a_citation_that_states_it(built_store: Store, case: Case) -> None:
    ok, detail = _right(built_store, case)
    assert ok, detail


@pytest.mark.parametrize("case", SECOND)
def test_second_set_of_questions(built_store: Store, case: Case) -> None:
    ok, detail = _right(built_store, case)
    assert ok, detail


def test_at_least_eight_of_the_questions_are_answered_right(built_store: Store) -> None:
    right = [c.question for c in CASES if _right(built_store, c)[0]]
    assert len(CASES) >= 10
    assert len(right) >= 8, f"{len(right)}/{len(CASES)} right: {right}"


def test_every_citation_is_a_stored_sentence_at_its_source_line(built_store: Store) -> None:
    for case in CASES:
        for c in ask(built_store, case.question).citations:
            sentences = {(s["line"], s["text"]) for s in built_store.sentences(c.article)}
            assert (c.line, c.text) in sentences, case.question


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_says_plainly_when_the_corpus_does_not_answer(built_store: Store, question: str) -> None:
    answer = ask(built_store, question)
    assert not answer.known
    assert answer.citations == []
    assert answer.answer.startswith("Không biết" if answer.language == "vi" else "I don't know")


@pytest.mark.parametrize(
    ("question", "language", "kind"),
    [
        ("Hiệp ước được ký khi nào?", "vi", "when"),
        ("hiep uoc duoc ky khi nao", "vi", "when"),
        ("Ai đã phủ nhận?", "vi", "who"),
        ("Bao nhiêu binh lính?", "vi", "how-many"),
        ("Ông Putin đi đâu?", "vi", "where"),
        ("Where is Vostochny?", "en", "where"),
        ("How many missiles?", "en", "how-many"),
        ("What did Putin say?", "en", "what"),
    ],
)
def test_questions_are_read_for_language_and_kind(question: str, language: str, kind: str) -> None:
    q = analyse(question)
    assert (q.language, q.kind) == (language, kind)


def test_english_words_reach_the_vietnamese_text() -> None:
    q = analyse("When was the treaty signed in Pyongyang?")
    variants = {" ".join(v) for c in q.concepts for v in c.variants}
    assert {"hiệp ước", "ký", "bình nhưỡng"} <= variants


def test_cli_ask_prints_the_answer_and_its_sources(built_store: Store) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["ask", "When did Putin arrive in Pyongyang?", "--db", str(built_store.path)])
    assert result.exit_code == 0, result.output
    assert "2024-06-18" in result.output or "18/06" in result.output
    assert "003_ecbc9c42466f50f7.txt:11" in result.output
    unknown = runner.invoke(app, ["ask", "Ai là tổng thống Pháp?", "--db", str(built_store.path)])
    assert unknown.exit_code == 1 and "Không biết" in unknown.output
