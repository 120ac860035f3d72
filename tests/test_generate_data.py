"""`generate_data`: the benchmark's synthetic data is deterministic, valid and replaceable."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from coordination.models import Programme
from enterprises.models import Enterprise, Organisation, Zone, fold_for_search
from enterprises.selectors import organisations_active_on, year_end
from reviews.models import AnnualReturn, OrganisationRating
from reviews.sample_data.synthetic import SYNTHETIC_PREFIX

from . import factories

SMALL = ["--enterprises", "30", "--zones", "3", "--years", "2023-2024"]


def generate(*extra: str) -> None:
    call_command("generate_data", *SMALL, *extra)


def snapshot() -> dict:
    """What a second run with the same seed must reproduce (ids aside)."""
    return {
        "zones": list(Zone.objects.order_by("code").values_list("code", "name", "parent__code")),
        "enterprises": list(
            Enterprise.objects.order_by("tax_code").values_list(
                "tax_code", "name", "zone__code", "ownership", "status", "founded_on"
            )
        ),
        "organisations": list(
            Organisation.objects.order_by("enterprise__tax_code", "kind", "founded_on").values_list(
                "enterprise__tax_code", "kind", "founded_on", "dissolved_on"
            )
        ),
        "returns": list(
            AnnualReturn.objects.order_by("enterprise__tax_code", "year").values_list(
                "enterprise__tax_code", "year", "status", "employees", "party_members"
            )
        ),
        "ratings": OrganisationRating.objects.count(),
    }


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data():
    generate("--seed", "7")
    first = snapshot()
    generate("--seed", "7", "--replace")
    assert snapshot() == first
    assert len(first["enterprises"]) == 30
    assert len(first["zones"]) == 3
    assert first["returns"] and first["organisations"] and first["ratings"]


@pytest.mark.django_db
def test_another_seed_gives_other_data():
    generate("--seed", "7")
    first = snapshot()
    generate("--seed", "8", "--replace")
    assert snapshot()["enterprises"] != first["enterprises"]


@pytest.mark.django_db
def test_it_refuses_to_run_twice_without_replace():
    generate()
    before = snapshot()
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert snapshot() == before


@pytest.mark.django_db
def test_replace_keeps_data_that_is_not_synthetic(enterprise_a):
    generate()
    generate("--replace")
    assert Enterprise.objects.filter(pk=enterprise_a.pk).exists()
    assert Zone.objects.exclude(code__startswith=SYNTHETIC_PREFIX).count() == 1


@pytest.mark.django_db
def test_every_row_passes_the_models_validation():
    """Database constraints hold by construction (the inserts would fail); full_clean also runs
    the field validators (tax code shape, year range) that the database does not check."""
    generate()
    for model in (Zone, Enterprise, Organisation, AnnualReturn, OrganisationRating):
        for obj in model.objects.all():
            obj.full_clean()


@pytest.mark.django_db
def test_search_text_is_filled_for_diacritics_free_search():
    generate()
    for enterprise in Enterprise.objects.all():
        assert enterprise.search_text == enterprise.compute_search_text()
    assert any(
        name != fold_for_search(name) for name in Enterprise.objects.values_list("name", flat=True)
    ), "names carry Vietnamese diacritics"


@pytest.mark.django_db
def test_an_eligible_enterprise_without_party_organisation_has_an_explanation():
    """The soft rule: 3 or more party members and no party organisation needs an explanation."""
    generate("--enterprises", "200")
    for annual_return in AnnualReturn.objects.filter(party_members__gte=3, explanation=""):
        assert annual_return.enterprise.organisations.filter(
            organisations_active_on(year_end(annual_return.year)), kind=Organisation.Kind.PARTY
        ).exists()


@pytest.mark.django_db
def test_it_makes_a_programme_with_its_reviews_when_none_covers_the_years():
    generate()
    programme = Programme.objects.get()
    assert programme.end_year == 2024
    assert programme.indicators.exists()
    reviews = programme.reviews.filter(status="draft")
    assert sorted(reviews.values_list("kind", "as_of_year", "held_on")) == [
        ("final", 2024, datetime.date(2025, 3, 10)),
        ("one_year", 2024, datetime.date(2025, 5, 16)),
    ]
    final = reviews.get(kind="final")
    assert final.sections.count() == programme.content_areas.count() > 0


@pytest.mark.django_db
def test_it_reuses_a_programme_that_covers_the_years():
    existing = factories.ProgrammeFactory(start_year=2023, end_year=2025)
    generate()
    assert list(Programme.objects.all()) == [existing]
    assert list(existing.reviews.values_list("kind", flat=True)) == ["final"]  # made once
    generate("--replace")
    assert existing.reviews.count() == 1
