"""No lost update: two people open the same enterprise or organisation; the second save is
refused with the first person's values shown, and nothing of the first is overwritten."""

import datetime

import pytest
from django.urls import reverse

from coordination.versioning import StaleEdit
from enterprises.services import update_enterprise, update_organisation

from . import factories


@pytest.fixture
def second_official(official_a, zone_a):
    user = factories.UserFactory(username="official_a2", first_name="Hoa", last_name="Trần")
    user.groups.set(official_a.groups.all())
    zone_a.officials.add(user)
    return user


def enterprise_post(enterprise, **changes) -> dict:
    data = {
        "name": enterprise.name,
        "tax_code": enterprise.tax_code,
        "zone": enterprise.zone_id,
        "ownership": enterprise.ownership,
        "status": enterprise.status,
        "founded_on": enterprise.founded_on.isoformat(),
        "seen_version": enterprise.version,
    }
    data.update(changes)
    return data


class TestServices:
    def test_a_stale_enterprise_update_is_refused_with_the_current_values(
        self, enterprise_a, official_a, second_official
    ):
        opened_at = enterprise_a.version
        update_enterprise(
            enterprise=enterprise_a,
            data={"phone": "111"},
            seen_version=opened_at,
            user=official_a,
        )
        stale_copy = type(enterprise_a).objects.get(pk=enterprise_a.pk)
        with pytest.raises(StaleEdit) as refused:
            update_enterprise(
                enterprise=stale_copy,
                data={"phone": "222"},
                seen_version=opened_at,
                user=second_official,
            )
        assert refused.value.current.phone == "111"
        enterprise_a.refresh_from_db()
        assert enterprise_a.phone == "111"
        assert enterprise_a.version == opened_at + 1
        assert enterprise_a.history.count() == 2

    def test_a_stale_organisation_update_is_refused(self, enterprise_a, official_a):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        update_organisation(
            organisation=organisation,
            data={"leader_name": "First"},
            seen_version=1,
            user=official_a,
        )
        with pytest.raises(StaleEdit):
            update_organisation(
                organisation=organisation,
                data={"dissolved_on": datetime.date(2024, 1, 1)},
                seen_version=1,
                user=official_a,
            )
        organisation.refresh_from_db()
        assert organisation.leader_name == "First"
        assert organisation.dissolved_on is None

    def test_the_version_is_never_taken_from_data(self, enterprise_a, official_a):
        with pytest.raises(ValueError):
            update_enterprise(
                enterprise=enterprise_a, data={"version": 9}, seen_version=1, user=official_a
            )


class TestEnterpriseForm:
    def test_the_second_save_shows_the_first_persons_values_and_overwrites_nothing(
        self, client, enterprise_a, official_a, second_official
    ):
        url = reverse("enterprise_edit", args=[enterprise_a.pk])
        client.force_login(official_a)
        client.post(url, enterprise_post(enterprise_a, phone="0214 111", address="Lô A1"))

        client.force_login(second_official)
        response = client.post(url, enterprise_post(enterprise_a, phone="0214 222"))

        assert response.status_code == 200
        content = response.content.decode()
        assert "Someone else saved this while you were editing" in content
        conflict = response.context["conflict"]
        assert conflict["by"] == official_a
        rows = {
            row["label"]: (row["before"], row["theirs"], row["yours"]) for row in conflict["rows"]
        }
        assert rows == {"Phone": ("", "0214 111", "0214 222"), "Address": ("", "Lô A1", "")}
        assert all(row["changed_by_them"] for row in conflict["rows"])
        enterprise_a.refresh_from_db()
        assert (enterprise_a.phone, enterprise_a.address) == ("0214 111", "Lô A1")
        assert enterprise_a.version == 2

    def test_it_tells_their_changes_from_mine(
        self, client, enterprise_a, official_a, second_official
    ):
        url = reverse("enterprise_edit", args=[enterprise_a.pk])
        client.force_login(official_a)
        client.post(url, enterprise_post(enterprise_a, phone="0214 111"))
        client.force_login(second_official)
        response = client.post(
            url, enterprise_post(enterprise_a, phone="0214 111", sector="Dệt may")
        )
        rows = response.context["conflict"]["rows"]
        assert [(row["label"], row["changed_by_them"]) for row in rows] == [
            ("Sector", False),
            ("Phone", True),
        ]

    def test_the_refused_form_keeps_the_input_and_a_new_save_is_a_knowing_one(
        self, client, enterprise_a, official_a, second_official
    ):
        url = reverse("enterprise_edit", args=[enterprise_a.pk])
        client.force_login(official_a)
        client.post(url, enterprise_post(enterprise_a, phone="0214 111"))
        client.force_login(second_official)
        response = client.post(url, enterprise_post(enterprise_a, phone="0214 222"))
        form = response.context["form"]
        assert form["phone"].value() == "0214 222"
        assert form["seen_version"].value() == 2

        client.post(url, enterprise_post(enterprise_a, phone="0214 222", seen_version=2))
        enterprise_a.refresh_from_db()
        assert enterprise_a.phone == "0214 222"


class TestOrganisationForms:
    def test_a_stale_organisation_edit_is_refused(self, client, enterprise_a, official_a):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a, leader_name="")
        url = reverse("organisation_edit", args=[organisation.pk])
        data = {
            "kind": "party",
            "form": "grassroots_cell",
            "name": organisation.name,
            "founded_on": "2020-01-01",
            "seen_version": 1,
        }
        client.force_login(official_a)
        client.post(url, {**data, "leader_name": "First"})
        response = client.post(url, {**data, "leader_name": "Second"})
        assert response.context["conflict"]["rows"] == [
            {
                "label": "Leader's name",
                "before": "",
                "theirs": "First",
                "yours": "Second",
                "changed_by_them": True,
            }
        ]
        organisation.refresh_from_db()
        assert organisation.leader_name == "First"

    def test_a_stale_dissolution_is_refused(self, client, enterprise_a, official_a):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        client.force_login(official_a)
        client.post(
            reverse("organisation_edit", args=[organisation.pk]),
            {
                "kind": "party",
                "form": "grassroots_committee",
                "name": "Renamed",
                "founded_on": "2020-01-01",
                "seen_version": 1,
                "explanation": "Approved",
            },
        )
        response = client.post(
            reverse("organisation_dissolve", args=[organisation.pk]),
            {"dissolved_on": "2024-05-01", "seen_version": 1},
        )
        assert "Someone else saved this" in response.content.decode()
        organisation.refresh_from_db()
        assert organisation.dissolved_on is None
        assert organisation.name == "Renamed"
