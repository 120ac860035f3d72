"""Issue 14: the final review (tổng kết) of a 2023–2025 programme, its figures computed here by
hand over three years: an enterprise that closed in the middle of 2024, a party cell that moved
to another superior body, and 2025 with half the returns accepted by the cut-off."""

import datetime
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from coordination.models import Task
from enterprises.models import Enterprise
from reviews.models import AnnualReturn, ProgrammeReview
from reviews.services.programme_reviews import finalise_review

from . import factories

ACCEPTED = AnnualReturn.Status.ACCEPTED
CUT_OFF = datetime.date(2026, 3, 1)


def accepted(enterprise, year, party_members):
    return factories.AnnualReturnFactory(
        enterprise=enterprise, year=year, status=ACCEPTED, party_members=party_members
    )


@pytest.fixture
def final_review(zone_a):
    programme = factories.joint_programme()
    factories.IndicatorFactory(
        programme=programme,
        code="CT01",
        name="Đảng viên trong doanh nghiệp",
        metric="party_members",
        baseline_year=2022,
        baseline_value=10,
        target_value=20,
    )
    kept, closed, late = (
        factories.EnterpriseFactory(zone=zone_a, name=name) for name in ("Kept", "Closed", "Late")
    )
    closed.status, closed.closed_on = Enterprise.Status.CLOSED, datetime.date(2024, 6, 30)
    closed.save()
    cell = factories.OrganisationFactory(enterprise=kept, founded_on=datetime.date(2020, 1, 1))
    before, after = factories.BodyFactory(name="Đảng ủy Khối"), factories.BodyFactory(name="Mới")
    cell.superior_body = after
    cell.save()
    factories.OrganisationSuperiorFactory(organisation=cell, body=before, since=cell.founded_on)
    factories.OrganisationSuperiorFactory(
        organisation=cell, body=after, since=datetime.date(2024, 3, 1)
    )
    for year, members in ((2023, 5), (2024, 6), (2025, 7)):
        accepted(kept, year, members)
    accepted(closed, 2023, 3)
    accepted(closed, 2024, 2)  # expected (it operated in 2024), not counted on 31 December
    accepted(late, 2023, 4)
    accepted(late, 2024, 4)
    factories.AnnualReturnFactory(enterprise=late, year=2025, status="submitted", party_members=9)
    area = programme.content_areas.get(position=1)
    factories.TaskFactory(
        content_area=area,
        status=Task.Status.DONE,
        completed_on=datetime.date(2024, 3, 1),
        title="Hội nghị",
    )
    factories.TaskFactory(
        content_area=area,
        status=Task.Status.IN_PROGRESS,
        due_on=datetime.date(2025, 6, 30),
        title="Phát triển đảng viên",
    )
    factories.TaskFactory(
        content_area=area,
        status=Task.Status.PLANNED,
        due_on=datetime.date(2026, 6, 30),
        title="Sơ kết chuyên đề",
    )
    return factories.written_review(
        programme,
        kind=ProgrammeReview.Kind.FINAL,
        title="Tổng kết thực hiện Chương trình phối hợp giai đoạn 2023–2025",
        as_of_year=2025,
        held_on=datetime.date(2026, 3, 10),
        cut_off_on=CUT_OFF,
        carried_forward="Tiếp tục phát triển đảng viên.",
    )


def results_of(client, user, review):
    client.force_login(user)
    response = client.get(reverse("review_detail", args=[review.pk]))
    assert response.status_code == 200
    return response.context["figures"]["programme_results"]


def test_the_indicator_year_by_year_as_counted_by_hand(client, reviewer, final_review):
    results = results_of(client, reviewer, final_review)
    assert results["years"] == [2022, 2023, 2024, 2025]
    [row] = results["indicators"]
    by_year = {cell["year"]: cell for cell in row["years"]}
    # 2023: 5 + 3 + 4; 2024: 6 + 4 (Closed closed on 30 June); 2025: 7 (Late only submitted).
    assert [by_year[year]["actual"] for year in (2023, 2024, 2025)] == ["12", "10", "7"]
    assert [by_year[year]["achieved_end"] for year in (2023, 2024, 2025)] == [
        "60.00",
        "50.00",
        "35.00",
    ]
    assert by_year[2025]["completeness"] == {"numerator": 1, "denominator": 2, "pct": "50.00"}
    assert row["baseline_value"] == "10.00"
    assert row["target_end"] == "20.00"
    assert row["status"] == "incomplete"
    returns = {item["year"]: item["completeness"] for item in results["returns"]}
    assert (returns[2023]["numerator"], returns[2023]["denominator"]) == (3, 3)
    assert (returns[2024]["numerator"], returns[2024]["denominator"]) == (3, 3)
    assert (returns[2025]["numerator"], returns[2025]["denominator"]) == (1, 2)


def test_the_zone_year_by_year_counts_the_moved_cell_once(client, reviewer, final_review):
    [zone] = results_of(client, reviewer, final_review)["zones"]
    cells = {cell["year"]: cell for cell in zone["years"]}
    assert [cells[year]["enterprises_operating"] for year in (2023, 2024, 2025)] == [3, 2, 2]
    assert [cells[year]["enterprises_with_party_org"] for year in (2023, 2024, 2025)] == [1, 1, 1]
    assert [cells[year]["party_members"] for year in (2023, 2024, 2025)] == [12, 10, 7]


def test_beyond_the_report_zone_rows_the_smaller_zones_are_added_up(
    client, reviewer, final_review, zone_b, monkeypatch
):
    """As in the one-year report: the zones with the most operating enterprises in the last
    year (PROGRAMME_ZONES rows in all), then one row adding up the others, year by year, in the
    reader's language."""
    zone_c = factories.ZoneFactory(name="Zone C", code="C")
    for zone, count in ((zone_b, 1), (zone_c, 3)):
        for _ in range(count):
            enterprise = factories.EnterpriseFactory(zone=zone)
            accepted(enterprise, 2024, 3)
            accepted(enterprise, 2025, 4)
    monkeypatch.setattr("reviews.selectors.programme_reviews.PROGRAMME_ZONES", 2)
    zones = results_of(client, reviewer, final_review)["zones"]
    assert [zone.get("label") for zone in zones] == ["Zone C", None]
    others = {cell["year"]: cell for cell in zones[1]["years"]}
    assert zones[1]["others"] == 2  # Zone A (2 operating in 2025) and Zone B (1)
    assert [others[year]["enterprises_operating"] for year in (2023, 2024, 2025)] == [4, 3, 3]
    assert [others[year]["party_members"] for year in (2023, 2024, 2025)] == [12, 13, 11]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.get(reverse("review_report", args=[final_review.pk]))
    assert "2 khu khác" in response.content.decode()


def test_tasks_over_the_programme_as_of_the_cut_off(client, reviewer, final_review):
    tasks = results_of(client, reviewer, final_review)["tasks"]
    assert tasks["counts"] == {"planned": 1, "in_progress": 1, "done": 1, "cancelled": 0}
    assert tasks["overdue"] == 1
    assert [(task["title"], task["overdue"]) for task in tasks["open"]] == [
        ("Phát triển đảng viên", True),
        ("Sơ kết chuyên đề", False),
    ]


def test_finalising_freezes_the_programme_results(client, reviewer, final_review):
    finalise_review(review=final_review, user=reviewer)
    AnnualReturn.objects.filter(year=2025, status=ACCEPTED).update(party_members=70)
    results = results_of(client, reviewer, ProgrammeReview.objects.get(pk=final_review.pk))
    assert results["indicators"][0]["years"][-1]["actual"] == "7"


@pytest.mark.parametrize("language", ["vi", "en", "hi"])
def test_the_print_view_shows_the_programme_results(client, reviewer, final_review, language):
    client.force_login(reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("review_report", args=[final_review.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tổng kết thực hiện Chương trình phối hợp" in page
    assert 'id="series-indicator-CT01"' in page
    assert "Phát triển đảng viên" in page  # an open task, carried forward
    assert "Tiếp tục phát triển đảng viên." in page
    assert f'<html lang="{language}">' in page
    with translation.override(language):
        assert gettext("Indicators year by year") in page
        assert gettext("Zones year by year") in page


def test_the_pdf_of_the_final_review_holds_its_results(client, reviewer, final_review, tmp_path):
    client.force_login(reviewer)
    response = client.get(reverse("review_report_pdf", args=[final_review.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "final.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "CT01" in text
    assert "35.00 %" in text or "35,00 %" in text


def test_officials_see_the_final_review_of_their_zones_only(client, official_b, final_review):
    results = results_of(client, official_b, final_review)
    [zone] = results["zones"]
    assert zone["label"] == "Zone B"
    assert {cell["enterprises_operating"] for cell in zone["years"]} == {0}
    assert results["indicators"][0]["years"][-1]["actual"] is None


def test_the_word_copy_carries_the_results_year_by_year_and_their_charts(
    client, reviewer, final_review
):
    """The Word copy takes the print view's context: a final review's part I.4, its table of
    the indicators by year (the figures of programme_results) and one chart per indicator, the
    page's SVG as a PNG."""
    import io

    import docx

    results = results_of(client, reviewer, final_review)
    response = client.get(reverse("review_report_docx", args=[final_review.pk]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "4. Results over the programme, 2023–2025" in texts
    headers = [[cell.text for cell in table.rows[0].cells] for table in document.tables]
    table = document.tables[next(i for i, h in enumerate(headers) if "Actual 2023" in h)]
    [row] = results["indicators"]
    cells = [cell.text for cell in table.rows[1].cells]
    assert cells[0] == "CT01 Đảng viên trong doanh nghiệp"
    actuals = [cell.split("\n")[0] for cell in cells[2 : 2 + len(row["years"])]]
    assert actuals == [
        "—" if year["actual"] is None else str(year["actual"]) for year in row["years"]
    ]
    assert len(document.inline_shapes) == len(results["indicators"]) == 1
    image = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[image].blob.startswith(b"\x89PNG")
