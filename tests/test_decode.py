import codecs
import unicodedata

import pytest

from dossier.errors import DossierError
from dossier.models import Source
from dossier.stages.decode import decode

TEXT = "Bình Nhưỡng phủ nhận các cáo buộc.\nHội nghị thượng đỉnh ở Vladivostok.\n"


def _decode(data: bytes):
    return decode(Source(uri="x.txt", data=data, media_type="text/plain"))


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings_decode_to_the_same_text(data: bytes, encoding: str):
    doc = _decode(data)
    assert doc.encoding == encoding
    assert doc.lines[0] == "Bình Nhưỡng phủ nhận các cáo buộc."


def _windows_1258_form(text: str) -> str:
    """Windows-1258 has the shaped letters (ơ, ư, â …) precomposed and the tones as combining marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in tones)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)) + tone)
    return "".join(out)


def test_windows_1258_vietnamese_is_detected_and_composed_to_nfc():
    # cp1258 writes tones as combining marks; the document must come out NFC.
    text = ("Bình Nhưỡng và Mát-xcơ-va đã ký hiệp ước đối tác chiến lược toàn diện. " * 5).strip()
    data = _windows_1258_form(text).encode("cp1258", errors="strict")
    doc = _decode(data)
    assert doc.encoding.replace("_", "").lower() in ("cp1258", "windows1258")
    assert doc.lines[0] == unicodedata.normalize("NFC", text)
    # the decomposed original is longer, so the line carries a column map
    assert 0 in doc.column_maps


def test_crlf_line_endings_keep_line_numbers():
    doc = _decode("một\r\nhai\r\nba".encode())
    assert doc.lines == ["một", "hai", "ba"]


def test_binary_data_is_refused_clearly():
    with pytest.raises(DossierError) as err:
        _decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x02\xff\xfe\x00\x00")
    assert err.value.code == "E002"


def test_empty_file_is_refused_clearly():
    with pytest.raises(DossierError) as err:
        _decode(b"  \n\n")
    assert err.value.code == "E004"
