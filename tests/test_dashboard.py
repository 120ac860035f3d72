"""The dashboard: the current programme's assessment at a glance, within the viewer's scope,
with every number linked to the enterprises behind it."""

import datetime

import pytest
from django.urls import reverse

from coordination.models import Indicator
from enterprises.models import Organisation
from reviews.models import AnnualReturn
from reviews.selectors.dashboard import largest_zones

from . import factories

PARTY = Organisation.Kind.PARTY
UNION = Organisation.Kind.TRADE_UNION


def _enterprise(zone, *, employees, party_members, organisations=(), year=2023):
    enterprise = factories.EnterpriseFactory(zone=zone)
    for kind in organisations:
        factories.OrganisationFactory(enterprise=enterprise, kind=kind)
    factories.AnnualReturnFactory(
        enterprise=enterprise,
        year=year,
        status=AnnualReturn.Status.ACCEPTED,
        employees=employees,
        female_employees=0,
        party_members=party_members,
        new_party_members=0,
        union_members=0,
    )
    return enterprise


@pytest.fixture
def programme(zone_a, zone_b):
    """Zone A: 1,234 + 10 employees, one of two enterprises with a party organisation; zone B:
    300 employees and a party organisation."""
    programme = factories.ProgrammeFactory(title="Programme 2023–2025")
    factories.IndicatorFactory(
        programme=programme, code="P1", metric=Indicator.Metric.PARTY_MEMBERS
    )
    _enterprise(zone_a, employees=1234, party_members=5, organisations=[PARTY, UNION])
    _enterprise(zone_a, employees=10, party_members=3)
    _enterprise(zone_b, employees=300, party_members=7, organisations=[PARTY])
    return programme


def test_it_needs_a_login(client, programme):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_latest_year_with_accepted_returns(client, reviewer, programme):
    client.force_login(reviewer)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["year"] == 2023
    figures = response.context["figures"]
    assert figures["metrics"]["employees"] == 1544
    assert "Programme 2023–2025" in response.text


def test_the_year_selector_picks_a_programme_year(client, reviewer, programme):
    client.force_login(reviewer)
    assert client.get(reverse("dashboard"), {"year": "2024"}).context["year"] == 2024
    assert client.get(reverse("dashboard"), {"year": "1999"}).context["year"] == 2023
    assert client.get(reverse("dashboard"), {"year": "x"}).context["year"] == 2023


def test_numbers_link_to_the_enterprises_behind_them(client, reviewer, programme, zone_a):
    client.force_login(reviewer)
    html = client.get(reverse("dashboard")).text
    assert 'href="/enterprises/?year=2023&amp;figure=enterprises_with_party_org"' in html
    assert (
        f'href="/enterprises/?year=2023&amp;figure=enterprises_with_party_org&amp;zone={zone_a.pk}"'
        in html
    )
    assert 'href="/enterprises/?year=2023&amp;figure=returns_accepted"' in html
    assert f'href="{reverse("programme_detail", args=[programme.pk])}"' in html


def test_charts_are_drawn_on_the_server(client, reviewer, programme):
    """Inline SVG prints and goes into a PDF; no script is needed."""
    client.force_login(reviewer)
    html = client.get(reverse("dashboard")).text
    assert html.count("<svg") >= 2
    assert "<script" not in html
    assert "<title>Zone A, Party organisation coverage: 1 / 2 = 50.00 %</title>" in html


def test_the_zone_chart_and_table_show_the_largest_zones_and_link_to_all(
    client, reviewer, programme, monkeypatch
):
    """Zone A has two enterprises, zone B one: with room for one zone, zone A stays."""
    monkeypatch.setattr("reviews.views.dashboard.DASHBOARD_ZONES", 1)
    client.force_login(reviewer)
    response = client.get(reverse("dashboard"))
    assert [row["label"] for row in response.context["zone_rows"]] == ["Zone A"]
    assert "Zone B" not in response.text
    assert "The 1 zones with the most operating enterprises, of 2." in response.text
    assert 'href="?year=2023&amp;zones=all#coverage-heading"' in response.text

    response = client.get(reverse("dashboard"), {"zones": "all"})
    assert [row["label"] for row in response.context["zone_rows"]] == ["Zone A", "Zone B"]
    assert 'href="?year=2023#breakdowns-heading"' in response.text
    assert '<input type="hidden" name="zones" value="all">' in response.text


def test_the_largest_zones_come_first_and_equals_keep_their_order():
    rows = [{"label": label, "enterprises": n} for label, n in [("A", 1), ("B", 3), ("C", 1)]]
    assert [row["label"] for row in largest_zones(rows, 2)] == ["B", "A"]
    assert [row["label"] for row in largest_zones(rows, 5)] == ["B", "A", "C"]


def test_an_official_sees_only_their_zone(client, official_a, programme):
    client.force_login(official_a)
    response = client.get(reverse("dashboard"))
    figures = response.context["figures"]
    assert figures["metrics"]["employees"] == 1244
    assert [row["label"] for row in figures["breakdowns"]["zone"]] == ["Zone A"]
    assert "Zone B" not in response.text
    assert "1 / 2 = 50.00 %" in response.text


def test_numbers_follow_the_language(client, reviewer, programme):
    client.force_login(reviewer)
    client.cookies["django_language"] = "vi"
    html = client.get(reverse("dashboard")).text
    assert ">1.544</a>" in html
    assert "= 66,67 %" in html
    assert 'width="200.0"' in html, "chart geometry is never localised"


def test_it_includes_the_to_do_list(client, official_a, programme):
    client.force_login(official_a)
    assert 'id="todo-heading"' in client.get(reverse("dashboard")).text


def test_without_a_programme_administrators_are_sent_to_the_admin(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("dashboard")).text
    assert reverse("admin:coordination_programme_add") in html


def test_without_a_programme_others_are_told_to_wait(client, official_a):
    client.force_login(official_a)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert reverse("admin:coordination_programme_add") not in response.text


def test_the_current_programme_is_the_one_running_today(client, reviewer, programme):
    this_year = datetime.date.today().year
    running = factories.ProgrammeFactory(
        title="Running now", start_year=this_year - 1, end_year=this_year + 1
    )
    factories.ProgrammeFactory(title="Later", start_year=this_year + 3, end_year=this_year + 5)
    client.force_login(reviewer)
    assert client.get(reverse("dashboard")).context["programme"] == running


@pytest.mark.parametrize("extra_per_zone", [0, 10])
@pytest.mark.parametrize("persona", ["official_a", "reviewer"])
def test_query_count_does_not_grow_with_enterprises(
    request, client, persona, programme, zone_a, extra_per_zone, django_assert_max_num_queries
):
    park = factories.ZoneFactory(parent=zone_a)
    for _ in range(extra_per_zone):
        _enterprise(zone_a, employees=20, party_members=4, organisations=[UNION])
        _enterprise(factories.ZoneFactory(), employees=20, party_members=1)
        _enterprise(park, employees=20, party_members=1)
    client.force_login(request.getfixturevalue(persona))
    client.get(reverse("dashboard"))  # keeps the years' totals from now on (reviews.totals)
    # 28, two for the panel of the reporting year's returns (its calendar and one count), and
    # whether the years' totals are kept (an official's province figures too)
    with django_assert_max_num_queries(32):
        assert client.get(reverse("dashboard")).status_code == 200
    with django_assert_max_num_queries(32):
        assert client.get(reverse("dashboard"), {"zones": "all"}).status_code == 200
