"""The reporting calendar and the year's lock: defaults from the settings, a return submitted on
its due date or the day after, a lock that passes while a form is open, exceptions that open a
locked year for an enterprise or a zone (and expire), and the reason carried into the history."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from reviews.models import AnnualReturn
from reviews.selectors.calendar import calendar_of
from reviews.selectors.cycle import completeness, visible_lock_exceptions
from reviews.services import returns as services
from reviews.services.cycle import open_lock_exception
from reviews.services.errors import ReturnNotAllowed, YearLocked

from . import factories

YEAR = 2024
ONE_DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def edit_url(enterprise, year=YEAR):
    return reverse("return_edit", args=[enterprise.pk, year])


def lock_the_year(year=YEAR, *, locks_on=None):
    """The year's calendar with its lock date passed (yesterday, unless given)."""
    locks_on = locks_on or today() - ONE_DAY
    return factories.ReportingYearFactory(
        year=year,
        opens_on=locks_on - 60 * ONE_DAY,
        due_on=locks_on - 30 * ONE_DAY,
        locks_on=locks_on,
    )


def test_a_year_without_its_own_dates_follows_the_settings(db, settings):
    settings.RETURNS_OPEN, settings.RETURNS_DUE, settings.RETURNS_LOCK = "01-15", "02-10", "04-30"
    calendar = calendar_of(2025)
    assert (calendar.opens_on, calendar.due_on, calendar.locks_on) == (
        datetime.date(2026, 1, 15),
        datetime.date(2026, 2, 10),
        datetime.date(2026, 4, 30),
    )
    assert calendar.is_locked(datetime.date(2026, 5, 1))
    assert not calendar.is_locked(datetime.date(2026, 4, 30))


def test_a_years_own_dates_win_over_the_settings(db, settings):
    settings.RETURNS_LOCK = "03-31"
    factories.ReportingYearFactory(
        year=2025, opens_on="2026-01-01", due_on="2026-02-28", locks_on="2026-06-30"
    )
    assert calendar_of(2025).due_on == datetime.date(2026, 2, 28)
    assert calendar_of(2025).locks_on == datetime.date(2026, 6, 30)


def test_the_dates_must_come_in_order(db):
    with pytest.raises(IntegrityError):
        factories.ReportingYearFactory(
            year=2025, opens_on="2026-01-01", due_on="2026-04-01", locks_on="2026-03-31"
        )


@pytest.mark.parametrize(("due_on_offset", "on_time"), [(0, True), (-1, False)])
def test_a_return_submitted_on_its_due_date_is_on_time_and_the_day_after_late(
    official_a, enterprise_a, due_on_offset, on_time
):
    due_on = today() + due_on_offset * ONE_DAY
    factories.ReportingYearFactory(
        year=YEAR, opens_on=due_on - 30 * ONE_DAY, due_on=due_on, locks_on=due_on + 60 * ONE_DAY
    )
    response = factories.logged_in(official_a).post(
        edit_url(enterprise_a), factories.return_form_data(action="submit")
    )
    assert response.status_code == 302
    counts = completeness(user=official_a, year=YEAR)["total"]
    assert (counts["on_time"], counts["late"]) == ((1, 0) if on_time else (0, 1))
    assert counts["submitted"] == counts["expected"] == 1


def test_after_the_lock_the_page_says_so_and_offers_no_form(official_a, enterprise_a):
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
    lock_the_year()
    page = factories.logged_in(official_a).get(edit_url(enterprise_a)).content.decode()
    assert "locked after" in page
    assert 'name="employees"' not in page


def test_a_lock_passing_while_the_form_is_open_refuses_the_save_and_keeps_the_input(
    official_a, enterprise_a
):
    annual_return = factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
    client = factories.logged_in(official_a)
    assert 'name="employees"' in client.get(edit_url(enterprise_a)).content.decode()
    lock_the_year()  # the lock date passes while the official types
    data = factories.return_form_data(employees=4321, seen_version=annual_return.version)
    response = client.post(edit_url(enterprise_a), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "locked after" in page
    assert 'value="4321"' in page  # what was typed is still on the page
    annual_return.refresh_from_db()
    assert annual_return.employees == 100
    assert annual_return.version == 1


def test_a_locked_year_refuses_a_new_return_and_a_submission(official_a, enterprise_a):
    lock_the_year()
    with pytest.raises(YearLocked):
        services.save_return(
            user=official_a,
            enterprise=enterprise_a,
            year=YEAR,
            figures=factories.return_form_data(),
            ratings={},
            version=None,
        )
    draft = factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
    with pytest.raises(YearLocked):
        services.submit_return(user=official_a, annual_return=draft, version=draft.version)
    assert not AnnualReturn.objects.filter(status="submitted").exists()


def test_other_years_stay_open(official_a, enterprise_a):
    lock_the_year(YEAR - 1)
    response = factories.logged_in(official_a).post(
        edit_url(enterprise_a), factories.return_form_data()
    )
    assert response.status_code == 302
    assert AnnualReturn.objects.filter(year=YEAR).exists()


@pytest.mark.parametrize("scope", ["enterprise", "zone"])
def test_an_exception_opens_the_year_and_its_reason_goes_into_the_history(
    official_a, reviewer, enterprise_a, zone_a, scope
):
    lock_the_year()
    park = factories.ZoneFactory(parent=zone_a)
    enterprise_a.zone = park
    enterprise_a.save()
    target = {"enterprise": enterprise_a} if scope == "enterprise" else {"zone": zone_a}
    open_lock_exception(
        user=reviewer, year=YEAR, until=today(), reason="Sổ sách kiểm toán lại", **target
    )
    response = factories.logged_in(official_a).post(
        edit_url(enterprise_a), factories.return_form_data(action="submit")
    )
    assert response.status_code == 302
    saved = AnnualReturn.objects.get()
    assert saved.status == AnnualReturn.Status.SUBMITTED
    reasons = set(saved.history.values_list("history_change_reason", flat=True))
    assert any("Sổ sách kiểm toán lại" in (reason or "") for reason in reasons)


def test_an_exception_for_another_enterprise_opens_nothing(
    official_a, reviewer, enterprise_a, zone_a
):
    lock_the_year()
    other = factories.EnterpriseFactory(zone=zone_a)
    open_lock_exception(user=reviewer, year=YEAR, until=today(), reason="x", enterprise=other)
    response = factories.logged_in(official_a).post(
        edit_url(enterprise_a), factories.return_form_data()
    )
    assert response.status_code == 200
    assert not AnnualReturn.objects.exists()


def test_an_exception_that_expired_opens_nothing(official_a, reviewer, enterprise_a):
    lock_the_year(locks_on=today() - 10 * ONE_DAY)
    open_lock_exception(
        user=reviewer, year=YEAR, until=today() - ONE_DAY, reason="x", enterprise=enterprise_a
    )
    response = factories.logged_in(official_a).post(
        edit_url(enterprise_a), factories.return_form_data()
    )
    assert response.status_code == 200
    assert "locked after" in response.content.decode()
    assert not AnnualReturn.objects.exists()


def test_only_reviewers_open_exceptions(official_a, enterprise_a):
    with pytest.raises(ReturnNotAllowed):
        open_lock_exception(
            user=official_a, year=YEAR, until=today(), reason="x", enterprise=enterprise_a
        )
    response = factories.logged_in(official_a).post(
        reverse("lock_exceptions"),
        {"year": YEAR, "tax_code": enterprise_a.tax_code, "until": today(), "reason": "x"},
    )
    assert response.status_code == 403


def test_a_reviewer_opens_an_exception_on_the_page(reviewer, enterprise_a):
    response = factories.logged_in(reviewer).post(
        reverse("lock_exceptions"),
        {"year": YEAR, "tax_code": enterprise_a.tax_code, "until": today(), "reason": "Late"},
    )
    assert response.status_code == 302
    exception = enterprise_a.lock_exceptions.get()
    assert (exception.created_by, exception.reason) == (reviewer, "Late")
    page = factories.logged_in(reviewer).get(reverse("lock_exceptions")).content.decode()
    assert enterprise_a.name in page


def test_an_exception_names_an_enterprise_or_a_zone_not_both(reviewer, enterprise_a, zone_a):
    response = factories.logged_in(reviewer).post(
        reverse("lock_exceptions"),
        {
            "year": YEAR,
            "tax_code": enterprise_a.tax_code,
            "zone": zone_a.pk,
            "until": today(),
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert not enterprise_a.lock_exceptions.exists()


def test_an_official_of_another_zone_sees_no_exception_of_zone_a(
    reviewer, official_b, enterprise_a
):
    open_lock_exception(
        user=reviewer, year=YEAR, until=today(), reason="x", enterprise=enterprise_a
    )
    assert not visible_lock_exceptions(user=official_b).exists()
    assert visible_lock_exceptions(user=reviewer).count() == 1
