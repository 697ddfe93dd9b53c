import unicodedata

from dossier.vi.text import fold, fold_tone_placement, has_vietnamese_letters, match_key, nfc_with_map


def test_old_and_new_tone_placement_share_a_match_key():
    assert match_key("hoà bình") == match_key("hòa bình")
    assert match_key("thuỷ") == match_key("thủy")
    assert match_key("Hoà") != match_key("hoa")


def test_tone_folding_keeps_length_so_offsets_carry_over():
    for word in ["hòa", "thủy", "người", "khuếch", "Nguyễn", "Bình Nhưỡng"]:
        assert len(fold_tone_placement(word)) == len(word)


def test_fold_removes_diacritics_and_dd():
    assert fold("Bình Nhưỡng") == "binh nhuong"
    assert fold("Đà Nẵng") == "da nang"
    assert len(fold("Triều Tiên")) == len("Triều Tiên")


def test_nfc_map_points_back_to_decomposed_original():
    original = unicodedata.normalize("NFD", "Việt Nam")
    text, cmap = nfc_with_map(original)
    assert text == "Việt Nam"
    assert cmap is not None
    # "N" of "Nam" is column 5 in the NFC text and after the decomposed "Việt" in the original
    assert original[cmap[5]] == "N"
    assert cmap[-1] == len(original)


def test_unchanged_line_has_no_map():
    assert nfc_with_map("Hà Nội")[1] is None


def test_vietnamese_letters_detected():
    assert has_vietnamese_letters("Triều Tiên")
    assert not has_vietnamese_letters("Kim Jong Un and Vladimir Putin")
