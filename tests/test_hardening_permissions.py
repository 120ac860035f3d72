"""Issue 12, item 8: the Officials group held admin model permissions that ignore zones. Made
staff, an official listed and changed other zones' returns in the admin. The admin is for
administrators: officials hold no model permission, reviewers only view permissions (a data
migration). The second factor the admin asks for is in tests/test_hardening_two_factor.py."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from coordination.roles import ADMINISTRATORS, OFFICIALS, REVIEWERS

from . import factories

pytestmark = pytest.mark.django_db


def codenames(group_name: str) -> set[str]:
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_officials_hold_no_model_permission():
    assert codenames(OFFICIALS) == set()


def test_reviewers_hold_view_permissions_only():
    permissions = codenames(REVIEWERS)
    assert {"view_annualreturn", "view_programmereview", "view_enterprise"} <= permissions
    assert {name for name in permissions if not name.startswith("view_")} == set()


def test_administrators_keep_theirs():
    assert {"change_annualreturn", "add_programmereview", "change_accessattempt"} <= codenames(
        ADMINISTRATORS
    )


@pytest.fixture
def staff_official(client, official_a):
    official_a.is_staff = True
    official_a.save()
    client.force_login(official_a)
    return client


def test_an_official_made_staff_sees_no_returns_in_the_admin(staff_official, enterprise_b):
    """The attacker's case: another zone's return, listed and changed through the admin."""
    annual_return = factories.AnnualReturnFactory(enterprise=enterprise_b, year=2024)
    assert staff_official.get(reverse("admin:reviews_annualreturn_changelist")).status_code == 403
    change = reverse("admin:reviews_annualreturn_change", args=[annual_return.pk])
    assert staff_official.post(change, {"employees": 1}).status_code == 403
    assert staff_official.get(reverse("admin:enterprises_enterprise_changelist")).status_code == 403


def test_an_official_made_staff_finds_nothing_to_do_in_the_admin(staff_official):
    response = staff_official.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []


def test_a_reviewer_made_staff_may_look_but_not_change(client, reviewer, enterprise_a):
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    annual_return = factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024)
    change = reverse("admin:reviews_annualreturn_change", args=[annual_return.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.post(change, {"employees": 1}).status_code == 403
