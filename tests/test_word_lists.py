"""Word lists found together with one scan (dossier.timex.word_lists) give each list exactly the
matches its own pattern gives over the whole text; the events stage reads its triggers that way."""

import re
from pathlib import Path

import yaml

from dossier.stages.event_lexicon import lexicon
from dossier.timex.lexicon import alternation
from dossier.timex.word_lists import WordLists
from dossier.vi.text import match_key

ROOT = Path(__file__).resolve().parent.parent
TRIGGERS = ROOT / "src" / "dossier" / "vi" / "data" / "event_triggers.yaml"


def lists() -> list[list[str]]:
    raw = yaml.safe_load(TRIGGERS.read_text(encoding="utf-8"))
    out = [
        [match_key(w) for w in kinds[s]]
        for kinds in raw["types"].values()
        for s in ("strong", "weak")
        if kinds.get(s)
    ]
    out += [[match_key(w) for w in raw[name]] for name in ("modal", "subordinators", "clause_openers")]
    # words that share a first word, words that overlap, a word that opens with a sign
    out += [["đi tới", "tới thăm", "tới", "thăm"], ["gặp gỡ", "gặp", "gỡ bỏ"], ["-x", "x"]]
    return out


def texts() -> list[str]:
    corpus = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "corpus").glob("*.txt"))]
    lines = [line for text in corpus for line in text.split("\n") if line.strip()]
    edges = [
        "gặp gỡ bỏ đi tới thăm tới  thăm",
        "Gặp\ngỡ; (tới thăm) “gặp” -x x-x đã ký kết,đã gặp ông",
        "tới",
        "",
        "có thể sẽ để cho biết sau khi kể từ khi",
    ]
    return [match_key(t) for t in edges + lines]


def test_each_list_gets_the_matches_of_its_own_pattern():
    words = lists()
    endings = {len(words) - 3: r"\s+(?=\w)"}  # a list read as the verbs of movement are
    together = WordLists(words, endings)
    alone = [
        re.compile(r"(?<!\w)(?:" + alternation(w) + ")" + endings.get(i, r"(?!\w)"))
        for i, w in enumerate(words)
    ]
    matched = 0
    for key in texts():
        scanned = together.scan(key)
        for i, pattern in enumerate(alone):
            expected = [m.span() for m in pattern.finditer(key)]
            assert [m.span() for m in scanned.get(i, [])] == expected, (i, key)
            matched += len(expected)
    assert matched > 1000


def test_a_stretch_of_a_text_gets_the_matches_finditer_gives_on_that_stretch():
    words = lists()
    together = WordLists(words)
    alone = [re.compile(r"(?<!\w)(?:" + alternation(w) + r")(?!\w)") for w in words]
    for key in texts()[:200]:
        for pos, endpos in ((0, len(key) // 2), (len(key) // 3, len(key)), (7, 40), (1, 2)):
            scanned = together.scan(key, pos, endpos)
            for i, pattern in enumerate(alone):
                expected = [m.span() for m in pattern.finditer(key, pos, endpos)]
                assert [m.span() for m in scanned.get(i, [])] == expected, (i, key, pos, endpos)


def test_the_sentence_scan_of_the_events_stage_holds_its_modal_words_and_visits():
    lx = lexicon()
    key = match_key("Ông có thể sẽ sang Nga, sau khi đến thăm Bình Nhưỡng.")
    scanned = lx.sentence_words.scan(key)
    count = len(lx.triggers)
    assert [key[m.start() : m.end()] for m in scanned[count]] == [match_key("có thể"), match_key("sẽ")]
    assert [key[m.start() : m.end()] for m in scanned[count + 1]] == [match_key("sau khi")]
    assert [key[m.start() : m.end()] for m in scanned[count + 2]] == ["sang ", match_key("đến ")]
