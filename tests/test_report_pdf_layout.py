"""The PDF as the offices would sign it, read page by page (pdftotext): the kind of document on
its own line and the subject under it, the place names of the letterhead unbroken, Times New
Roman's metrics (Liberation Serif) with Noto only for Devanagari, page 1 filled, and the closing
paragraph, the signatures and the recipients on one page, whatever the length of the text.
Final reviews: a draft's mark, set across the page, would slip its letters into the text."""

import re
import subprocess

import pytest

from reviews.services.programme_reviews import finalise_review

from . import factories
from .test_report_pdf import needs_poppler, pdf_of, pdf_pages, pdftotext

pytestmark = needs_poppler


@pytest.fixture
def review(db, enterprise_a, enterprise_b, reviewer):
    review = factories.printed_review([enterprise_a, enterprise_b])
    finalise_review(review=review, user=reviewer)
    review.refresh_from_db()
    return review


def test_the_kind_of_document_stands_on_its_own_line(client, reviewer, review, tmp_path):
    lines = pdftotext(pdf_of(client, reviewer, review), tmp_path, "-l", "1").splitlines()
    lines = [line.strip() for line in lines if line.strip()]
    title = lines.index("REPORT")
    assert lines[title + 1] == "Sơ kết 01 năm thực hiện Chương trình phối hợp"


def test_place_names_in_the_letterhead_do_not_break(client, reviewer, review, tmp_path):
    lines = pdftotext(pdf_of(client, reviewer, review), tmp_path, "-l", "1").splitlines()
    lines = [line.strip() for line in lines]
    assert "ĐẢNG BỘ TỈNH LÀO CAI" in lines
    assert "TỈNH LÀO CAI" in lines or "ỦY BAN NHÂN DÂN TỈNH LÀO CAI" in lines
    assert not [line for line in lines if line.endswith(("LÀO", "TỈNH LÀO"))]


def test_text_is_set_in_times_metrics_and_devanagari_in_noto(client, reviewer, review, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_of(client, reviewer, review))
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    names = [line.split()[0].split("+")[-1] for line in fonts]
    assert any(name.startswith(("Liberation-Serif", "TimesNewRoman")) for name in names)
    assert [name for name in names if "Devanagari" in name]
    others = [
        name
        for name in names
        if not name.startswith(("Liberation-Serif", "TimesNewRoman")) and "Devanagari" not in name
    ]
    assert not others, names


def last_text_depth(pdf: bytes, tmp_path, page: int) -> float:
    """How far down the page its last word stands, as a share of the page's height."""
    html = pdftotext(pdf, tmp_path, "-bbox", "-f", str(page), "-l", str(page))
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    bottoms = [float(value) for value in re.findall(r'yMax="([\d.]+)"', html)]
    return max(bottoms) / height


def long_review(review, paragraphs: int):
    text = "\n\n".join(
        "Hai bên tiếp tục phối hợp rà soát, hướng dẫn thành lập tổ chức đảng, công đoàn và "
        "đoàn thanh niên trong các doanh nghiệp đủ điều kiện; kết nạp đảng viên mới." * 3
        for _ in range(paragraphs)
    )
    review.sections.update(solutions=text, results=text)
    return review


def test_page_one_is_filled_before_the_next(client, reviewer, review, tmp_path):
    pdf = pdf_of(client, reviewer, long_review(review, 3))
    pages = pdf_pages(pdf, tmp_path)
    assert len(pages) > 1
    assert "I. RESULTS" in pages[0]
    assert last_text_depth(pdf, tmp_path, 1) > 0.8


@pytest.mark.parametrize("paragraphs", range(0, 8))
def test_the_closing_signatures_and_recipients_share_a_page(
    client, reviewer, review, tmp_path, paragraphs
):
    """Whatever the length of the text before it, the page with the signature blocks also
    carries the closing paragraph (the recommendations) and the recipients."""
    pages = pdf_pages(pdf_of(client, reviewer, long_review(review, paragraphs)), tmp_path)
    with_signatures = [page for page in pages if "T/M BAN THƯỜNG VỤ" in page]
    assert len(with_signatures) == 1
    page = with_signatures[0]
    assert "Recommendations" in page
    assert "Đề nghị Ban Chỉ đạo Đề án 24 tiếp tục chỉ đạo." in page
    assert "Recipients:" in page
    for recipient in ("- Thường trực Tỉnh ủy (b/c);", "- Ban Chỉ đạo Đề án 24;", "- Lưu VT."):
        assert recipient in page
    assert page is pages[-1]
