"""The Vietnamese temporal tagger and the "dates" stage: values with the precision the text gives,
resolved against the article date in the direction the tense gives."""

from pathlib import Path

import pytest

from dossier.models import Source
from dossier.pipeline import Context
from dossier.stages import dates, decode, extract, segment
from dossier.timex import Anchor, tag
from dossier.timex.cases import answer, correct, load_cases
from dossier.timex.values import containing, interval, sort_key

CASES = Path(__file__).parent / "data" / "timex_cases.yaml"


def values(text: str, anchor: str | None) -> list[tuple[str, str | None, str | None]]:
    return [(t.text, t.value, t.granularity) for t in tag(text, Anchor.parse(anchor))]


def test_the_written_test_set_has_150_cases_and_reaches_095():
    cases = load_cases(CASES)
    assert len(cases) >= 150
    wrong = [c for c in cases if not correct(c, answer(c))]
    assert 1 - len(wrong) / len(cases) >= 0.95, [(c.expression, c.anchor, c.value) for c in wrong]


def test_relative_weekday_resolves_backwards_to_the_last_such_day():
    # BBC, Thursday 14/09/2023: "hôm thứ Tư" is Wednesday 13/09/2023
    assert values("Hai bên đã gặp mặt hôm thứ Tư tại trung tâm vũ trụ.", "2023-09-14") == [
        ("hôm thứ Tư", "2023-09-13", "day")
    ]
    # a Wednesday article's "hôm thứ Tư" is that day, never a week later
    assert values("Hai bên gặp mặt hôm thứ Tư.", "2023-09-13")[0][1] == "2023-09-13"


def test_weekday_points_forward_when_the_sentence_speaks_of_the_future():
    assert values("Hai ngoại trưởng sẽ gặp nhau vào thứ Ba.", "2023-09-14")[0][1] == "2023-09-19"
    assert values("Hai bên sẽ gặp lại vào thứ Hai tới.", "2023-09-18")[0][1] == "2023-09-25"


def test_a_weekday_written_beside_a_date_is_checked_against_the_calendar():
    right = tag("Ông Kim kết thúc chuyến thăm bắt đầu từ hôm thứ Ba 12/09.", Anchor.parse("2023-09-17"))
    assert [(t.text, t.value, t.weekday_agrees) for t in right] == [("hôm thứ Ba 12/09", "2023-09-12", True)]
    wrong = tag("Cuộc gặp diễn ra hôm thứ Hai 13/9/2023.", Anchor.parse("2023-09-17"))
    assert [(t.value, t.weekday_agrees) for t in wrong] == [("2023-09-13", False)]  # the date decides


def test_a_lone_weekday_takes_the_date_of_its_sentence_that_falls_on_it():
    text = "Hôm thứ Tư, ông Putin nói hai bên có thể hợp tác; cuộc gặp diễn ra ngày 13/9 tại Amur."
    assert values(text, "2023-09-20")[0] == ("Hôm thứ Tư", "2023-09-13", "day")


def test_september_last_year_in_a_june_article_is_the_year_before():
    # dateparser reads "Tháng Chín năm ngoái" in June 2024 as September 2024
    assert values("Tháng Chín năm ngoái, ông Putin đã gặp ông Kim.", "2024-06-20") == [
        ("Tháng Chín năm ngoái", "2023-09", "month")
    ]


def test_parts_of_a_year_keep_the_year_and_never_invent_a_day():
    assert values("Ông lên nắm quyền vào cuối năm 2011.", "2023-09-05") == [("cuối năm 2011", "2011", "year")]
    assert values("Vào tháng 6 năm nay, ông Kim gửi thông điệp.", "2023-09-05") == [
        ("tháng 6 năm nay", "2023-06", "month")
    ]


def test_decades_centuries_quarters_and_ranges():
    found = values(
        "Liên Xô sụp đổ vào những năm 1990, thế kỷ XX đã qua; quý 3/2024 và Chiến tranh 1950-1953.",
        "2024-01-10",
    )
    assert found == [
        ("những năm 1990", "199X", "decade"),
        ("thế kỷ XX", "19XX", "century"),
        ("quý 3/2024", "2024-Q3", "quarter"),
        ("1950-1953", "1950", "year"),
    ]
    assert tag("Chiến tranh 1950-1953.", None)[0].value_end == "1953"


def test_a_time_relative_to_the_last_one_counts_from_it():
    text = "Năm 2017, Hội đồng Bảo an áp đặt trừng phạt. Nhưng 5 năm sau, Nga đã phản đối."
    assert values(text, None) == [("Năm 2017", "2017", "year"), ("5 năm sau", "2022", "year")]


def test_quantities_ordinals_and_durations_are_not_dates():
    text = (
        "Lần thứ hai, hơn 11.000 binh lính và 2000 binh sĩ tới Nga sau 24 năm; chuyến thăm kéo dài năm ngày."
    )
    assert [v for v in values(text, "2024-11-29") if v[1]] == []


def test_weeks_are_written_as_the_month_or_year_that_holds_them():
    assert values("Ông Shoigu nói trong tuần này.", "2023-09-05") == [("tuần này", "2023-09", "month")]
    # two weeks before Thursday 14/09/2023 is the week of 28/08–03/09: only the year holds it
    assert values("Cách đây hai tuần, một phái đoàn tới.", "2023-09-14")[0][1:] == ("2023", "year")


def test_values_order_and_contain_each_other():
    assert interval("2023-Q3") == interval("2023-07")[:1] + interval("2023-09")[1:]
    assert sorted(["2024", "199X", "2023-09-13", "2023-09"], key=sort_key) == [
        "199X",
        "2023-09",
        "2023-09-13",
        "2024",
    ]
    assert containing(*interval("2023-09-13")) == ("2023-09-13", "day")


def _article(text: str, published: str | None):
    source = Source(uri="mem.txt", data=text.encode("utf-8"), media_type="text/plain")
    article = extract.extract(decode.decode(source))[0]
    article.published = published
    return segment.run(article, Context())


BODY = (
    "Nga, Bắc Hàn ký hiệp ước ở Bình Nhưỡng\n\n"
    "Hôm 19/06, tại Bình Nhưỡng, các nhà lãnh đạo Nga và Bắc Hàn đã ký một hiệp ước.\n\n"
    "Năm 2017, Hội đồng Bảo an áp đặt các lệnh trừng phạt. Tháng Chín năm ngoái, hai ông gặp nhau.\n"
)


def test_the_stage_stores_resolved_times_with_their_source_lines():
    article = dates.run(_article(BODY, "2024-06-20"), Context())
    got = [(t.text, t.value, t.granularity, t.basis, t.line) for t in article.times]
    assert got == [
        ("Hôm 19/06", "2024-06-19", "day", "relative", 3),
        ("Năm 2017", "2017", "year", "explicit", 5),
        ("Tháng Chín năm ngoái", "2023-09", "month", "relative", 5),
    ]
    for t in article.times:
        assert article.text[t.start : t.end] == t.text


def test_an_undated_article_keeps_only_what_its_words_fix():
    article = dates.run(_article(BODY, None), Context())
    assert [(t.text, t.value) for t in article.times] == [("Năm 2017", "2017")]


@pytest.mark.parametrize("published", ["2024", "2024-06"])
def test_an_anchor_known_to_the_year_or_month_resolves_only_what_it_can(published: str):
    article = dates.run(_article(BODY, published), Context())
    got = {t.text: t.value for t in article.times}
    assert "Hôm 19/06" not in got or published == "2024-06"
    assert got["Tháng Chín năm ngoái"] == "2023-09"


def test_the_dateparser_benchmark_runs_both_readers_in_one_run(tmp_path: Path):
    import subprocess
    import sys

    out = tmp_path / "results.md"
    script = Path(__file__).parent.parent / "benchmarks" / "timex_dateparser.py"
    done = subprocess.run([sys.executable, script, "--out", out], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    table = out.read_text(encoding="utf-8")
    assert "| dossier.timex |" in table and "| dateparser (lenient" in table and "(199 cases)" in table
