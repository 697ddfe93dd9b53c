"""The recogniser's shortcuts give the answers of the long way: shared word tokens with their
offsets, model features limited to what the model knows, sentences skipped only where the model's
names would be dropped, and a knowledge base parsed once per file version."""

from __future__ import annotations

import pytest

from conftest import seed, split_file
from dossier.kb.loader import load_kb
from dossier.ner.context import initial_tokens
from dossier.ner.crf import CrfModel, chunks, model_path, windows
from dossier.ner.features import Featurizer, sentence_features
from dossier.ner.lexicon import lexicon
from dossier.ner.recogniser import Recogniser, load_recogniser
from dossier.ner.tokens import tokenize

TEXT = (
    "Theo hãng tin Yonhap, ông Kim Jong-un (Triều Tiên) đã gặp Tổng thống Nga Vladimir Putin tại "
    "Vladivostok hôm 13/9.\nTrung tâm Nghiên cứu Xung đột dẫn lời giáo sư Artyom Lukin: “Mỹ-Trung…”"
)


@pytest.fixture(scope="module")
def rec() -> Recogniser:
    return load_recogniser()


def test_tokens_keep_their_offsets_and_the_separators_between_them():
    tokens = tokenize(TEXT)
    rebuilt = "".join(gap + tok.text for gap, tok in zip(tokens.gaps, tokens, strict=True))
    assert TEXT.startswith(rebuilt) and TEXT[len(rebuilt) :] == "…”"
    assert all(TEXT[s:e] == t.text for t, s, e in zip(tokens, tokens.starts, tokens.ends, strict=True))
    vladimir = [t for t in tokens if t.text == "Vladivostok"]
    assert tokens[0].exact == "theo" and tokens[1].cap is False and vladimir[0].viet is False
    assert tokens.gaps[tokens.index(vladimir[0])] == " "
    # a word's keys and flags are made once and shared by every token of that word
    again = tokenize("Vladivostok")
    assert again[0] is vladimir[0]


def test_keys_of_a_capital_sigma_follow_the_whole_text():
    # lower() writes "Σ" as a final "ς" unless a letter follows, even across a dot
    assert [t.exact for t in tokenize("ΑΣ.Β")] == ["ασ", "β"]
    assert [t.exact for t in tokenize("ΑΣ Β")] == ["ας", "β"]


def test_model_features_are_the_known_part_of_the_full_features(rec):
    model = rec.model
    assert model is not None
    known = {attr for attr, _label in model.tagger.info().state_features}
    fresh = Featurizer(lexicon(), known)
    tokens = tokenize(TEXT)
    initial = initial_tokens(TEXT, tokens)
    for a, b in chunks(tokens, initial):
        full = sentence_features(TEXT, tokens, initial, lexicon(), a, b)
        assert len(full[0]) > 15 and full[0][0] == "b"
        kept = [[f.decode() for f in token] for token in fresh.features(tokens, initial, a, b)]
        assert kept == [[f for f in token if f in known] for token in full]
    # a feature string is one bytes object however many words give it (word caches stay small)
    shared: dict[bytes, bytes] = {}
    for token in fresh.features(tokens, initial):
        for f in token:
            assert shared.setdefault(f, f) is f
    assert len(shared) < sum(len(t) for t in fresh.features(tokens, initial))


# the shortcuts the model takes, and how far its answers may stray from the long way's: skipping the
# sentences whose names would be dropped changes nothing; a window's labels are weighed over the
# window, not the sentence, so its confidences are the same to a hundredth
SHORTCUTS = {"skip_dropped": 0.0, "windowed": 0.01}


@pytest.mark.parametrize("shortcut", sorted(SHORTCUTS))
@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_the_model_s_shortcuts_find_what_the_long_way_finds(rec, shortcut, prefix):
    long_way = CrfModel(model_path(), lexicon())
    setattr(long_way, shortcut, False)
    slow = Recogniser(rec.kb, rec.linker, rec.lexicon, long_way)
    texts = [a.text for a in split_file(seed(prefix))]
    assert texts
    for text in texts:
        fast, full = rec.recognise(text), slow.recognise(text)
        assert [f._replace(confidence=0) for f in fast] == [f._replace(confidence=0) for f in full]
        off = [abs(a.confidence - b.confidence) for a, b in zip(fast, full, strict=True)]
        assert max(off, default=0) <= SHORTCUTS[shortcut]


def test_tagging_windows_cover_every_free_capital_and_join_where_they_touch():
    assert windows([10], 0, 40) == [(5, 21)]
    assert windows([2, 14, 40], 0, 60) == [(0, 25), (35, 51)]
    assert windows([2, 14, 30], 0, 33) == [(0, 33)]
    assert windows([], 0, 10) == []


def test_the_kb_is_parsed_once_per_version_of_a_file(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("- id: vinh-yen\n  type: place\n  name: Vĩnh Yên\n", encoding="utf-8")
    first, second = load_kb([extra]), load_kb([extra])
    assert first is not second and first.get("vinh-yen").name == second.get("vinh-yen").name == "Vĩnh Yên"
    second.get("vinh-yen").aliases.append("changed here only")
    assert load_kb([extra]).get("vinh-yen").aliases == []
    extra.write_text(
        "- id: vinh-yen\n  type: place\n  name: Vĩnh Yên\n  aliases: [Vinh Yen]\n", encoding="utf-8"
    )
    assert load_kb([extra]).get("vinh-yen").aliases == ["Vinh Yen"]
