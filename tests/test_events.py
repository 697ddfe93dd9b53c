"""Event mentions from sentences (with hand-made entity mentions), merging across articles, dating an
undated article by the events it shares, and the events stages on the example corpus."""

from conftest import made_article
from dossier.models import Article
from dossier.pipeline import Context
from dossier.stages import event_anchor, event_extract
from dossier.stages.event_merge import merge
from dossier.store.sqlite import Store
from dossier.timex import Anchor

NAMES = {
    "Vladimir Putin": ("ent-vladimir-putin", "person"),
    "Putin": ("ent-vladimir-putin", "person"),
    "Kim Jong Un": ("ent-kim-jong-un", "person"),
    "ông Kim": ("ent-kim-jong-un", "person"),
    "Donald Trump": ("ent-donald-trump", "person"),
    "Triều Tiên": ("ent-north-korea", "country"),
    "Bắc Hàn": ("ent-north-korea", "country"),
    "Nga": ("ent-russia", "country"),
    "Bình Nhưỡng": ("ent-pyongyang", "place"),
    "Vladivostok": ("ent-vladivostok", "place"),
    "Hà Nội": ("ent-hanoi", "place"),
    "Hội đồng Bảo an": ("ent-un-security-council", "organization"),
}


def article(text: str, published: str | None) -> Article:
    return made_article(text, published, NAMES)


def test_two_events_in_one_sentence_take_their_own_times():
    text = (
        "Sau khi Triều Tiên tiến hành vụ thử hạt nhân vào năm 2017, "
        "ông Kim gặp ông Putin lần đầu vào năm 2019."
    )
    events = event_extract.extract(article(text, "2023-09-05"))
    assert [(e.type, e.date) for e in events] == [("military-test", "2017"), ("meeting", "2019")]
    assert events[1].participants[:2] == ["ent-kim-jong-un", "ent-vladimir-putin"]


def test_a_hypothetical_event_is_not_reported():
    text = "Một cuộc gặp có thể xảy ra giữa Vladimir Putin và Kim Jong Un vào cuối tháng này tại Vladivostok."
    assert event_extract.extract(article(text, "2023-09-05")) == []


def test_a_sentence_with_no_participant_or_no_date_reports_no_event():
    assert event_extract.extract(article("Hai bên đã ký một hiệp ước vào năm 2024.", "2024-06-20")) == []
    background = "Đầu bài.\nTiếp theo.\nNga và Triều Tiên từng hội đàm về hợp tác."
    assert event_extract.extract(article(background, "2024-06-20")) == []


def test_what_was_said_and_what_was_done_are_two_events_with_the_speaker_first():
    text = (
        "Đầu bài.\nTiếp theo.\n"
        "Hôm 19/06, Vladimir Putin cho biết Nga và Bắc Hàn đã ký kết hiệp ước tại Bình Nhưỡng."
    )
    events = event_extract.extract(article(text, "2024-06-20"))
    assert {(e.type, e.date) for e in events} == {("agreement", "2024-06-19"), ("statement", "2024-06-19")}
    said = next(e for e in events if e.type == "statement")
    assert said.participants[0] == "ent-vladimir-putin" and said.place == "ent-pyongyang" and said.line == 3


def test_the_news_of_the_day_is_dated_by_the_article_and_named_by_its_most_specific_type():
    events = event_extract.extract(article("Vladimir Putin tới Bình Nhưỡng, gặp Kim Jong Un.", "2024-06-19"))
    assert [(e.type, e.date, e.place) for e in events] == [("visit", "2024-06-19", "ent-pyongyang")]
    later = "Đầu bài.\nTiếp theo.\nVladimir Putin tới Bình Nhưỡng, gặp Kim Jong Un."
    assert event_extract.extract(article(later, "2024-06-19")) == []  # not the lead: no date of its own


def row(art: str, line: int, kind: str, date: str, who: list[str], text: str = "…") -> dict:
    return {
        "article": art,
        "line": line,
        "type": kind,
        "date": date,
        "date_end": None,
        "participants": who,
        "place": None,
        "summary": text,
        "text": text,
    }


PERSONS = {"ent-vladimir-putin", "ent-kim-jong-un", "ent-donald-trump"}


def test_ten_articles_telling_one_event_make_one_entry_with_ten_pieces_of_evidence():
    rows = [
        row(f"art-{i}", 5, "meeting", "2023-09-13", ["ent-vladimir-putin", "ent-kim-jong-un"])
        for i in range(10)
    ]
    rows.append(row("art-x", 9, "meeting", "2023-09", ["ent-kim-jong-un", "ent-russia"]))
    events = merge(rows, PERSONS)
    assert len(events) == 1 and events[0]["date"] == "2023-09-13" and len(events[0]["evidence"]) == 11


def test_a_year_joins_the_event_another_article_dates_to_the_day():
    rows = [
        row("art-a", 1, "meeting", "2019", ["ent-kim-jong-un", "ent-vladimir-putin"]),
        row("art-b", 2, "meeting", "2019-04-25", ["ent-vladimir-putin", "ent-kim-jong-un"]),
        row("art-c", 3, "meeting", "2019-02", ["ent-kim-jong-un", "ent-donald-trump"]),
    ]
    events = merge(rows, PERSONS)
    assert [(e["date"], len(e["evidence"])) for e in events] == [("2019-02", 1), ("2019-04-25", 2)]


def test_different_events_on_one_day_stay_apart():
    rows = [
        row("art-a", 1, "statement", "2024-06-19", ["ent-vladimir-putin", "ent-north-korea"]),
        row("art-a", 2, "statement", "2024-06-19", ["ent-kim-jong-un", "ent-vladimir-putin"]),
        row("art-a", 3, "agreement", "2024-06-19", ["ent-vladimir-putin", "ent-kim-jong-un"]),
        row("art-a", 4, "meeting", "2024-06-19", ["ent-vladimir-putin", "ent-kim-jong-un"]),
        row("art-b", 7, "meeting", "2024-06-18", ["ent-vladimir-putin", "ent-kim-jong-un"]),
        row("art-c", 8, "other", "1991", ["ent-soviet-union"], "Liên Xô sụp đổ năm 1991."),
        row("art-c", 9, "other", "1991", ["ent-soviet-union"], "Liên Xô thành lập năm 1991."),
    ]
    events = merge(rows, PERSONS)
    assert len(events) == 7 and len({e["id"] for e in events}) == 7


def test_an_undated_article_is_dated_by_the_events_it_shares_with_dated_ones():
    undated = article(
        "Hôm 19/06, Vladimir Putin và Kim Jong Un đã ký kết hiệp ước tại Bình Nhưỡng.\n"
        "Tháng Chín năm ngoái, Vladimir Putin đã gặp Kim Jong Un tại Nga.",
        None,
    )
    assert [t.value for t in undated.times] == []
    dated = [
        row(
            "art-b",
            3,
            "agreement",
            "2024-06",
            ["ent-russia", "ent-north-korea", "ent-vladimir-putin", "ent-kim-jong-un"],
        ),
        row("art-c", 4, "meeting", "2023-09-13", ["ent-vladimir-putin", "ent-kim-jong-un"]),
        row("art-d", 4, "meeting", "2022-09-10", ["ent-vladimir-putin", "ent-donald-trump"]),
    ]
    anchor = event_anchor.infer(undated, dated, [2022, 2023, 2024])
    assert anchor == Anchor.parse("2024-06-19")
    event_anchor.redate(undated, anchor)
    assert [t.value for t in undated.times] == ["2024-06-19", "2023-09"]
    assert {e.date for e in undated.events} == {"2024-06-19", "2023-09"}
    assert event_anchor.infer(undated, [], [2023, 2024]) is None  # nothing shared: nothing guessed


def test_the_corpus_stage_dates_the_undated_capture_and_never_counts_a_duplicate(built_store: Store):
    articles = list(built_store.articles())
    treaty = next(a for a in articles if a["title"].startswith("Nga, Bắc Hàn ký hiệp ước"))
    assert treaty["published"] is None  # no capture gave it
    times = {(t["text"], t["value"]) for t in built_store.times() if t["article"] == treaty["id"]}
    assert {("Hôm 19/06", "2024-06-19"), ("Tháng Chín năm ngoái", "2023-09")} <= times
    duplicates = {a["id"] for a in articles if a["duplicate_of"]}
    events = built_store.events()
    assert events and not duplicates & {e["article"] for ev in events for e in ev["evidence"]}
    summit = [e for e in events if e["date"] == "2023-09-13" and e["type"] == "meeting"]
    assert len(summit) == 1 and len({e["article"] for e in summit[0]["evidence"]}) >= 5
    assert {"ent-vladimir-putin", "ent-kim-jong-un"} <= set(summit[0]["participants"])


def test_the_pipeline_registers_dates_before_events():
    from dossier.pipeline import ARTICLE_STAGES, CORPUS_STAGES

    names = [s.name for s in ARTICLE_STAGES]
    assert names.index("entities") < names.index("dates") < names.index("events")
    corpus = [s.name for s in CORPUS_STAGES]
    assert corpus.index("dedup") < corpus.index("entities") < corpus.index("events")
    assert Context().options is not None
