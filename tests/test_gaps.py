"""The gap lists: where a party cell or a trade union could be founded, by zone, exportable."""

import datetime

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, Organisation
from reviews.models import AnnualReturn
from reviews.selectors.gaps import gap_counts

from . import factories

PARTY = Organisation.Kind.PARTY
UNION = Organisation.Kind.TRADE_UNION


def _enterprise(name, zone, *, status=AnnualReturn.Status.ACCEPTED, organisations=(), **figures):
    extra = {}
    if name.startswith("Closed"):
        extra = {"status": Enterprise.Status.CLOSED, "closed_on": datetime.date(2023, 3, 1)}
    enterprise = factories.EnterpriseFactory(name=name, zone=zone, **extra)
    for kind in organisations:
        factories.OrganisationFactory(enterprise=enterprise, kind=kind)
    figures = {"employees": 0, "party_members": 0, "union_members": 0} | figures
    factories.AnnualReturnFactory(
        enterprise=enterprise,
        year=2023,
        status=status,
        female_employees=0,
        new_party_members=0,
        **figures,
    )
    return enterprise


@pytest.fixture
def gaps_data(zone_a, zone_b):
    factories.ProgrammeFactory()
    park = factories.ZoneFactory(name="Park A1", code="A1", parent=zone_a)
    _enterprise("=Cell and union gap", zone_a, party_members=4, employees=50)
    _enterprise("Union, no party", zone_a, organisations=[UNION], party_members=1, employees=30)
    _enterprise("All founded", zone_a, organisations=[PARTY, UNION], party_members=10, employees=9)
    _enterprise(
        "Not accepted",
        zone_a,
        status=AnnualReturn.Status.SUBMITTED,
        party_members=9,
        employees=100,
    )
    _enterprise("Closed one", zone_a, party_members=5, employees=40)
    _enterprise("Union members only", park, employees=3, union_members=6)
    _enterprise("Cell gap in B", zone_b, party_members=3, employees=2)


CELL = "eligible_without_party_org"
UNION_NO_PARTY = "union_without_party_org"
UNION_GAP = "eligible_without_union"


def _by_zone(counts):
    return {zone["name"]: [cell["count"] for cell in zone["counts"]] for zone in counts["zones"]}


def _drill_down(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("gaps"), {"year": "2023", **query})
    assert response.status_code == 200
    return response


def test_each_gap_is_counted_per_zone_with_its_parks(gaps_data, reviewer):
    counts = gap_counts(user=reviewer, year=2023)
    assert counts["totals"] == {CELL: 2, UNION_NO_PARTY: 1, UNION_GAP: 2}
    assert _by_zone(counts) == {"Zone A": [1, 1, 2], "Zone B": [1, 0, 0]}


def test_zones_without_a_gap_are_left_out(gaps_data, reviewer):
    factories.ZoneFactory(name="Empty zone")
    assert "Empty zone" not in _by_zone(gap_counts(user=reviewer, year=2023))


def test_an_official_sees_only_their_zones(gaps_data, official_a):
    counts = gap_counts(user=official_a, year=2023)
    assert _by_zone(counts) == {"Zone A": [1, 1, 2]}
    assert list(counts["totals"].values()) == [1, 1, 2]


def test_a_later_organisation_closes_the_gap_only_from_its_year(gaps_data, reviewer):
    """Organisations count by their dates: one founded in 2024 leaves the 2023 gap open."""
    enterprise = Enterprise.objects.get(name="Cell gap in B")
    factories.OrganisationFactory(
        enterprise=enterprise, kind=PARTY, founded_on=datetime.date(2024, 2, 1)
    )
    assert gap_counts(user=reviewer, year=2023)["totals"][CELL] == 2


def test_the_page_links_each_count_to_its_enterprises(client, gaps_data, reviewer, zone_a):
    html = _drill_down(client, reviewer).text
    assert f'<a href="?year=2023&amp;gap={UNION_GAP}&amp;zone={zone_a.pk}">2</a>' in html
    assert f'<a href="?year=2023&amp;gap={CELL}">2</a>' in html
    assert "Cell gap in B" not in html, "enterprises are listed a gap at a time"


def test_a_gap_lists_its_enterprises_in_the_zone_and_its_parks(client, gaps_data, reviewer, zone_a):
    response = _drill_down(client, reviewer, gap=UNION_GAP, zone=zone_a.pk)
    assert [e.name for e in response.context["page"].object_list] == [
        "Union members only",
        "=Cell and union gap",
    ]
    assert "<td>Park A1</td>" in response.text


def test_a_gap_lists_every_zone_without_one(client, gaps_data, reviewer):
    response = _drill_down(client, reviewer, gap=CELL)
    assert [e.name for e in response.context["page"].object_list] == [
        "=Cell and union gap",
        "Cell gap in B",
    ]


def test_a_long_gap_list_is_paged(client, gaps_data, reviewer, monkeypatch):
    monkeypatch.setattr("reviews.views.gaps.GAP_PAGE_ROWS", 1)
    response = _drill_down(client, reviewer, gap=CELL, page=2)
    assert [e.name for e in response.context["page"].object_list] == ["Cell gap in B"]
    assert 'rel="prev"' in response.text


def test_a_gap_links_to_the_enterprise_list_of_the_same_figure(client, gaps_data, reviewer, zone_a):
    html = _drill_down(client, reviewer, gap=CELL, zone=zone_a.pk).text
    assert f"/enterprises/?year=2023&amp;figure={CELL}&amp;zone={zone_a.pk}" in html
    html = _drill_down(client, reviewer, gap=UNION_GAP).text
    assert f"/enterprises/?year=2023&amp;figure={UNION_GAP}" in html


def test_a_zone_outside_the_scope_is_not_found(client, gaps_data, official_a, zone_b):
    client.force_login(official_a)
    response = client.get(reverse("gaps"), {"year": "2023", "gap": CELL, "zone": zone_b.pk})
    assert response.status_code == 404


def test_csv_export_holds_every_list_and_neutralises_formulas(client, gaps_data, official_a):
    client.force_login(official_a)
    response = client.get(reverse("gaps"), {"year": "2023", "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Gap,gap,Zone,Tax code,Name,Ownership,Employees,Party members,Union members"
    )
    assert len(lines) == 1 + 4
    assert any(",eligible_without_party_org,Zone A," in line for line in lines)
    assert all("'=Cell and union gap" in line for line in lines if "Cell and union" in line)
    assert not any("Cell gap in B" in line for line in lines)


def test_xlsx_export(client, gaps_data, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("gaps"), {"year": "2023", "_export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content)[:2] == b"PK"


@pytest.mark.parametrize("extra_per_zone", [0, 10])
@pytest.mark.parametrize("query", [{}, {"gap": CELL}, {"gap": UNION_GAP, "zone": "A"}])
def test_query_count_does_not_grow_with_enterprises(
    client, gaps_data, reviewer, zone_a, extra_per_zone, query, django_assert_max_num_queries
):
    for index in range(extra_per_zone):
        _enterprise(f"Extra A{index}", zone_a, party_members=3, employees=8)
        _enterprise(f"Extra B{index}", factories.ZoneFactory(), organisations=[UNION])
    if "zone" in query:
        query = query | {"zone": zone_a.pk}
    client.force_login(reviewer)
    client.get(reverse("gaps"), {"year": "2023"})  # keeps the year's totals (reviews.totals)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("gaps"), {"year": "2023", **query}).status_code == 200
