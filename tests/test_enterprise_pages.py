"""The enterprise page (data, organisations, returns by year, hints from the rules) and its
history page (who changed which field from what to what, when)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Organisation
from enterprises.services import update_enterprise, update_organisation

from . import factories


def detail(client, enterprise):
    return client.get(reverse("enterprise_detail", args=[enterprise.pk]))


@pytest.fixture
def client_a(client, official_a):
    client.force_login(official_a)
    return client


class TestEnterprisePage:
    def test_it_shows_the_enterprises_data(self, client_a, enterprise_a):
        content = detail(client_a, enterprise_a).content.decode()
        assert enterprise_a.name in content
        assert enterprise_a.tax_code in content
        assert "Domestic private" in content

    def test_it_lists_active_and_dissolved_organisations_with_actions(self, client_a, enterprise_a):
        active = factories.OrganisationFactory(enterprise=enterprise_a, name="Chi bộ A")
        old = factories.OrganisationFactory(
            enterprise=enterprise_a,
            kind="trade_union",
            name="Công đoàn cũ",
            dissolved_on=datetime.date(2021, 5, 1),
        )
        response = detail(client_a, enterprise_a)
        assert response.context["organisations"] == [(active, False), (old, True)]
        content = response.content.decode()
        assert reverse("organisation_edit", args=[active.pk]) in content
        assert reverse("organisation_dissolve", args=[active.pk]) in content
        assert reverse("organisation_dissolve", args=[old.pk]) not in content
        assert reverse("organisation_create", args=[enterprise_a.pk]) in content

    def test_a_reader_gets_no_write_links(self, client, reviewer, enterprise_a):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        client.force_login(reviewer)
        content = detail(client, enterprise_a).content.decode()
        assert reverse("enterprise_edit", args=[enterprise_a.pk]) not in content
        assert reverse("organisation_edit", args=[organisation.pk]) not in content
        assert reverse("organisation_create", args=[enterprise_a.pk]) not in content

    def test_returns_are_listed_year_by_year_with_the_programme_years(self, client_a, enterprise_a):
        factories.ProgrammeFactory(start_year=2023, end_year=2025)
        factories.AnnualReturnFactory(enterprise=enterprise_a, year=2022, status="accepted")
        factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024, status="submitted")
        response = detail(client_a, enterprise_a)
        years = [(row.year, row.annual_return) for row in response.context["return_years"]]
        assert [year for year, _ in years] == [2025, 2024, 2023, 2022]
        assert [r.status if r else None for _, r in years] == [None, "submitted", None, "accepted"]
        content = response.content.decode()
        for year in (2022, 2023, 2024, 2025):
            assert f"/enterprises/{enterprise_a.pk}/returns/{year}/" in content

    @pytest.mark.parametrize(
        ("figures", "organisations", "hint"),
        [
            ({"party_members": 3}, [], "a party cell can be founded"),
            ({"party_members": 2, "new_party_members": 0}, ["party"], "needs at least 3"),
            ({"party_members": 31}, ["party"], "can become a grassroots party committee"),
            (
                {"union_members": 0, "employees": 12, "female_employees": 5},
                [],
                "no trade union: one can be founded",
            ),
            ({"youth_members": 4}, [], "a youth cell can be founded"),
        ],
    )
    def test_hints_from_the_latest_return(
        self, client_a, enterprise_a, figures, organisations, hint
    ):
        values = {"party_members": 0, "new_party_members": 0, "union_members": 0, **figures}
        factories.AnnualReturnFactory(enterprise=enterprise_a, year=2023, **values)
        for kind in organisations:
            factories.OrganisationFactory(enterprise=enterprise_a, kind=kind)
        hints = " ".join(detail(client_a, enterprise_a).context["hints"])
        assert hint in hints

    def test_no_hint_when_the_organisations_exist(self, client_a, enterprise_a):
        factories.AnnualReturnFactory(
            enterprise=enterprise_a, year=2023, party_members=5, union_members=80, youth_members=0
        )
        factories.OrganisationFactory(enterprise=enterprise_a, kind="party")
        factories.OrganisationFactory(enterprise=enterprise_a, kind="trade_union")
        assert detail(client_a, enterprise_a).context["hints"] == []

    @pytest.mark.parametrize("count", [1, 12])
    def test_the_query_count_does_not_grow_with_organisations_and_returns(
        self, client_a, enterprise_a, count, django_assert_max_num_queries
    ):
        factories.ProgrammeFactory(start_year=2023, end_year=2025)
        for number in range(count):
            factories.OrganisationFactory(
                enterprise=enterprise_a,
                kind="party",
                founded_on=datetime.date(2000 + number, 1, 1),
                dissolved_on=datetime.date(2000 + number, 6, 1),
                superior_body=factories.BodyFactory(),
            )
            factories.AnnualReturnFactory(enterprise=enterprise_a, year=2010 + number)
        with django_assert_max_num_queries(14):
            assert detail(client_a, enterprise_a).status_code == 200


@pytest.mark.django_db(transaction=True)
class TestCachedPage:
    """The page but for its frame is cached per enterprise, language, day and whether the
    viewer may write there, until the next write (the data is committed here, as another
    worker's save would be: inside a transaction that wrote, nothing is cached)."""

    @pytest.fixture
    def client_a(self, committed_groups, client, official_a):
        client.force_login(official_a)
        return client

    def test_a_write_shows_at_once(self, client_a, enterprise_a):
        assert "Chi bộ mới" not in detail(client_a, enterprise_a).content.decode()
        factories.OrganisationFactory(enterprise=enterprise_a, name="Chi bộ mới")
        factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024, employees=4321)
        content = detail(client_a, enterprise_a).content.decode()
        assert "Chi bộ mới" in content
        assert "4321" in content

    def test_readers_and_writers_get_their_own_page(self, client_a, client, reviewer, enterprise_a):
        edit = reverse("enterprise_edit", args=[enterprise_a.pk])
        assert edit in detail(client_a, enterprise_a).content.decode()
        reader = type(client)()
        reader.force_login(reviewer)
        assert edit not in detail(reader, enterprise_a).content.decode()
        assert edit in detail(client_a, enterprise_a).content.decode()

    def test_it_follows_the_language(self, client_a, enterprise_a):
        english = detail(client_a, enterprise_a).content.decode()
        client_a.cookies["django_language"] = "vi"
        vietnamese = detail(client_a, enterprise_a).content.decode()
        assert "Registration" in english
        assert "Registration" not in vietnamese


class TestHistoryPage:
    def test_it_shows_who_changed_which_field_from_what_to_what(
        self, client_a, official_a, enterprise_a, zone_a
    ):
        park = factories.ZoneFactory(name="Park inside", code="A9", parent=zone_a)
        official_a.first_name, official_a.last_name = "Lan", "Nguyễn"
        official_a.save()
        update_enterprise(
            enterprise=enterprise_a,
            data={"phone": "0214 3840 111", "zone": park, "ownership": "fdi"},
            seen_version=enterprise_a.version,
            user=official_a,
        )
        response = client_a.get(reverse("enterprise_history", args=[enterprise_a.pk]))
        latest = response.context["entries"][0]
        assert latest.who == official_a
        assert not latest.created
        changes = {change.label: (change.old, change.new) for change in latest.changes}
        assert changes == {
            "phone": ("", "0214 3840 111"),
            "zone": ("Zone A", "Park inside"),
            "ownership": ("Domestic private", "Foreign-invested (FDI)"),
        }
        content = response.content.decode()
        assert "Lan Nguyễn" in content
        assert "Park inside" in content

    def test_it_includes_the_organisations_and_their_explanations(
        self, client_a, official_a, enterprise_a
    ):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a, name="Chi bộ")
        update_organisation(
            organisation=organisation,
            data={"dissolved_on": datetime.date(2024, 3, 1)},
            seen_version=organisation.version,
            user=official_a,
            explanation="Merged into the park's cell",
        )
        entries = client_a.get(reverse("enterprise_history", args=[enterprise_a.pk])).context[
            "entries"
        ]
        dissolved = entries[0]
        assert dissolved.subject == "Chi bộ"
        assert dissolved.reason == "Merged into the park's cell"
        assert [(c.label, c.old, c.new) for c in dissolved.changes] == [
            ("dissolved on", "", datetime.date(2024, 3, 1))
        ]
        assert {entry.subject for entry in entries if entry.created} == {
            "Chi bộ",
            enterprise_a.name,
        }

    @pytest.mark.parametrize("changes", [1, 15])
    def test_the_query_count_does_not_grow_with_history(
        self, client, reviewer, official_a, enterprise_a, changes, django_assert_max_num_queries
    ):
        """Zones and bodies named in the history are looked up once, not per change."""
        organisation = factories.OrganisationFactory(
            enterprise=enterprise_a, superior_body=factories.BodyFactory()
        )
        for number in range(changes):
            enterprise_a = update_enterprise(
                enterprise=enterprise_a,
                data={"notes": f"call {number}", "zone": factories.ZoneFactory()},
                seen_version=enterprise_a.version,
                user=official_a,
            )
            organisation = update_organisation(
                organisation=organisation,
                data={"leader_name": f"Leader {number}"},
                seen_version=organisation.version,
                user=official_a,
            )
        client.force_login(reviewer)
        with django_assert_max_num_queries(14):
            response = client.get(reverse("enterprise_history", args=[enterprise_a.pk]))
        assert len(response.context["entries"]) == 2 + 2 * changes


def test_an_organisation_dissolving_later_is_still_current(client_a, enterprise_a):
    """An organisation with a dissolution date in the future still counts today."""
    later = timezone.localdate() + datetime.timedelta(days=30)
    organisation = factories.OrganisationFactory(enterprise=enterprise_a, dissolved_on=later)
    response = detail(client_a, enterprise_a)
    assert response.context["organisations"] == [(organisation, False)]
    assert Organisation.objects.get(pk=organisation.pk).is_active_on(timezone.localdate())
