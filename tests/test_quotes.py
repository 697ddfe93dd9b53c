"""The quotes stage: quotation marks, speech frames and speakers, against hand-made entity mentions."""

from __future__ import annotations

from dossier.models import Article, Mention, OffsetMap, Segment
from dossier.stages import quotes
from dossier.stages.quote_marks import find_quotes


def article(text: str, names: dict[str, tuple[str, str]]) -> Article:
    """An article of ``text`` (one paragraph per line, line n+1 for paragraph n) whose mentions are every
    occurrence of each name in ``names`` (name -> (entity id, type))."""
    segments, offset = [], 0
    for n, para in enumerate(text.split("\n")):
        segments.append(Segment(offset, n + 1, 0, len(para)))
        offset += len(para) + 1
    art = Article(
        source_id="src-test",
        start_line=1,
        end_line=len(segments),
        title="t",
        text=text,
        offsets=OffsetMap(segments),
    )
    for name, (entity, kind) in names.items():
        at = text.find(name)
        while at >= 0:
            art.mentions.append(Mention(at, at + len(name), name, entity, kind))
            at = text.find(name, at + 1)
    art.mentions.sort(key=lambda m: m.start)
    return art


def direct(art: Article) -> list[tuple[str, str | None, str | None]]:
    done = quotes.run(art, None)  # type: ignore[arg-type]
    return [(q.text, q.speaker, q.speaker_text) for q in done.quotes if q.kind == "direct"]


PUTIN = {"Putin": ("ent-vladimir-putin", "person")}
KIM = {"Kim Jong Un": ("ent-kim-jong-un", "person"), "Kim": ("ent-kim-jong-un", "person")}


def test_every_quotation_mark_style_is_found() -> None:
    text = "A “một” b \"hai\" c «ba» d ‘bốn’ e 'năm' f, Kim’s g."
    assert [q.text(text) for q in find_quotes(text)] == ["một", "hai", "ba", "bốn", "năm"]


def test_nested_quotation_is_part_of_the_outer_one() -> None:
    text = "\"'Hoạt động quân sự đặc biệt' của Moscow đã mở ra một thực tế mới\", ông Lukin viết."
    assert [q.text(text) for q in find_quotes(text)] == [
        "'Hoạt động quân sự đặc biệt' của Moscow đã mở ra một thực tế mới"
    ]


def test_quotation_split_across_paragraphs_is_one_quote() -> None:
    reopened = "Ông Kim nói: “Câu thứ nhất.\n“Câu thứ hai.”"
    broken = "Ông Kim nói: « Câu thứ nhất\nvẫn tiếp tục ở dòng sau »."
    assert [q.text(reopened) for q in find_quotes(reopened)] == ["Câu thứ nhất. Câu thứ hai."]
    assert [q.text(broken) for q in find_quotes(broken)] == ["Câu thứ nhất vẫn tiếp tục ở dòng sau"]
    done = quotes.run(article(reopened, KIM), None)  # type: ignore[arg-type]
    assert [(q.line, q.end_line) for q in done.quotes] == [(1, 2)]


def test_speech_verb_after_the_quotation_names_the_speaker() -> None:
    art = article("“Thỏa thuận mang tính đột phá,” ông Putin nói sau lễ ký kết.", PUTIN)
    assert direct(art) == [("Thỏa thuận mang tính đột phá,", "ent-vladimir-putin", "ông Putin")]


def test_role_description_with_a_name_and_apposition() -> None:
    names = {
        "Matthew Miller": ("ent-matthew-miller", "person"),
        "Mỹ": ("ent-united-states", "country"),
        "Trung tâm Nghiên cứu Xung đột": ("ent-csrc", "organization"),
        "Valeriy Akimenko": ("ent-new-akimenko", "person"),
    }
    art = article(
        "Hôm thứ Tư, người phát ngôn Bộ Ngoại giao Mỹ Matthew Miller nói: “Điều này đáng lo ngại”.\n"
        'Pháo binh là "vị thần mà Nga tôn thờ", ông Valeriy Akimenko, một chuyên gia về quân sự Nga tại '
        "Trung tâm Nghiên cứu Xung đột, nói.",
        names,
    )
    assert [q[1] for q in direct(art)] == ["ent-matthew-miller", "ent-new-akimenko"]


def test_pronoun_and_unframed_quotation_carry_over_to_the_last_speaker() -> None:
    art = article(
        "Ông Kim nhấn mạnh bản chất “hòa bình và phòng thủ” của hiệp ước.\n"
        "Ông cũng bày tỏ “sự ủng hộ vững chắc” đối với Moscow.\n"
        "“Chúng tôi sẽ luôn ủng hộ các quyết định của Nga.”",
        {"Kim": ("ent-kim-jong-un", "person"), "Moscow": ("ent-moscow", "place")},
    )
    assert [q[1] for q in direct(art)] == ["ent-kim-jong-un"] * 3


def test_leader_role_without_a_name_is_the_leader_the_article_introduced() -> None:
    art = article(
        "Ông Putin ký hiệp ước với nhà lãnh đạo Bắc Hàn Kim Jong Un.\n"
        "“Tôi chắc chắn đây sẽ là một động lực mới,” nhà lãnh đạo Bắc Hàn nói.",
        {**PUTIN, **KIM, "Bắc Hàn": ("ent-north-korea", "country")},
    )
    assert direct(art) == [
        ("Tôi chắc chắn đây sẽ là một động lực mới,", "ent-kim-jong-un", "nhà lãnh đạo Bắc Hàn")
    ]


def test_spokesperson_without_a_name_speaks_for_the_organisation() -> None:
    names = {"Bộ Ngoại giao Hoa Kỳ": ("ent-us-state-department", "organization")}
    art = article(
        "Một phát ngôn viên Bộ Ngoại giao Hoa Kỳ nói rằng Bắc Hàn đã trao cho Nga “hàng chục phi đạn.”\n"
        "Tuy nhiên, một phát ngôn viên của Bộ Ngoại giao nói rằng việc này “nên là mối lo ngại lớn.”",
        names,
    )
    assert [q[1] for q in direct(art)] == ["ent-us-state-department"] * 2


def test_organisation_and_capital_speak_for_themselves() -> None:
    names = {
        "Điện Kremlin": ("ent-kremlin", "organization"),
        "Moscow": ("ent-moscow", "place"),
        "Nga": ("ent-russia", "country"),
    }
    art = article(
        "Điện Kremlin phản pháo rằng quan hệ với Nga “không phải là việc của Mỹ”.\n"
        "Vào thời điểm đó, Moscow cho biết quan hệ gồm cả “giao tiếp quân sự.”",
        names,
    )
    # a capital that speaks stands for its state, since the article names that state
    assert [q[1] for q in direct(art)] == ["ent-kremlin", "ent-russia"]


def test_quoted_terms_without_speech_are_not_quotes() -> None:
    names = {"Yang Uk": ("ent-new-yang-uk", "person")}
    art = article(
        'Nga muốn chống lại một phương Tây "thù địch" bao gồm Trung Quốc.\n'
        'Yang Uk cho rằng tên lửa mới có thể được cung cấp, như cái gọi là tên lửa KN-25 "siêu lớn".\n'
        'Các lệnh trừng phạt đã tạo ra một bức "tường lửa" theo ông Yang Uk.\n'
        "Tàu mang tên lửa “Zircon” đã được giới thiệu.",
        names,
    )
    assert direct(art) == []


def test_indirect_speech_is_kept_as_a_statement_with_its_speaker() -> None:
    art = article("Ông Putin cho biết rằng hiệp ước buộc mỗi bên bảo vệ bên kia nếu bị tấn công.", PUTIN)
    done = quotes.run(art, None)  # type: ignore[arg-type]
    assert [(q.kind, q.speaker, q.text) for q in done.quotes] == [
        ("indirect", "ent-vladimir-putin", "hiệp ước buộc mỗi bên bảo vệ bên kia nếu bị tấn công")
    ]
