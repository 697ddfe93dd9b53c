"""Vietnamese in the legacy font encodings (TCVN3/ABC, VNI): conversion, detection, and leaving alone
what is not in them."""

from pathlib import Path

import pytest

from conftest import CORPUS
from dossier.models import Source
from dossier.stages.decode import decode
from dossier.vi import legacy
from dossier.vi.syllables import is_syllable

# Strings as old documents and pages show them without their font, and what they say.
TCVN3_SEEN = [
    ("Hµ Néi", "Hà Nội"),
    ("céng hßa x· héi chñ nghÜa viÖt nam", "cộng hòa xã hội chủ nghĩa việt nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("QuyÕt ®Þnh cña Bé tr\u00adëng Bé Tµi chÝnh", "Quyết định của Bộ trưởng Bộ Tài chính"),
    ("B¸o c¸o tµi chÝnh quý II n¨m 2008", "Báo cáo tài chính quý II năm 2008"),
]
VNI_SEEN = [
    ("Haø Noäi", "Hà Nội"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("ñöôïc nhöõng Chæ thò Myõ", "được những Chỉ thị Mỹ"),
    ("VIEÄT NAM, Ñaø Naüng, thuyû", "VIỆT NAM, Đà Nẵng, thuỷ"),
]
ARTICLE = (
    "Bình Nhưỡng và Mát-xcơ-va ký hiệp ước đối tác chiến lược toàn diện\n"
    "Tổng thống Nga Vladimir Putin và nhà lãnh đạo Triều Tiên Kim Jong Un đã ký hiệp ước tại Bình Nhưỡng"
    " hôm thứ Tư, theo hãng thông tấn trung ương của hai nước.\n"
    "Hiệp ước buộc mỗi bên phải giúp đỡ bên kia nếu bị tấn công, ông Putin cho biết sau lễ ký.\n"
)


@pytest.mark.parametrize(("seen", "text"), TCVN3_SEEN)
def test_tcvn3_converts_to_unicode(seen: str, text: str):
    assert legacy.convert(seen, "tcvn3")[0] == text


@pytest.mark.parametrize(("seen", "text"), VNI_SEEN)
def test_vni_converts_to_unicode(seen: str, text: str):
    assert legacy.convert(seen, "vni")[0] == text


def test_vni_column_map_points_each_letter_at_its_first_byte():
    text, cmap = legacy.convert("Haø Noäi", "vni")
    assert text == "Hà Nội"
    assert cmap is not None and len(cmap) == len(text) + 1
    assert [("Haø Noäi")[cmap[i]] for i in range(len(text))] == list("Ha Noi")


@pytest.mark.parametrize("encoding", legacy.ENCODINGS)
def test_every_vietnamese_letter_round_trips(encoding: str):
    lower = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
    letters = lower + (lower.upper() if encoding == "vni" else "ĂÂÊÔƠƯĐ")
    seen = legacy.from_unicode(letters, encoding)
    assert seen.encode("cp1252")  # representable as bytes
    assert legacy.convert(seen, encoding)[0] == letters


def test_syllable_shape():
    assert all(is_syllable(w) for w in ["nghiêng", "khuỷu", "giếng", "gì", "quốc", "Trường", "VIỆT", "xoong"])
    assert not any(is_syllable(w) for w in ["Néi", "schön", "été", "fưr", "hoàà", "Vieät"])


@pytest.mark.parametrize("encoding", legacy.ENCODINGS)
@pytest.mark.parametrize("as_utf8", [False, True])
def test_a_legacy_document_is_detected_and_converted(encoding: str, as_utf8: bool):
    seen = legacy.from_unicode(ARTICLE, encoding)
    # single-byte bytes, or the same text as a browser saves it: UTF-8 of what it showed
    data = seen.encode("utf-8") if as_utf8 else seen.encode("cp1252")
    doc = decode(Source(uri="cu.txt", data=data, media_type="text/plain"))
    assert doc.encoding == (f"utf-8+{encoding}" if as_utf8 else encoding)
    assert doc.text == ARTICLE


def test_a_unicode_heading_above_a_vni_body_is_kept():
    data = (
        ARTICLE.split("\n")[0] + "\n" + legacy.from_unicode("\n".join(ARTICLE.split("\n")[1:]), "vni")
    ).encode()
    doc = decode(Source(uri="tron.txt", data=data, media_type="text/plain"))
    assert doc.text == ARTICLE
    # the converted lines map back to the columns of what the file holds
    original = data.decode().split("\n")
    line = doc.lines[1]
    col = line.index("Triều")
    assert original[1][doc.original_column(2, col) :].startswith("Trieàu")


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_unicode_vietnamese_is_never_converted(path: Path):
    doc = decode(Source(uri=path.name, data=path.read_bytes(), media_type="text/plain"))
    assert doc.encoding == "utf-8"
    assert legacy.repair_lines(doc.lines) is None


@pytest.mark.parametrize(
    "text",
    [
        "Señor Muñoz vivía en la mañana con niños pequeños en España; la señora enseñaba español.",
        "Schön für Größe: Übermut und Ärger bei Köln, Düsseldorf und München. " * 3,
        "Le président a déclaré à Hà Nội que la coopération était « très importante » et où.",
        "Température: 30°C ± 2°, coût ¼ du prix, © 2024 — «citation» ¿qué? ¡sí!",
    ],
)
def test_other_languages_and_symbols_are_left_alone(text: str):
    assert legacy.repair_lines([text]) is None
    assert legacy.detect([text]) is None
