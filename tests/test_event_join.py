"""Two deeds in one sentence's clauses, undated mentions joined to the one dated event they tell, and
the corpus stage doing so on a store (made-up sentences with hand-made entity mentions)."""

from conftest import made_article
from dossier.models import Article
from dossier.stages import event_extract, event_join
from dossier.store import event_links
from dossier.store.sqlite import Store

NAMES = {
    "Sergei Shoigu": ("ent-sergei-shoigu", "person"),
    "Vladimir Putin": ("ent-vladimir-putin", "person"),
    "Kim Jong Un": ("ent-kim-jong-un", "person"),
    "Triều Tiên": ("ent-north-korea", "country"),
    "Bình Nhưỡng": ("ent-north-korea", "country"),
    "Nhật Bản": ("ent-japan", "country"),
    "Nga": ("ent-russia", "country"),
    "Hội đồng Bảo an": ("ent-un-security-council", "organization"),
}
PERSONS = {"ent-sergei-shoigu", "ent-vladimir-putin", "ent-kim-jong-un"}


def article(text: str, published: str | None) -> Article:
    return made_article(text, published, NAMES)


def test_a_sanction_and_the_test_it_answers_are_two_events_of_one_sentence():
    text = (
        "Năm 2017, Hội đồng Bảo an đã áp đặt các lệnh trừng phạt đối với Bình Nhưỡng "
        "sau khi nước này bắn thử phi đạn vào lãnh thổ Nhật Bản."
    )
    found = event_extract.extract(article(text, "2024-06-20"))
    assert sorted((e.type, e.date) for e in found) == [("military-test", "2017"), ("sanction", "2017")]
    answer = (
        "Vào tháng 12 năm 2017, Hội đồng Bảo an đã thông qua các chế tài "
        "nhằm đáp trả việc Triều Tiên phóng phi đạn."
    )
    assert [(e.type, e.date) for e in event_extract.extract(article(answer, "2024-06-20"))] == [
        ("sanction", "2017-12")  # the answered launch sits after a modal word ("nhằm"): not read
    ]


def test_deeds_of_one_type_in_two_clauses_stay_one_event():
    text = "Năm 2019, Vladimir Putin đã gặp Kim Jong Un sau khi hai bên gặp gỡ Nga và Triều Tiên."
    assert [(e.type, e.date) for e in event_extract.extract(article(text, "2024-06-20"))] == [
        ("meeting", "2019")
    ]


SHOIGU = (
    "Đầu bài.\nTiếp theo.\nÔng Putin tăng cường trao đổi, bao gồm chuyến thăm Triều Tiên của Sergei Shoigu."
)


def test_an_undated_deed_is_kept_only_on_request_with_the_names_of_its_own_phrase():
    art = article(SHOIGU, "2023-09-05")
    assert event_extract.extract(art) == []  # nothing dates it: not on the timeline by itself
    kept = event_extract.extract(art, keep_undated=True)
    assert [(e.type, e.date, e.participants) for e in kept] == [
        ("visit", None, ["ent-north-korea", "ent-sergei-shoigu"])  # not Putin: he is outside the phrase
    ]
    nobody = "Đầu bài.\nTiếp theo.\nVladimir Putin nói về chuyến thăm Triều Tiên, sau đó về Nga."
    assert event_extract.extract(article(nobody, "2023-09-05"), keep_undated=True) == []


def event(event_id: str, kind: str, who: list[str], cited: set | None = None) -> dict:
    return {"id": event_id, "type": kind, "participants": who, "cited": cited or set()}


def undated(kind: str, who: list[str], line: int = 3) -> dict:
    return {"article": "art-a", "line": line, "type": kind, "participants": who, "text": "…"}


def test_an_undated_mention_joins_the_only_event_that_fits_it():
    shoigu = event("evt-1", "visit", ["ent-sergei-shoigu", "ent-north-korea", "ent-russia"])
    putin = event("evt-2", "visit", ["ent-vladimir-putin", "ent-north-korea"])
    meeting = event("evt-3", "meeting", ["ent-sergei-shoigu", "ent-north-korea"])
    rows = event_join.links(
        [undated("visit", ["ent-north-korea", "ent-sergei-shoigu"])], [shoigu, putin, meeting], PERSONS
    )
    assert rows == [{"event": "evt-1", "article": "art-a", "line": 3, "text": "…"}]


def test_no_join_when_several_events_fit_or_too_little_is_shared():
    first = event("evt-1", "visit", ["ent-sergei-shoigu", "ent-north-korea"])
    second = event("evt-2", "visit", ["ent-sergei-shoigu", "ent-north-korea", "ent-russia"])
    mention = undated("visit", ["ent-north-korea", "ent-sergei-shoigu"])
    assert event_join.links([mention], [first, second], PERSONS) == []  # two visits: no way to choose
    alone = undated("visit", ["ent-sergei-shoigu"])
    assert event_join.links([alone], [first], PERSONS) == []  # one shared participant only
    other = undated("visit", ["ent-kim-jong-un", "ent-north-korea"])
    assert event_join.links([other], [first], PERSONS) == []  # a person the event does not name
    cited = event("evt-1", "visit", ["ent-sergei-shoigu", "ent-north-korea"], {("art-a", 3)})
    assert event_join.links([mention], [cited], PERSONS) == []  # that line is evidence already


def test_the_corpus_stage_joins_undated_mentions_once(built_store: Store):
    visits = [
        e for e in built_store.events() if e["type"] == "visit" and "ent-sergei-shoigu" in e["participants"]
    ]
    cited = {(v["article"], v["line"]) for e in visits for v in e["evidence"]}
    joined = [
        m
        for m in event_links.undated_mentions(built_store)
        if m["type"] == "visit" and "ent-sergei-shoigu" in m["participants"]
    ]
    assert joined and {(m["article"], m["line"]) for m in joined} <= cited
    assert {e["date"] for e in visits if cited & {(v["article"], v["line"]) for v in e["evidence"]}} == {
        "2023-07"
    }
    assert event_join.run(built_store) == 0  # what was joined is not joined again


def test_the_first_visit_in_n_years_recalls_one_n_years_before():
    text = (
        "Đầu bài.\nTiếp theo.\nĐây là chuyến công du đầu tiên tới Bình Nhưỡng của Vladimir Putin sau 24 năm."
    )
    found = event_extract.extract(article(text, "2024-06-19"))
    assert [(e.type, e.date) for e in found] == [("visit", "2000")]
    dated = "Vladimir Putin và Kim Jong Un gặp nhau hôm 13/9, trong cuộc gặp đầu tiên sau hơn 4 năm."
    assert sorted((e.type, e.date) for e in event_extract.extract(article(dated, "2023-09-14"))) == [
        ("meeting", "2019"),
        ("meeting", "2023-09-13"),
    ]
    ahead = "Vladimir Putin sẽ có chuyến thăm đầu tiên tới Bình Nhưỡng trong 2 năm tới."
    assert event_extract.extract(article(ahead, "2024-06-19")) == []


def test_a_trigger_after_a_facility_noun_names_the_facility_not_an_event():
    text = "Hôm 13/9, Vladimir Putin đã gặp Kim Jong Un tại một bãi phóng tên lửa của Nga."
    assert [e.type for e in event_extract.extract(article(text, "2023-09-14"))] == ["meeting"]
