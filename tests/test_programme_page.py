"""The programme page: signing bodies, content areas with their tasks, and indicators with
their targets, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from coordination.models import ProgrammeBody, Task

from . import factories


@pytest.fixture
def programme(db):
    programme = factories.ProgrammeFactory(title="Chương trình phối hợp", start_year=2023)
    party = factories.BodyFactory(name="Đảng ủy Khối", short_name="ĐUK")
    board = factories.BodyFactory(name="Ban Quản lý Khu kinh tế", short_name="BQLKKT")
    factories.ProgrammeBodyFactory(programme=programme, body=party, position=1)
    factories.ProgrammeBodyFactory(
        programme=programme, body=board, role=ProgrammeBody.Role.COORDINATING, position=2
    )
    area = factories.ContentAreaFactory(programme=programme, position=1, title="Party building")
    overdue = factories.TaskFactory(
        content_area=area,
        title="Survey the enterprises",
        lead_body=party,
        due_on=datetime.date(2023, 6, 30),
        status=Task.Status.IN_PROGRESS,
    )
    overdue.coordinating_bodies.add(board)
    factories.TaskFactory(
        content_area=area,
        title="Found cells",
        lead_body=board,
        due_on=datetime.date(2023, 6, 30),
        status=Task.Status.DONE,
        completed_on=datetime.date(2023, 6, 1),
    )
    indicator = factories.IndicatorFactory(
        programme=programme,
        code="I1",
        name="Party members",
        content_area=area,
        baseline_value=10,
        target_value=1250,
    )
    factories.IndicatorTargetFactory(indicator=indicator, year=2024, value=1100)
    return programme


def test_it_shows_bodies_areas_tasks_and_targets(client, official_a, programme):
    client.force_login(official_a)
    response = client.get(reverse("programme_detail", args=[programme.pk]))
    assert response.status_code == 200
    html = response.text
    for text in (
        "Đảng ủy Khối",
        "Coordinating",
        "Party building",
        "Survey the enterprises",
        "ĐUK",
        "BQLKKT",
        "30/06/2023",
        "1,250",
        "1,100",
        "Target 2025",
    ):
        assert text in html


def test_only_open_tasks_past_their_due_date_are_marked_overdue(client, reviewer, programme):
    client.force_login(reviewer)
    html = client.get(reverse("programme_detail", args=[programme.pk])).text
    assert html.count('class="badge badge-bad">Overdue') == 1


def test_an_unknown_programme_is_a_404(client, reviewer, programme):
    client.force_login(reviewer)
    assert client.get(reverse("programme_detail", args=[programme.pk + 1])).status_code == 404


def test_it_needs_a_login(client, programme):
    response = client.get(reverse("programme_detail", args=[programme.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("extra", [0, 12])
def test_query_count_does_not_grow_with_tasks(
    client, reviewer, programme, extra, django_assert_max_num_queries
):
    area = factories.ContentAreaFactory(programme=programme, position=2)
    for _ in range(extra):
        task = factories.TaskFactory(content_area=area)
        task.coordinating_bodies.add(factories.BodyFactory())
        indicator = factories.IndicatorFactory(programme=programme, content_area=area)
        factories.IndicatorTargetFactory(indicator=indicator)
    client.force_login(reviewer)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("programme_detail", args=[programme.pk])).status_code == 200
