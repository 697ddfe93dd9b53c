"""Search: the query language, folded matching, highlighting, filters, ranking and index upkeep."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import DossierError
from dossier.models import EventMention, Mention, Source
from dossier.pipeline import PIPELINE_VERSION, build, process
from dossier.store import search as search_module
from dossier.store.search import Filters, search, search_sentences
from dossier.store.search_index import clear, ensure_index, reindex
from dossier.store.search_query import highlight, parse
from dossier.store.sqlite import Store
from dossier.vi.text import fold

CAPTURE = """Ông Putin đến thăm Bình Nhưỡng lần đầu sau 24 năm
RFI Tiếng Việt
Đăng ngày: 18/06/2024 - 10:15

Tổng thống Nga Vladimir Putin đã đến Bình Nhưỡng. Ông được chào đón nồng nhiệt.

Hai bên ký một hiệp ước về hoà bình và hợp tác.

Mỹ cảnh báo về hợp tác quân sự Nga - Triều Tiên
VOA Tiếng Việt
Đăng ngày: 19/07/2023 - 08:00

Washington bày tỏ lo ngại về thỏa thuận vũ khí. Ông phủ nhận mọi cáo buộc.

Nhật Bản cũng lên tiếng về phụ thuộc năng lượng.
"""


def _save_text(store: Store, text: str, uri: str = "mem/capture.txt") -> list[str]:
    done = process(Source(uri=uri, data=text.encode("utf-8"), media_type="text/plain"))
    assert done.status == "ok", done.error
    store.save(done, PIPELINE_VERSION)
    return [a.id for a in done.articles]


@pytest.fixture
def small(store: Store) -> Store:
    """The capture above, stored."""
    _save_text(store, CAPTURE)
    return store


# -- the query language ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('"hiệp ước', "never closed"),
        ("(Nga OR Mỹ", "never closed"),
        ("Nga)", "no opening one"),
        ("-Ukraine", "not left out"),
        ("NOT", "followed by a word"),
        ("Nga OR", "both sides"),
        ("   ", "no word"),
    ],
)
def test_unreadable_queries_raise_a_readable_e040(query: str, reason: str) -> None:
    with pytest.raises(DossierError) as err:
        parse(query)
    assert err.value.code == "E040"
    assert reason in str(err.value)


def test_fts_operators_typed_by_a_user_are_plain_words(small: Store) -> None:
    for query in ["a:b ^c", "NEAR(x y)", "title: Putin", "Putin + Nga", "{meta}: qq", "Putin*^"]:
        results = search(small, query)  # never an SQLite error
        assert results.total >= 0
    assert search(small, "title: Putin").total == 0  # "title" is a word to find, not a column
    assert search(small, "Putin:").total == 1
    with pytest.raises(DossierError) as err:
        search(small, '"*"')
    assert err.value.code == "E040"


def test_a_query_the_index_refuses_is_reported_not_raised_as_sqlite_error(small: Store) -> None:
    with pytest.raises(DossierError) as err:
        search(small, "(((")
    assert err.value.code == "E040"


# -- folding ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("binh nhuong", "Bình Nhưỡng"),
        ("BÌNH NHƯỠNG", "Bình Nhưỡng"),
        ("hòa bình", "hoà bình"),
        ("hoa binh", "hoà bình"),
    ],
)
def test_diacritics_tone_placement_and_case_do_not_matter(small: Store, typed: str, written: str) -> None:
    results = search(small, typed)
    assert results.total >= 1
    shown = " ".join(
        piece for hit in results.hits for s in hit.snippets for piece, is_hit in s.segments if is_hit
    )
    assert fold(written.split()[0]) in fold(shown)


def test_the_example_corpus_finds_the_same_articles_with_and_without_diacritics(built_store: Store) -> None:
    plain = search(built_store, "binh nhuong", limit=50)
    marked = search(built_store, "Bình Nhưỡng", limit=50)
    assert plain.total == marked.total > 10
    assert {h.article_id for h in plain.hits} == {h.article_id for h in marked.hits}


def test_a_word_typed_with_diacritics_highlights_only_compatible_spellings() -> None:
    query = parse("phủ nhận")
    text = "Ông phủ nhận, không phụ thuộc; phu nhan viết không dấu."
    hits = [piece for piece, is_hit in highlight(text, fold(text), query) if is_hit]
    assert hits == ["phủ", "nhận", "phu", "nhan"]


def test_snippets_mark_the_query_words_and_point_to_source_lines(small: Store) -> None:
    results = search(small, "hiệp ước")
    assert results.total == 1
    snippet = results.hits[0].snippets[0]
    assert [p for p, is_hit in snippet.segments if is_hit] == ["hiệp", "ước"]
    assert snippet.line == 7  # "Hai bên ký một hiệp ước…" is line 7 of the capture
    assert "".join(p for p, _ in snippet.segments) == snippet.text


def test_phrases_prefixes_or_and_exclusion(small: Store) -> None:
    assert search(small, '"hợp tác quân sự"').total == 1
    assert search(small, '"quân sự hợp tác"').total == 0
    assert search(small, "Washing*").total == 1
    assert search(small, "Washington OR Putin").total == 2
    assert search(small, "Nga -Washington").total == 1
    assert search(small, "Nga NOT (Washington OR Putin)").total == 0


def test_title_words_rank_first(small: Store) -> None:
    # "hợp tác" is in the second article's title and the first article's body
    results = search(small, "hợp tác")
    assert results.ranking == ("bm25" if small.dialect == "sqlite" else "ts_rank")
    assert results.hits[0].title.startswith("Mỹ cảnh báo")


def test_common_words_are_ranked_among_recent_matches_with_titles_first(small: Store, monkeypatch) -> None:
    monkeypatch.setattr(search_module, "BM25_MAX_DF", 0)
    results = search(small, "hợp tác")
    # SQLite's BM25 reads every match, so common words are ranked among recent matches; PostgreSQL
    # ranks them all (ts_rank_cd), title words first just the same
    assert results.ranking.startswith("recent-" if small.dialect == "sqlite" else "ts_rank")
    assert [h.title[:11] for h in results.hits] == ["Mỹ cảnh báo", "Ông Putin đ"]


# -- filters ---------------------------------------------------------------------------------------
def test_outlet_filter_ignores_case_and_diacritics(small: Store) -> None:
    results = search(small, "Nga", Filters(outlet="voa tieng viet"))
    assert [h.outlet for h in results.hits] == ["VOA Tiếng Việt"]
    with pytest.raises(DossierError) as err:
        search(small, "Nga", Filters(outlet="Nowhere News"))
    assert err.value.code == "E041"


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        ("2024", None, ["2024-06-18"]),
        ("2023-07", "2023-07", ["2023-07-19"]),
        ("2023-07-19", "2023-07-19", ["2023-07-19"]),
        ("2023-07-20", "2024-06-17", []),
        (None, "2024-06-18", ["2024-06-18", "2023-07-19"]),
    ],
)
def test_date_filter_keeps_articles_whose_date_overlaps_the_period(
    small: Store, date_from: str | None, date_to: str | None, expected: list[str]
) -> None:
    results = search(small, "Nga OR Washington OR Putin", Filters(date_from=date_from, date_to=date_to))
    assert sorted((h.published for h in results.hits), reverse=True) == expected
    listed = search(small, "", Filters(date_from=date_from, date_to=date_to))
    assert [h.published for h in listed.hits] == expected  # newest first


def test_bad_dates_and_event_types_are_refused(small: Store) -> None:
    for filters in [Filters(date_from="19/06/2024"), Filters(event_type="party")]:
        with pytest.raises(DossierError) as err:
            search(small, "Nga", filters)
        assert err.value.code == "E041"


def test_entity_and_event_type_filters_follow_the_stored_annotations(small: Store) -> None:
    ids = [a["id"] for a in small.articles()]
    second = next(a for a in small.articles() if a["outlet"] == "VOA Tiếng Việt")
    from dossier.models import Article, OffsetMap

    article = Article(
        source_id=second["source_id"],
        start_line=second["start_line"],
        end_line=second["end_line"],
        title=second["title"],
        text=second["text"],
        offsets=OffsetMap.from_json(second["offsets"]),
    )
    start = article.text.index("Washington")
    article.mentions = [Mention(start, start + 10, "Washington", "ent-united-states", "country", line=13)]
    article.events = [EventMention(sentence=0, type="statement", text="Washington bày tỏ lo ngại", line=13)]
    small.annotate(article)
    assert len(ids) == 2
    assert [
        h.article_id for h in search(small, "lo ngại OR Putin", Filters(entity="ent-united-states")).hits
    ] == [second["id"]]
    assert search(small, "", Filters(event_type="statement")).total == 1
    assert search(small, "", Filters(event_type="meeting")).total == 0
    with pytest.raises(DossierError):
        search(small, "Nga", Filters(entity="ent-nobody"))


# -- the index follows the store -------------------------------------------------------------------
def test_a_changed_capture_replaces_its_articles_in_the_index(store: Store, tmp_path: Path) -> None:
    capture = tmp_path / "c.txt"
    capture.write_text(CAPTURE, encoding="utf-8")
    build([capture.as_posix()], store)
    assert search(store, "Washington").total == 1
    capture.write_text(CAPTURE.replace("Washington", "Hoa Thịnh Đốn"), encoding="utf-8")
    build([capture.as_posix()], store)
    assert search(store, "Washington").total == 0
    assert search(store, "hoa thinh don").total == 1
    assert store.conn.execute("SELECT COUNT(*) FROM search_map").fetchone()[0] == 2


def test_a_store_older_than_the_index_is_indexed_on_first_search(small: Store) -> None:
    clear(small)  # as a store written before the search tables existed has them
    assert small.conn.execute("SELECT COUNT(*) FROM search_map").fetchone()[0] == 0
    assert search(small, "Putin").total == 1  # indexed by the search itself
    clear(small)
    ensure_index(small)
    assert search(small, "Putin").total == 1
    assert reindex(small) == 2


def test_sentence_search_ranks_sentences_with_their_provenance(built_store: Store) -> None:
    results = search_sentences(built_store, "phủ nhận cáo buộc", limit=5)
    assert results.hits
    top = results.hits[0]
    assert {"phủ", "nhận", "cáo", "buộc"} <= {p.lower() for p, is_hit in top.segments if is_hit}
    assert top.source_uri.endswith(".txt") and top.line > 0
    assert built_store.sentences(top.article_id)[top.idx]["text"] == top.text
