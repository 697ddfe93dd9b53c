"""Clustering new entities across spellings, relinking their mentions in the store, and the VLSP
reader and scorer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dossier.errors import DossierError
from dossier.eval.vlsp import predicted_tags, read_vlsp, score_vlsp
from dossier.ner.cluster import NewEntity, alike, cluster, confidence, merge
from dossier.ner.names import new_entity_id, translit_key
from dossier.ner.recogniser import load_recogniser
from dossier.pipeline import build


def test_transliteration_key_folds_the_usual_spellings():
    assert translit_key("Serguei Choigu") == translit_key("Sergei Shoigu") == translit_key("Sergey Shoigu")
    assert translit_key("Zelenskyy") == translit_key("Zelenskiy") == translit_key("Zelensky")
    assert translit_key("Kim Jong-un") == translit_key("Kim Jong Un")
    assert translit_key("Putin") != translit_key("Peskov")


def test_alike_names_are_one_person_and_others_are_not():
    assert alike("Andrei Kolesnikov", "Andrej Kolesnikow")
    assert alike("Serguei Choigu", "Sergei Shoigu")
    assert not alike("Kim Dong-yup", "Kim Tae-hyo")
    assert not alike("Jeffrey Lewis", "Jeffrey Lewis Jr")  # a different number of words


def _ent(name: str, n: int, etype: str = "person") -> NewEntity:
    return NewEntity(new_entity_id(name, etype), etype, Counter({name: n}), [(0.8, n)])


def test_cluster_merges_variants_into_the_most_mentioned():
    a, b, c = (
        _ent("Andrei Kolesnikov", 3),
        _ent("Andrej Kolesnikow", 1),
        _ent("Andrei Kolesnikov", 1, "place"),
    )
    d = _ent("Valeriy Akimenko", 2)
    mapping = cluster([a, b, c, d])
    assert mapping == {b.id: a.id}  # a place of the same name stays apart
    merged = {e.id: e for e in merge([a, b, c, d], mapping)}
    assert set(merged[a.id].names) == {"Andrei Kolesnikov", "Andrej Kolesnikow"}
    assert merged[a.id].name == "Andrei Kolesnikov"
    assert confidence(merged[a.id]) > confidence(d) > 0


def test_corpus_stage_relinks_mentions_of_merged_entities(store, tmp_path: Path):
    header = "Tin thế giới\n\nĐăng ngày: {}/09/2023 - 11:39\n\n"
    texts = {
        "a.txt": header.format(16) + "Giáo sư Andrei Kolesnikov nói với báo chí hôm qua.\n",
        "b.txt": header.format(17) + "Ông Andrej Kolesnikow, một nhà phân tích, cũng nói vậy.\n",
    }
    folder = tmp_path / "captures"
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    build([str(folder)], store)
    mentions = [m for m in store.mentions() if "Kolesnik" in m["text"]]
    assert len(mentions) == 2 and len({m["entity"] for m in mentions}) == 1
    ent = next(e for e in store.entities() if e["id"] == mentions[0]["entity"])
    assert ent["origin"] == "new" and ent["mention_count"] == 2 and len(ent["articles"]) == 2
    assert {"Andrei Kolesnikov", "Andrej Kolesnikow"} <= set(ent["aliases"])


VLSP = """<s>
Ông\tNc\tB-NP\tO
Putin\tNp\tB-NP\tB-PER
đến\tV\tB-VP\tO
Bình_Nhưỡng\tNp\tB-NP\tB-LOC
gặp\tV\tB-VP\tO
Kim\tNp\tB-NP\tB-PER
Jong\tNp\tI-NP\tI-PER
Un\tNp\tI-NP\tI-PER
.\tCH\tO\tO
</s>

Liên\tNp\tB-NP\tB-ORG
Hợp\tNp\tI-NP\tI-ORG
Quốc\tNp\tI-NP\tI-ORG
họp\tV\tB-VP\tO
tại\tE\tB-PP\tO
New York\tNp\tB-NP\tB-LOC
.\tCH\tO\tO
"""


def test_vlsp_reader_and_scorer(tmp_path: Path):
    path = tmp_path / "test.conll"
    path.write_text(VLSP, encoding="utf-8")
    sentences = read_vlsp(path)
    assert [s.text for s in sentences] == [
        "Ông Putin đến Bình Nhưỡng gặp Kim Jong Un .",
        "Liên Hợp Quốc họp tại New York .",
    ]
    rec = load_recogniser()
    assert predicted_tags(sentences[0], rec.recognise(sentences[0].text)) == sentences[0].tags
    result = score_vlsp(path, rec.recognise)
    overall = next(f for f in result["figures"] if f["metric"] == "all")
    assert (overall["tp"], overall["fp"], overall["fn"]) == (5, 0, 0) and overall["f1"] == 1.0
    per = {f["metric"]: f for f in result["figures"]}
    assert per["PER"]["tp"] == 2 and per["LOC"]["tp"] == 2 and per["ORG"]["tp"] == 1


def test_vlsp_reader_refuses_a_malformed_line(tmp_path: Path):
    path = tmp_path / "bad.conll"
    path.write_text("Putin\tNp\tB-NP\tB-PERSON\n", encoding="utf-8")
    with pytest.raises(DossierError) as caught:
        read_vlsp(path)
    assert caught.value.code == "E063" and "line 1" in str(caught.value)


def test_eval_command_reads_vlsp(runner, tmp_path: Path):
    from dossier.cli import app

    path = tmp_path / "test.conll"
    path.write_text(VLSP, encoding="utf-8")
    result = runner.invoke(app, ["eval", "--vlsp", str(path)])
    assert result.exit_code == 0 and "2 sentences" in result.output
    assert any(line.startswith("all") and "1.000" in line for line in result.output.splitlines())
