"""The gap lists: where a party cell or a trade union could be founded, by zone, exportable."""

import datetime

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, Organisation
from reviews.models import AnnualReturn
from reviews.selectors import gap_lists

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


def _names(lists):
    return {
        gap["key"]: [
            [group["zone"].name, [e.name for e in group["rows"]]] for group in gap["zones"]
        ]
        for gap in lists
    }


def test_each_list_holds_its_enterprises_by_zone(gaps_data, reviewer):
    assert _names(gap_lists(user=reviewer, year=2023)) == {
        "eligible_without_party_org": [
            ["Zone A", ["=Cell and union gap"]],
            ["Zone B", ["Cell gap in B"]],
        ],
        "union_without_party_org": [["Zone A", ["Union, no party"]]],
        "eligible_without_union": [
            ["Park A1", ["Union members only"]],
            ["Zone A", ["=Cell and union gap"]],
        ],
    }


def test_an_official_sees_only_their_zones(gaps_data, official_a):
    lists = gap_lists(user=official_a, year=2023)
    assert _names(lists)["eligible_without_party_org"] == [["Zone A", ["=Cell and union gap"]]]
    assert [gap["total"] for gap in lists] == [1, 1, 2]


def test_a_later_organisation_closes_the_gap_only_from_its_year(gaps_data, reviewer):
    """Organisations count by their dates: one founded in 2024 leaves the 2023 gap open."""
    enterprise = Enterprise.objects.get(name="Cell gap in B")
    factories.OrganisationFactory(
        enterprise=enterprise, kind=PARTY, founded_on=datetime.date(2024, 2, 1)
    )
    totals = {gap["key"]: gap["total"] for gap in gap_lists(user=reviewer, year=2023)}
    assert totals["eligible_without_party_org"] == 2


def test_the_page_groups_by_zone_and_links_to_the_list(client, gaps_data, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("gaps"), {"year": "2023"})
    assert response.status_code == 200
    html = response.text
    assert '<th scope="rowgroup" colspan="6">Park A1 (1)</th>' in html
    assert (
        "/enterprises/?year=2023&amp;operating=yes&amp;min_party_members=3&amp;party_org=no" in html
    )


def test_csv_export_holds_every_list_and_neutralises_formulas(client, gaps_data, official_a):
    client.force_login(official_a)
    response = client.get(reverse("gaps"), {"year": "2023", "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "gap,zone,tax_code,name,ownership,employees,party_members,union_members"
    assert len(lines) == 1 + 4
    assert any(line.startswith("eligible_without_party_org,Zone A,") for line in lines)
    assert all("'=Cell and union gap" in line for line in lines if "Cell and union" in line)
    assert not any("Cell gap in B" in line for line in lines)


def test_xlsx_export(client, gaps_data, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("gaps"), {"year": "2023", "_export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content)[:2] == b"PK"


@pytest.mark.parametrize("extra_per_zone", [0, 10])
def test_query_count_does_not_grow_with_enterprises(
    client, gaps_data, reviewer, zone_a, zone_b, extra_per_zone, django_assert_max_num_queries
):
    for index in range(extra_per_zone):
        _enterprise(f"Extra A{index}", zone_a, party_members=3, employees=8)
        _enterprise(f"Extra B{index}", factories.ZoneFactory(), organisations=[UNION])
    client.force_login(reviewer)
    with django_assert_max_num_queries(17):
        assert client.get(reverse("gaps"), {"year": "2023"}).status_code == 200
