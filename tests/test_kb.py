"""The knowledge base: its data, its loader's refusals, and the ``dossier kb`` commands."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from dossier.cli import app
from dossier.errors import DossierError
from dossier.kb import TYPES, Role, load_kb
from dossier.kb.loader import read_file


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_kb_holds_hundreds_of_real_world_entities_of_every_type(kb):
    assert len(kb) >= 400
    counts = Counter(e.type for e in kb)
    assert set(counts) == set(TYPES)
    assert counts["country"] >= 100 and counts["person"] >= 50 and counts["organization"] >= 80
    assert all(e.name and e.id == e.id.lower() for e in kb)


def test_kb_names_states_in_their_vietnamese_spellings_and_transliterations(kb):
    nk = kb.get("north-korea")
    assert nk.wikidata == "Q423" and nk.capital == "pyongyang"
    assert {"Bắc Hàn", "Bắc Triều Tiên", "CHDCND Triều Tiên"} <= set(nk.names())
    assert {"Matxcơva", "Mát-xcơ-va", "Moscow"} <= set(kb.get("moscow").names())
    assert "Hoa Thịnh Đốn" in kb.get("washington-dc").names()
    assert kb.capital_of["pyongyang"] == "north-korea"
    assert kb.get("ent-kim-jong-un").short == ["Kim"]


def test_roles_carry_their_time_span(kb):
    shoigu = next(r for r in kb.get("sergei-shoigu").roles if r.title == "Bộ trưởng Quốc phòng Nga")
    assert shoigu.holds_at("2023-09-13") and not shoigu.holds_at("2024-11-29")
    role = Role("Tổng thống Nga", "2012-05", "2024")
    assert role.holds_at("2012") and role.holds_at("2024-12") and not role.holds_at("2025-01")
    assert not role.holds_at("2011-12-31") and role.holds_at(None)


def _write(path: Path, rows: object) -> Path:
    path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ([{"id": "russia", "type": "country", "name": "Russia again"}], "duplicate id 'russia'"),
        ([{"id": "x-1", "type": "planet", "name": "X"}], "type 'planet'"),
        ([{"id": "Bad Id", "type": "person", "name": "X"}], "not a lower-case slug"),
        ([{"id": "x-2", "type": "person", "name": "X", "country": "atlantis"}], "country 'atlantis'"),
        ([{"id": "x-3", "type": "person", "name": "X", "wikidata": "42"}], "not a Q-id"),
        ([{"id": "x-4", "type": "person", "name": "X", "roles": [{"title": "T", "from": "May"}]}], "YYYY"),
        ({"id": "x-5"}, "a list of entities"),
    ],
)
def test_loader_refuses_what_would_link_wrongly(tmp_path: Path, rows: object, reason: str):
    extra = _write(tmp_path / "mine.yaml", rows)
    with pytest.raises(DossierError) as caught:
        load_kb([extra])
    assert caught.value.code == "E060" and reason in str(caught.value)


def test_extra_files_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _write(tmp_path / "local.yaml", [{"id": "artyom-lukin", "type": "person", "name": "Artyom Lukin"}])
    monkeypatch.setenv("DOSSIER_KB", str(tmp_path))
    assert load_kb().get("artyom-lukin").origin == "local.yaml"


def test_kb_add_show_list(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "mine.yaml"
    result = runner.invoke(
        app,
        [
            "kb", "add", "artyom-lukin", "--type", "person", "--name", "Artyom Lukin", "--vi", "Artyom Lukin",
            "--alias", "Lukin", "--country", "russia", "--role", "giáo sư Đại học Liên bang Viễn Đông",
            "--description", "professor in Vladivostok", "--file", str(target),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stored = read_file(target)
    assert [e.id for e in stored] == ["artyom-lukin"] and stored[0].aliases == ["Lukin"]
    again = runner.invoke(
        app, ["kb", "add", "artyom-lukin", "--type", "person", "--name", "Artyom Lukin", "-a", "Lukine",
              "--file", str(target)],
    )  # fmt: skip
    assert again.exit_code == 0 and "updated" in again.output
    assert read_file(target)[0].aliases == ["Lukin", "Lukine"]

    monkeypatch.setenv("DOSSIER_KB", str(target))
    shown = runner.invoke(app, ["kb", "show", "ent-artyom-lukin"])
    assert shown.exit_code == 0 and "Lukine" in shown.output and "mine.yaml" in shown.output
    listed = runner.invoke(app, ["kb", "list", "--type", "person", "--search", "lukin"])
    assert "artyom-lukin" in listed.output and "1 of" in listed.output
    countries = runner.invoke(app, ["kb", "list", "--type", "country", "--search", "bac han"])
    assert "north-korea" in countries.output and "vladimir-putin" not in countries.output


def test_kb_add_refuses_an_id_another_file_defines(runner, tmp_path: Path):
    result = runner.invoke(
        app,
        ["kb", "add", "russia", "--type", "country", "--name", "Russia", "--file", str(tmp_path / "m.yaml")],
    )
    assert result.exit_code == 2 and "already defined in countries.yaml" in result.output
    assert not (tmp_path / "m.yaml").exists()


def test_kb_show_unknown_id_is_a_clear_error(runner):
    result = runner.invoke(app, ["kb", "show", "no-such-thing"])
    assert result.exit_code == 2 and "E061" in result.output
