"""The annual return form: model field names as inputs, hard rules at the field, soft rules
that need an explanation, ratings of the organisations active that year, the unique
(enterprise, year) rule before saving, and no field the user may not set."""

import datetime
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse

from enterprises.models import Organisation
from reviews.forms.returns import AnnualReturnForm, ReturnReviewForm
from reviews.models import COUNT_FIELDS, AnnualReturn, OrganisationRating

from . import factories
from .test_enterprise_list import assert_renders_like_djangos_templates

YEAR = 2024


def url(enterprise, year=YEAR):
    return reverse("return_edit", args=[enterprise.pk, year])


@pytest.fixture
def client_a(client, official_a):
    client.force_login(official_a)
    return client


def test_inputs_are_the_model_field_names(client_a, enterprise_a):
    page = client_a.get(url(enterprise_a)).content.decode()
    for name in (*COUNT_FIELDS, "explanation"):
        assert f'name="{name}"' in page
    for forbidden in ('name="status"', 'name="version"', 'name="submitted_by"'):
        assert forbidden not in page


def test_a_new_return_is_saved_as_a_draft(client_a, enterprise_a, official_a):
    response = client_a.post(url(enterprise_a), factories.return_form_data())
    assert response.status_code == 302
    saved = AnnualReturn.objects.get(enterprise=enterprise_a, year=YEAR)
    assert saved.status == AnnualReturn.Status.DRAFT
    assert (saved.employees, saved.female_employees, saved.union_members) == (120, 70, 100)
    assert saved.history.first().history_user == official_a


def test_it_ignores_workflow_fields_in_the_post(client_a, enterprise_a, official_a, reviewer):
    forged = factories.return_form_data(
        status="accepted", version=99, submitted_by=reviewer.pk, reviewed_by=reviewer.pk
    )
    client_a.post(url(enterprise_a), forged)
    saved = AnnualReturn.objects.get(enterprise=enterprise_a, year=YEAR)
    assert saved.status == AnnualReturn.Status.DRAFT
    assert saved.version == 1
    assert saved.submitted_by is None
    assert saved.reviewed_by is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"female_employees": 121}, "female_employees"),
        ({"party_members": 2, "new_party_members": 3}, "new_party_members"),
        ({"new_party_members": 1, "new_members_owners": 2}, "new_members_owners"),
        ({"youth_members": -1}, "youth_members"),
    ],
)
def test_hard_rules_give_a_message_at_the_field_and_save_nothing(
    client_a, enterprise_a, overrides, field
):
    response = client_a.post(url(enterprise_a), factories.return_form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not AnnualReturn.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"party_members": 130, "new_party_members": 0},
        {"union_members": 121},
        {"youth_members": 121},
        {"women_members": 121},
        {"party_members": 3},
    ],
    ids=["party", "union", "youth", "women", "party-members-without-party-org"],
)
def test_soft_rules_warn_and_need_an_explanation(client_a, enterprise_a, overrides):
    response = client_a.post(url(enterprise_a), factories.return_form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.warnings
    assert "explanation" in form.errors
    assert not AnnualReturn.objects.exists()

    explained = factories.return_form_data(**overrides, explanation="Checked with the enterprise.")
    assert client_a.post(url(enterprise_a), explained).status_code == 302
    saved = AnnualReturn.objects.get()
    assert saved.explanation == "Checked with the enterprise."


def test_party_members_with_a_party_organisation_raise_no_warning(client_a, enterprise_a):
    factories.OrganisationFactory(enterprise=enterprise_a, kind=Organisation.Kind.PARTY)
    response = client_a.post(url(enterprise_a), factories.return_form_data(party_members=3))
    assert response.status_code == 302


def test_the_saved_explanation_and_warnings_are_shown_to_reviewers(client, enterprise_a, reviewer):
    factories.AnnualReturnFactory(
        enterprise=enterprise_a,
        year=YEAR,
        employees=10,
        female_employees=5,
        union_members=12,
        explanation="Union members from a subcontractor.",
        status=AnnualReturn.Status.SUBMITTED,
    )
    client.force_login(reviewer)
    page = client.get(url(enterprise_a)).content.decode()
    assert "Union members from a subcontractor." in page
    assert "are more than the employees" in page


def test_one_rating_select_per_organisation_active_that_year(client_a, enterprise_a):
    make = factories.OrganisationFactory
    union = make(enterprise=enterprise_a, kind=Organisation.Kind.TRADE_UNION)
    dissolved_in_year = make(
        enterprise=enterprise_a,
        kind=Organisation.Kind.PARTY,
        dissolved_on=datetime.date(YEAR, 3, 1),
    )
    founded_in_december = make(
        enterprise=enterprise_a,
        kind=Organisation.Kind.YOUTH_UNION,
        founded_on=datetime.date(YEAR, 12, 31),
    )
    dissolved_before = make(
        enterprise=enterprise_a,
        kind=Organisation.Kind.WOMEN_UNION,
        dissolved_on=datetime.date(YEAR, 1, 1),
    )
    founded_after = make(
        enterprise=enterprise_a,
        kind=Organisation.Kind.VETERANS,
        founded_on=datetime.date(YEAR + 1, 1, 1),
    )
    other = factories.OrganisationFactory()
    page = client_a.get(url(enterprise_a)).content.decode()
    for shown in (union, dissolved_in_year, founded_in_december):
        assert f'name="rating_{shown.pk}"' in page
    for hidden in (dissolved_before, founded_after, other):
        assert f'name="rating_{hidden.pk}"' not in page


def test_ratings_are_saved_changed_and_cleared(client_a, enterprise_a):
    union = factories.OrganisationFactory(
        enterprise=enterprise_a, kind=Organisation.Kind.TRADE_UNION
    )
    field = f"rating_{union.pk}"
    client_a.post(url(enterprise_a), factories.return_form_data(**{field: "excellent"}))
    assert OrganisationRating.objects.get(organisation=union, year=YEAR).rating == "excellent"

    version = AnnualReturn.objects.get().version
    data = factories.return_form_data(**{field: "good", "seen_version": version})
    client_a.post(url(enterprise_a), data)
    assert OrganisationRating.objects.get(organisation=union, year=YEAR).rating == "good"

    data = factories.return_form_data(**{field: "", "seen_version": version + 1})
    client_a.post(url(enterprise_a), data)
    assert not OrganisationRating.objects.exists()
    assert OrganisationRating.history.count() == 3


def test_a_rating_of_an_organisation_not_active_that_year_needs_an_explanation(
    client_a, enterprise_a
):
    """Its dates were corrected after it was rated: the select stays, with a warning."""
    late = factories.OrganisationFactory(
        enterprise=enterprise_a,
        kind=Organisation.Kind.TRADE_UNION,
        founded_on=datetime.date(YEAR + 1, 2, 1),
    )
    factories.OrganisationRatingFactory(organisation=late, year=YEAR)
    field = f"rating_{late.pk}"
    response = client_a.post(url(enterprise_a), factories.return_form_data(**{field: "good"}))
    assert response.status_code == 200
    assert any(late.name in warning for warning in response.context["form"].warnings)

    cleared = client_a.post(url(enterprise_a), factories.return_form_data(**{field: ""}))
    assert cleared.status_code == 302
    assert not OrganisationRating.objects.exists()


def test_a_rating_for_another_enterprises_organisation_is_ignored(client_a, enterprise_a):
    other = factories.OrganisationFactory(kind=Organisation.Kind.TRADE_UNION)
    client_a.post(url(enterprise_a), factories.return_form_data(**{f"rating_{other.pk}": "good"}))
    assert AnnualReturn.objects.exists()
    assert not OrganisationRating.objects.exists()


def test_the_unique_enterprise_year_rule_is_checked_before_saving(enterprise_a):
    """The view sets the enterprise and year, so the ModelForm alone would skip the rule."""
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
    form = AnnualReturnForm(
        factories.return_form_data(),
        instance=AnnualReturn(enterprise=enterprise_a, year=YEAR),
        organisations=[],
    )
    assert not form.is_valid()
    assert "already has a return" in str(form.non_field_errors())


def test_a_race_on_creating_the_return_becomes_a_form_error(client_a, enterprise_a, monkeypatch):
    """Another official creates the return between the form's check and the insert."""

    def created_meanwhile(form):
        factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR, employees=77)
        return False

    monkeypatch.setattr(AnnualReturnForm, "_return_exists", created_meanwhile)
    response = client_a.post(url(enterprise_a), factories.return_form_data())
    assert response.status_code == 200
    assert "already has a return" in str(response.context["form"].non_field_errors())
    assert AnnualReturn.objects.get().employees == 77


def test_the_database_refuses_a_second_return_for_the_year(enterprise_a):
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
    with pytest.raises(IntegrityError):
        factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_outside_2000_to_2100_is_not_found(client_a, enterprise_a, year):
    assert client_a.get(url(enterprise_a, year)).status_code == 404


def test_a_year_not_yet_begun_or_before_the_founding_gets_a_clear_message(client_a, enterprise_a):
    future = client_a.get(url(enterprise_a, datetime.date.today().year + 1))
    assert future.status_code == 404
    assert "has not begun" in future.content.decode()
    before = client_a.get(url(enterprise_a, 2010))
    assert before.status_code == 404
    assert "was founded in 2015" in before.content.decode()
    assert client_a.post(url(enterprise_a, 2010), factories.return_form_data()).status_code == 404
    assert not AnnualReturn.objects.exists()


def _return_page_data(size: int, zone):
    """An enterprise with `size` organisations, ratings and history rows for its return."""
    enterprise = factories.EnterpriseFactory(zone=zone)
    kinds = list(Organisation.Kind.values)
    for index in range(size):
        organisation = factories.OrganisationFactory(
            enterprise=enterprise,
            kind=kinds[index % len(kinds)],
            dissolved_on=None if index < len(kinds) else datetime.date(YEAR, 6, 1 + index % 28),
            founded_on=datetime.date(2020, 1, 1),
        )
        factories.OrganisationRatingFactory(organisation=organisation, year=YEAR)
    annual_return = factories.AnnualReturnFactory(enterprise=enterprise, year=YEAR)
    for _ in range(size):
        annual_return.save()
    return enterprise


@pytest.mark.parametrize("size", [2, 12])
def test_the_form_page_query_count_does_not_grow(
    client_a, zone_a, size, django_assert_max_num_queries
):
    """Session, user, device, groups, zones, enterprise, return, organisations to rate, with
    PostgreSQL's savepoints and the session's update, last year's accepted figures, the year's
    calendar (then cached) and the return's timeline (its history); the review form adds
    nothing."""
    enterprise = _return_page_data(size, zone_a)
    with django_assert_max_num_queries(16):
        assert client_a.get(url(enterprise)).status_code == 200


def test_the_fields_render_like_djangos_templates(enterprise_a):
    """Lean widgets and labels (enterprises.forms), with values to escape and errors."""
    organisation = factories.OrganisationFactory(enterprise=enterprise_a, name='Chi bộ "<b>&')
    organisation.year_rating, organisation.active_in_year = None, False
    data = factories.return_form_data(employees="", explanation='"></textarea><script>')
    form = AnnualReturnForm(
        {**data, "seen_version": "x", f"rating_{organisation.pk}": "bogus"},
        instance=factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR),
        organisations=[organisation],
    )
    assert not form.is_valid()
    assert_renders_like_djangos_templates(form)
    assert_renders_like_djangos_templates(ReturnReviewForm({"action": "return"}))


@pytest.mark.django_db(transaction=True)
def test_the_form_shows_a_save_made_meanwhile(committed_groups, client, official_a, zone_a):
    """The page's return and organisations are cached until the next write: a save by
    someone else shows on the next visit (the data is committed, as another worker's)."""
    client.force_login(official_a)
    enterprise = factories.EnterpriseFactory(zone=zone_a)
    annual_return = factories.AnnualReturnFactory(enterprise=enterprise, year=YEAR, employees=120)
    assert client.get(url(enterprise)).context["form"]["employees"].value() == 120
    annual_return.employees = 130
    annual_return.save()
    organisation = factories.OrganisationFactory(enterprise=enterprise)
    form = client.get(url(enterprise)).context["form"]
    assert form["employees"].value() == 130
    assert form["seen_version"].value() == annual_return.version
    assert [o.pk for o in form.organisations] == [organisation.pk]


@pytest.mark.django_db(transaction=True)
def test_each_reader_gets_their_own_csrf_token_and_buttons(
    committed_groups, client, official_a, reviewer, zone_a
):
    """Each request gets its own CSRF token (a save with it goes through), officials the form,
    reviewers the review buttons."""
    enterprise = factories.EnterpriseFactory(zone=zone_a)
    factories.AnnualReturnFactory(enterprise=enterprise, year=YEAR, status="submitted")
    official = type(client)(enforce_csrf_checks=True)
    official.force_login(official_a)
    page = official.get(url(enterprise)).content.decode()
    posted = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert 'name="employees"' in page and 'value="accept"' not in page
    data = {**factories.return_form_data(employees=150), "seen_version": 1}
    assert (
        official.post(url(enterprise), {**data, "csrfmiddlewaretoken": posted}).status_code == 302
    )
    assert AnnualReturn.objects.get(enterprise=enterprise, year=YEAR).employees == 150

    client.force_login(reviewer)
    review_page = client.get(url(enterprise)).content.decode()
    assert 'value="accept"' in review_page and 'name="employees"' not in review_page
