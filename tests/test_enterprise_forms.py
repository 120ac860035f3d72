"""Creating and editing enterprises: hard rules at the field, zones limited to the writer's,
no field the user may not set, and a race on the tax code becomes a form error."""

from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse

from enterprises.models import Enterprise

from . import factories

CREATE = reverse("enterprise_create")


def form_data(zone, **overrides) -> dict:
    data = {
        "name": "Công ty TNHH Thép Việt",
        "tax_code": "5300123456",
        "zone": zone.pk,
        "ownership": "private",
        "status": "operating",
        "founded_on": "2019-04-01",
    }
    data.update(overrides)
    return data


def edit_data(enterprise, **overrides) -> dict:
    data = form_data(
        enterprise.zone,
        name=enterprise.name,
        tax_code=enterprise.tax_code,
        seen_version=enterprise.version,
    )
    data.update(overrides)
    return data


@pytest.fixture
def client_a(client, official_a):
    client.force_login(official_a)
    return client


class TestCreate:
    def test_an_official_creates_an_enterprise_in_their_zone(self, client_a, zone_a, official_a):
        response = client_a.post(CREATE, form_data(zone_a), follow=True)
        enterprise = Enterprise.objects.get(tax_code="5300123456")
        assert enterprise.zone == zone_a
        assert enterprise.search_text.startswith("cong ty tnhh thep viet")
        assert enterprise.history.get().history_user == official_a
        assert response.redirect_chain[-1][0] == reverse("enterprise_detail", args=[enterprise.pk])
        assert "Enterprise “Công ty TNHH Thép Việt” created." in response.content.decode()

    def test_the_zone_choices_are_the_zones_the_user_may_write(self, client_a, zone_a, zone_b):
        park = factories.ZoneFactory(code="A-P", parent=zone_a)
        choices = set(client_a.get(CREATE).context["form"].fields["zone"].queryset)
        assert choices == {zone_a, park}

    def test_a_zone_outside_the_scope_is_refused(self, client_a, zone_b):
        response = client_a.post(CREATE, form_data(zone_b))
        assert "zone" in response.context["form"].errors
        assert not Enterprise.objects.exists()

    @pytest.mark.parametrize(
        "tax_code", ["530012345", "53001234567", "5300A23456", "5300123456-01", "5300123456/001"]
    )
    def test_a_tax_code_of_the_wrong_shape_is_refused_at_the_field(
        self, client_a, zone_a, tax_code
    ):
        response = client_a.post(CREATE, form_data(zone_a, tax_code=tax_code))
        assert response.context["form"].errors["tax_code"] == [
            "A tax code is 10 digits, or 10 digits, a dash and 3 digits for a branch."
        ]

    def test_a_branch_tax_code_is_accepted(self, client_a, zone_a):
        client_a.post(CREATE, form_data(zone_a, tax_code="5300123456-001"))
        assert Enterprise.objects.filter(tax_code="5300123456-001").exists()

    def test_a_tax_code_already_registered_is_refused(self, client_a, zone_a, enterprise_b):
        response = client_a.post(CREATE, form_data(zone_a, tax_code=enterprise_b.tax_code))
        assert response.context["form"].errors["tax_code"] == [
            "Another enterprise already has this tax code."
        ]

    def test_closing_before_founding_is_refused_at_the_field(self, client_a, zone_a):
        response = client_a.post(
            CREATE, form_data(zone_a, founded_on="2020-01-01", closed_on="2019-12-31")
        )
        assert response.context["form"].errors["closed_on"] == [
            "The closing date cannot be before the founding date."
        ]

    def test_a_race_on_the_tax_code_becomes_a_form_error(self, client_a, zone_a):
        """Two people create the same tax code at once: the loser's save raises IntegrityError."""
        race = IntegrityError('duplicate key value violates unique constraint "tax_code_key"')
        with mock.patch.object(Enterprise, "save", side_effect=race):
            response = client_a.post(CREATE, form_data(zone_a))
        assert response.status_code == 200
        assert response.context["form"].errors["tax_code"] == [
            "Another enterprise already has this tax code."
        ]

    def test_a_reviewer_may_not_create(self, client, reviewer, zone_a):
        client.force_login(reviewer)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, form_data(zone_a)).status_code == 403
        assert not Enterprise.objects.exists()


class TestEdit:
    def url(self, enterprise):
        return reverse("enterprise_edit", args=[enterprise.pk])

    def test_an_official_edits_and_sees_a_message(self, client_a, enterprise_a):
        response = client_a.post(
            self.url(enterprise_a), edit_data(enterprise_a, phone="0214 3830 000"), follow=True
        )
        enterprise_a.refresh_from_db()
        assert enterprise_a.phone == "0214 3830 000"
        assert enterprise_a.version == 2
        assert "saved" in response.content.decode()

    def test_the_form_carries_the_version_it_was_opened_at(self, client_a, enterprise_a):
        content = client_a.get(self.url(enterprise_a)).content.decode()
        assert '<input type="hidden" name="seen_version" value="1"' in content
        assert 'name="version"' not in content

    def test_a_posted_version_or_search_text_is_ignored(self, client_a, enterprise_a):
        client_a.post(
            self.url(enterprise_a),
            edit_data(enterprise_a, version=99, search_text="hacked", notes="x"),
        )
        enterprise_a.refresh_from_db()
        assert enterprise_a.version == 2
        assert "hacked" not in enterprise_a.search_text

    def test_the_search_text_follows_the_name(self, client_a, enterprise_a):
        client_a.post(self.url(enterprise_a), edit_data(enterprise_a, name="Nhà máy Đồng Lào Cai"))
        enterprise_a.refresh_from_db()
        assert "nha may dong lao cai" in enterprise_a.search_text

    def test_an_official_cannot_move_an_enterprise_out_of_their_zones(
        self, client_a, enterprise_a, zone_b
    ):
        response = client_a.post(self.url(enterprise_a), edit_data(enterprise_a, zone=zone_b.pk))
        assert "zone" in response.context["form"].errors
        enterprise_a.refresh_from_db()
        assert enterprise_a.zone != zone_b

    def test_an_administrator_edits_anywhere(self, client, administrator, enterprise_b):
        client.force_login(administrator)
        client.post(
            reverse("enterprise_edit", args=[enterprise_b.pk]),
            edit_data(enterprise_b, status="suspended"),
        )
        enterprise_b.refresh_from_db()
        assert enterprise_b.status == "suspended"

    def test_a_reviewer_may_not_edit(self, client, reviewer, enterprise_a):
        client.force_login(reviewer)
        response = client.post(self.url(enterprise_a), edit_data(enterprise_a, name="x"))
        assert response.status_code == 404
        enterprise_a.refresh_from_db()
        assert enterprise_a.name != "x"

    def test_every_input_has_a_label(self, client_a, enterprise_a):
        form = client_a.get(self.url(enterprise_a)).context["form"]
        content = client_a.get(self.url(enterprise_a)).content.decode()
        for field in form.visible_fields():
            assert f'<label for="{field.auto_id}"' in content
