"""Bytes → text: detect the encoding, decode, normalise each line to NFC with a column map."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from dossier.errors import DossierError
from dossier.models import Document, Source
from dossier.vi.text import nfc_with_map

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Tried after UTF-8 when the detector has no confident answer; Windows-1258 first because it is the
# legacy code page of Vietnamese pages.
_LEGACY = ["cp1258", "cp1252", "latin-1"]


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte for Latin-script text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def detect_encoding(data: bytes, uri: str = "<bytes>") -> str:
    """The encoding to decode ``data`` with; raises E002 for binary data."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if b"\x00" in data:
        raise DossierError("E002", uri=uri)
    best = from_bytes(data).best()
    if best is not None:
        return best.encoding
    return _LEGACY[0]


def decode(source: Source) -> Document:
    """The NFC document of a source. Raises E004 for an empty source, E002/E003 when it is not text."""
    data = source.data
    if not data.strip():
        raise DossierError("E004", uri=source.uri)
    encoding = detect_encoding(data, source.uri)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DossierError("E003", uri=source.uri, tried=f"{encoding}: {exc}") from exc
    if "\x00" in text:
        raise DossierError("E002", uri=source.uri)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    column_maps: dict[int, list[int]] = {}
    for i, raw in enumerate(text.split("\n")):
        line, cmap = nfc_with_map(raw)
        lines.append(line)
        if cmap is not None:
            column_maps[i] = cmap
    return Document(
        source_id=source.id,
        uri=source.uri,
        media_type=source.media_type,
        encoding=encoding,
        lines=lines,
        column_maps=column_maps,
    )
