"""The to-do list: an official sees the operating enterprises of their zones whose return for
the year is missing, a draft or returned; a reviewer sees the returns waiting for review. Counts
and the first few items, in queries that do not grow with rows."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from enterprises.models import Enterprise
from reviews.models import AnnualReturn
from reviews.selectors.dashboard import TODO_ITEMS, todo_for

from . import factories

YEAR = 2024
Status = AnnualReturn.Status


def _enterprise(zone, name, status=None, **fields):
    enterprise = factories.EnterpriseFactory(zone=zone, name=name, **fields)
    if status:
        factories.AnnualReturnFactory(enterprise=enterprise, year=YEAR, status=status)
    return enterprise


def test_an_official_sees_missing_draft_and_returned_returns(official_a, zone_a, zone_b):
    park = factories.ZoneFactory(name="Park in A", code="A1", parent=zone_a)
    _enterprise(zone_a, "Missing")
    _enterprise(park, "Draft in a park", Status.DRAFT)
    _enterprise(zone_a, "Returned", Status.RETURNED)
    _enterprise(zone_a, "Submitted", Status.SUBMITTED)
    _enterprise(zone_a, "Accepted", Status.ACCEPTED)
    _enterprise(zone_a, "Closed", closed_on=datetime.date(2023, 6, 30))
    _enterprise(zone_a, "Building", status=Enterprise.Status.BUILDING)
    _enterprise(zone_b, "Other zone")
    todo = todo_for(user=official_a, year=YEAR)
    assert todo["official"]["counts"] == {"missing": 1, "draft": 1, "returned": 1}
    assert [item["name"] for item in todo["official"]["items"]] == [
        "Returned",
        "Missing",
        "Draft in a park",
    ]
    assert todo["reviewer"] is None


def test_the_year_defaults_to_the_current_one(official_a, enterprise_a):
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR, status=Status.ACCEPTED)
    todo = todo_for(user=official_a)
    assert todo["year"] == datetime.date.today().year
    assert todo["official"]["counts"]["missing"] == 1


def test_a_reviewer_sees_the_returns_waiting_for_review(reviewer, enterprise_a, enterprise_b):
    waiting = factories.AnnualReturnFactory(
        enterprise=enterprise_a, year=2023, status=Status.SUBMITTED
    )
    factories.AnnualReturnFactory(enterprise=enterprise_b, year=YEAR, status=Status.DRAFT)
    todo = todo_for(user=reviewer, year=YEAR)
    assert todo["official"] is None
    assert todo["reviewer"]["count"] == 1
    assert todo["reviewer"]["items"] == [
        {"enterprise_id": enterprise_a.pk, "enterprise__name": enterprise_a.name, "year": 2023}
    ]
    html = render_to_string("reviews/_todo.html", {"todo": todo})
    assert reverse("return_edit", args=[waiting.enterprise_id, waiting.year]) in html
    assert f"{enterprise_a.name} · 2023" in html


def test_the_partial_links_to_the_returns_and_the_filtered_lists(official_a, enterprise_a):
    todo = todo_for(user=official_a, year=YEAR)
    html = render_to_string("reviews/_todo.html", {"todo": todo})
    assert reverse("return_edit", args=[enterprise_a.pk, YEAR]) in html
    assert enterprise_a.name in html
    assert "1 enterprise without a return" in html


def test_the_partial_says_when_there_is_nothing_to_do(official_a, enterprise_a):
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR, status=Status.SUBMITTED)
    html = render_to_string("reviews/_todo.html", {"todo": todo_for(user=official_a, year=YEAR)})
    assert "has submitted its return for 2024" in html


@pytest.mark.parametrize("size", [3, 3 * TODO_ITEMS])
def test_the_query_count_does_not_grow(
    official_a, reviewer, zone_a, size, django_assert_max_num_queries
):
    reviewer.official_zones.add(zone_a)
    for index in range(size):
        status = [None, Status.DRAFT, Status.SUBMITTED][index % 3]
        _enterprise(zone_a, f"Enterprise {index}", status)
    with django_assert_max_num_queries(8):
        todo = todo_for(user=reviewer, year=YEAR)
        html = render_to_string("reviews/_todo.html", {"todo": todo})
    assert len(todo["official"]["items"]) == min(TODO_ITEMS, 2 * size // 3)
    assert "Enterprise 0" in html
