"""The claims stages: accusations and denials in an article, grouped into claims across articles."""

from __future__ import annotations

from dossier.models import Article
from dossier.stages import claims
from test_quotes import article

PLACES = {
    "Nga": ("ent-russia", "country"),
    "Moscow": ("ent-moscow", "place"),
    "Triều Tiên": ("ent-north-korea", "country"),
    "Bình Nhưỡng": ("ent-pyongyang", "place"),
    "Mỹ": ("ent-united-states", "country"),
    "Washington": ("ent-washington-dc", "place"),
    "phương Tây": ("ent-the-west", "other"),
}


def found(art: Article) -> list[tuple[str, str, list[str]]]:
    done = claims.run(art, None)  # type: ignore[arg-type]
    return [(c.stance, c.key or "", c.holders) for c in done.claims]


def test_accusation_and_denial_of_it_share_a_proposition() -> None:
    art = article(
        "Washington cáo buộc Triều Tiên cấp vũ khí cho Nga.\n"
        "Cả Nga và Triều Tiên đều bác bỏ những cáo buộc này.",
        PLACES,
    )
    assert found(art) == [
        ("accuse", "ent-north-korea|transfer|weapons|ent-russia", ["ent-united-states"]),
        ("deny", "ent-north-korea|transfer|weapons|ent-russia", ["ent-russia", "ent-north-korea"]),
    ]


def test_denial_in_a_relative_clause_and_a_negated_statement() -> None:
    art = article(
        "Các nguồn tin từ phương Tây cáo buộc rằng Triều Tiên đã cử hơn 11.000 binh lính tới Nga, "
        "một động thái mà cả Moscow và Bình Nhưỡng đều phủ nhận.\n"
        "Ông Lavrov tuyên bố rằng hợp tác giữa Nga và Triều Tiên không vi phạm bất kỳ quy định nào.",
        {**PLACES, "Lavrov": ("ent-sergey-lavrov", "person")},
    )
    assert found(art) == [
        ("accuse", "ent-north-korea|deploy|troops|ent-russia", ["ent-the-west"]),
        ("deny", "ent-north-korea|deploy|troops|ent-russia", ["ent-russia", "ent-north-korea"]),
        ("deny", "ent-north-korea+ent-russia|violate|rules|", ["ent-sergey-lavrov"]),
    ]


def test_hypothetical_clause_is_not_a_claim() -> None:
    art = article("Mỹ cảnh báo rằng nếu Triều Tiên cung cấp vũ khí cho Nga, họ sẽ phải trả giá.", PLACES)
    assert found(art) == []


def mention(article: str, line: int, stance: str, key: str, holders: list[str]) -> dict[str, object]:
    return {
        "article": article,
        "line": line,
        "stance": stance,
        "key": key,
        "holders": holders,
        "proposition": key,
        "text": f"line {line}",
    }


def test_claims_group_compatible_propositions_and_need_a_contest() -> None:
    mentions = [
        mention("a", 1, "assert", "ent-north-korea+ent-russia|violate|rules|", ["ent-south-korea"]),
        mention("b", 5, "deny", "ent-russia|violate||", ["ent-vladimir-putin"]),
        mention("c", 9, "accuse", "ent-north-korea|transfer|weapons|ent-russia", ["ent-united-states"]),
        mention("c", 9, "accuse", "ent-north-korea|transfer|missiles|ent-russia", ["ent-united-states"]),
        mention("d", 2, "assert", "ent-china|transfer|weapons|ent-russia", ["ent-united-states"]),
    ]
    out = claims.claims_from(mentions, {"a": "2023-09-15", "b": "2023-09-14", "c": None, "d": None})
    sides = sorted((c["asserted_by"], c["denied_by"], len(c["evidence"])) for c in out)
    assert sides == [
        (["ent-south-korea"], ["ent-vladimir-putin"], 2),
        (["ent-united-states"], [], 1),
        (["ent-united-states"], [], 1),
    ]
