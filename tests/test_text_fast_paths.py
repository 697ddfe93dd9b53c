"""The shortcuts of the source-level stages give what their plain definitions give.

Markup stripping, the boilerplate patterns, the repeated-paragraph check, outlet look-ups, the legacy
encoding scores and HTML paragraph location each skip work that cannot change the answer (a line
with no markup character, a line-start pattern on a line that none fits, a matching key no other key
is as long as...). Each test here compares the shortcut with a straightforward reference, on the
example captures and on made-up lines aimed at the edges.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from conftest import CORPUS, split_text
from dossier.models import Document, Source
from dossier.stages import clean, extract, split
from dossier.stages import metadata as meta
from dossier.stages.decode import decode
from dossier.stages.line_end_patterns import reversed_line_end
from dossier.stages.markup import strip_markup
from dossier.vi import legacy
from dossier.vi import text as text_mod
from dossier.vi.text import match_key


def _corpus_lines() -> list[str]:
    return [ln for path in sorted(CORPUS.glob("*.txt")) for ln in path.read_text("utf-8").split("\n")]


def _random_lines(pieces: list[str], count: int, seed: int, most: int = 8) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, most))) for _ in range(count)]


# -- markup ------------------------------------------------------------------------------------------
_MARKUP_PIECES = [
    *["Tin", " ", "tức", "#", "## ", "[", "]", "(", ")", "](", "](#)", "![", '"', ' "t")', "!"],
    *["*", "**", "***", "_", "__", "\\", "\\(", "\\*", "- ", "* ", "+ ", "• ", "1. ", "12) ", "\t", "\u00a0"],
    *["x", "é", "\u0301", ">", "|"],
]


def _strip_reference(line: str) -> tuple[str, list[tuple[int, int, int]], int, bool, str | None]:
    """strip_markup as one keep-flag per character (the definition the fast version must equal)."""
    from dossier.stages import markup as m

    keep = [True] * len(line)
    heading = 0
    h = m._HEADING.match(line)
    bullet = m._BULLET.match(line)
    if h:
        heading = len(h.group(1))
        keep[: h.end()] = [False] * h.end()
    elif bullet and not line.lstrip().startswith(("**", "*[")):
        keep[: bullet.end()] = [False] * bullet.end()
    spans, target = [], None
    for lm in m._LINK.finditer(line):
        keep[lm.start()] = False
        if line[lm.start()] == "!":
            keep[lm.start() + 1] = False
        for i in range(lm.end(1), lm.end()):
            keep[i] = False
        spans.append((lm.start(), lm.end()))
        target = lm.group(2)
    for em in m._EMPHASIS.finditer(line):
        keep[em.start() : em.end()] = [False] * (em.end() - em.start())
    for es in m._ESCAPE.finditer(line):
        keep[es.start()] = False
    runs: list[tuple[int, int, int]] = []
    chars: list[str] = []
    for col, ch in enumerate(line):
        if keep[col]:
            if runs and runs[-1][1] + runs[-1][2] == col:
                runs[-1] = (runs[-1][0], runs[-1][1], runs[-1][2] + 1)
            else:
                runs.append((len(chars), col, 1))
            chars.append(ch)
    text = "".join(chars)
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    trimmed = []
    for start, col, n in runs:
        s, e = max(start, lead), min(start + n, lead + len(text))
        if s < e:
            trimmed.append((s - lead, col + (s - start), e - s))
    outside = "".join(ch for i, ch in enumerate(line) if not any(a <= i < b for a, b in spans))
    link_only = bool(spans) and not re.sub(r"[\s*_#|>\-•]", "", outside)
    return text, trimmed, heading, link_only, target if link_only else None


def test_markup_stripping_equals_the_character_by_character_definition():
    lines = _corpus_lines() + _random_lines(_MARKUP_PIECES, 20000, seed=1, most=12)
    for line in lines:
        clean_line = strip_markup(line)
        got = (clean_line.text, clean_line.runs, clean_line.heading_level, clean_line.is_link_only)
        want = _strip_reference(line)
        assert (*got, clean_line.link_target) == want, line


# -- boilerplate -------------------------------------------------------------------------------------
def _first_pattern_kind(text: str) -> str | None:
    for kind, pattern in clean._patterns():
        if text and pattern.search(text):
            return kind
    return None


_BOILER_PIECES = [
    *["icon", "ICON", "xicon", " ", "chia sẻ", "CHIA SẺ", " - ảnh 1", " – Ảnh 12.", ". (Ảnh: Reuters)", "AP"],
    *[
        ". afp",
        " Reuters - Hà Nội",
        "(phải)",
        "Ảnh chụp",
        "Advertisement",
        "quảng cáo",
        "Nguồn ảnh, ",
        "Ảnh: X",
    ],
    *["e-mail:", "photo: a", "a.png", "©", "1", ".", "–", "/", "\n", "İcon", "ıcon", "tin", "Đăng nhập"],
]


def test_boilerplate_kind_is_the_first_pattern_in_file_order_that_fits():
    lines = [ln.strip() for ln in _corpus_lines()] + _random_lines(_BOILER_PIECES, 30000, seed=2)
    for line in lines:
        assert clean.boilerplate_kind(line) == _first_pattern_kind(line), line


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [
        ("^a$", True),
        ("^(a|b)", True),
        ("^a|b", False),
        ("^a(?:b)|c", False),
        ("^[|]a", True),
        ("^[]|]a", True),
        ("^[^]|]a", True),
        ("^a[(]|b", False),
        (r"^a\(|b", False),
        (r"^[\]|a]|b", False),
        ("a^", False),
        ("(?m)^a", False),
        ("^a(?#( )|b", False),
        ("^a(?#[)|b", False),
        ("^a(?#\\)[)|b]", False),
        ("^a(?#|)b", True),
    ],
)
def test_only_patterns_that_start_every_match_at_the_line_start_count_as_anchored(pattern, anchored):
    assert clean._anchored(re.compile(pattern, re.I)) is anchored


_LINE_END_EXTRA = [
    r"a\Bb$",
    r"\ba[^b]c$",
    r"(?s)a.c$",
    r"a.*?c$",
    r"(ab|a)(bc|c)$",
    r"x[a-cé-ë]+y$",
    r"\Aab$",
    r"(^|x)ab$",
    r"a{2,3}?$",
    r"[^\W\d_]+\.$",
    r"(?:a|b\b)c$",
    r"$",
]


def test_line_end_patterns_reversed_find_what_search_finds():
    patterns = [p for _, p in clean._patterns()]
    patterns += [re.compile(p, flags) for p in _LINE_END_EXTRA for flags in (0, re.I)]
    reversed_patterns = [(p, reversed_line_end(p)) for p in patterns]
    assert sum(r is not None for _, r in reversed_patterns) >= len(_LINE_END_EXTRA) * 2 + 20
    pieces = [*_BOILER_PIECES, "a", "b", "c", "x", "y", "ë", "ab", "AB", "share", "facebook", ",", "|"]
    lines = [ln.strip() for ln in _corpus_lines()] + _random_lines(pieces, 8000, seed=6)
    for pattern, backwards in reversed_patterns:
        if backwards is None:
            continue
        for line in lines:
            if not line.endswith("\n"):
                assert bool(pattern.search(line)) == bool(backwards.match(line[::-1])), (pattern, line)


@pytest.mark.parametrize("pattern", ["^a|b$", "a(?=b)b$", r"(a)\1$", "(?i:a)b$", "ab", "a$b", "(?m)a$"])
def test_patterns_not_ending_the_line_or_not_plain_are_not_reversed(pattern):
    assert reversed_line_end(re.compile(pattern)) is None


# -- repeated paragraphs -----------------------------------------------------------------------------
def test_key_length_is_the_length_of_the_matching_key():
    specials = [
        "İ",
        "ı",
        "Σ",
        "ς",
        "ẞ",
        "\u0301",
        "\u0323",
        "\u0302",
        "ǅ",
        "ŉ",
        "ÒA",
        "hoà",
        "HÒA",
        "a\u0301o",
    ]
    vowels = list("aăâeêioôơuưyAĂÂEÊIOÔƠUƯYàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
    lines = _corpus_lines() + _random_lines(vowels + specials + ["n", "g", " ", "đ"], 20000, seed=3)
    for line in lines:
        assert split._key_length(line) == len(match_key(line)), line


def test_a_repeated_lead_is_kept_once_whatever_its_tone_placement():
    lead = "Chính phủ đã quyết định hoà giải với các bên trong cuộc xung đột kéo dài."
    again = "Chính phủ đã quyết định hòa giải với các bên trong cuộc xung đột kéo dài."
    short = "Hà Nội, 2023"
    text = "\n".join(
        [
            "Tiêu đề của bài viết về hòa giải",
            "Đăng ngày: 16/09/2023 - 11:39",
            "",
            lead,
            "",
            short,
            "",
            again,
            "",
            "Một đoạn văn khác, dài hơn hai mươi ký tự, để bài viết có thân.",
            "",
            short,
        ]
    )
    (article,) = split_text(text)
    assert article.text.count("quyết định") == 1
    assert article.text.count(short) == 2  # short lines (20 characters or fewer) are never dropped
    for seg in article.offsets.segments:
        line = text.split("\n")[seg.line - 1]
        assert article.text[seg.start : seg.start + seg.length] == line[seg.column : seg.column + seg.length]


# -- outlets -----------------------------------------------------------------------------------------
def _mentioned_reference(text: str) -> list[meta.Outlet]:
    found = []
    for outlet in meta.outlets():
        for alias in [outlet.name, *outlet.aliases]:
            if len(alias) >= 3 and re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", text):
                found.append(outlet)
                break
    return found


def test_outlets_mentioned_and_named_agree_with_their_definitions():
    aliases = [a for o in meta.outlets() for a in [o.name, *o.aliases]]
    pieces = [*aliases[:40], " ", ", ", "x", "Phóng viên", "_", "-", "[", "]", "rfi", "BBCx"]
    short = [ln for ln in _corpus_lines() if len(ln) <= 120]  # role lines are short
    lines = short + _random_lines(pieces, 2000, seed=4, most=4)
    for line in lines:
        assert meta.outlets_mentioned(line) == _mentioned_reference(line), line
        key = re.sub(r"[\W_]+", "", meta.fold(line))
        assert meta.outlet_named(line) is meta._alias_index().get(key), line
    assert meta.outlet_named("[RFI]").name == "RFI Tiếng Việt"
    assert [o.name for o in meta.outlets_mentioned("Phóng viên châu Á, BBC News")] == ["BBC News Tiếng Việt"]


def test_fold_keeps_one_character_per_character_and_which_are_word_characters():
    # outlet_named folds only the word characters of a line, which is the same key when this holds
    word = re.compile(r"[^\W_]")
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        folded = meta.fold(ch)
        assert len(folded) == 1 and bool(word.match(folded)) == bool(word.match(ch)), hex(code)


# -- legacy encodings --------------------------------------------------------------------------------
def _score_reference(text: str) -> tuple[int, int]:
    valid = invalid = 0
    for word in re.findall(r"(?:[^\W\d_]|[\u00a1-\u00bf\u00d7\u00f7])+", text):
        if len(word) < 2 or word.isascii():
            continue
        if legacy._cased(word) and legacy.is_syllable(word):
            valid += 1
        else:
            invalid += 1
    return valid, invalid


def test_legacy_scores_and_the_lines_worth_converting_agree_with_their_definitions():
    unicode_lines = _corpus_lines()
    mojibake = [legacy.from_unicode(ln, enc) for enc in legacy.ENCODINGS for ln in unicode_lines[:300]]
    lines = unicode_lines + mojibake + _random_lines(["Matxcơva", "Néi", "Haø", " ", "é", "µ", "ab"], 3000, 5)
    for line in lines:
        assert (legacy.score(line).valid, legacy.score(line).invalid) == _score_reference(line), line
    for start in range(0, len(lines), 60):
        chunk = lines[start : start + 60]
        assert legacy._with_invalid_words(chunk) == [ln for ln in chunk if legacy.score(ln).invalid]
    # a "line" holding a newline (detect() is public) takes the line-by-line path
    odd = ["Matxcơva\nHà Nội", "x", "Matxcơva"]
    assert legacy._with_invalid_words(odd) == odd[:1] + odd[2:]


# -- decode and HTML ---------------------------------------------------------------------------------
def test_nfc_and_nfd_captures_decode_to_the_same_lines():
    text = (CORPUS.glob("001_*.txt").__next__()).read_text("utf-8")
    nfc_doc = decode(Source(uri="a.txt", data=text.encode(), media_type="text/plain"))
    nfd = unicodedata.normalize("NFD", text)
    nfd_doc = decode(Source(uri="b.txt", data=nfd.encode(), media_type="text/plain"))
    assert nfc_doc.lines == nfd_doc.lines == unicodedata.normalize("NFC", text).split("\n")
    assert not nfc_doc.column_maps
    assert set(nfd_doc.column_maps) == {
        i for i, ln in enumerate(nfd.split("\n")) if not unicodedata.is_normalized("NFC", ln)
    }


def test_html_paragraphs_are_located_from_the_previous_one_then_from_the_top():
    doc = Document(
        source_id="p",
        uri="p.html",
        media_type="text/html",
        encoding="utf-8",
        lines=[
            "<p>Alpha beta</p>",
            "<div>Gamma &amp; delta</div>",
            "<p>Alpha beta again</p>",
            "<p>Epsilon</p>",
        ],
    )
    visible = extract._visible_lines(doc)
    assert visible[1] == " Gamma & delta "
    # "Alpha beta" after line 3 is found again at line 3; "Gamma" is found back at line 2; a paragraph
    # that is nowhere stays at the line found last
    assert extract._locate_paragraphs(visible, ["Epsilon", "Gamma & delta", "Alpha beta", "Zeta"]) == [
        4,
        2,
        3,
        3,
    ]
    assert extract._locate_paragraphs(visible, ["Alpha  beta\nagain"]) == [3]
    assert extract._locate_paragraphs([], ["x"]) == [1]


# -- the matching keys -------------------------------------------------------------------------------
_KEY_PIECES = [
    *["Hoà", "hòa", "THUỶ", "thủy", "của", "người", "Nhưỡng", "Σ", "ΑΣ", "σ", "İ", "ẞ", "ǅ", "ﬁ"],
    *[" ", "  ", "\n", "\t", "\u00a0", ".", "'", "-", "\u0301", " \u0301", "\u0323", "oa", "ÓÁ", "uyê"],
    *["a\u0301\u0300", "ươ\u0303", "Ω", "K", "1", "ṍ", "Ṹa", "oṹ"],
]


def _plain_fold_tone_placement(text: str, runs: re.Pattern[str]) -> str:
    """Every run of vowels through the cluster fold (no shortcut for runs it leaves alone)."""
    return runs.sub(lambda m: text_mod._fold_cluster(m.group(0)), text)


def test_match_key_and_fold_equal_their_plain_definitions():
    lines = _corpus_lines()[:3000] + _random_lines(_KEY_PIECES, 6000, seed=12)
    lines += [unicodedata.normalize("NFD", ln) for ln in lines[-2000:]]
    vowels = [chr(c) for c in range(0x41, 0x2000) if text_mod._split_tone(chr(c))[0] in text_mod.VOWELS]
    runs = re.compile(f"[{re.escape(''.join(vowels))}]+")
    for line in lines:
        nfc = unicodedata.normalize("NFC", line)
        assert match_key(line) == _plain_fold_tone_placement(nfc, runs).lower(), repr(line)
        assert text_mod.fold(line) == "".join(text_mod._fold_char(c) for c in line), repr(line)
