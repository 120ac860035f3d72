"""The enterprise list: search without diacritics, every filter, sorting, paging with the filters
kept, and a query count that does not grow with the rows."""

import datetime
import functools
import html
import re

import pytest
from django import forms
from django.forms.boundfield import BoundField
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.html import parse_html
from django.urls import reverse
from django.utils import timezone

from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise, Organisation
from enterprises.selectors import OrderedEnterprises, scope_key, visible_enterprises
from reviews.models import AnnualReturn

from . import factories

URL = reverse("enterprise_list")


def names(response) -> set[str]:
    return {row["name"] for row in response.context["table"].page.object_list}


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


class TestScopeKey:
    """The cache key part that names what a user may see."""

    def test_those_who_see_everything_share_one(self, reviewer, administrator):
        assert scope_key(reviewer) == scope_key(administrator) == "all"

    def test_an_officials_depends_on_their_zones(self, official_a, official_b, zone_a):
        assert scope_key(official_a) != scope_key(official_b)
        colleague = factories.UserFactory()
        zone_a.officials.add(colleague)
        assert scope_key(colleague) == scope_key(official_a)
        park = factories.ZoneFactory(parent=zone_a)
        official_a._official_zone_ids = None  # the zones are read once per request
        before = scope_key(official_a)
        park.parent = None
        park.save()
        official_a._official_zone_ids = None
        assert scope_key(official_a) != before


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

    def test_size_band_by_the_employees_of_the_years_accepted_return(self, admin_client_, zone_a):
        """As the dashboard's breakdown counts them: a return not yet accepted puts its
        enterprise among those without one."""
        for employees in (10, 49, 50, 299, 300, 499, 500, 4000):
            enterprise = factories.EnterpriseFactory(zone=zone_a, name=str(employees))
            factories.AnnualReturnFactory(
                enterprise=enterprise,
                year=self.YEAR,
                status="accepted",
                employees=employees,
                female_employees=0,
            )
        waiting = factories.EnterpriseFactory(zone=zone_a, name="waiting")
        factories.AnnualReturnFactory(
            enterprise=waiting, year=self.YEAR, status="submitted", employees=20, female_employees=0
        )
        assert self.get(admin_client_, size_band="lt50") == {"10", "49"}
        assert self.get(admin_client_, size_band="none") == {"waiting"}
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
        rows = [row["name"] for row in response.context["table"].page.object_list]
        assert rows == ["E200", "E40", "E5"]

    @pytest.mark.parametrize(
        "column", ["name", "tax_code", "zone", "ownership", "status", "return_status"]
    )
    def test_every_column_sorts(self, admin_client_, enterprise_a, enterprise_b, column):
        ascending = admin_client_.get(URL, {"sort": column}).context["table"]
        descending = admin_client_.get(URL, {"sort": f"-{column}"}).context["table"]
        first = [row["pk"] for row in ascending.page.object_list]
        assert first == [row["pk"] for row in descending.page.object_list][::-1]

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

    @pytest.mark.parametrize("sorted_up_to", [0, 1000], ids=["index-walk", "sorted-matches"])
    @pytest.mark.parametrize("sort", ["name", "-name", "zone", "-return_employees"])
    def test_pages_follow_one_another_in_order(
        self, admin_client_, zone_a, zone_b, monkeypatch, sorted_up_to, sort
    ):
        """Page 1 reads its rows straight away, later pages through their ids; up to
        SORTED_UP_TO matches, the matches are sorted first. Either way the pages join up."""
        monkeypatch.setattr(OrderedEnterprises, "SORTED_UP_TO", sorted_up_to)
        for number in range(120):
            enterprise = factories.EnterpriseFactory(
                zone=zone_a if number % 3 else zone_b, name=f"E{number % 40:02}"
            )
            factories.AnnualReturnFactory(
                enterprise=enterprise, year=2024, employees=number % 7, female_employees=0
            )
        params = {"year": 2024, "sort": sort}
        pages = [
            admin_client_.get(URL, {**params, "page": page}).context["table"].page.object_list
            for page in (1, 2, 3)
        ]
        rows = [row["pk"] for page in pages for row in page]
        key = {
            "name": lambda e: (e.name, e.pk),
            "-name": lambda e: (e.name, e.pk),
            "zone": lambda e: (e.zone.name, e.name, e.pk),
            "-return_employees": lambda e: (e.returns.get().employees, e.name, e.pk),
        }[sort]
        expected = sorted(Enterprise.objects.select_related("zone"), key=key)
        if sort.startswith("-"):
            expected.reverse()
        assert rows == [enterprise.pk for enterprise in expected]

    def test_the_count_is_right_with_and_without_a_return_filter(self, admin_client_, zone_a):
        for status in ("draft", "accepted", None):
            enterprise = factories.EnterpriseFactory(zone=zone_a)
            if status:
                factories.AnnualReturnFactory(enterprise=enterprise, year=2024, status=status)
        counts = {
            filters: admin_client_.get(URL, {"year": 2024, **dict(filters)})
            .context["table"]
            .paginator.count
            for filters in ((), (("return_status", "accepted"),), (("ownership", "private"),))
        }
        assert counts == {
            (): 3,
            (("return_status", "accepted"),): 1,
            (("ownership", "private"),): 3,
        }


class TestFilterForm:
    def zone_options(self, response) -> list[tuple[str, str, bool]]:
        select = re.search(r'<select name="zone".*?</select>', response.content.decode()).group()
        return [
            (value, label, bool(selected))
            for value, selected, label in re.findall(
                r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select
            )
        ]

    def test_the_zone_select_offers_the_visible_zones_and_marks_the_chosen_one(
        self, client_a, zone_a, zone_b
    ):
        park = factories.ZoneFactory(name="Park in A", code="A1", parent=zone_a)
        assert self.zone_options(client_a.get(URL)) == [
            ("", "Any", True),
            (str(park.pk), "Park in A", False),
            (str(zone_a.pk), "Zone A", False),
        ]
        assert self.zone_options(client_a.get(URL, {"zone": park.pk})) == [
            ("", "Any", False),
            (str(park.pk), "Park in A", True),
            (str(zone_a.pk), "Zone A", False),
        ]

    def test_a_zone_out_of_scope_is_marked_nowhere(self, client_a, zone_a, zone_b):
        options = self.zone_options(client_a.get(URL, {"zone": zone_b.pk}))
        assert [selected for _value, _label, selected in options] == [False, False]

    def test_the_fields_render_like_djangos_templates(self, reviewer, zone_a):
        """Lean widgets and labels (enterprises.forms), with values to escape and errors."""
        factories.ZoneFactory(name='Zone "<b>&', code="Z")
        request = RequestFactory().get(URL)
        request.user = reviewer
        data = {"q": '"><script>', "zone": "x", "ownership": "fdi", "year": "1800"}
        filterset = EnterpriseFilter(data, queryset=visible_enterprises(reviewer), request=request)
        assert not filterset.is_valid()
        assert_renders_like_djangos_templates(filterset.form)


def assert_renders_like_djangos_templates(form) -> None:
    """Each field of a form with lean widgets and labels renders as Django's templates and
    partials/field.html would render it."""
    for field in form:
        widget = field.field.widget
        django_widget = next(
            cls for cls in type(widget).__mro__ if cls.__module__ == forms.widgets.__name__
        )
        lean_html = field.as_widget()
        widget.render = functools.partial(django_widget.render, widget)
        if isinstance(widget, forms.Select):  # the zone select's options come prerendered
            widget.choices = field.field.choices
        try:
            assert parse_html(field.as_widget()) == parse_html(lean_html), field.name
        finally:
            del widget.render
        assert parse_html(BoundField.label_tag(field)) == parse_html(field.label_tag())
        partial = render_to_string("partials/field.html", {"field": field})
        assert parse_html(partial) == parse_html(field.as_field_group()), field.name


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
    """Session, user, two-factor device, groups, zones, count, rows, zone and official choices,
    with PostgreSQL's savepoints and the session's update (the data version is read only outside
    a transaction that wrote): the same for 5 and 60 enterprises."""
    populate(zone_a, count)
    with django_assert_max_num_queries(14):
        response = client_a.get(
            URL, {"year": 2024, "party_org": "yes", "q": "cong ty", "sort": "-return_employees"}
        )
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == min(count // 2, 50)


@pytest.mark.parametrize("depth", [1, 4])
def test_the_query_count_does_not_grow_with_the_zone_tree(
    client_a, zone_a, depth, django_assert_max_num_queries
):
    """An official's zones and a zone filter include the zones inside them, at any depth (and
    with no year given, the latest year with returns is looked up once)."""
    zone = zone_a
    for _level in range(depth):
        zone = factories.ZoneFactory(parent=zone)
        factories.EnterpriseFactory(zone=zone)
    with django_assert_max_num_queries(17):
        response = client_a.get(URL, {"zone": zone_a.pk, "sort": "name", "page": 2})
    assert response.context["table"].paginator.count == depth


def listed(response) -> set[str]:
    """The names in the rendered rows: a page served from the cache has no template context."""
    rows = re.findall(r'<tr><td><a href="[^"]+">([^<]*)</a>', response.content.decode())
    return {html.unescape(name) for name in rows}


class TestCachedUntilTheNextWrite:
    """The page, its zone choices, count and rows are cached per scope, filters, sorting and
    page; any write shows at once. The data is committed here (committed_groups), as a
    save in another worker would be: inside a transaction that wrote, nothing is cached."""

    @pytest.fixture
    def client_a(self, committed_groups, client, official_a):
        client.force_login(official_a)
        return client

    def test_a_write_shows_at_once(self, client_a, zone_a, enterprise_a, zone_b):
        params = {"sort": "-name"}
        assert listed(client_a.get(URL, params)) == {enterprise_a.name}
        assert listed(client_a.get(URL, params)) == {enterprise_a.name}  # from the cache
        enterprise_a.name = "Renamed"
        enterprise_a.save()
        added = factories.EnterpriseFactory(zone=zone_a, name="Added")
        zone_a.name = "Zone A renamed"
        zone_a.save()
        response = client_a.get(URL, params)
        assert listed(response) == {"Renamed", added.name}
        assert "2 enterprises" in response.content.decode()
        assert "Zone A renamed</option>" in response.content.decode()

    def test_officials_of_other_zones_never_see_each_others_rows(
        self, client_a, client, official_b, enterprise_a, enterprise_b
    ):
        assert listed(client_a.get(URL)) == {enterprise_a.name}
        other = type(client)()
        other.force_login(official_b)
        response = other.get(URL)
        assert listed(response) == {enterprise_b.name}
        assert enterprise_a.zone.name not in response.content.decode()

    def test_each_language_and_role_has_its_own_page(
        self, client_a, client, enterprise_a, reviewer, administrator
    ):
        assert "New enterprise" in client_a.get(URL).content.decode()
        vietnamese = client_a.get(URL, headers={"accept-language": "vi"})
        assert "Thêm doanh nghiệp" in vietnamese.content.decode()  # "New enterprise"
        # a reviewer sees what an administrator sees, but may not add enterprises
        admin = type(client)()
        admin.force_login(administrator)
        assert "New enterprise" in admin.get(URL).content.decode()
        client.force_login(reviewer)
        page = client.get(URL).content.decode()
        assert enterprise_a.name in page
        assert "New enterprise" not in page


def test_the_list_opens_on_the_latest_year_with_returns(client_a, zone_a, enterprise_a, zone_b):
    """A year's returns are filed the next year: the list opens on the latest year that has any
    in the viewer's scope, not on a year whose returns are all still missing."""
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=2023, status="accepted")
    factories.AnnualReturnFactory(
        enterprise=factories.EnterpriseFactory(zone=zone_b), year=2024, status="accepted"
    )
    response = client_a.get(URL)
    assert response.context["filterset"].as_of_year == 2023
    assert 'placeholder="2023"' in response.content.decode()
    assert "badge-accepted" in response.content.decode()
    assert client_a.get(URL, {"year": 2022}).context["filterset"].as_of_year == 2022


def test_without_any_return_the_list_opens_on_this_year(client_a, enterprise_a):
    response = client_a.get(URL)
    assert response.context["filterset"].as_of_year == timezone.localdate().year
