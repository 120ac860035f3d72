"""Zones: the tree of economic zones and their parks, with area and enterprise counts computed
in one query, and links to the filtered enterprise list."""

import datetime

import pytest
from django.urls import reverse

from . import factories


@pytest.fixture
def economic_zone(db):
    zone = factories.ZoneFactory(
        name="Khu kinh tế cửa khẩu Lào Cai", code="KKT", kind="economic_zone", area_ha=15929
    )
    parks = [
        factories.ZoneFactory(name="KCN Bắc Duyên Hải", code="BDH", parent=zone, area_ha=85),
        factories.ZoneFactory(name="KCN Đông Phố Mới", code="DPM", parent=zone, area_ha=100),
    ]
    factories.EnterpriseFactory.create_batch(3, zone=parks[0])
    factories.EnterpriseFactory(zone=parks[1])
    factories.EnterpriseFactory(zone=parks[1], closed_on=datetime.date(2020, 1, 1))
    factories.EnterpriseFactory(zone=zone)
    return zone


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_the_list_is_a_tree_with_counts(reviewer_client, economic_zone):
    nodes = reviewer_client.get(reverse("zone_list")).context["nodes"]
    rows = [(n.zone.code, n.depth, n.enterprises, n.operating, n.total) for n in nodes]
    assert rows == [
        ("KKT", 0, 1, 1, 6),
        ("BDH", 1, 3, 3, 3),
        ("DPM", 1, 2, 1, 2),
    ]


def test_each_zone_links_to_its_filtered_enterprise_list(reviewer_client, economic_zone):
    content = reviewer_client.get(reverse("zone_list")).content.decode()
    assert f'href="/enterprises/?zone={economic_zone.pk}"' in content
    assert "15,929" in content
    listed = reviewer_client.get(reverse("enterprise_list"), {"zone": economic_zone.pk})
    assert listed.context["table"].paginator.count == 6


def test_the_zone_page_shows_its_parks_and_officials(reviewer_client, economic_zone, official_a):
    economic_zone.officials.add(official_a)
    response = reviewer_client.get(reverse("zone_detail", args=[economic_zone.pk]))
    assert response.context["node"].total == 6
    assert [node.zone.code for node in response.context["nodes"]] == ["BDH", "DPM"]
    content = response.content.decode()
    assert "official_a" in content
    assert "KCN Đông Phố Mới" in content


def test_an_official_sees_their_zone_and_the_zones_inside(client, official_b, economic_zone):
    park = economic_zone.children.get(code="BDH")
    park.officials.add(official_b)
    client.force_login(official_b)
    nodes = client.get(reverse("zone_list")).context["nodes"]
    assert [(node.zone.code, node.depth) for node in nodes] == [("BDH", 0), ("B", 0)]
    assert client.get(reverse("zone_detail", args=[economic_zone.pk])).status_code == 404


@pytest.mark.parametrize("parks", [2, 25])
def test_the_query_count_does_not_grow_with_zones(
    reviewer_client, parks, django_assert_max_num_queries
):
    zone = factories.ZoneFactory(code="KKT", kind="economic_zone")
    for number in range(parks):
        park = factories.ZoneFactory(parent=zone)
        factories.EnterpriseFactory.create_batch(number % 3, zone=park)
    with django_assert_max_num_queries(10):
        response = reviewer_client.get(reverse("zone_list"))
    assert len(response.context["nodes"]) == parks + 1
    with django_assert_max_num_queries(11):
        assert reviewer_client.get(reverse("zone_detail", args=[zone.pk])).status_code == 200
