"""Every address of the enterprise pages for every role: officials see and change only their
zones (anything else is a 404), reviewers read everything and change nothing (the pages that
only add enterprises answer them 403), administrators do everything, and anonymous people are
sent to the login page."""

import pytest
from django.urls import reverse

from . import factories

OK, FORBIDDEN, MISSING = 200, 403, 404


@pytest.fixture
def objects(enterprise_a, enterprise_b, zone_a):
    """Zone A's enterprise with an organisation: what the table below is about."""
    return {
        "enterprise": enterprise_a,
        "organisation": factories.OrganisationFactory(enterprise=enterprise_a),
        "zone": zone_a,
    }


def address(name: str, objects) -> str:
    target = {
        "enterprise_list": None,
        "enterprise_create": None,
        "enterprise_import": None,
        "zone_list": None,
        "enterprise_detail": "enterprise",
        "enterprise_edit": "enterprise",
        "enterprise_history": "enterprise",
        "organisation_create": "enterprise",
        "organisation_edit": "organisation",
        "organisation_dissolve": "organisation",
        "zone_detail": "zone",
    }[name]
    return reverse(name, args=[objects[target].pk] if target else [])


# Status of a GET by each role, for zone A's objects.
EXPECTED = {
    #                        official_a official_b reviewer administrator
    "enterprise_list": (OK, OK, OK, OK),
    "enterprise_create": (OK, OK, FORBIDDEN, OK),
    "enterprise_import": (OK, OK, FORBIDDEN, OK),
    "zone_list": (OK, OK, OK, OK),
    "enterprise_detail": (OK, MISSING, OK, OK),
    "enterprise_history": (OK, MISSING, OK, OK),
    "enterprise_edit": (OK, MISSING, MISSING, OK),
    "organisation_create": (OK, MISSING, MISSING, OK),
    "organisation_edit": (OK, MISSING, MISSING, OK),
    "organisation_dissolve": (OK, MISSING, MISSING, OK),
    "zone_detail": (OK, MISSING, OK, OK),
}
ROLES = ("official_a", "official_b", "reviewer", "administrator")


@pytest.mark.parametrize("name", EXPECTED)
@pytest.mark.parametrize("role", ROLES)
def test_every_address_for_every_role(client, request, objects, name, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(address(name, objects))
    assert response.status_code == EXPECTED[name][ROLES.index(role)]


@pytest.mark.parametrize("name", EXPECTED)
def test_anonymous_people_are_sent_to_log_in(client, objects, name):
    url = address(name, objects)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


WRITES = ["enterprise_edit", "organisation_create", "organisation_edit", "organisation_dissolve"]


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize("role", ["official_b", "reviewer"])
def test_a_post_outside_the_scope_is_a_404_and_changes_nothing(
    client, request, objects, name, role
):
    client.force_login(request.getfixturevalue(role))
    enterprise, organisation = objects["enterprise"], objects["organisation"]
    data = {
        "name": "Taken over",
        "tax_code": enterprise.tax_code,
        "zone": enterprise.zone_id,
        "ownership": "fdi",
        "status": "closed",
        "kind": "veterans",
        "founded_on": "2021-01-01",
        "dissolved_on": "2024-01-01",
        "seen_version": 1,
    }
    assert client.post(address(name, objects), data).status_code == MISSING
    enterprise.refresh_from_db()
    organisation.refresh_from_db()
    assert enterprise.name != "Taken over"
    assert organisation.dissolved_on is None
    assert enterprise.organisations.count() == 1


def test_the_list_and_its_exports_hide_other_zones(client, official_b, objects, enterprise_b):
    client.force_login(official_b)
    for params in ({}, {"_export": "csv"}, {"q": "dien tu"}, {"zone": objects["zone"].pk}):
        response = client.get(reverse("enterprise_list"), params)
        content = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert objects["enterprise"].name not in content
        assert objects["enterprise"].tax_code not in content


@pytest.mark.usefixtures("committed_groups")
def test_a_cached_enterprise_is_still_shown_only_within_scope(
    client, official_a, official_b, enterprise_a
):
    """Pages read an enterprise from the cache (committed data, so it is cached): the scope is
    checked on every request, and a move to another zone shows at once."""
    url = reverse("enterprise_detail", args=[enterprise_a.pk])
    client.force_login(official_a)
    assert client.get(url).status_code == OK
    assert client.get(url).status_code == OK
    client.force_login(official_b)
    assert client.get(url).status_code == MISSING
    enterprise_a.zone = official_b.official_zones.get()
    enterprise_a.save()
    assert client.get(url).status_code == OK
    client.force_login(official_a)
    assert client.get(url).status_code == MISSING
