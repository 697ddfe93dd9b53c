"""Recognise an article's metadata lines: date lines, capture/source lines, outlets, bylines, credits.

Each recogniser takes one clean line and returns what it found, or None; the splitter decides what a
line is from these answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from dossier.vi.text import fold, has_vietnamese_letters

# -- dates ----------------------------------------------------------------------------------------
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*((?:19|20)\d{2})(?!\d)")
_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)")
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])\s*[:hg]\s*([0-5]\d)(?!\d)(?:\s*(AM|PM|SA|CH))?", re.I)
_EN_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_EN_DATE = re.compile(
    r"\b("
    + "|".join(_EN_MONTHS)
    + r"|"
    + "|".join(m[:3] for m in _EN_MONTHS)
    + r")\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b",
    re.I,
)
_VI_DATE = re.compile(
    r"(?:\bngày\s+)?(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s*(?:năm\s+)?((?:19|20)\d{2})\b", re.I
)
# Words that may stand beside a date on a date line without making it prose.
_DATE_LINE_WORDS = re.compile(
    r"\b(đăng|ngày|cập nhật|cập|nhật|lúc|giờ|thứ|hai|ba|tư|năm|sáu|bảy|chủ nhật|cn|gmt|ict|utc|"
    r"published|updated|posted|on|at|pm|am|sa|ch|\+07|\+7|quốc tế|thế giới|thời sự|tin tức|phân tích|"
    r"bình luận|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)

_NOT_LETTERS = re.compile(r"[\W\d_]+")


@dataclass
class DateStamp:
    date: str  # ISO, day precision
    time: str | None = None


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100


def find_date(text: str) -> DateStamp | None:
    """The first full calendar date in ``text`` (day/month/year order, as Vietnamese writes it)."""
    found: list[tuple[int, str]] = []
    for m in _DMY.finditer(text):
        d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if _valid(y, mo, d):
            found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
    for m in _YMD.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
    for m in _EN_DATE.finditer(text):
        key = m.group(1).lower()
        mo = _EN_MONTHS.get(key) or next(v for k, v in _EN_MONTHS.items() if k.startswith(key[:3]))
        d, y = int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
    for m in _VI_DATE.finditer(text):
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
    if not found:
        return None
    found.sort()
    time = None
    tm = _TIME.search(text)
    if tm:
        hour = int(tm.group(1))
        if tm.group(3) and tm.group(3).upper() in ("PM", "CH") and hour < 12:
            hour += 12
        time = f"{hour:02d}:{tm.group(2)}"
    return DateStamp(found[0][1], time)


def date_line(text: str, names: list[str] | None = None) -> DateStamp | None:
    """The date of a line that is only a date stamp (``Đăng ngày: 16/09/2023 - 11:39``,
    ``15-9-2023``, ``Hoàng Vũ 29/11/2024 16:10``), or None for prose that merely contains a date.

    ``names`` are words allowed beside the date (an author's name before a timestamp).
    """
    if len(text) > 80:
        return None
    stamp = find_date(text)
    if stamp is None:
        return None
    rest = _DMY.sub(" ", text)
    rest = _YMD.sub(" ", rest)
    rest = _EN_DATE.sub(" ", rest)
    rest = _VI_DATE.sub(" ", rest)
    rest = _TIME.sub(" ", rest)
    rest = _DATE_LINE_WORDS.sub(" ", rest)
    for name in names or []:
        rest = rest.replace(name, " ")
    leftover = _NOT_LETTERS.sub(" ", rest).split()
    if len(leftover) <= 3:
        return stamp
    return None


# -- outlets ----------------------------------------------------------------------------------------
@dataclass
class Outlet:
    name: str
    aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    agency: bool = False


@lru_cache(maxsize=1)
def outlets() -> list[Outlet]:
    data = resources.files("dossier.vi").joinpath("data/outlets.yaml").read_text(encoding="utf-8")
    return [Outlet(**row) for row in yaml.safe_load(data)]


_NOT_KEY = re.compile(r"[\W_]+")


def _key(name: str) -> str:
    return _NOT_KEY.sub("", fold(name))


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, Outlet]:
    index: dict[str, Outlet] = {}
    for outlet in outlets():
        for alias in [outlet.name, *outlet.aliases]:
            index.setdefault(_key(alias), outlet)
        for domain in outlet.domains:
            index.setdefault(_key(domain.split(".")[0]), outlet)
    return index


@lru_cache(maxsize=1)
def _longest_key() -> int:
    return max(map(len, _alias_index()), default=0)


def outlet_named(name: str) -> Outlet | None:
    """The outlet a whole string names (``[RFI]``, ``New York Times``, ``baotiengdan``), or None."""
    # fold() maps each character to one character, a word character to a word character and any other
    # to another, so the key is the fold of the word characters: a line of prose has too many
    letters = _NOT_KEY.sub("", name)
    if len(letters) > _longest_key():
        return None
    return _alias_index().get(fold(letters))


def outlet_of_domain(host: str) -> Outlet | None:
    host = host.lower().removeprefix("www.")
    for outlet in outlets():
        if any(host == d or host.endswith("." + d) for d in outlet.domains):
            return outlet
    return None


def outlet_by_signature(text: str) -> Outlet | None:
    low = text.lower()
    for outlet in outlets():
        if any(sig.lower() in low for sig in outlet.signatures):
            return outlet
    return None


def _alias_alternation(aliases: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


@lru_cache(maxsize=1)
def _mention_patterns() -> tuple[re.Pattern[str], list[tuple[Outlet, re.Pattern[str]]]]:
    """One pattern for any outlet's name (a line naming none is passed over in one search), and one
    per outlet with its names of three characters or more."""
    per_outlet: list[tuple[Outlet, re.Pattern[str]]] = []
    every: list[str] = []
    for outlet in outlets():
        aliases = [a for a in [outlet.name, *outlet.aliases] if len(a) >= 3]
        if aliases:
            per_outlet.append((outlet, _alias_alternation(aliases)))
            every.extend(aliases)
    return _alias_alternation(every), per_outlet


def outlets_mentioned(text: str) -> list[Outlet]:
    """Outlets whose name (as a whole word sequence) appears in a short line such as
    ``Phóng viên kỹ thuật số châu Á, BBC News``, in the order of the outlet list."""
    any_outlet, per_outlet = _mention_patterns()
    if any_outlet.search(text) is None:
        return []
    return [outlet for outlet, pattern in per_outlet if pattern.search(text)]


_DOMAIN = re.compile(r"(?:https?://|@|\bwww\.)([a-z0-9\-]+(?:\.[a-z0-9\-]+)+)", re.I)


def domains_in(text: str) -> list[str]:
    return [m.group(1).lower() for m in _DOMAIN.finditer(text)]


def domain_outlet_name(host: str) -> str:
    """A readable name for an outlet known only by its domain: ``baocungcau.net`` → ``baocungcau``."""
    host = host.lower().removeprefix("www.")
    return host.split(".")[0]


# -- capture / source / credit lines ------------------------------------------------------------
_CAPTURE = re.compile(r"^(?:capture à partir de|captured from|saved from)\s*:\s*(.+)$", re.I)
_ORIGINAL = re.compile(
    r"(?:tham khảo bản gốc từ|bản gốc(?: tiếng anh)?(?: đăng)? (?:trên|tại|từ)|"
    r"dịch từ|theo bản tin của|^\(?\s*nguồn\s*:|^\(?\s*theo)\s*:?\s*(.+?)\s*\)?\.?$",
    re.I,
)
_TRANSLATOR = re.compile(
    r"^(?:(?:người )?(?:dịch|biên dịch|chuyển ngữ|lược dịch)\s*:\s*(.+?)|(.+?)\s*[,\-–]?\s*"
    r"(?:biên dịch|chuyển ngữ|lược dịch|dịch|\(dịch\)|\(biên dịch\)))\.?$",
    re.I,
)
_AUTHOR = re.compile(
    r"^(?:tác giả|bài|tường thuật|phóng viên|by|author)\s*:\s*(.+?)(?:,\s*(?:từ|tại)\s+.+)?$", re.I
)
_CONTRIB = re.compile(r"^(?:tường thuật bổ sung bởi|bản tin có sự đóng góp của|đóng góp:)\s*(.+?)\.?$", re.I)

_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\bvà\b|\band\b)\s*")
_CONTRIB_SEPARATORS = re.compile(r"\s*(?:,|\bvà\b|\band\b)\s*")
_CONTRIB_PLACE = re.compile(r"\s+(tại|ở|from|in)\s+.*$")
_NOT_IN_NAME = re.compile(r"[.!?:;\"“”'()\[\]]")
_NOT_IN_LABEL = re.compile(r"[\d.,:;!?\"“”()\[\]]")
_ROLE_WORD = re.compile(r"(phóng viên|biên tập|thông tín viên)", re.I)
_ROLE_START = re.compile(r"^(phóng viên|biên tập viên|thông tín viên|nhà báo|correspondent|reporter)\b", re.I)


def capture_source(text: str) -> str | None:
    """``Capture à partir de : [RFI]`` → ``RFI``."""
    m = _CAPTURE.match(text)
    if not m:
        return None
    value = m.group(1).strip(" []()")
    return value if 0 < len(value) <= 60 else None


def original_outlet(text: str) -> Outlet | str | None:
    """``(Nguồn: The Guardian)``, ``Quý vị tham khảo bản gốc từ The Epoch Times`` → that outlet."""
    if len(text) > 120:
        return None
    m = _ORIGINAL.search(text)
    if not m:
        return None
    name = m.group(1).strip(" .()")
    outlet = outlet_named(name)
    if outlet:
        return outlet
    return name if 0 < len(name.split()) <= 5 and name[:1].isupper() else None


def translator(text: str) -> str | None:
    """``Cù Tuấn, biên dịch`` / ``Cẩm An biên dịch`` / ``Dịch: X`` → the translator's name."""
    if len(text) > 60:
        return None
    m = _TRANSLATOR.match(text)
    if not m:
        return None
    name = (m.group(1) or m.group(2) or "").strip(" ,.-–")
    return name if looks_like_name(name) else None


def byline(text: str) -> list[str]:
    """Authors named by ``Tác giả: **Choe Sang-Hun**, từ Seoul`` or ``By Jane Doe and John Roe``."""
    if len(text) > 100:
        return []
    m = _AUTHOR.match(text)
    if not m:
        return []
    names = _NAME_SEPARATORS.split(m.group(1))
    return [n.strip(" .") for n in names if looks_like_name(n.strip(" ."))]


def contributors(text: str) -> list[str]:
    m = _CONTRIB.match(text.strip("*_ "))
    if not m:
        return []
    parts = _CONTRIB_SEPARATORS.split(m.group(1))
    return [_CONTRIB_PLACE.sub("", p).strip() for p in parts if p.strip()]


_NAME_PARTICLES = {"van", "de", "der", "von", "bin", "al", "la", "le", "da", "di", "du"}


def looks_like_name(text: str) -> bool:
    """A personal name on its own: 2-5 capitalised words (or one all-caps line of them), no digits."""
    words = text.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in text):
        return False
    if _NOT_IN_NAME.search(text):
        return False
    if outlet_named(text):
        return False
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def role_line(text: str) -> bool:
    """``Phóng viên kỹ thuật số châu Á, BBC News`` / ``BBC News, Seoul``: a byline's second line."""
    if len(text) > 80 or text.endswith("."):
        return False
    if outlets_mentioned(text) and ("," in text or _ROLE_WORD.search(text)):
        return True
    return bool(_ROLE_START.match(text))


def is_label(text: str) -> bool:
    """A section label such as ``Phân tích`` or ``Quốc tế``: one or two words, not a name."""
    words = text.split()
    if not 1 <= len(words) <= 3 or len(text) > 30:
        return False
    if _NOT_IN_LABEL.search(text):
        return False
    return not looks_like_name(text) and words[0][:1].isupper() and all(w[:1].islower() for w in words[1:])


_ASCII_WORD = re.compile(r"[A-Za-z']+")


def is_foreign_line(text: str, min_words: int = 4) -> bool:
    """A line in English (no Vietnamese letters and mostly ASCII words): alt text or a caption when it
    stands inside a Vietnamese article."""
    if has_vietnamese_letters(text):  # first: a Vietnamese line usually shows one in its first word
        return False
    words = _ASCII_WORD.findall(text)
    if len(words) < min_words:
        return False
    common = sum(w.lower() in _EN_FUNCTION_WORDS for w in words)
    return common >= 1 or len(words) >= 6


_EN_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "by",
        "from",
        "is",
        "are",
        "was",
        "were",
        "this",
        "that",
        "his",
        "her",
        "their",
        "its",
        "as",
        "leader",
        "president",
        "image",
        "shows",
        "photo",
    ]
)
