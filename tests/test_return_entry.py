"""Entering a return: counts start blank and must be typed (0 included), and last year's
accepted figures stand beside each field with the change."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import COUNT_FIELDS, AnnualReturn

from . import factories

YEAR = 2024


def url(enterprise, year=YEAR):
    return reverse("return_edit", args=[enterprise.pk, year])


@pytest.fixture
def client_a(client, official_a):
    client.force_login(official_a)
    return client


def input_value(page: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else None


def test_a_new_return_starts_blank(client_a, enterprise_a):
    page = client_a.get(url(enterprise_a)).content.decode()
    for name in COUNT_FIELDS:
        assert input_value(page, name) is None, name


def test_an_untouched_submit_is_refused_and_saves_nothing(client_a, enterprise_a):
    response = client_a.post(url(enterprise_a), {"action": "save", "explanation": ""})
    assert response.status_code == 200
    assert set(COUNT_FIELDS) <= set(response.context["form"].errors)
    assert not AnnualReturn.objects.exists()


def test_a_typed_zero_is_accepted(client_a, enterprise_a):
    response = client_a.post(url(enterprise_a), factories.return_form_data(youth_members=0))
    assert response.status_code == 302
    assert AnnualReturn.objects.get(enterprise=enterprise_a).youth_members == 0


def test_a_saved_return_shows_its_figures(client_a, enterprise_a):
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR, employees=77)
    page = client_a.get(url(enterprise_a)).content.decode()
    assert input_value(page, "employees") == "77"


def test_last_years_accepted_figures_stand_beside_the_fields_with_the_change(
    client_a, enterprise_a
):
    factories.AnnualReturnFactory(
        enterprise=enterprise_a,
        year=YEAR - 1,
        status=AnnualReturn.Status.ACCEPTED,
        employees=110,
        union_members=90,
    )
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR, employees=125)
    page = client_a.get(url(enterprise_a)).content.decode()
    help_employees = re.search(r'id="id_employees_helptext">([^<]*)<', page).group(1)
    assert "110" in help_employees
    assert "+15" in help_employees
    help_union = re.search(r'id="id_union_members_helptext">([^<]*)<', page).group(1)
    assert "90" in help_union
    assert "-10" in help_union


def test_a_draft_of_last_year_is_not_shown(client_a, enterprise_a):
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR - 1, employees=4321)
    page = client_a.get(url(enterprise_a)).content.decode()
    assert "4321" not in page


def test_last_years_figures_cost_one_query(client_a, enterprise_a):
    """One query for all the fields shown beside last year's figures."""
    factories.AnnualReturnFactory(
        enterprise=enterprise_a, year=YEAR - 1, status=AnnualReturn.Status.ACCEPTED
    )
    with CaptureQueriesContext(connection) as queries:
        client_a.get(url(enterprise_a))
    previous = [q for q in queries.captured_queries if f"= {YEAR - 1}" in q["sql"]]
    assert len(previous) == 1
