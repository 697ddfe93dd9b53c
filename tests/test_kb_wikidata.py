"""``dossier kb import``: streaming a Wikidata JSON dump (plain, gzip, bzip2) into the KB."""

from __future__ import annotations

import bz2
import gzip
import json
from pathlib import Path

import pytest

from dossier.cli import app
from dossier.errors import DossierError
from dossier.kb import load_kb
from dossier.kb.loader import read_file
from dossier.kb.wikidata import import_dump


def _item(qid: str, en: str, vi: str | None, classes: list[str], aliases: dict[str, list[str]]) -> dict:
    labels = {"en": {"language": "en", "value": en}}
    if vi:
        labels["vi"] = {"language": "vi", "value": vi}
    return {
        "type": "item",
        "id": qid,
        "labels": {**labels, "fr": {"language": "fr", "value": en + " (fr)"}},
        "descriptions": {"en": {"language": "en", "value": f"description of {en}"}},
        "aliases": {lang: [{"language": lang, "value": a} for a in names] for lang, names in aliases.items()},
        "claims": {
            "P31": [
                {
                    "mainsnak": {
                        "snaktype": "value",
                        "datavalue": {"value": {"id": c}, "type": "wikibase-entityid"},
                    }
                }
                for c in classes
            ]  # fmt: skip
        },
    }


ITEMS = [
    _item("Q990000001", "Artyom Lukin", "Artyom Lukin", ["Q5"], {"en": ["A. Lukin"], "vi": ["Lukin"]}),
    _item("Q990000002", "Primorsky Krai", "Primorye", ["Q1637706"], {"en": ["Primorye"], "ru": ["Приморье"]}),
    _item(
        "Q990000003", "Conflict Research Centre", None, ["Q43229"], {"vi": ["Trung tâm Nghiên cứu Xung đột"]}
    ),
    _item("Q423", "North Korea", "Triều Tiên", ["Q6256"], {"vi": ["Bắc Hàn"]}),
]


def write_dump(path: Path) -> Path:
    """A dump shaped like Wikidata's: a JSON array, one entity per line, each but the last with a comma."""
    lines = ["["] + [json.dumps(item, ensure_ascii=False) + "," for item in ITEMS[:-1]]
    lines += [json.dumps(ITEMS[-1], ensure_ascii=False), "]"]
    text = "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as out:
            out.write(text)
    elif path.suffix == ".bz2":
        with bz2.open(path, "wt", encoding="utf-8") as out:
            out.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["dump.json", "dump.json.gz", "dump.json.bz2"])
def test_import_by_id_takes_vi_and_en_labels_and_aliases(tmp_path: Path, name: str):
    dump = write_dump(tmp_path / name)
    report = import_dump(dump, load_kb(), ids=["Q990000001", "Q990000002"])
    by_qid = {e.wikidata: e for e in report.taken}
    assert set(by_qid) == {"Q990000001", "Q990000002"}
    lukin = by_qid["Q990000001"]
    assert (lukin.id, lukin.type, lukin.name, lukin.vi) == (
        "artyom-lukin",
        "person",
        "Artyom Lukin",
        "Artyom Lukin",
    )
    assert lukin.aliases == ["Lukin", "A. Lukin"] and lukin.description == "description of Artyom Lukin"
    primorye = by_qid["Q990000002"]
    assert primorye.type == "place" and primorye.vi == "Primorye" and "Приморье" not in primorye.aliases
    assert report.read == 2  # lines of ids not asked for are never parsed


def test_import_by_class_reports_what_the_kb_already_has(tmp_path: Path):
    dump = write_dump(tmp_path / "dump.json.gz")
    report = import_dump(dump, load_kb(), class_ids=["Q43229", "Q6256"])
    assert [e.wikidata for e in report.taken] == ["Q990000003"]
    assert report.taken[0].type == "organization" and report.taken[0].vi is None
    assert report.taken[0].aliases == ["Trung tâm Nghiên cứu Xung đột"]
    assert report.known == [("Q423", "north-korea")]


def test_kb_import_command_writes_a_file_the_kb_then_loads(runner, tmp_path: Path):
    dump = write_dump(tmp_path / "dump.json.bz2")
    target = tmp_path / "imported.yaml"
    result = runner.invoke(app, ["kb", "import", str(dump), "--class", "Q5", "--file", str(target)])
    assert result.exit_code == 0, result.output
    assert "took Q990000001 → artyom-lukin" in result.output and "imported 1" in result.output
    assert [e.id for e in read_file(target)] == ["artyom-lukin"]
    assert load_kb([target]).get("artyom-lukin").wikidata == "Q990000001"
    # importing again updates the entity in place instead of adding it twice
    assert (
        runner.invoke(app, ["kb", "import", str(dump), "--id", "Q990000001", "--file", str(target)]).exit_code
        == 0
    )
    assert len(read_file(target)) == 1
    dry = runner.invoke(
        app, ["kb", "import", str(dump), "--id", "Q990000002", "--file", str(target), "--dry-run"]
    )
    assert "would take Q990000002" in dry.output and len(read_file(target)) == 1


def test_import_needs_a_selection_and_a_readable_dump(tmp_path: Path):
    dump = write_dump(tmp_path / "dump.json")
    with pytest.raises(DossierError, match="select entities"):
        import_dump(dump, load_kb())
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(DossierError) as caught:
        import_dump(broken, load_kb(), ids=["Q1"])
    assert caught.value.code == "E062"
