"""Scope of the return pages: every address for every role. An official sees and changes only
the returns of their zones (anything else is a 404, whatever ID they type); reviewers and
administrators see all; anonymous users are sent to the login page. The queue's query count
does not grow with its rows."""

import pytest
from django.urls import reverse

from reviews.models import AnnualReturn

from . import factories

YEAR = 2024
PERSONAS = ("official_a", "official_b", "reviewer", "administrator", "anonymous")


@pytest.fixture
def submitted_a(enterprise_a):
    return factories.AnnualReturnFactory(
        enterprise=enterprise_a, year=YEAR, status=AnnualReturn.Status.SUBMITTED
    )


@pytest.fixture
def as_persona(request, client, official_a, official_b, reviewer, administrator):
    """The test client logged in as the persona named by the test's `persona` parameter."""
    persona = request.getfixturevalue("persona")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def _expect(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


READ = {"official_a": 200, "official_b": 404, "reviewer": 200, "administrator": 200}
WRITE = {"official_a": 302, "official_b": 404, "reviewer": 403, "administrator": 302}
REVIEW = {"official_a": 403, "official_b": 404, "reviewer": 302, "administrator": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_existing_return_page(as_persona, persona, submitted_a):
    response = as_persona.get(reverse("return_edit", args=[submitted_a.enterprise_id, YEAR]))
    _expect(response, READ.get(persona, "login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_page_of_a_return_not_yet_made(as_persona, persona, enterprise_a):
    response = as_persona.get(reverse("return_edit", args=[enterprise_a.pk, YEAR]))
    _expect(response, READ.get(persona, "login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_saving_a_return(as_persona, persona, submitted_a):
    url = reverse("return_edit", args=[submitted_a.enterprise_id, YEAR])
    data = factories.return_form_data(employees=333, seen_version=submitted_a.version)
    _expect(as_persona.post(url, data), WRITE.get(persona, "login"))
    submitted_a.refresh_from_db()
    assert (submitted_a.employees == 333) == (WRITE.get(persona) == 302)


@pytest.mark.parametrize("persona", PERSONAS)
def test_creating_a_return(as_persona, persona, enterprise_a):
    url = reverse("return_edit", args=[enterprise_a.pk, YEAR])
    _expect(as_persona.post(url, factories.return_form_data()), WRITE.get(persona, "login"))
    assert AnnualReturn.objects.exists() == (WRITE.get(persona) == 302)


@pytest.mark.parametrize("persona", PERSONAS)
def test_accepting_a_return(as_persona, persona, submitted_a):
    url = reverse("return_review", args=[submitted_a.enterprise_id, YEAR])
    data = {"action": "accept", "seen_version": submitted_a.version}
    _expect(as_persona.post(url, data), REVIEW.get(persona, "login"))
    submitted_a.refresh_from_db()
    accepted = submitted_a.status == AnnualReturn.Status.ACCEPTED
    assert accepted == (REVIEW.get(persona) == 302)


@pytest.mark.parametrize("persona", PERSONAS)
def test_returning_a_return(as_persona, persona, submitted_a):
    url = reverse("return_review", args=[submitted_a.enterprise_id, YEAR])
    data = {"action": "return", "seen_version": submitted_a.version, "return_reason": "Why?"}
    _expect(as_persona.post(url, data), REVIEW.get(persona, "login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_queue_lists_only_returns_in_scope(as_persona, persona, submitted_a, enterprise_b):
    factories.AnnualReturnFactory(enterprise=enterprise_b, year=YEAR)
    response = as_persona.get(reverse("return_list"))
    if persona == "anonymous":
        _expect(response, "login")
        return
    assert response.status_code == 200
    listed = {r.enterprise.name for r in response.context["page"].object_list}
    expected = {
        "official_a": {submitted_a.enterprise.name},
        "official_b": {enterprise_b.name},
    }.get(persona, {submitted_a.enterprise.name, enterprise_b.name})
    assert listed == expected


def test_an_official_typing_another_zones_ids_gets_404(client, official_a, enterprise_b):
    other = factories.AnnualReturnFactory(
        enterprise=enterprise_b, year=YEAR, status=AnnualReturn.Status.SUBMITTED
    )
    client.force_login(official_a)
    assert client.get(reverse("return_edit", args=[enterprise_b.pk, YEAR])).status_code == 404
    assert client.get(reverse("return_edit", args=[enterprise_b.pk, 2023])).status_code == 404
    assert client.get(reverse("return_edit", args=[999999, YEAR])).status_code == 404
    data = {"action": "return", "seen_version": other.version, "return_reason": "x"}
    assert (
        client.post(reverse("return_review", args=[enterprise_b.pk, YEAR]), data).status_code == 404
    )


def test_an_official_cannot_filter_the_queue_into_another_zone(client, official_a, enterprise_b):
    factories.AnnualReturnFactory(enterprise=enterprise_b, year=YEAR)
    client.force_login(official_a)
    response = client.get(reverse("return_list"), {"zone": enterprise_b.zone_id})
    assert not response.context["page"].object_list


def test_the_queue_puts_submitted_returns_first_and_filters(client, reviewer, zone_a, zone_b):
    park = factories.ZoneFactory(name="Park in A", code="A1", parent=zone_a)
    draft = factories.AnnualReturnFactory(enterprise__zone=zone_a, year=2024)
    submitted = factories.AnnualReturnFactory(
        enterprise__zone=park, year=2023, status=AnnualReturn.Status.SUBMITTED
    )
    elsewhere = factories.AnnualReturnFactory(
        enterprise__zone=zone_b, year=2023, status=AnnualReturn.Status.SUBMITTED
    )
    client.force_login(reviewer)

    def listed(**filters):
        response = client.get(reverse("return_list"), filters)
        return [r.pk for r in response.context["page"].object_list]

    assert listed()[:2] == sorted([submitted.pk, elsewhere.pk])
    assert listed()[-1] == draft.pk
    assert listed(zone=zone_a.pk) == [submitted.pk, draft.pk]
    assert listed(year=2024) == [draft.pk]
    assert listed(status="submitted", zone=zone_b.pk) == [elsewhere.pk]
    assert listed(year="not a year") == listed()


@pytest.mark.parametrize("size", [3, 30])
def test_the_queue_query_count_does_not_grow(
    client, reviewer, zone_a, size, django_assert_max_num_queries
):
    for index in range(size):
        factories.AnnualReturnFactory(
            enterprise__zone=zone_a,
            year=2020 + index % 5,
            status=AnnualReturn.Status.SUBMITTED if index % 2 else AnnualReturn.Status.ACCEPTED,
            submitted_by=reviewer,
            reviewed_by=reviewer,
        )
    client.force_login(reviewer)
    with django_assert_max_num_queries(15):  # 14, and the officials of the filter
        response = client.get(reverse("return_list"), {"zone": zone_a.pk})
    assert len(response.context["page"].object_list) == size
