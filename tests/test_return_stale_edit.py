"""No lost update: two people open the same return; the second save is refused with the other
person's values, and nothing is overwritten."""

import pytest
from django.test import Client
from django.urls import reverse

from coordination.versioning import StaleEdit
from enterprises.models import Organisation
from reviews.models import AnnualReturn, OrganisationRating
from reviews.services import returns as services

from . import factories

YEAR = 2024


@pytest.fixture
def colleague(zone_a):
    """A second official of zone A."""
    user = factories.UserFactory(username="colleague", first_name="Hoa", last_name="Trần")
    zone_a.officials.add(user)
    return user


@pytest.fixture
def annual_return(enterprise_a):
    return factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR, employees=100)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_second_save_of_the_same_version_is_refused(
    official_a, colleague, annual_return, enterprise_a
):
    url = reverse("return_edit", args=[enterprise_a.pk, YEAR])
    union = factories.OrganisationFactory(
        enterprise=enterprise_a, kind=Organisation.Kind.TRADE_UNION
    )
    rating = f"rating_{union.pk}"
    first, second = logged_in(colleague), logged_in(official_a)
    opened = annual_return.version
    theirs = factories.return_form_data(employees=140, seen_version=opened, **{rating: "good"})
    assert first.post(url, theirs).status_code == 302

    mine = factories.return_form_data(employees=150, seen_version=opened, **{rating: "excellent"})
    response = second.post(url, mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this while you were editing" in page
    assert "Hoa Trần saved it at" in page
    rows = {row["label"]: row for row in response.context["conflict"]["rows"]}
    assert rows["Employees"] == {
        "label": "Employees",
        "before": 100,
        "theirs": 140,
        "yours": 150,
        "changed_by_them": True,
    }
    assert rows[f"{union} (Trade union)"] == {
        "label": f"{union} (Trade union)",
        "before": None,
        "theirs": "Good",
        "yours": "Excellent",
        "changed_by_them": True,
    }
    assert "Explanation" not in rows, "a value nobody changed is not listed"

    annual_return.refresh_from_db()
    assert annual_return.employees == 140
    assert OrganisationRating.objects.get(organisation=union).rating == "good"
    assert 'name="employees" value="150"' in page
    assert f'name="seen_version" value="{annual_return.version}"' in page


def test_saving_again_after_seeing_the_conflict_replaces_their_values(
    official_a, colleague, annual_return, enterprise_a
):
    url = reverse("return_edit", args=[enterprise_a.pk, YEAR])
    opened = annual_return.version
    logged_in(colleague).post(url, factories.return_form_data(employees=140, seen_version=opened))
    client = logged_in(official_a)
    refused = client.post(url, factories.return_form_data(employees=150, seen_version=opened))
    current = refused.context["form"]["seen_version"].value()
    client.post(url, factories.return_form_data(employees=150, seen_version=current))
    annual_return.refresh_from_db()
    assert annual_return.employees == 150


def test_the_service_raises_stale_edit_with_the_current_values(official_a, annual_return):
    opened = annual_return.version
    save = {
        "user": official_a,
        "enterprise": annual_return.enterprise,
        "year": YEAR,
        "ratings": {},
        "version": opened,
    }
    services.save_return(figures=factories.return_form_data(employees=140), **save)
    with pytest.raises(StaleEdit) as refused:
        services.save_return(figures=factories.return_form_data(employees=150), **save)
    assert refused.value.current.employees == 140
    assert refused.value.current.version == opened + 1
    annual_return.refresh_from_db()
    assert annual_return.employees == 140
    assert annual_return.history.count() == 2


def test_a_reviewer_cannot_accept_figures_changed_after_opening(
    official_a, reviewer, annual_return
):
    """The reviewer opened the submitted return; the official changed it before the click."""
    annual_return = services.submit_return(
        user=official_a, annual_return=annual_return, version=annual_return.version
    )
    seen = annual_return.version
    services.save_return(
        user=official_a,
        enterprise=annual_return.enterprise,
        year=YEAR,
        figures=factories.return_form_data(employees=999),
        ratings={},
        version=seen,
    )
    url = reverse("return_review", args=[annual_return.enterprise_id, YEAR])
    response = logged_in(reviewer).post(
        url, {"action": "accept", "seen_version": seen}, follow=True
    )
    assert "Someone changed this return after you opened it" in response.content.decode()
    annual_return.refresh_from_db()
    assert annual_return.status == AnnualReturn.Status.SUBMITTED


def test_a_save_without_the_opened_version_is_refused(official_a, annual_return, enterprise_a):
    url = reverse("return_edit", args=[enterprise_a.pk, YEAR])
    response = logged_in(official_a).post(url, factories.return_form_data(employees=5))
    assert response.status_code == 200
    assert "reload it" in response.content.decode()
    annual_return.refresh_from_db()
    assert annual_return.employees == 100


def test_the_conflict_shows_each_rating_as_it_was_opened(
    official_a, colleague, enterprise_a, annual_return
):
    """Ratings are saved after the return's row; the conflict still finds their state at the
    opened version in their history."""
    union = factories.OrganisationFactory(
        enterprise=enterprise_a, kind=Organisation.Kind.TRADE_UNION
    )
    rating = f"rating_{union.pk}"
    url = reverse("return_edit", args=[enterprise_a.pk, YEAR])
    first = factories.return_form_data(seen_version=1, **{rating: "fulfilled"})
    logged_in(official_a).post(url, first)
    theirs = factories.return_form_data(seen_version=2, **{rating: "good"})
    logged_in(colleague).post(url, theirs)
    mine = factories.return_form_data(seen_version=2, **{rating: "excellent"})
    response = logged_in(official_a).post(url, mine)
    rows = {row["label"]: row for row in response.context["conflict"]["rows"]}
    assert rows[f"{union} (Trade union)"]["before"] == "Fulfilled"
    assert rows[f"{union} (Trade union)"]["theirs"] == "Good"
