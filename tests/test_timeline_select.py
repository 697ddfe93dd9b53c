"""Which statements the timeline page shows: the speaker named before the verb of saying must act for a
state (a country, an office holder, a state body); deeds are always shown."""

from pathlib import Path

from dossier.exports.html_site import write_site
from dossier.kb.loader import load_kb
from dossier.store.sqlite import Store
from dossier.timeline import Entry, Evidence, timeline
from dossier.timeline_select import for_page, speaker, state_actor

NAMES = {
    "ent-kremlin": ["Kremlin", "Điện Kremlin"],
    "ent-russia": ["Russia", "Nga"],
    "ent-vladimir-putin": ["Vladimir Putin", "Putin"],
    "ent-sentinelone": ["SentinelOne"],
}


def entry(kind: str, who: list[str], *texts: str) -> Entry:
    return Entry(
        f"evt-{len(texts)}",
        "2023-09-13",
        None,
        kind,
        texts[0],
        [(w, w) for w in who],
        None,
        [Evidence(f"art-{i}", 1, t) for i, t in enumerate(texts)],
    )


def test_the_speaker_is_the_participant_named_nearest_before_the_verb_of_saying():
    assert speaker("Tuy vậy, Điện Kremlin cho biết Nga không ký gì.", NAMES) == "ent-kremlin"
    assert speaker("Các nhà phân tích cho biết Nga cần đạn pháo.", NAMES) is None
    assert speaker("Nga cần đạn pháo, các chuyên gia cho biết.", NAMES) is None  # the experts speak
    assert speaker("Ông Putin đến Bình Nhưỡng.", NAMES) is None  # no verb of saying


def test_statements_by_states_and_all_deeds_are_shown_commentary_is_not():
    kb = load_kb()
    is_state = state_actor(kb)
    assert is_state("ent-vladimir-putin") and is_state("ent-russia") and is_state("ent-kremlin")
    assert not is_state("ent-sentinelone") and not is_state("ent-new-0123456789ab")
    entries = [
        entry("statement", ["ent-russia", "ent-kremlin"], "Điện Kremlin cho biết Nga không ký gì."),
        entry("statement", ["ent-russia"], "Các nhà phân tích cho biết Nga cần đạn pháo."),
        entry("statement", ["ent-sentinelone"], "SentinelOne cho biết họ tin Triều Tiên đứng sau."),
        entry("statement", ["ent-russia"], "Các chuyên gia cho biết thế.", "Nga cho biết không bán vũ khí."),
        entry("meeting", ["ent-vladimir-putin"], "Các nhà phân tích cho biết Putin đã gặp ông Kim."),
    ]
    kept, hidden = for_page(entries, NAMES, kb)
    assert [e.summary for e in kept] == [entries[0].summary, entries[3].summary, entries[4].summary]
    assert hidden == 2


def test_the_page_leaves_commentary_out_and_says_how_much(built_store: Store, tmp_path: Path):
    everything = timeline(built_store)
    page = (write_site(built_store, tmp_path / "site") / "timeline.html").read_text(encoding="utf-8")
    names = {e["id"]: [e["name"], *e.get("aliases", [])] for e in built_store.entities()}
    kept, hidden = for_page(everything, names)
    assert 0 < hidden < len([e for e in everything if e.type == "statement"])
    assert f"{len(kept)} events" in page and f"Left out: {hidden} statements" in page
    assert len(kept) + hidden == len(everything)
