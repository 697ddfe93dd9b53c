"""Bytes → text: detect the encoding, decode, normalise each line to NFC with a column map.

The order of evidence: a BOM; UTF-8 (also when only the last character was cut off, or a handful of
bytes are damaged); UTF-16 without a BOM; for single-byte data, whichever reading is most Vietnamese
(Windows-1258, or the TCVN3 and VNI font encodings) and otherwise ``charset-normalizer``. Vietnamese
in a legacy font encoding inside Unicode text (a saved page keeps the mojibake) is converted line by
line (:mod:`dossier.vi.legacy`). Binary data is refused with its kind when it has a known signature.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from dossier.errors import DossierError
from dossier.models import Document, Source
from dossier.vi import legacy
from dossier.vi.text import nfc, nfc_with_map

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# What a binary file starts with, so the refusal can say what it is.
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx, .epub, .odt)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "a SQLite database"),
]
# Control characters other than tab, line feed and carriage return. A few in a text file are damage
# (replaced by spaces, which keeps every column); many mean the bytes are not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.02
# searched rather than stripped: strip() copies a large file to find out it is not blank
_NONBLANK = re.compile(r"\S")
_NONBLANK_BYTES = re.compile(rb"\S")
_PROBE = 65536  # characters or bytes looked at to judge a whole file
# Text in these media types is prose whose lines the splitter reads; HTML lines can be long.
_LINE_LIMITED = ("text/plain", "text/markdown")
# Windows-1252 as a 256-character table, with its five unassigned bytes read as Latin-1, so that any
# byte string reads as one character per byte (the reading legacy font encodings are converted from).
_CP1252_READING = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or bytes([b]).decode("latin-1") for b in range(256)
)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte for Latin-script text."""
    probe = data[: _PROBE - (_PROBE % 2)]
    if len(probe) % 2:
        probe = probe[:-1]
    if len(probe) < 4:
        return None
    even, odd = probe[0::2], probe[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def _damaged_utf8(data: bytes) -> bool:
    """UTF-8 with a cut-off last character or a few damaged bytes, as opposed to another encoding:
    the valid multi-byte characters outnumber the bad bytes by far."""
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            return True
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return bad <= max(1, multibyte // 200) and multibyte >= 10 * bad


def _refuse_signature(data: bytes, uri: str) -> None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise DossierError("E002", uri=uri, why=f"it is {kind}")


def _refuse_control_bytes(data: bytes, uri: str) -> None:
    probe = data[:_PROBE]
    controls = sum(1 for b in probe if b < 0x20 and b not in (0x09, 0x0A, 0x0D, 0x0C))
    if controls > len(probe) * _MAX_CONTROL_SHARE:
        raise DossierError("E002", uri=uri, why=f"{controls} control bytes in its first {len(probe)}")


def _single_byte(data: bytes) -> tuple[str, str]:
    """The most Vietnamese single-byte reading: Windows-1258, a legacy font encoding, or failing both
    what charset-normalizer finds. Returns (text, encoding)."""
    head = data[: legacy.SAMPLE_CHARS]
    reading = codecs.charmap_decode(head, "strict", _CP1252_READING)[0].split("\n")
    cp1258 = legacy.score(nfc(head.decode("cp1258", errors="replace")))
    found = legacy.detect(reading)
    repaired = legacy.repair_lines(reading, found.encoding) if found else None
    if found and repaired and legacy.score("\n".join(repaired.lines)).value > cp1258.value:
        return codecs.charmap_decode(data, "strict", _CP1252_READING)[0], found.encoding
    if cp1258.valid >= legacy.MIN_VALID and cp1258.value > 0:
        return data.decode("cp1258", errors="replace"), "cp1258"
    best = from_bytes(data).best()
    if best is None:
        return data.decode("cp1258", errors="replace"), "cp1258"
    if best.encoding != "cp1252":
        # charset-normalizer breaks ties by its own order (cp1250 first), which turns £ into Ł and ñ
        # into ń on Western pages; Windows-1252, the web's legacy default, wins a tie
        western = from_bytes(data, cp_isolation=["cp1252"]).best()
        if western is not None and (western.chaos, -western.coherence) <= (best.chaos, -best.coherence):
            best = western
    return str(best), best.encoding


def decode_bytes(data: bytes, uri: str = "<bytes>") -> tuple[str, str]:
    """(text, encoding) of ``data``; raises E002 for binary data and E003 when nothing decodes it."""
    _refuse_signature(data, uri)
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                return data.decode(name, errors="replace"), name
    # before UTF-8: ASCII text in UTF-16 is valid UTF-8 too, with a NUL after every letter
    utf16 = _utf16_without_bom(data) if b"\x00" in data[:_PROBE] else None
    if utf16:
        return data[: len(data) - len(data) % 2].decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_control_bytes(data, uri)
    if _damaged_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8"
    try:
        return _single_byte(data)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DossierError("E003", uri=uri, tried=f"utf-8, utf-16, cp1258, tcvn3, vni: {exc}") from exc


def detect_encoding(data: bytes, uri: str = "<bytes>") -> str:
    """The encoding :func:`decode` reads ``data`` with; raises E002 for binary data."""
    return decode_bytes(data, uri)[1]


def _check_controls(text: str, uri: str) -> str:
    if not _CONTROL.search(text):
        return text
    probe = text[:_PROBE]
    controls = len(_CONTROL.findall(probe))
    if controls > len(probe) * _MAX_CONTROL_SHARE:
        raise DossierError("E002", uri=uri, why=f"{controls} control characters in its first {len(probe)}")
    return _CONTROL.sub(" ", text)


def _check_line_lengths(text: str, limit: int, uri: str) -> None:
    """Raise E030 for the first line longer than ``limit``; looks in place, without splitting, so a
    file of one huge line costs no copy of it."""
    if len(text) <= limit:
        return
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > limit:
            line = text.count("\n", 0, start) + 1
            raise DossierError("E030", uri=uri, line=line, length=end - start, limit=limit)
        start = end + 1


def _compose(outer: list[int] | None, inner: list[int] | None) -> list[int] | None:
    """The map of two successive changes: ``outer`` from the final text to the middle, ``inner``
    from the middle to the original."""
    if outer is None:
        return inner
    if inner is None:
        return outer
    return [inner[min(col, len(inner) - 1)] for col in outer]


def decode(source: Source, max_line_chars: int | None = None) -> Document:
    """The NFC document of a source, legacy Vietnamese font encodings converted.

    Raises E004 for an empty source, E002 when it is binary, E003 when no encoding fits, and E030 when
    a plain-text or Markdown line is longer than ``max_line_chars``.
    """
    data = source.data
    if not _NONBLANK_BYTES.search(data):
        raise DossierError("E004", uri=source.uri)
    text, encoding = decode_bytes(data, source.uri)
    text = _check_controls(text, source.uri)
    if not _NONBLANK.search(text):
        raise DossierError("E004", uri=source.uri)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if max_line_chars is not None and source.media_type in _LINE_LIMITED:
        _check_line_lengths(text, max_line_chars, source.uri)
    # NFC keeps a newline apart from its neighbours, so text that is NFC as a whole is NFC line by line
    normalized = unicodedata.is_normalized("NFC", text)
    raw_lines = text.split("\n")
    del text
    lines: list[str] = raw_lines
    column_maps: dict[int, list[int]] = {}
    if not normalized:
        lines = []
        for i, raw in enumerate(raw_lines):
            line, cmap = nfc_with_map(raw)
            lines.append(line)
            if cmap is not None:
                column_maps[i] = cmap
    legacy_encoding = encoding if encoding in legacy.ENCODINGS else None
    repair = legacy.repair_lines(lines, legacy_encoding)
    if repair is not None:
        for i, cmap in repair.column_maps.items():
            column_maps[i] = _compose(cmap, column_maps.get(i)) or cmap
        for i, (old, new) in enumerate(zip(lines, repair.lines, strict=True)):
            if old != new and not unicodedata.is_normalized("NFC", new):
                new, cmap = nfc_with_map(new)
                composed = _compose(cmap, column_maps.get(i))
                if composed is not None:
                    column_maps[i] = composed
            lines[i] = new
        if legacy_encoding is None:
            encoding = f"{encoding}+{repair.encoding}"
    return Document(
        source_id=source.id,
        uri=source.uri,
        media_type=source.media_type,
        encoding=encoding,
        lines=lines,
        column_maps=column_maps,
    )
