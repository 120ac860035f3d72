"""The review's Word copy (/reviews/<pk>/report.docx): opened with python-docx, it has the A4
page and margins of the rules, Times New Roman (and a Devanagari face), the header's texts,
header rows that repeat, page numbers from page 2, and every figure of its tables equal to the
assessment's; drafts say so, final reviews print their frozen figures."""

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal

import docx
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn

from reviews.documents.styles import TYPESETS
from reviews.selectors.assessment import assessment
from reviews.services.programme_reviews import finalise_review

from . import factories

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def review(db, enterprise_a, enterprise_b):
    return factories.printed_review([enterprise_a, enterprise_b])


def docx_bytes(client, user, review, language: str = "vi", **query) -> bytes:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("review_report_docx", args=[review.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    return response.content


def mm(length) -> int:
    """A length in whole millimetres (Word keeps twentieths of a point)."""
    return round(length.mm)


def open_docx(content: bytes):
    return docx.Document(io.BytesIO(content))


def all_text(document) -> str:
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return "\n".join(texts)


def number(text: str) -> Decimal | None:
    """A figure as the Vietnamese copy writes it (1.234,56; +5; −3; 50,00 %) as a Decimal."""
    text = text.strip().removesuffix("%").strip().replace("\u2212", "-").removeprefix("+")
    if text in ("—", ""):
        return None
    return Decimal(text.replace(".", "").replace(",", "."))


def table_with(document, first_header: str):
    for table in document.tables:
        if table.rows[0].cells[0].text == first_header:
            return table
    raise AssertionError(f"no table headed {first_header!r}")


def test_it_is_a_word_download_with_a_telling_name(client, reviewer, review):
    client.force_login(reviewer)
    response = client.get(reverse("review_report_docx", args=[review.pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="review-{review.pk}-so-ket-01-nam-thuc-hien-chuong-trinh-phoi-hop.docx"'
    )
    assert response.content.startswith(b"PK")


def test_a4_margins_and_fonts_follow_the_leading_body(client, reviewer, review):
    document = open_docx(docx_bytes(client, reviewer, review))
    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    typeset = TYPESETS["party"]  # the Bloc's Party Committee leads
    assert mm(section.top_margin) == typeset.margin_top
    assert mm(section.bottom_margin) == typeset.margin_bottom
    assert mm(section.left_margin) == typeset.margin_left
    assert mm(section.right_margin) == typeset.margin_right
    assert 20 <= typeset.margin_top <= 25 and 30 <= typeset.margin_left <= 35
    assert 15 <= typeset.margin_right <= 20
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert fonts.get(qn("w:cs")) == "Noto Serif Devanagari"
    assert normal.font.size.pt == typeset.body
    assert document.styles["National"].font.size.pt == typeset.national == 15
    assert document.styles["National"].font.underline


def test_a_state_led_document_takes_decree_30(client, reviewer, db, enterprise_a, enterprise_b):
    review = factories.printed_review([enterprise_a, enterprise_b])
    review.signatures.filter(position=1).update(position=3)  # the Board's block first
    document = open_docx(docx_bytes(client, reviewer, review))
    text = all_text(document)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 01/BC-BQLKKT-ĐUK" in text
    assert document.styles["National"].font.size.pt == TYPESETS["state"].national == 13
    assert not document.styles["National"].font.underline


def test_the_header_and_the_closing_say_what_the_print_view_says(client, reviewer, review):
    document = open_docx(docx_bytes(client, reviewer, review))
    issuers, national = (cell.text for cell in document.tables[0].rows[0].cells)
    assert issuers.split("\n") == [
        "ĐẢNG BỘ TỈNH\u00a0LÀO\u00a0CAI",
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP\u00a0TỈNH",
        "ỦY BAN NHÂN DÂN TỈNH\u00a0LÀO\u00a0CAI",
        "BAN QUẢN LÝ KHU KINH TẾ\u00a0TỈNH",
        "*",
        "Số 01-BC/ĐUK-BQLKKT",
    ]
    assert national.split("\n") == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Lào Cai, ngày 16 tháng 5 năm 2024"]
    texts = [paragraph.text for paragraph in document.paragraphs]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1] == "Sơ kết 01 năm thực hiện Chương trình phối hợp"
    assert "I. KẾT QUẢ THỰC HIỆN" in texts
    signatures = [cell.text.split("\n") for cell in document.tables[-1].rows[0].cells]
    assert signatures == [
        ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Minh Đức"],
        ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Hoàng Thị Thu Hương"],
    ]
    assert texts[-4:] == [
        "Nơi nhận:",
        "- Thường trực Tỉnh ủy (b/c);",
        "- Ban Chỉ đạo Đề án 24;",
        "- Lưu VT.",
    ]


def test_every_figure_of_the_tables_is_the_assessments(client, reviewer, review):
    document = open_docx(docx_bytes(client, reviewer, review))
    figures = assessment(
        programme=review.programme,
        year=review.as_of_year,
        user=reviewer,
        cut_off=review.effective_cut_off(timezone.localdate()),
    )
    indicators = table_with(document, "Chỉ tiêu")
    assert len(indicators.rows) == len(figures["indicators"]) + 1
    for row, indicator in zip(indicators.rows[1:], figures["indicators"], strict=True):
        cells = [cell.text for cell in row.cells]
        assert cells[0].startswith(f"{indicator['code']} {indicator['name']}")
        assert cells[1] == f"{number(cells[1].split(' ')[0])} ({indicator['baseline_year']})"
        assert number(cells[1].split(" ")[0]) == Decimal(indicator["baseline_value"])
        for text, value in zip(
            cells[2:9],
            (
                indicator["target_year"],
                indicator["target_end"],
                indicator["actual"],
                indicator["achieved_year"],
                indicator["achieved_end"],
                indicator["change"],
            ),
            strict=False,
        ):
            assert number(text) == (None if value is None else Decimal(value)), cells
    key_figures = table_with(document, "Nội dung")
    metrics = figures["metrics"]
    values = {row.cells[0].text: row.cells[1].text for row in key_figures.rows[1:]}
    assert number(values["Doanh nghiệp đang hoạt động"]) == metrics["enterprises_operating"]
    assert len(key_figures.rows) == 10
    zones = table_with(document, "Khu")
    breakdown = {row["label"]: row for row in figures["breakdowns"]["zone"]}
    assert len(zones.rows) == len(breakdown) + 1
    for row in zones.rows[1:]:
        cells = [cell.text for cell in row.cells]
        expected = breakdown[cells[0]]
        names = ("enterprises", "employees", "with_party_org", "party_members")
        names += ("with_trade_union", "union_members")
        assert [number(text) for text in cells[1:7]] == [expected[name] for name in names]
        share = expected["party_coverage"]
        assert cells[7] == (
            f"{share['numerator']} / {share['denominator']} = "
            f"{str(share['pct']).replace('.', ',')} %"
        )


def test_numbers_are_right_aligned_and_header_rows_repeat(client, reviewer, review):
    document = open_docx(docx_bytes(client, reviewer, review))
    indicators = table_with(document, "Chỉ tiêu")
    header = indicators.rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None
    first = indicators.rows[1].cells
    assert first[0].paragraphs[0].alignment is None
    assert all(cell.paragraphs[0].alignment == 2 for cell in first[1:9])  # RIGHT
    assert re.fullmatch(r"\d+,\d\d %", first[5].text), first[5].text


def test_pages_are_numbered_at_the_top_from_the_second(client, reviewer, review):
    document = open_docx(docx_bytes(client, reviewer, review))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert section.header.paragraphs[0].style.paragraph_format.alignment == 1  # CENTER
    assert "PAGE" not in section.first_page_header._element.xml


def test_a_draft_says_so_and_a_final_review_keeps_its_frozen_figures(
    client, reviewer, review, zone_a
):
    draft = all_text(open_docx(docx_bytes(client, reviewer, review)))
    assert "DỰ THẢO" in draft
    finalise_review(review=review, user=reviewer)
    review.refresh_from_db()
    frozen = review.frozen_figures["metrics"]["enterprises_operating"]
    for _new in range(3):
        enterprise = factories.EnterpriseFactory(zone=zone_a, founded_on=datetime.date(2020, 1, 1))
        factories.AnnualReturnFactory(enterprise=enterprise, year=2023, status="accepted")
    document = open_docx(docx_bytes(client, reviewer, review))
    assert "DỰ THẢO" not in all_text(document)
    values = {row.cells[0].text: row.cells[1].text for row in table_with(document, "Nội dung").rows}
    assert number(values["Doanh nghiệp đang hoạt động"]) == frozen == 2


def test_vietnamese_and_devanagari_survive(client, reviewer, review):
    vietnamese = all_text(open_docx(docx_bytes(client, reviewer, review)))
    assert "समन्वय कार्यक्रम का एक वर्ष पूरा हुआ।" in vietnamese
    assert "Tuyên truyền, phổ biến chính sách" in vietnamese
    hindi = open_docx(docx_bytes(client, reviewer, review, language="hi"))
    text = all_text(hindi)
    assert "समन्वय कार्यक्रम" in text
    assert re.search(r"[\u0900-\u097f]{3,}", hindi.paragraphs[1].text), hindi.paragraphs[1].text


def test_an_official_gets_the_figures_of_their_zones(client, official_a, review):
    text = all_text(open_docx(docx_bytes(client, official_a, review)))
    assert "1 / 1 = 100,00 %" in text
    assert "DỰ THẢO" in text


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_it_to_a_few_pages(client, reviewer, review, tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(docx_bytes(client, reviewer, review))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert 2 <= pages <= 6


def test_a_review_finalised_in_shape_1_keeps_its_columns(client, reviewer, review):
    """Frozen figures made before shape 2 print shape 1's eight columns (partials/indicator_table)."""
    finalise_review(review=review, user=reviewer)
    review.refresh_from_db()
    frozen = review.frozen_figures
    del frozen["shape"]
    for indicator in frozen["indicators"]:
        indicator["pct_of_target"] = "50.00"
    review.frozen_figures = frozen
    review.save(update_fields=["frozen_figures"])
    indicators = table_with(open_docx(docx_bytes(client, reviewer, review)), "Chỉ tiêu")
    header = [cell.text for cell in indicators.rows[0].cells]
    assert len(header) == 8
    assert header[-2:] == ["% so với mục tiêu", "Trạng thái"]
    cells = [cell.text for cell in indicators.rows[1].cells]
    indicator = frozen["indicators"][0]
    assert cells[0] == f"{indicator['code']} {indicator['name']}"
    assert number(cells[4]) == Decimal(indicator["actual"])
    assert number(cells[5]) == Decimal(indicator["change"])
    assert cells[6] == "50,00 %"


def test_a_long_zone_table_says_where_the_other_zones_are(client, reviewer, review, monkeypatch):
    zone = factories.ZoneFactory()
    factories.AnnualReturnFactory(enterprise__zone=zone, year=2023, status="accepted")
    monkeypatch.setattr("reviews.selectors.programme_reviews.REPORT_ZONES", 2)
    document = open_docx(docx_bytes(client, reviewer, review, language="en"))
    zones = table_with(document, "Zone")
    assert [row.cells[0].text for row in zones.rows[1:]][-1] == "2 other zones"
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert (
        "The zone with the most operating enterprises is listed; the last row adds up the "
        "others. All 3 zones are in the review's zone table (CSV or XLSX)."
    ) in texts
