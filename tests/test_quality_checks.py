"""Data-quality checks: rules that flag a submitted return without blocking it (a jump from last
year, union members above last year's employees, a party organisation under 3 members, figures
copied from last year, no employees), with their thresholds from the settings; the "to check"
queue per zone, closable with a note by reviewers; the flags on the return page."""

import pytest
from django.urls import reverse

from enterprises.models import Organisation
from reviews.models import AnnualReturn, QualityFlag
from reviews.services import returns as services

from . import factories

YEAR = 2024
Status = AnnualReturn.Status


def submit(user, enterprise, **figures) -> AnnualReturn:
    """Last year's return as the factory makes it, and this year's submitted with `figures`."""
    data = factories.return_form_data(**figures)
    saved = services.save_return(
        user=user, enterprise=enterprise, year=YEAR, figures=data, ratings={}, version=None
    )
    return services.submit_return(user=user, annual_return=saved, version=saved.version)


def rules_raised(annual_return) -> set[str]:
    return set(annual_return.quality_flags.values_list("rule", flat=True))


@pytest.fixture
def last_year(enterprise_a):
    return factories.AnnualReturnFactory(
        enterprise=enterprise_a,
        year=YEAR - 1,
        status=Status.ACCEPTED,
        employees=100,
        female_employees=50,
        party_members=5,
        union_members=80,
    )


def test_a_plain_return_raises_nothing(official_a, enterprise_a, last_year):
    submitted = submit(official_a, enterprise_a, employees=110, union_members=85)
    assert submitted.status == Status.SUBMITTED
    assert rules_raised(submitted) == set()


def test_a_jump_from_last_year_is_flagged_by_the_settings_threshold(
    official_a, enterprise_a, last_year, settings
):
    settings.QUALITY_JUMP_SHARE, settings.QUALITY_JUMP_MINIMUM = 50, 10
    submitted = submit(official_a, enterprise_a, employees=160, union_members=80)
    assert "jump:employees" in rules_raised(submitted)
    flag = submitted.quality_flags.get(rule="jump:employees")
    assert (flag.figures["last"], flag.figures["now"]) == (100, 160)


def test_a_smaller_jump_than_the_threshold_is_not_flagged(
    official_a, enterprise_a, last_year, settings
):
    settings.QUALITY_JUMP_SHARE = 70
    submitted = submit(official_a, enterprise_a, employees=160, union_members=80)
    assert "jump:employees" not in rules_raised(submitted)


def test_union_members_above_last_years_employees(official_a, enterprise_a, last_year):
    submitted = submit(official_a, enterprise_a, employees=130, union_members=120)
    assert "union_above_last_employees" in rules_raised(submitted)


def test_a_party_organisation_under_three_members(official_a, enterprise_a):
    factories.OrganisationFactory(enterprise=enterprise_a, kind=Organisation.Kind.PARTY)
    submitted = submit(official_a, enterprise_a, party_members=2, new_party_members=0)
    assert "party_organisation_below_minimum" in rules_raised(submitted)


def test_figures_identical_to_last_year(official_a, enterprise_a, last_year):
    figures = {name: getattr(last_year, name) for name in services.COUNT_FIELDS}
    submitted = submit(official_a, enterprise_a, **figures, explanation="Như năm trước")
    assert "same_as_last_year" in rules_raised(submitted)


def test_no_employees_in_an_operating_enterprise(official_a, enterprise_a):
    submitted = submit(
        official_a,
        enterprise_a,
        employees=0,
        female_employees=0,
        union_members=0,
        party_members=0,
        new_party_members=0,
        explanation="Tạm ngừng",
    )
    assert "zero_employees" in rules_raised(submitted)


def test_submitting_again_replaces_the_open_flags(official_a, reviewer, enterprise_a, last_year):
    submitted = submit(official_a, enterprise_a, employees=160, union_members=80)
    returned = services.send_back_return(
        user=reviewer, annual_return=submitted, version=submitted.version, reason="Kiểm tra"
    )
    saved = services.save_return(
        user=official_a,
        enterprise=enterprise_a,
        year=YEAR,
        figures=factories.return_form_data(employees=105),
        ratings={},
        version=returned.version,
    )
    again = services.submit_return(user=official_a, annual_return=saved, version=saved.version)
    assert rules_raised(again) == set()


def test_the_queue_lists_flags_of_the_viewers_zones_only(
    official_a, official_b, reviewer, enterprise_a, enterprise_b
):
    factories.QualityFlagFactory(
        annual_return=factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
    )
    factories.QualityFlagFactory(
        annual_return=factories.AnnualReturnFactory(enterprise=enterprise_b, year=YEAR)
    )
    page_a = factories.logged_in(official_a).get(reverse("quality_checks")).content.decode()
    assert enterprise_a.name in page_a and enterprise_b.name not in page_a
    page_all = factories.logged_in(reviewer).get(reverse("quality_checks")).content.decode()
    assert enterprise_a.name in page_all and enterprise_b.name in page_all
    page_zone = (
        factories.logged_in(reviewer)
        .get(reverse("quality_checks"), {"zone": enterprise_b.zone_id})
        .content.decode()
    )
    assert enterprise_a.name not in page_zone and enterprise_b.name in page_zone


def test_a_reviewer_closes_a_flag_with_a_note(reviewer, enterprise_a):
    flag = factories.QualityFlagFactory(
        annual_return=factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
    )
    client = factories.logged_in(reviewer)
    client.post(reverse("quality_flag_close", args=[flag.pk]), {"note": " "})
    flag.refresh_from_db()
    assert flag.closed_at is None
    client.post(reverse("quality_flag_close", args=[flag.pk]), {"note": "Đã xác minh"})
    flag.refresh_from_db()
    assert (flag.closed_by, flag.note) == (reviewer, "Đã xác minh")
    assert enterprise_a.name not in client.get(reverse("quality_checks")).content.decode()


def test_officials_cannot_close_flags(official_a, enterprise_a):
    flag = factories.QualityFlagFactory(
        annual_return=factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
    )
    response = factories.logged_in(official_a).post(
        reverse("quality_flag_close", args=[flag.pk]), {"note": "x"}
    )
    assert response.status_code == 403
    assert QualityFlag.objects.get().closed_at is None


def test_the_reviewer_sees_the_flags_on_the_return_before_accepting(
    official_a, reviewer, enterprise_a, last_year
):
    submit(official_a, enterprise_a, employees=160, union_members=80)
    page = (
        factories.logged_in(reviewer)
        .get(reverse("return_edit", args=[enterprise_a.pk, YEAR]))
        .content.decode()
    )
    assert "To check" in page
    assert "moved from 100 last year to 160" in page
