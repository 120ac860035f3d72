"""The hard rules hold in the database itself, whatever code (an import, a shell, a bug) writes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from enterprises.models import Enterprise, Organisation, tax_code_validator
from reviews.models import COUNT_FIELDS, AnnualReturn

from . import factories

pytestmark = pytest.mark.django_db


def refused(build, constraint: str = "") -> None:
    """Asserts that the database refuses the write, naming the constraint where it can."""
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        build()
    if constraint:
        assert constraint in str(raised.value)


@pytest.mark.parametrize("field", COUNT_FIELDS)
def test_a_negative_count_is_refused(field):
    annual_return = factories.AnnualReturnFactory()
    refused(lambda: AnnualReturn.objects.filter(pk=annual_return.pk).update(**{field: -1}))


@pytest.mark.parametrize(
    ("figures", "constraint"),
    [
        ({"employees": 10, "female_employees": 11}, "annualreturn_female_within_employees"),
        (
            {"party_members": 2, "new_party_members": 3},
            "annualreturn_new_within_party_members",
        ),
        (
            {"party_members": 5, "new_party_members": 1, "new_members_owners": 2},
            "annualreturn_owners_within_new_members",
        ),
    ],
)
def test_a_part_larger_than_its_whole_is_refused(figures, constraint):
    refused(lambda: factories.AnnualReturnFactory(**figures), constraint)


def test_figures_at_their_limits_are_accepted():
    """Equal is allowed: all employees women, all members new, all new members owners."""
    factories.AnnualReturnFactory(
        employees=10,
        female_employees=10,
        party_members=3,
        new_party_members=3,
        new_members_owners=3,
    )


def test_an_organisation_dissolved_before_it_was_founded_is_refused():
    refused(
        lambda: factories.OrganisationFactory(
            founded_on=datetime.date(2023, 5, 1), dissolved_on=datetime.date(2023, 4, 30)
        ),
        "organisation_dissolved_after_founded",
    )


def test_an_organisation_dissolved_on_its_founding_day_is_accepted():
    day = datetime.date(2023, 5, 1)
    factories.OrganisationFactory(founded_on=day, dissolved_on=day)


def test_an_enterprise_closed_before_it_was_founded_is_refused():
    refused(
        lambda: factories.EnterpriseFactory(
            founded_on=datetime.date(2020, 1, 1), closed_on=datetime.date(2019, 12, 31)
        ),
        "enterprise_closed_after_founded",
    )


YEAR_FIELDS = [
    (factories.AnnualReturnFactory, "year"),
    (factories.OrganisationRatingFactory, "year"),
    (factories.IndicatorTargetFactory, "year"),
    (factories.IndicatorFactory, "baseline_year"),
    (factories.ProgrammeReviewFactory, "as_of_year"),
]


@pytest.mark.parametrize(("factory", "field"), YEAR_FIELDS)
@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_outside_2000_to_2100_is_refused(factory, field, year):
    refused(lambda: factory(**{field: year}), f"{field}_range")


@pytest.mark.parametrize(("factory", "field"), YEAR_FIELDS)
def test_the_first_and_last_years_are_accepted(factory, field):
    factory(**{field: 2000})
    factory(**{field: 2100})


@pytest.mark.parametrize(
    "years", [{"start_year": 1999, "end_year": 2001}, {"start_year": 2099, "end_year": 2101}]
)
def test_a_programme_outside_2000_to_2100_is_refused(years):
    refused(lambda: factories.ProgrammeFactory(**years), "_year_range")


def test_a_programme_that_ends_before_it_starts_is_refused():
    refused(
        lambda: factories.ProgrammeFactory(start_year=2025, end_year=2023),
        "programme_years_in_order",
    )


def test_a_one_year_programme_is_accepted():
    factories.ProgrammeFactory(start_year=2024, end_year=2024)


@pytest.mark.parametrize(
    "tax_code",
    [
        "530012345",
        "53001234567",
        "53001234AB",
        "5300123456-01",
        "5300123456-01A",
        "5300123456/001",
        " 5300123456",
        "",
        "5300123456\n",
        "٥٣٠٠١٢٣٤٥٦",
    ],
)
def test_a_misshapen_tax_code_is_refused_by_the_database(tax_code):
    """save() runs no validators: the check constraint is the last line of defence, also
    against a trailing newline and non-ASCII digits, which `$` and `\\d` would let through."""
    refused(lambda: factories.EnterpriseFactory(tax_code=tax_code), "enterprise_tax_code_shape")


def test_a_duplicate_tax_code_is_refused():
    factories.EnterpriseFactory(tax_code="5300123456")
    refused(lambda: factories.EnterpriseFactory(tax_code="5300123456"))


def test_a_branch_has_its_own_tax_code():
    factories.EnterpriseFactory(tax_code="5300123456")
    factories.EnterpriseFactory(tax_code="5300123456-001")
    factories.EnterpriseFactory(tax_code="5300123456-002")
    assert Enterprise.objects.filter(tax_code__startswith="5300123456").count() == 3


@pytest.mark.parametrize("tax_code", ["5300123456", "0101234567-001", "0000000000"])
def test_the_validator_accepts_ten_digits_or_a_branch(tax_code):
    tax_code_validator(tax_code)


@pytest.mark.parametrize(
    "tax_code",
    [
        "530012345",
        "53001234567",
        "53001234AB",
        "5300123456-01",
        "5300123456-0011",
        "5300123456-",
        "5300-123456",
        " 5300123456",
        "5300123456 ",
        "",
        "5300123456\n",
        "٥٣٠٠١٢٣٤٥٦",
    ],
)
def test_the_validator_refuses_anything_else(tax_code):
    with pytest.raises(ValidationError) as raised:
        tax_code_validator(tax_code)
    assert raised.value.code == "invalid_tax_code"


class TestOneActiveOrganisationPerKind:
    def test_a_second_active_organisation_of_a_kind_is_refused(self, enterprise_a):
        factories.OrganisationFactory(enterprise=enterprise_a, kind=Organisation.Kind.TRADE_UNION)
        refused(
            lambda: factories.OrganisationFactory(
                enterprise=enterprise_a, kind=Organisation.Kind.TRADE_UNION
            ),
        )

    def test_a_new_one_may_follow_a_dissolved_one(self, enterprise_a):
        factories.OrganisationFactory(
            enterprise=enterprise_a,
            kind=Organisation.Kind.PARTY,
            founded_on=datetime.date(2015, 1, 1),
            dissolved_on=datetime.date(2022, 6, 30),
        )
        factories.OrganisationFactory(
            enterprise=enterprise_a,
            kind=Organisation.Kind.PARTY,
            founded_on=datetime.date(2023, 3, 1),
        )
        assert enterprise_a.organisations.filter(kind=Organisation.Kind.PARTY).count() == 2

    def test_reviving_a_dissolved_one_beside_an_active_one_is_refused(self, enterprise_a):
        dissolved = factories.OrganisationFactory(
            enterprise=enterprise_a,
            kind=Organisation.Kind.PARTY,
            founded_on=datetime.date(2015, 1, 1),
            dissolved_on=datetime.date(2022, 6, 30),
        )
        factories.OrganisationFactory(enterprise=enterprise_a, kind=Organisation.Kind.PARTY)
        refused(lambda: Organisation.objects.filter(pk=dissolved.pk).update(dissolved_on=None))

    def test_organisations_of_different_kinds_stand_side_by_side(self, enterprise_a):
        for kind in Organisation.Kind.values:
            factories.OrganisationFactory(enterprise=enterprise_a, kind=kind)
        assert enterprise_a.organisations.count() == len(Organisation.Kind.values)

    def test_another_enterprise_may_have_its_own(self, enterprise_a, enterprise_b):
        factories.OrganisationFactory(enterprise=enterprise_a, kind=Organisation.Kind.PARTY)
        factories.OrganisationFactory(enterprise=enterprise_b, kind=Organisation.Kind.PARTY)


@pytest.mark.parametrize(
    ("build", "constraint"),
    [
        (
            lambda: factories.OrganisationFactory(
                kind=Organisation.Kind.TRADE_UNION, form=Organisation.Form.GRASSROOTS_CELL
            ),
            "organisation_form_only_for_party",
        ),
        (
            lambda: factories.TaskFactory(status="done", completed_on=None),
            "task_done_has_completed_on",
        ),
        (
            lambda: factories.ProgrammeReviewFactory(status="final", frozen_figures=None),
            "programmereview_final_has_figures",
        ),
        (lambda: factories.ZoneFactory(area_ha=-1), "zone_area_not_negative"),
        (
            lambda: factories.BodyFactory(
                valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2019, 1, 1)
            ),
            "body_valid_dates_in_order",
        ),
    ],
    ids=[
        "form-only-for-party",
        "done-task-dated",
        "final-review-frozen",
        "zone-area",
        "body-dates",
    ],
)
def test_other_rules_are_refused(build, constraint):
    refused(build, constraint)


def _review_and_area() -> dict:
    review = factories.ProgrammeReviewFactory()
    return {
        "review": review,
        "content_area": factories.ContentAreaFactory(programme=review.programme),
    }


@pytest.mark.parametrize(
    "duplicate",
    [
        lambda: factories.AnnualReturnFactory.create_batch(
            2, enterprise=factories.EnterpriseFactory(), year=2023
        ),
        lambda: factories.OrganisationRatingFactory.create_batch(
            2, organisation=factories.OrganisationFactory(), year=2023
        ),
        lambda: factories.ContentAreaFactory.create_batch(
            2, programme=factories.ProgrammeFactory(), position=1
        ),
        lambda: factories.IndicatorTargetFactory.create_batch(
            2, indicator=factories.IndicatorFactory(), year=2024
        ),
        lambda: factories.ReviewSectionFactory.create_batch(2, **_review_and_area()),
    ],
    ids=["return-per-year", "rating-per-year", "area-position", "target-per-year", "section"],
)
def test_one_per_natural_key(duplicate):
    refused(duplicate)
