from dossier.models import OffsetMap, Segment
from dossier.stages.segment import split_sentences


def _split(text: str) -> list[str]:
    offsets = OffsetMap([Segment(0, 1, 0, len(text))])
    return [s.text for s in split_sentences(text, offsets)]


def test_sentences_end_at_terminal_punctuation_before_a_capital():
    assert _split("Ông Putin đến Bình Nhưỡng. Hai bên ký hiệp ước! Vì sao? Không rõ.") == [
        "Ông Putin đến Bình Nhưỡng.",
        "Hai bên ký hiệp ước!",
        "Vì sao?",
        "Không rõ.",
    ]


def test_numbers_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Triều Tiên đã cử hơn 11.000 binh lính, theo TS. Nguyễn và ông J. Biden. Sau đó họ rút."
    assert _split(text) == [
        "Triều Tiên đã cử hơn 11.000 binh lính, theo TS. Nguyễn và ông J. Biden.",
        "Sau đó họ rút.",
    ]


def test_closing_quote_stays_with_its_sentence():
    assert _split("“Sự việc đang diễn ra rồi.” Ông Putin nói.") == [
        "“Sự việc đang diễn ra rồi.”",
        "Ông Putin nói.",
    ]


def test_paragraph_break_before_lowercase_continues_the_sentence():
    text = "Mặt khác, một Bắc Hàn bị cấm vận đang tuyệt vọng\ncần tiền và lương thực.\nCâu mới."
    assert _split(text) == [
        "Mặt khác, một Bắc Hàn bị cấm vận đang tuyệt vọng\ncần tiền và lương thực.",
        "Câu mới.",
    ]


def test_sentence_lines_come_from_the_offset_map():
    text = "Câu một.\nCâu hai."
    offsets = OffsetMap([Segment(0, 10, 4, 8), Segment(9, 12, 0, 8)])
    sentences = split_sentences(text, offsets)
    assert [(s.line, s.start, s.end) for s in sentences] == [(10, 0, 8), (12, 9, 17)]
