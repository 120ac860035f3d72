"""Issue 12, item 7: numbers in a query string. `str.isdigit()` took "²", which `int()` refuses:
`/?year=%C2%B2`, `/gaps/?year=%C2%B2` and `/gaps/?gap=eligible_without_party_org&zone=%C2%B2`
answered 500. Every number is now read by coordination.query, and a bad one is ignored.
(tests/test_properties.py tries generated values on every GET parameter of every page.)"""

import pytest
from django.http import QueryDict
from django.urls import reverse

from coordination.query import NumberField, parse_int

from . import factories

NOT_NUMBERS = [
    "²",
    "١٢",
    "２０２４",
    "-1",
    "+1",
    " 1",
    "1 ",
    "1.0",
    "1e3",
    "",
    "9" * 19,
    "9" * 5000,
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_only_ascii_digits_that_fit_a_database_integer_are_a_number(text):
    assert parse_int(text) is None


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("2024", 2024), ("9" * 18, 10**18 - 1)])
def test_ascii_digits_are_read(text, number):
    assert parse_int(text) == number


def test_a_form_field_reads_numbers_by_the_same_rule():
    field = NumberField(required=False)
    assert field.clean("2024") == 2024
    assert field.clean("") is None
    with pytest.raises(Exception, match="whole number"):
        field.clean("٢٠٢٤")


def test_a_missing_parameter_is_none():
    assert parse_int(QueryDict("").get("year")) is None


@pytest.fixture
def as_reviewer(client, reviewer, enterprise_a):
    factories.joint_programme()
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024, status="accepted")
    client.force_login(reviewer)
    return client


@pytest.mark.parametrize(
    "address",
    [
        "/?year=%C2%B2",
        "/gaps/?year=%C2%B2",
        "/gaps/?gap=eligible_without_party_org&zone=%C2%B2",
        "/gaps/?gap=eligible_without_party_org&zone=" + "9" * 30,
        "/gaps/?gap=eligible_without_party_org&page=%C2%B2",
        "/returns/?page=%C2%B2&year=%C2%B2",
        "/enterprises/?page=%C2%B2&year=%D9%A2%D9%A0%D9%A2%D9%A4",
    ],
)
def test_a_digit_that_is_not_ascii_is_ignored_not_a_500(as_reviewer, address):
    """The attacker's addresses, and their kin on the other pages."""
    assert as_reviewer.get(address).status_code == 200


def test_a_year_that_is_not_ascii_falls_back_to_the_default_year(as_reviewer):
    plain = as_reviewer.get(reverse("gaps")).context["year"]
    assert as_reviewer.get(reverse("gaps"), {"year": "²"}).context["year"] == plain
    assert as_reviewer.get(reverse("gaps"), {"year": "2023"}).context["year"] == 2023


def test_a_zone_that_is_not_a_number_shows_every_zone(as_reviewer):
    response = as_reviewer.get(reverse("gaps"), {"gap": "eligible_without_party_org", "zone": "²"})
    assert response.context["gap"]["zone"] is None
