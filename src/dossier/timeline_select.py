"""Which timeline entries the timeline page shows: every deed, and only the statements that are news.

A corpus about one summit holds dozens of "X cho biết …" statements on the days around it: analysts,
researchers and reporters explaining. On the page they would bury the meetings, visits and tests. A
statement is shown when, in one of the sentences that report it, the speaker acts for a state: a
country, a person the knowledge base gives a public office (``roles``), an organisation it places in a
country (the Kremlin, the White House) or an international body (``data/timeline_page.yaml``). The
speaker is the participant named nearest before the verb of saying (``Điện Kremlin cho biết``), unless
a commentator (``các chuyên gia``) is named after it; ``Các nhà phân tích cho biết … Nga`` has none.
Accusations and denials are their own types and always shown. Nothing is removed from the store, the
exports or ``dossier timeline``; the page says how many statements it leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from dossier.kb.loader import KnowledgeBase, load_kb
from dossier.stages.event_extract import lexicon
from dossier.timeline import Entry
from dossier.vi.text import match_key

SPEECH = "statement"


@dataclass(frozen=True)
class Rules:
    speaker_window: int  # characters before the verb of saying where the speaker is named
    commentators: re.Pattern[str]  # words for people who comment rather than act ("chuyên gia")
    state_bodies: frozenset[str]  # entity ids of international bodies that speak for states


@cache
def rules() -> Rules:
    """The page's rules, read once from ``data/timeline_page.yaml``."""
    raw = yaml.safe_load(
        resources.files("dossier").joinpath("data/timeline_page.yaml").read_text(encoding="utf-8")
    )
    return Rules(
        int(raw["speaker_window"]),
        re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(match_key(w)) for w in raw["commentators"]) + r")(?!\w)"
        ),
        frozenset(f"ent-{slug}" for slug in raw["state_bodies"]),
    )


def state_actor(kb: KnowledgeBase) -> Callable[[str], bool]:
    """Whether an entity id names a country, an office holder or a state body, by the knowledge base."""

    def test(entity_id: str) -> bool:
        if entity_id in rules().state_bodies:
            return True
        entity = kb.get(entity_id)
        if entity is None:
            return False
        if entity.type == "country":
            return True
        if entity.type == "person":
            return bool(entity.roles)
        return entity.type == "organization" and entity.country is not None

    return test


def speaker(text: str, names: dict[str, list[str]]) -> str | None:
    """The entity (of ``names``: id → names) named nearest before the first verb of saying in
    ``text``, within the speaker window, or None."""
    key = match_key(text)
    verbs = [
        m.start() for pattern, kind, _ in lexicon().triggers if kind == SPEECH for m in pattern.finditer(key)
    ]
    if not verbs:
        return None
    verb = min(verbs)
    window = key[max(0, verb - rules().speaker_window) : verb]
    best: tuple[int, str] | None = None
    for entity_id, written in names.items():
        ends = [window.rfind(match_key(n)) + len(n) for n in written if n and match_key(n) in window]
        if ends and (best is None or max(ends) > best[0]):
            best = (max(ends), entity_id)
    if best is None or any(m.start() >= best[0] for m in rules().commentators.finditer(window)):
        return None  # "Nga …, các chuyên gia cho biết": the experts speak, not the country
    return best[1]


def shown(entry: Entry, names: dict[str, list[str]], is_state: Callable[[str], bool]) -> bool:
    """Whether the timeline page shows an entry (see the module docstring); ``names`` gives each
    entity id the names it may be written as."""
    if entry.type != SPEECH:
        return True
    candidates = {p: names.get(p, [name]) for p, name in entry.participants}
    return any((who := speaker(e.text, candidates)) is not None and is_state(who) for e in entry.evidence)


def for_page(
    entries: list[Entry], names: dict[str, list[str]], kb: KnowledgeBase | None = None
) -> tuple[list[Entry], int]:
    """The entries the page shows, in order, and how many statements were left out."""
    is_state = state_actor(kb if kb is not None else load_kb())
    kept = [e for e in entries if shown(e, names, is_state)]
    return kept, len(entries) - len(kept)
