"""The cleaner and the compilation splitter, on the seed captures and on made-up ones."""

import json

import pytest

from conftest import SHARED, seed, split_file, split_text
from dossier.stages.markup import strip_markup


def test_markdown_link_heading_keeps_label_and_columns():
    line = "## [Ông Putin nhận lời mời \\(1\\)](#)"
    clean = strip_markup(line)
    assert clean.text == "Ông Putin nhận lời mời (1)"
    assert clean.heading_level == 2 and clean.is_link_only
    for start, col, length in clean.runs:
        assert clean.text[start : start + length] == line[col : col + length]


def test_compilation_yields_each_article_and_not_the_table_of_contents():
    articles = split_file(seed("002"))
    assert len(articles) == 26
    titles = [a.title for a in articles]
    assert "Thế chiến quốc - Bắc Triều Tiên (1)" not in titles  # the table of contents
    assert all(a.start_line >= 61 for a in articles)
    by_line = {a.start_line: a for a in articles}
    rfi = by_line[229]
    assert rfi.title == "Kim Jong Un tham quan căn cứ oanh tạc cơ hạt nhân chiến lược của Nga"
    assert (rfi.published, rfi.published_time, rfi.outlet) == ("2023-09-16", "11:39", "RFI Tiếng Việt")
    nyt = by_line[437]
    assert nyt.published == "2023-09-15"
    assert nyt.outlet == "Tiếng Dân"
    assert nyt.original_outlet == "The New York Times"
    assert nyt.translator == "Cù Tuấn"
    assert nyt.authors == ["Choe Sang-Hun"]
    bbc = by_line[624]
    assert bbc.title == "Ông Putin nói 'có khả năng' hợp tác quân sự với Kim Jong Un"
    assert (bbc.published, bbc.outlet, bbc.authors) == ("2023-09-14", "BBC News Tiếng Việt", ["Tessa Wong"])
    assert by_line[862].published == "2023-09-10"  # "September 10, 2023"


def test_compilation_spans_do_not_overlap_and_subheadings_stay_inside():
    articles = split_file(seed("002"))
    for a, b in zip(articles, articles[1:], strict=False):
        assert a.end_line < b.start_line
    trung_quoc = next(a for a in articles if a.start_line == 357)
    assert "Mỹ-Nhật-Hàn" in trung_quoc.text  # "## **Mỹ-Nhật-Hàn**" is a subheading, not an article
    assert trung_quoc.end_line >= 430


def test_single_page_keeps_body_and_drops_site_chrome():
    (article,) = split_file(seed("001"))
    assert (article.start_line, article.end_line) == (22, 68)
    assert article.published == "2023-09-05" and article.published_time == "17:18"
    assert article.original_outlet == "The Guardian"
    for chrome in ["Advertisement", "Quên mật khẩu", "Chia sẻ", "Ảnh 1.", "Ảnh: Reuters"]:
        assert chrome not in article.text
    assert article.text.startswith("Sau nhiều năm ủng hộ các biện pháp trừng phạt")


def test_bbc_page_drops_image_credits_captions_and_alt_text():
    (article,) = split_file(seed("000"))
    assert article.title == "Ông Putin nói 'có khả năng' hợp tác quân sự với Kim Jong Un"
    assert article.authors == ["Tessa Wong"] and article.published == "2023-09-14"
    assert article.outlet == "BBC News Tiếng Việt"
    for debris in [
        "Nguồn hình ảnh",
        "Chụp lại hình ảnh",
        "Getty Images",
        "Không có nhận xét nào",
        "This pool image",
        "Hai nhà lãnh đạo nâng cốc chúc mừng nhau",
        "Breaking News",
    ]:
        assert debris not in article.text
    assert "Tường thuật bổ sung bởi Yuna Ku tại Seoul." in article.text


def test_repeated_headline_and_lead_are_one_article():
    (article,) = split_file(seed("004"))
    assert article.start_line == 1 and article.authors == ["Hoàng Vũ"]
    assert article.published == "2024-11-29" and article.published_time == "16:10"
    lead = "Bộ trưởng Quốc phòng Nga Andrei Belousov hôm 29.11 đã có chuyến thăm chính thức"
    assert article.text.count(lead) == 1
    assert "btqp-nga.png" not in article.text and "Ảnh: Bộ Quốc phòng Nga" not in article.text


def test_plain_text_with_credits_at_the_end():
    (article,) = split_file(seed("003"))
    assert article.title == "Nga, Bắc Hàn ký hiệp ước ‘đối tác chiến lược’ ở Bình Nhưỡng"
    assert article.published is None
    assert article.translator == "Cẩm An"
    assert article.original_outlet == "The Epoch Times"


@pytest.mark.skipif(not (SHARED / "dev-gold").exists(), reason="needs ../shared/dev-gold")
def test_dev_gold_boilerplate_lines_are_removed_and_body_lines_kept():
    gold = json.loads((SHARED / "dev-gold" / "boilerplate.json").read_text(encoding="utf-8"))
    for prefix in ("001", "004"):
        path = seed(prefix)
        (article,) = split_file(path)
        lines = path.read_text(encoding="utf-8").split("\n")
        chrome = {g["line"] for g in gold if g["file"].startswith(prefix)}
        kept_lines = {seg.line for seg in article.offsets.segments}
        assert not (chrome - {8, 12}) & kept_lines  # 004:8/12 repeat the title and lead
        body = [
            n
            for n in range(article.start_line + 1, article.end_line + 1)
            if n not in chrome and len(lines[n - 1].strip()) > 60
        ]
        missing = [n for n in body if n not in kept_lines]
        assert not missing, missing


MADE_UP = """Trang chủ
Đăng nhập

## Hà Nội đón đoàn đại biểu Lào

Đăng ngày: 02/03/2024 - 08:15

Capture à partir de : [VnExpress](#)

Sáng nay, đoàn đại biểu cấp cao Lào đã tới Hà Nội trong chuyến thăm ba ngày.

Hai bên dự kiến ký nhiều văn kiện hợp tác.

### Bối cảnh

Quan hệ hai nước được thiết lập từ năm 1962.

## Bão số 3 đổ bộ vào miền Trung

01-03-2024

Capture à partir de : [Tuổi Trẻ](#)

Bão số 3 đã đổ bộ vào các tỉnh miền Trung, gây mưa lớn trên diện rộng.

Chia sẻ
"""


def test_splitting_rules_are_general_not_tied_to_the_seed_files():
    first, second = split_text(MADE_UP)
    assert first.title == "Hà Nội đón đoàn đại biểu Lào"
    assert (first.published, first.published_time, first.outlet) == ("2024-03-02", "08:15", "VnExpress")
    assert "Bối cảnh" in first.text and "1962" in first.text
    assert second.title == "Bão số 3 đổ bộ vào miền Trung"
    assert (second.published, second.outlet) == ("2024-03-01", "Tuổi Trẻ")
    assert "Chia sẻ" not in second.text and "Trang chủ" not in first.text


def test_offsets_point_back_to_the_source_line():
    path = seed("002")
    lines = path.read_text(encoding="utf-8").split("\n")
    for article in split_file(path):
        for seg in article.offsets.segments:
            piece = article.text[seg.start : seg.start + seg.length]
            assert lines[seg.line - 1][seg.column : seg.column + seg.length] == piece
