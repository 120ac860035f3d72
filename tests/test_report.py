"""The printed review report: the layout of a joint Party–State report, its figures (live and
within the viewer's scope for a draft, frozen for a final review) and bounded queries."""

import datetime
import html
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from coordination.models import Body, ProgrammeBody
from reviews.selectors.assessment import assessment_years
from reviews.services.programme_reviews import finalise_review
from reviews.templatetags.report_tags import document_date, document_number
from reviews.totals import rebuild_totals

from . import factories


@pytest.fixture
def programme(db):
    programme = factories.joint_programme()
    indicator = factories.IndicatorFactory(
        programme=programme,
        code="CT01",
        name="Số doanh nghiệp có tổ chức đảng",
        metric="enterprises_with_party_org",
        baseline_year=2022,
        baseline_value=0,
        target_value=4,
    )
    factories.IndicatorTargetFactory(indicator=indicator, year=2023, value=2)
    return programme


@pytest.fixture
def review(programme):
    return factories.written_review(programme)


@pytest.fixture
def figures(enterprise_a, enterprise_b):
    """Zone A: an enterprise with a party organisation; zone B: one without; both returns of
    2023 accepted."""
    factories.OrganisationFactory(enterprise=enterprise_a, founded_on=datetime.date(2021, 3, 1))
    factories.AnnualReturnFactory(
        enterprise=enterprise_a, year=2023, status="accepted", employees=91, party_members=7
    )
    factories.AnnualReturnFactory(
        enterprise=enterprise_b, year=2023, status="accepted", employees=70, party_members=1
    )


def report_html(client, user, review) -> str:
    client.force_login(user)
    response = client.get(reverse("review_report", args=[review.pk]))
    assert response.status_code == 200
    return response.content.decode()


def text_of(page: str) -> str:
    """What a reader sees: the page without its tags, spaces collapsed."""
    body = page[page.index("<body") :]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_letterhead_stacks_both_bodies_under_their_superiors_lead_first(client, reviewer, review):
    page = report_html(client, reviewer, review)
    assert (
        "ĐẢNG BỘ TỈNH LÀO CAI ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH "
        "ỦY BAN NHÂN DÂN TỈNH LÀO CAI BAN QUẢN LÝ KHU KINH TẾ TỈNH * No. 01-BC/ĐUK-BQLKKT"
    ) in text_of(page)
    # the place at the end of the name is held on one line (no-break spaces)
    assert (
        '<strong class="issuing">ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP\u00a0TỈNH</strong>'
        in page
    )


def test_party_led_report_has_the_party_header_place_and_date(client, reviewer, review):
    page = report_html(client, reviewer, review)
    assert '<strong class="ruled">COMMUNIST PARTY OF VIETNAM</strong>' in page
    assert "Lào Cai, 16/5/2024" in text_of(page)
    assert "SOCIALIST REPUBLIC" not in page


def test_state_led_report_follows_decree_30(client, reviewer, programme):
    """Led by the state body: its header, the type before the symbols, a colon after No."""
    ProgrammeBody.objects.filter(body__document_style=Body.DocumentStyle.STATE).update(position=0)
    review = factories.written_review(programme)
    text = text_of(report_html(client, reviewer, review))
    assert "SOCIALIST REPUBLIC OF VIETNAM Independence - Freedom - Happiness" in text
    assert (
        "ỦY BAN NHÂN DÂN TỈNH LÀO CAI BAN QUẢN LÝ KHU KINH TẾ TỈNH ĐẢNG BỘ TỈNH LÀO CAI "
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH No.: 01/BC-BQLKKT-ĐUK"
    ) in text
    assert "COMMUNIST PARTY" not in text


def test_title_parts_signatures_and_recipients(client, reviewer, review):
    text = text_of(report_html(client, reviewer, review))
    assert "REPORT Sơ kết 01 năm thực hiện Chương trình phối hợp I. RESULTS" in text
    assert re.search(
        r"I\. RESULTS 1\. How the programme was rolled out Hai bên đã triển khai .*"
        r"2\.1\. Tuyên truyền, phổ biến chính sách Kết quả 1\. .*"
        r"2\.2\. Phát triển đảng viên Kết quả 2\. .*"
        r"II\. LIMITATIONS, DIFFICULTIES AND THEIR CAUSES 1\. Tuyên truyền, phổ biến chính sách "
        r"Limitations and difficulties: Hạn chế 1\. Causes: Nguyên nhân 1\. .*"
        r"III\. DIRECTIONS, TASKS AND SOLUTIONS FOR THE COMING PERIOD .*Giải pháp 1\. .*"
        r"Giải pháp 2\. 3\. Recommendations Đề nghị Ban Chỉ đạo Đề án 24 tiếp tục chỉ đạo\.",
        text,
    )
    assert (
        "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ Trần Minh Đức "
        "KT. TRƯỞNG BAN PHÓ TRƯỞNG BAN Hoàng Thị Thu Hương"
    ) in text
    assert text.endswith(
        "Recipients: - Thường trực Tỉnh ủy (b/c); - Ban Chỉ đạo Đề án 24; - Lưu VT."
    )


def test_indicator_table_and_shares_hold_the_reviewers_figures(client, reviewer, review, figures):
    """One of the two operating enterprises has a party organisation: 1 against a target of 2
    for 2023 is 50 % achieved, against 4 by 2025 25 %; +1 from 0 in 2022; behind."""
    text = text_of(report_html(client, reviewer, review))
    assert re.search(
        r"CT01 Số doanh nghiệp có tổ chức đảng .*? 0 \(2022\) 2 4 1 50\.00 % 25\.00 % \+1 — Behind",
        text,
    )
    assert "Enterprises with a party organisation 1 1 / 2 = 50.00 %" in text
    assert "Zone A 1 91 1 7 0 80 1 / 1 = 100.00 % 0 / 1 = 0.00 %" in text
    assert "Zone B 1 70 0 1 0 80 0 / 1 = 0.00 % 0 / 1 = 0.00 %" in text
    assert "come from 2 of 2 expected returns for 2023 (100.00 %)" in text


def test_a_draft_is_marked_and_counts_within_the_viewers_scope(client, official_a, review, figures):
    text = text_of(report_html(client, official_a, review))
    assert text.count("DRAFT") == 2
    assert "zones you see (Zone A)" in text
    assert "Enterprises with a party organisation 1 1 / 1 = 100.00 %" in text
    assert "Zone B" not in text


def test_a_final_report_prints_the_frozen_figures_byte_for_byte(
    client, reviewer, official_b, review, figures, enterprise_a, enterprise_b, zone_a
):
    """Whatever happens to returns, organisations and enterprises after finalising, and
    whoever prints it, the report is the same, while a draft's figures follow the data."""
    finalise_review(review=review, user=reviewer)
    draft = factories.written_review(review.programme, as_of_year=2024)
    final_before = report_html(client, reviewer, review)
    draft_before = report_html(client, reviewer, draft)

    enterprise_a.returns.update(employees=500, party_members=40)
    enterprise_a.organisations.update(dissolved_on=datetime.date(2023, 6, 30))
    factories.OrganisationFactory(enterprise=enterprise_b, founded_on=datetime.date(2023, 2, 1))
    enterprise_b.name = "Công ty đã đổi tên"
    enterprise_b.closed_on = datetime.date(2023, 12, 1)
    enterprise_b.status = "closed"
    enterprise_b.save()
    factories.AnnualReturnFactory(
        enterprise=factories.EnterpriseFactory(zone=zone_a), year=2023, status="accepted"
    )
    lead = review.signatures.order_by("position").first().body
    Body.objects.filter(pk=lead.pk).update(name="Renamed body", symbol="NEW")
    Body.objects.filter(pk=lead.parent_id).update(name="Renamed superior")
    review.sections.first().content_area.__class__.objects.filter(
        programme=review.programme
    ).update(title="Renamed content area")

    assert report_html(client, reviewer, review) == final_before
    assert report_html(client, official_b, review) == final_before
    assert report_html(client, reviewer, draft) != draft_before
    assert "DRAFT" not in final_before


@pytest.mark.parametrize(
    ("day", "parts"),
    [
        (datetime.date(2024, 5, 16), ("16", "5", "2024")),
        (datetime.date(2024, 1, 5), ("05", "01", "2024")),
        (datetime.date(2024, 2, 29), ("29", "02", "2024")),
        (datetime.date(2024, 3, 9), ("09", "3", "2024")),
        (datetime.date(2024, 12, 1), ("01", "12", "2024")),
    ],
)
def test_date_line_pads_days_below_10_and_january_and_february(day, parts):
    date = document_date(day)
    assert (date["day"], date["month"], date["year"]) == parts


def test_report_prints_a_padded_date(client, reviewer, programme):
    review = factories.written_review(programme, held_on=datetime.date(2024, 1, 5))
    assert "Lào Cai, 05/01/2024" in text_of(report_html(client, reviewer, review))


@pytest.mark.parametrize(
    ("number", "styles", "expected"),
    [
        ("01", ("party", "state"), "01-BC/ĐUK-BQLKKT"),
        ("01", ("state", "party"), "01/BC-ĐUK-BQLKKT"),
        ("12", ("party",), "12-BC/ĐUK"),
        ("", ("party", "state"), "\u00a0" * 6 + "-BC/ĐUK-BQLKKT"),
    ],
)
def test_document_number_joins_symbols_in_the_lead_bodys_style(number, styles, expected):
    issuers = [{"symbol": symbol} for symbol in ("ĐUK", "BQLKKT")][: len(styles)]
    assert document_number(number, issuers, styles[0]) == expected


def test_recipients_lose_the_dash_people_type(db):
    rendered = Template("{% load report_tags %}{{ text|recipient_lines|join:'|' }}").render(
        Context({"text": "- Tỉnh ủy (b/c);\n\n  -Lưu VT.  \nBan Tổ chức"})
    )
    assert rendered == "Tỉnh ủy (b/c);|Lưu VT.|Ban Tổ chức"


def test_everyone_logged_in_reads_reports(client, official_b, review):
    report_html(client, official_b, review)
    assert client.get(reverse("review_report", args=[999])).status_code == 404


def test_screen_view_links_print_and_pdf_outside_the_print(client, reviewer, review):
    page = report_html(client, reviewer, review)
    assert re.search(
        r'<nav class="report-tools no-print"[^>]*>.*data-print.*report\.pdf', page, re.S
    )


def test_report_queries_do_not_grow_with_data(
    client, reviewer, review, figures, zone_b, django_assert_max_num_queries
):
    url = reverse("review_report", args=[review.pk])
    client.force_login(reviewer)
    rebuild_totals(years=assessment_years(review.programme))  # once a year, at its first read
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for position in (3, 4, 5):
        factories.ReviewSectionFactory(
            review=review, content_area__programme=review.programme, content_area__position=position
        )
    for _ in range(5):
        enterprise = factories.EnterpriseFactory(zone=factories.ZoneFactory())
        factories.OrganisationFactory(enterprise=enterprise)
        factories.AnnualReturnFactory(enterprise=enterprise, status="accepted")
    factories.IndicatorFactory.create_batch(3, programme=review.programme)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_a_report_with_many_zones_lists_the_largest_and_adds_up_the_others(
    client, reviewer, review, figures, monkeypatch
):
    """Zone A and B hold one enterprise each; a third zone holds two. With room for two rows the
    report lists the largest zone and adds up the other two, so the table still sums up."""
    zone_c = factories.ZoneFactory(name="Zone C", code="C")
    for employees in (10, 20):
        factories.AnnualReturnFactory(
            enterprise=factories.EnterpriseFactory(zone=zone_c),
            year=2023,
            status="accepted",
            employees=employees,
            female_employees=0,
            union_members=0,
            party_members=0,
            new_party_members=0,
        )
    monkeypatch.setattr("reviews.selectors.programme_reviews.REPORT_ZONES", 2)
    text = text_of(report_html(client, reviewer, review))
    assert "Zone C 2 30 0 0 0 0 0 / 2 = 0.00 % 0 / 2 = 0.00 %" in text
    assert "2 other zones 2 161 1 8 0 160 1 / 2 = 50.00 % 0 / 2 = 0.00 %" in text
    assert "Zone A 1" not in text
    assert "All 3 zones are in the review's zone table" in text


def test_the_zone_table_export_holds_every_zone(client, reviewer, review, figures, monkeypatch):
    monkeypatch.setattr("reviews.selectors.programme_reviews.REPORT_ZONES", 1)
    client.force_login(reviewer)
    response = client.get(reverse("review_report", args=[review.pk]), {"_export": "csv"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("Zone,Enterprises,Employees")
    assert lines[1:] == ["Zone A,1,91,1,7,0,80,100.00,0.00", "Zone B,1,70,0,1,0,80,0.00,0.00"]
