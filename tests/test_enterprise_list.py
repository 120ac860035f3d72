"""The enterprise list: search without diacritics, every filter, sorting, paging with the filters
kept, and a query count that does not grow with the rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise, Organisation
from reviews.models import AnnualReturn

from . import factories

URL = reverse("enterprise_list")


def names(response) -> set[str]:
    return {row.record.name for row in response.context["table"].paginated_rows}


@pytest.fixture
def client_a(client, official_a):
    client.force_login(official_a)
    return client


@pytest.fixture
def admin_client_(client, administrator):
    client.force_login(administrator)
    return client


class TestSearch:
    def test_it_finds_vietnamese_names_typed_without_diacritics(self, client_a, enterprise_a):
        assert names(client_a.get(URL, {"q": "dien tu"})) == {enterprise_a.name}

    def test_it_ignores_case_and_the_d_with_stroke(self, admin_client_, enterprise_a, enterprise_b):
        assert names(admin_client_.get(URL, {"q": "DUONG"})) == {enterprise_b.name}

    def test_it_matches_words_in_any_order(self, client_a, enterprise_a):
        assert names(client_a.get(URL, {"q": "duyen hai dien"})) == {enterprise_a.name}

    def test_it_finds_by_tax_code(self, admin_client_, enterprise_a, enterprise_b):
        assert names(admin_client_.get(URL, {"q": enterprise_b.tax_code[-6:]})) == {
            enterprise_b.name
        }

    def test_a_search_that_matches_nothing_says_so(self, client_a, enterprise_a):
        response = client_a.get(URL, {"q": "không có"})
        assert names(response) == set()
        assert "No enterprise matches these filters." in response.content.decode()


class TestScope:
    def test_an_official_lists_only_their_zones(self, client_a, enterprise_a, enterprise_b):
        assert names(client_a.get(URL)) == {enterprise_a.name}

    def test_a_reviewer_lists_every_zone(self, client, reviewer, enterprise_a, enterprise_b):
        client.force_login(reviewer)
        assert names(client.get(URL)) == {enterprise_a.name, enterprise_b.name}

    def test_a_zone_outside_the_officials_scope_is_refused(
        self, client_a, zone_b, enterprise_a, enterprise_b
    ):
        response = client_a.get(URL, {"zone": zone_b.pk})
        assert names(response) == set()
        assert response.context["filterset"].errors


class TestFilters:
    YEAR = 2024

    @pytest.fixture
    def park(self, zone_a):
        return factories.ZoneFactory(name="Park in A", code="A1", parent=zone_a)

    def get(self, client, **params):
        return names(client.get(URL, {"year": self.YEAR, **params}))

    def test_a_zone_includes_the_zones_inside_it(self, admin_client_, zone_a, park, enterprise_b):
        inside = factories.EnterpriseFactory(zone=park, name="Inside")
        direct = factories.EnterpriseFactory(zone=zone_a, name="Direct")
        assert self.get(admin_client_, zone=zone_a.pk) == {inside.name, direct.name}
        assert self.get(admin_client_, zone=park.pk) == {inside.name}

    def test_ownership_and_status(self, admin_client_, zone_a):
        fdi = factories.EnterpriseFactory(zone=zone_a, ownership=Enterprise.Ownership.FDI)
        factories.EnterpriseFactory(zone=zone_a, status=Enterprise.Status.SUSPENDED)
        assert self.get(admin_client_, ownership="fdi") == {fdi.name}
        assert len(self.get(admin_client_, status="suspended")) == 1

    @pytest.mark.parametrize(
        ("parameter", "kind"),
        [
            ("party_org", Organisation.Kind.PARTY),
            ("trade_union", Organisation.Kind.TRADE_UNION),
            ("youth_union", Organisation.Kind.YOUTH_UNION),
            ("women_union", Organisation.Kind.WOMEN_UNION),
        ],
    )
    def test_has_or_lacks_an_organisation_at_the_end_of_the_year(
        self, admin_client_, zone_a, parameter, kind
    ):
        having = factories.EnterpriseFactory(zone=zone_a, name="Having")
        factories.OrganisationFactory(enterprise=having, kind=kind)
        dissolved = factories.EnterpriseFactory(zone=zone_a, name="Dissolved in the year")
        factories.OrganisationFactory(
            enterprise=dissolved, kind=kind, dissolved_on=datetime.date(self.YEAR, 6, 1)
        )
        later = factories.EnterpriseFactory(zone=zone_a, name="Founded the next year")
        factories.OrganisationFactory(
            enterprise=later, kind=kind, founded_on=datetime.date(self.YEAR + 1, 2, 1)
        )
        assert self.get(admin_client_, **{parameter: "yes"}) == {"Having"}
        assert self.get(admin_client_, **{parameter: "no"}) == {
            "Dissolved in the year",
            "Founded the next year",
        }

    def test_operating_at_the_end_of_the_year(self, admin_client_, zone_a):
        factories.EnterpriseFactory(zone=zone_a, name="Running")
        factories.EnterpriseFactory(
            zone=zone_a, name="Closed", closed_on=datetime.date(self.YEAR, 3, 1)
        )
        factories.EnterpriseFactory(zone=zone_a, name="Building", status="building")
        assert self.get(admin_client_, operating="yes") == {"Running"}

    def test_founded_and_dissolved_during_the_year(self, admin_client_, zone_a):
        founded = factories.EnterpriseFactory(zone=zone_a, name="Founded")
        factories.OrganisationFactory(
            enterprise=founded, kind="trade_union", founded_on=datetime.date(self.YEAR, 5, 1)
        )
        dissolved = factories.EnterpriseFactory(zone=zone_a, name="Dissolved")
        factories.OrganisationFactory(
            enterprise=dissolved,
            kind="party",
            founded_on=datetime.date(2019, 1, 1),
            dissolved_on=datetime.date(self.YEAR, 9, 1),
        )
        assert self.get(admin_client_, founded="trade_union") == {"Founded"}
        assert self.get(admin_client_, founded="party") == set()
        assert self.get(admin_client_, dissolved="party") == {"Dissolved"}

    def test_return_status_of_the_year(self, admin_client_, zone_a):
        for status in ("draft", "submitted", "returned", "accepted"):
            enterprise = factories.EnterpriseFactory(zone=zone_a, name=status)
            factories.AnnualReturnFactory(enterprise=enterprise, year=self.YEAR, status=status)
        other_year = factories.EnterpriseFactory(zone=zone_a, name="other year")
        factories.AnnualReturnFactory(enterprise=other_year, year=self.YEAR - 1)
        for status in ("draft", "submitted", "returned", "accepted"):
            assert self.get(admin_client_, return_status=status) == {status}
        assert self.get(admin_client_, return_status="missing") == {"other year"}

    def test_size_band_by_the_years_employees(self, admin_client_, zone_a):
        for employees in (10, 49, 50, 299, 300, 499, 500, 4000):
            enterprise = factories.EnterpriseFactory(zone=zone_a, name=str(employees))
            factories.AnnualReturnFactory(
                enterprise=enterprise, year=self.YEAR, employees=employees, female_employees=0
            )
        assert self.get(admin_client_, size_band="lt50") == {"10", "49"}
        assert self.get(admin_client_, size_band="50_299") == {"50", "299"}
        assert self.get(admin_client_, size_band="300_499") == {"300", "499"}
        assert self.get(admin_client_, size_band="500plus") == {"500", "4000"}

    def test_min_party_members_counts_accepted_returns_only(self, admin_client_, zone_a):
        accepted = factories.EnterpriseFactory(zone=zone_a, name="accepted")
        factories.AnnualReturnFactory(
            enterprise=accepted, year=self.YEAR, status="accepted", party_members=4
        )
        draft = factories.EnterpriseFactory(zone=zone_a, name="draft")
        factories.AnnualReturnFactory(
            enterprise=draft, year=self.YEAR, status="draft", party_members=9
        )
        few = factories.EnterpriseFactory(zone=zone_a, name="few")
        factories.AnnualReturnFactory(
            enterprise=few, year=self.YEAR, status="accepted", party_members=2
        )
        assert self.get(admin_client_, min_party_members=3) == {"accepted"}

    def test_the_year_defaults_to_the_current_one(self, admin_client_, zone_a):
        enterprise = factories.EnterpriseFactory(zone=zone_a, name="this year")
        factories.AnnualReturnFactory(
            enterprise=enterprise, year=timezone.localdate().year, status="submitted"
        )
        assert names(admin_client_.get(URL, {"return_status": "submitted"})) == {"this year"}

    def test_an_invalid_filter_shows_its_error_and_no_rows(self, admin_client_, enterprise_a):
        response = admin_client_.get(URL, {"year": "1800"})
        assert names(response) == set()
        assert "year" in response.context["filterset"].errors


class TestTable:
    def test_it_shows_the_years_return_status_and_employees(self, admin_client_, enterprise_a):
        factories.AnnualReturnFactory(
            enterprise=enterprise_a, year=2024, status=AnnualReturn.Status.SUBMITTED, employees=321
        )
        content = admin_client_.get(URL, {"year": 2024}).content.decode()
        assert "Employees 2024" in content
        assert "321" in content
        assert 'class="badge badge-submitted"' in content

    def test_sorting_by_employees(self, admin_client_, zone_a):
        for employees in (200, 5, 40):
            enterprise = factories.EnterpriseFactory(zone=zone_a, name=f"E{employees}")
            factories.AnnualReturnFactory(
                enterprise=enterprise, year=2024, employees=employees, female_employees=0
            )
        response = admin_client_.get(URL, {"year": 2024, "sort": "-return_employees"})
        rows = [row.record.name for row in response.context["table"].paginated_rows]
        assert rows == ["E200", "E40", "E5"]

    @pytest.mark.parametrize(
        "column", ["name", "tax_code", "zone", "ownership", "status", "return_status"]
    )
    def test_every_column_sorts(self, admin_client_, enterprise_a, enterprise_b, column):
        ascending = admin_client_.get(URL, {"sort": column}).context["table"]
        descending = admin_client_.get(URL, {"sort": f"-{column}"}).context["table"]
        first = [row.record.pk for row in ascending.paginated_rows]
        assert first == [row.record.pk for row in descending.paginated_rows][::-1]

    def test_fifty_rows_a_page_and_links_keep_the_filters(self, admin_client_, zone_a):
        factories.EnterpriseFactory.create_batch(60, zone=zone_a, ownership="fdi")
        response = admin_client_.get(URL, {"ownership": "fdi", "sort": "tax_code"})
        table = response.context["table"]
        assert len(table.page.object_list) == 50
        assert table.paginator.count == 60
        content = response.content.decode()
        assert "?ownership=fdi&amp;sort=tax_code&amp;page=2" in content
        assert "?ownership=fdi&amp;sort=-tax_code" in content
        second = admin_client_.get(URL, {"ownership": "fdi", "sort": "tax_code", "page": 2})
        assert len(second.context["table"].page.object_list) == 10

    def test_the_page_size_cannot_be_raised_from_the_address(self, admin_client_, zone_a):
        factories.EnterpriseFactory.create_batch(60, zone=zone_a)
        response = admin_client_.get(URL, {"per_page": 1000})
        assert len(response.context["table"].page.object_list) == 50

    def test_a_page_past_the_end_shows_the_last_page(self, admin_client_, enterprise_a):
        response = admin_client_.get(URL, {"page": 99})
        assert names(response) == {enterprise_a.name}


def populate(zone, count: int) -> None:
    for number in range(count):
        enterprise = factories.EnterpriseFactory(zone=zone)
        factories.AnnualReturnFactory(enterprise=enterprise, year=2024)
        if number % 2:
            factories.OrganisationFactory(enterprise=enterprise)


@pytest.mark.parametrize("count", [5, 60])
def test_the_query_count_does_not_grow_with_rows(
    client_a, zone_a, count, django_assert_max_num_queries
):
    """Session, user, two-factor device, groups, zones, zone choices, count and rows (with
    PostgreSQL's savepoints and the session's update): the same for 5 and 60 enterprises."""
    populate(zone_a, count)
    with django_assert_max_num_queries(16):
        response = client_a.get(
            URL, {"year": 2024, "party_org": "yes", "q": "cong ty", "sort": "-return_employees"}
        )
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == min(count // 2, 50)
