"""Completeness and timeliness of a year's returns: expected (operated during the year, the
assessment's definition), missing and each status, on time and late, by zone and by official;
each number opens the list behind it; CSV and XLSX; an official sees only their zones."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise
from reviews.models import AnnualReturn
from reviews.selectors.cycle import COLUMNS, completeness

from . import factories

YEAR = 2024
Status = AnnualReturn.Status


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))


@pytest.fixture
def season(zone_a, zone_b):
    """Zone A: a park inside it, enterprises in every state; zone B: one submitted late."""
    factories.ReportingYearFactory(
        year=YEAR, opens_on="2025-01-01", due_on="2025-01-31", locks_on="2025-03-31"
    )
    park = factories.ZoneFactory(parent=zone_a, name="KCN Bắc Duyên Hải")

    def enterprise(zone, **fields):
        return factories.EnterpriseFactory(zone=zone, **fields)

    on_time = datetime.date(2025, 1, 31)
    late = datetime.date(2025, 2, 1)
    enterprise(zone_a)  # missing
    enterprise(park)  # missing, in the park
    factories.AnnualReturnFactory(enterprise=enterprise(zone_a), year=YEAR)  # draft
    factories.AnnualReturnFactory(
        enterprise=enterprise(park), year=YEAR, status=Status.SUBMITTED, submitted_at=at(on_time)
    )
    factories.AnnualReturnFactory(
        enterprise=enterprise(zone_a), year=YEAR, status=Status.ACCEPTED, submitted_at=at(late)
    )
    factories.AnnualReturnFactory(
        enterprise=enterprise(zone_a), year=YEAR, status=Status.RETURNED, submitted_at=at(on_time)
    )
    # not expected: closed before the year, founded after it, under construction
    enterprise(zone_a, closed_on="2023-06-30", status=Enterprise.Status.CLOSED)
    enterprise(zone_a, founded_on="2025-03-01")
    enterprise(zone_a, status=Enterprise.Status.BUILDING)
    factories.AnnualReturnFactory(
        enterprise=enterprise(zone_b), year=YEAR, status=Status.SUBMITTED, submitted_at=at(late)
    )
    return park


def test_counts_by_zone_roll_the_parks_up(reviewer, zone_a, zone_b, season):
    figures = completeness(user=reviewer, year=YEAR)
    by_zone = {row["name"]: row["counts"] for row in figures["zones"]}
    assert by_zone["Zone A"] == {
        "expected": 6,
        "missing": 2,
        "draft": 1,
        "submitted": 1,
        "returned": 1,
        "accepted": 1,
        "on_time": 2,
        "late": 1,
    }
    assert by_zone["Zone B"]["late"] == 1
    assert figures["total"]["expected"] == 7


def test_counts_by_official(reviewer, official_a, official_b, season):
    rows = {
        row["official"]: row["counts"]
        for row in completeness(user=reviewer, year=YEAR)["officials"]
    }
    assert rows[official_a]["expected"] == 6
    assert rows[official_b]["expected"] == 1


def test_an_official_sees_only_their_zones(official_a, season):
    figures = completeness(user=official_a, year=YEAR)
    assert [row["name"] for row in figures["zones"]] == ["Zone A"]
    assert figures["total"]["expected"] == 6
    assert [row["official"] for row in figures["officials"]] == [official_a]


def zone_a_cells(client) -> dict:
    """Zone A's row of the page: each column's count and the address it links to."""
    response = client.get(reverse("returns_completeness"), {"year": YEAR})
    return dict(zip(COLUMNS, dict(response.context["zone_rows"])["Zone A"], strict=True))


@pytest.mark.parametrize(
    ("column", "count"), [("expected", 6), ("missing", 2), ("draft", 1), ("accepted", 1)]
)
def test_each_zone_number_opens_exactly_its_enterprises(reviewer, zone_a, season, column, count):
    client = factories.logged_in(reviewer)
    cells = zone_a_cells(client)
    listed = client.get(cells[column]["url"])
    assert cells[column]["count"] == count
    assert listed.context["page"].paginator.count == count


@pytest.mark.parametrize(("column", "count"), [("on_time", 2), ("late", 1), ("submitted", 1)])
def test_each_return_number_opens_exactly_its_returns(reviewer, zone_a, season, column, count):
    client = factories.logged_in(reviewer)
    cells = zone_a_cells(client)
    listed = client.get(cells[column]["url"])
    assert listed.context["page"].paginator.count == count


@pytest.mark.parametrize(
    ("column", "count"), [("expected", 6), ("missing", 2), ("submitted", 1), ("late", 1)]
)
def test_each_official_number_opens_exactly_its_list(
    reviewer, official_a, official_b, season, column, count
):
    """An official's row counts the zones they work in (with the parks inside); each number
    opens the enterprise list or the returns queue narrowed to those zones."""
    client = factories.logged_in(reviewer)
    response = client.get(reverse("returns_completeness"), {"year": YEAR})
    cells = dict(zip(COLUMNS, dict(response.context["official_rows"])[official_a], strict=True))
    listed = client.get(cells[column]["url"])
    assert f"official={official_a.pk}" in cells[column]["url"]
    assert cells[column]["count"] == listed.context["page"].paginator.count == count


def test_the_page_links_each_count_and_not_the_zeros(reviewer, zone_a, season):
    page = factories.logged_in(reviewer).get(reverse("returns_completeness"), {"year": YEAR})
    html = page.content.decode()
    expected = f"{reverse('enterprise_list')}?year={YEAR}&amp;figure=returns_expected"
    assert f'<td class="number"><a href="{expected}&amp;zone={zone_a.pk}">6</a></td>' in html
    assert '<td class="number">0</td>' in html  # zone B has no draft: no link


def test_the_enterprise_list_filter_by_official_keeps_to_the_viewers_scope(
    official_a, official_b, season
):
    """An official cannot list another official's zones through the filter: it offers only
    the officials of the zones they see, and refuses others with a message."""
    response = factories.logged_in(official_a).get(
        reverse("enterprise_list"), {"official": official_b.pk}
    )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert response.context["filterset"].form.errors["official"]


def test_the_exports_hold_the_same_rows(official_a, season):
    client = factories.logged_in(official_a)
    csv_text = b"".join(
        client.get(
            reverse("returns_completeness"), {"year": YEAR, "_export": "csv"}
        ).streaming_content
    ).decode("utf-8-sig")
    assert "zone,Zone A,6,2,1,1,1,1,2,1" in csv_text
    assert "Zone B" not in csv_text
    xlsx = b"".join(
        client.get(
            reverse("returns_completeness"), {"year": YEAR, "_export": "xlsx"}
        ).streaming_content
    )
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml").decode()
    assert "Zone A" in sheet and "Zone B" not in sheet


def test_the_dashboard_shows_the_reporting_years_panel(official_a, zone_a):
    factories.EnterpriseFactory(zone=zone_a)
    page = factories.logged_in(official_a).get(reverse("dashboard")).content.decode()
    assert "expected returns accepted" in page
    assert reverse("returns_completeness") in page
