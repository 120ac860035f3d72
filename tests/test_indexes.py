"""The indexes the enterprise list's filters and sorts need (50,000 rows: see docs/benchmarks.md)."""

import pytest
from django.db import connection

from enterprises.models import Enterprise, Organisation
from reviews.models import AnnualReturn

pytestmark = pytest.mark.django_db


def indexes_of(model) -> dict[str, dict]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: spec for name, spec in constraints.items() if spec["index"] or spec["unique"]}


def leading_columns(model) -> list[list[str]]:
    return [spec["columns"] for spec in indexes_of(model).values()]


def test_the_list_filters_by_zone_and_status_with_an_index():
    assert ["zone_id", "status"] in leading_columns(Enterprise)


def test_the_list_filters_by_ownership_with_an_index():
    assert any(columns[:1] == ["ownership"] for columns in leading_columns(Enterprise))


def test_the_list_sorts_by_name_with_an_index():
    """Ordering is (name, pk): a deep page (?sort=name&page=500) reads the index, not a sort."""
    assert ["name", "id"] in leading_columns(Enterprise)


def test_year_filters_find_the_return_and_organisations_of_an_enterprise_with_an_index():
    assert ["enterprise_id", "year"] in leading_columns(AnnualReturn)
    assert any(columns[:1] == ["enterprise_id"] for columns in leading_columns(Organisation))


def test_organisation_filters_read_only_an_index():
    """`party_org=no` and the like ask, per enterprise, for an organisation of a kind active
    at the end of the year: the index holds all they read (PostgreSQL's INCLUDE), so that a
    probe per enterprise is cheap enough for the planner to prefer it to hashing every
    organisation of the kind."""
    index = indexes_of(Organisation)["organisation_enterprise_kind"]
    assert index["columns"][:2] == ["enterprise_id", "kind"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_indexdef(%s::regclass)", ["organisation_enterprise_kind"])
            assert "INCLUDE (founded_on, dissolved_on)" in cursor.fetchone()[0]


def test_search_text_has_no_b_tree_index():
    """Only the trigram index serves `contains`; a B-tree index (and its `_like` twin) would
    only cost upkeep on every enterprise write."""
    assert not [
        name
        for name, spec in indexes_of(Enterprise).items()
        if spec["columns"] == ["search_text"] and spec["type"] != "gin"
    ]


def test_the_trigram_index_on_search_text_exists_on_postgresql_only():
    """`q` is a contains search (LIKE '%…%'); only a trigram GIN index serves it. The migration
    is a no-op on SQLite, which has no GIN."""
    trigram = indexes_of(Enterprise).get("enterprise_search_text_trgm")
    if connection.vendor == "postgresql":
        assert trigram is not None
        assert trigram["columns"] == ["search_text"]
        assert trigram["type"] == "gin"
    else:
        assert trigram is None
