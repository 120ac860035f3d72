"""Founding, changing and dissolving organisations: hard rules at the field (one active of a
kind, dates in order, a form only for the party), soft founding thresholds as warnings that only
an explanation overrides, and never a delete."""

import datetime
from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse

from enterprises.models import Organisation, SuperiorBodyKind, likely_superior_kinds

from . import factories


def found_data(**overrides) -> dict:
    data = {
        "kind": "party",
        "form": "grassroots_cell",
        "name": "Chi bộ Công ty Điện tử",
        "founded_on": "2024-03-02",
    }
    data.update(overrides)
    return data


def edit_data(organisation, **overrides) -> dict:
    data = {
        "kind": organisation.kind,
        "form": organisation.form,
        "name": organisation.name,
        "founded_on": organisation.founded_on.isoformat(),
        "seen_version": organisation.version,
    }
    data.update(overrides)
    return data


@pytest.fixture
def client_a(client, official_a):
    client.force_login(official_a)
    return client


@pytest.fixture
def with_members(enterprise_a):
    """A return that clears every founding threshold."""
    return factories.AnnualReturnFactory(
        enterprise=enterprise_a, year=2023, party_members=8, union_members=80, youth_members=12
    )


def found(client, enterprise, **data):
    return client.post(reverse("organisation_create", args=[enterprise.pk]), found_data(**data))


class TestFound:
    def test_an_official_founds_an_organisation(self, client_a, enterprise_a, with_members):
        response = found(client_a, enterprise_a)
        organisation = Organisation.objects.get()
        assert response.url == reverse("enterprise_detail", args=[enterprise_a.pk])
        assert organisation.enterprise == enterprise_a
        assert organisation.founded_on == datetime.date(2024, 3, 2)

    def test_a_second_active_organisation_of_a_kind_is_refused_at_the_field(
        self, client_a, enterprise_a, with_members
    ):
        factories.OrganisationFactory(enterprise=enterprise_a, name="Chi bộ cũ")
        response = found(client_a, enterprise_a)
        assert response.context["form"].errors["kind"] == [
            "This enterprise already has an active organisation of this kind: Chi bộ cũ."
        ]
        assert Organisation.objects.count() == 1

    def test_a_new_one_may_follow_a_dissolved_one(self, client_a, enterprise_a, with_members):
        factories.OrganisationFactory(
            enterprise=enterprise_a, dissolved_on=datetime.date(2023, 12, 31)
        )
        found(client_a, enterprise_a)
        assert Organisation.objects.count() == 2

    def test_a_race_becomes_a_form_error(self, client_a, enterprise_a, with_members):
        race = IntegrityError(
            'duplicate key value violates unique constraint "organisation_one_active_per_kind"'
        )
        with mock.patch.object(Organisation, "save", side_effect=race):
            response = found(client_a, enterprise_a)
        assert response.status_code == 200
        assert response.context["form"].errors["kind"] == [
            "This enterprise already has an active organisation of this kind."
        ]

    def test_only_a_party_organisation_has_a_form(self, client_a, enterprise_a, with_members):
        response = found(client_a, enterprise_a, kind="trade_union", form="cell")
        assert response.context["form"].errors["form"] == ["Only a party organisation has a form."]
        response = found(client_a, enterprise_a, form="")
        assert response.context["form"].errors["form"] == [
            "Choose the form of the party organisation."
        ]

    def test_a_new_organisation_is_founded_active(self, client_a, enterprise_a, with_members):
        found(client_a, enterprise_a, dissolved_on="2025-01-01")
        assert Organisation.objects.get().dissolved_on is None

    def test_the_enterprise_comes_from_the_address_not_the_post(
        self, client_a, enterprise_a, enterprise_b, with_members
    ):
        client_a.post(
            reverse("organisation_create", args=[enterprise_a.pk]),
            found_data(enterprise=enterprise_b.pk, version=7),
        )
        organisation = Organisation.objects.get()
        assert organisation.enterprise == enterprise_a
        assert organisation.version == 1

    def test_a_reviewer_may_not_found(self, client, reviewer, enterprise_a):
        client.force_login(reviewer)
        assert found(client, enterprise_a).status_code == 404


class TestFoundingWarnings:
    @pytest.mark.parametrize(
        ("figures", "data", "warning"),
        [
            ({"party_members": 2, "new_party_members": 0}, {}, "at least 3 full party members"),
            ({"party_members": 35}, {}, "should be a grassroots party committee"),
            ({"party_members": 12}, {"form": "grassroots_committee"}, "30 or more members"),
            (
                {"union_members": 2, "employees": 4, "female_employees": 1},
                {"kind": "trade_union", "form": "", "name": "Công đoàn"},
                "at least 5 union members",
            ),
            (
                {"youth_members": 1},
                {"kind": "youth_union", "form": "", "name": "Chi đoàn"},
                "at least 3 members aged 16–30",
            ),
        ],
    )
    def test_a_threshold_below_the_rules_warns_and_needs_an_explanation(
        self, client_a, enterprise_a, figures, data, warning
    ):
        factories.AnnualReturnFactory(enterprise=enterprise_a, year=2023, **figures)
        response = found(client_a, enterprise_a, **data)
        form = response.context["form"]
        assert any(warning in text for text in form.warnings)
        assert "explanation" in form.errors
        assert not Organisation.objects.exists()
        assert warning in response.content.decode()

    def test_an_explanation_overrides_and_the_history_keeps_it(
        self, client_a, enterprise_a, official_a
    ):
        factories.AnnualReturnFactory(
            enterprise=enterprise_a, year=2023, party_members=2, new_party_members=0
        )
        found(client_a, enterprise_a, explanation="Exception granted by the Bloc's committee")
        organisation = Organisation.objects.get()
        record = organisation.history.get()
        assert record.history_change_reason == "Exception granted by the Bloc's committee"
        assert record.history_user == official_a

    def test_no_return_yet_warns_since_the_threshold_cannot_be_checked(
        self, client_a, enterprise_a
    ):
        form = found(client_a, enterprise_a).context["form"]
        assert form.warnings == [
            "A party organisation needs at least 3 full party members. No return shows this "
            "enterprise's figures yet."
        ]

    def test_women_and_veterans_have_no_threshold(self, client_a, enterprise_a):
        found(client_a, enterprise_a, kind="women_union", form="", name="Chi hội phụ nữ")
        found(client_a, enterprise_a, kind="veterans", form="", name="Chi hội CCB")
        assert Organisation.objects.count() == 2

    def test_editing_without_changing_kind_or_form_does_not_warn_again(
        self, client_a, enterprise_a
    ):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        response = client_a.post(
            reverse("organisation_edit", args=[organisation.pk]),
            edit_data(organisation, leader_name="Nguyễn Văn B"),
        )
        assert response.status_code == 302
        organisation.refresh_from_db()
        assert organisation.leader_name == "Nguyễn Văn B"


class TestChangeAndDissolve:
    def test_changing_an_organisation(self, client_a, enterprise_a, with_members):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        response = client_a.post(
            reverse("organisation_edit", args=[organisation.pk]),
            edit_data(
                organisation,
                name="Đảng bộ cơ sở",
                form="grassroots_committee",
                explanation="Committee approved in 2024",
            ),
            follow=True,
        )
        organisation.refresh_from_db()
        assert organisation.form == "grassroots_committee"
        assert organisation.version == 2
        assert "Organisation “Đảng bộ cơ sở” saved." in response.content.decode()

    def test_dissolving_sets_the_date_and_keeps_the_organisation(self, client_a, enterprise_a):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        response = client_a.post(
            reverse("organisation_dissolve", args=[organisation.pk]),
            {"dissolved_on": "2024-06-30", "seen_version": 1},
            follow=True,
        )
        organisation.refresh_from_db()
        assert organisation.dissolved_on == datetime.date(2024, 6, 30)
        assert "dissolved on 30/06/2024" in response.content.decode()
        assert organisation.history.count() == 2

    def test_dissolving_needs_a_date_not_before_the_founding(self, client_a, enterprise_a):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        url = reverse("organisation_dissolve", args=[organisation.pk])
        assert "dissolved_on" in client_a.post(url, {"seen_version": 1}).context["form"].errors
        errors = (
            client_a.post(url, {"dissolved_on": "2019-01-01", "seen_version": 1})
            .context["form"]
            .errors
        )
        assert errors["dissolved_on"] == [
            "The dissolution date cannot be before the founding date (01/01/2020)."
        ]

    def test_dissolving_before_founding_is_refused_in_the_edit_form(self, client_a, enterprise_a):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        response = client_a.post(
            reverse("organisation_edit", args=[organisation.pk]),
            edit_data(organisation, dissolved_on="2019-12-31"),
        )
        assert response.context["form"].errors["dissolved_on"] == [
            "The dissolution date cannot be before the founding date."
        ]

    def test_reactivating_is_refused_while_another_is_active(self, client_a, enterprise_a):
        old = factories.OrganisationFactory(
            enterprise=enterprise_a, dissolved_on=datetime.date(2022, 1, 1), name="Old"
        )
        factories.OrganisationFactory(enterprise=enterprise_a, name="New")
        response = client_a.post(
            reverse("organisation_edit", args=[old.pk]), edit_data(old, dissolved_on="")
        )
        assert "kind" in response.context["form"].errors

    def test_another_zones_organisation_is_a_404(self, client_a, enterprise_b):
        organisation = factories.OrganisationFactory(enterprise=enterprise_b)
        for name in ("organisation_edit", "organisation_dissolve"):
            response = client_a.post(
                reverse(name, args=[organisation.pk]), {"dissolved_on": "2024-01-01"}
            )
            assert response.status_code == 404
        organisation.refresh_from_db()
        assert organisation.dissolved_on is None


class TestDatesNotInFuture:
    def test_a_founding_date_in_the_future_is_refused(self, client_a, enterprise_a, with_members):
        tomorrow = datetime.date.today() + datetime.timedelta(days=1)
        response = found(client_a, enterprise_a, founded_on=tomorrow.isoformat())
        assert "founded_on" in response.context["form"].errors
        assert "future" in response.context["form"].errors["founded_on"][0]
        assert not Organisation.objects.exists()

    def test_today_is_accepted(self, client_a, enterprise_a, with_members):
        found(client_a, enterprise_a, founded_on=datetime.date.today().isoformat())
        assert Organisation.objects.get().founded_on == datetime.date.today()

    def test_a_dissolution_date_in_the_future_is_refused(self, client_a, enterprise_a):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        response = client_a.post(
            reverse("organisation_edit", args=[organisation.pk]),
            edit_data(organisation, dissolved_on="2100-01-01", superior_body_since=""),
        )
        assert "dissolved_on" in response.context["form"].errors
        organisation.refresh_from_db()
        assert organisation.dissolved_on is None


class TestSuperiorBodies:
    @pytest.fixture
    def bodies(self, db):
        return {
            "committee": factories.BodyFactory(name="Đảng ủy Khối"),
            "peoples_committee": factories.BodyFactory(
                name="UBND tỉnh", kind="state_agency", superior_kinds=[]
            ),
            "federation": factories.BodyFactory(
                name="Liên đoàn Lao động tỉnh", kind="mass_organisation", superior_kinds=[]
            ),
        }

    def offered(self, response) -> set[str]:
        return {body.name for body in response.context["form"].fields["superior_body"].queryset}

    def test_a_party_organisation_is_offered_only_party_committees(
        self, client_a, enterprise_a, bodies
    ):
        url = reverse("organisation_create", args=[enterprise_a.pk])
        assert self.offered(client_a.get(url + "?kind=party")) == {"Đảng ủy Khối"}

    def test_a_union_is_offered_the_bodies_allowed_in_the_admin(
        self, client_a, enterprise_a, bodies
    ):
        SuperiorBodyKind.objects.create(body=bodies["federation"], kind="trade_union")
        url = reverse("organisation_create", args=[enterprise_a.pk])
        assert self.offered(client_a.get(url + "?kind=trade_union")) == {"Liên đoàn Lao động tỉnh"}

    def test_before_a_kind_is_chosen_the_bodies_are_grouped_by_kind(
        self, client_a, enterprise_a, bodies
    ):
        SuperiorBodyKind.objects.create(body=bodies["federation"], kind="trade_union")
        page = client_a.get(reverse("organisation_create", args=[enterprise_a.pk])).text
        select = page[
            page.index('name="superior_body"') : page.index(
                "</select>", page.index('name="superior_body"')
            )
        ]
        assert '<optgroup label="Party organisation">' in select
        assert '<optgroup label="Trade union">' in select
        assert f">{bodies['peoples_committee']}<" not in select
        party = select[select.index("Party organisation") : select.index("Trade union")]
        assert f">{bodies['committee']}<" in party
        assert f">{bodies['federation']}<" not in party

    def test_a_body_not_allowed_for_the_kind_is_refused_at_the_field(
        self, client_a, enterprise_a, with_members, bodies
    ):
        response = found(client_a, enterprise_a, superior_body=bodies["peoples_committee"].pk)
        assert "superior_body" in response.context["form"].errors
        assert not Organisation.objects.exists()
        found(client_a, enterprise_a, superior_body=bodies["committee"].pk)
        assert Organisation.objects.get().superior_body == bodies["committee"]

    def test_an_organisation_keeps_the_superior_body_it_has(self, client_a, enterprise_a, bodies):
        organisation = factories.OrganisationFactory(
            enterprise=enterprise_a, superior_body=bodies["peoples_committee"]
        )
        url = reverse("organisation_edit", args=[organisation.pk])
        assert "UBND tỉnh" in self.offered(client_a.get(url))


@pytest.mark.parametrize(
    ("body_kind", "name", "kinds"),
    [
        ("party_committee", "Đảng ủy Khối", ["party"]),
        ("state_agency", "Ban Quản lý Khu kinh tế tỉnh", []),
        ("mass_organisation", "Liên đoàn Lao động tỉnh - Công đoàn ngành", ["trade_union"]),
        ("mass_organisation", "Tỉnh đoàn Lào Cai", ["youth_union"]),
        ("mass_organisation", "Hội Liên hiệp Phụ nữ tỉnh", ["women_union"]),
        ("mass_organisation", "Hội Cựu chiến binh tỉnh", ["veterans"]),
    ],
)
def test_bodies_start_from_the_kinds_their_kind_and_name_suggest(body_kind, name, kinds):
    assert likely_superior_kinds(body_kind=body_kind, name=name) == kinds
