"""A return's timeline on its page, read from its history: created, figures changed (from what
to what), submitted, returned with the reason, accepted, changed under a lock exception."""

import datetime

from django.urls import reverse
from django.utils import timezone

from reviews.models import AnnualReturn
from reviews.selectors.timeline import return_timeline
from reviews.services import returns as services
from reviews.services.cycle import open_lock_exception

from . import factories

YEAR = 2024


def save(user, enterprise, version=None, **figures):
    return services.save_return(
        user=user,
        enterprise=enterprise,
        year=YEAR,
        figures=factories.return_form_data(**figures),
        ratings={},
        version=version,
    )


def test_the_timeline_tells_the_returns_story(official_a, reviewer, enterprise_a):
    draft = save(official_a, enterprise_a)
    changed = save(official_a, enterprise_a, version=draft.version, employees=130)
    submitted = services.submit_return(
        user=official_a, annual_return=changed, version=changed.version
    )
    returned = services.send_back_return(
        user=reviewer, annual_return=submitted, version=submitted.version, reason="Sai số nữ"
    )
    again = services.submit_return(
        user=official_a, annual_return=returned, version=returned.version
    )
    services.accept_return(user=reviewer, annual_return=again, version=again.version)
    events = return_timeline(AnnualReturn.objects.get())
    assert [event.what for event in events] == [
        "Created",
        "Figures changed",
        "Submitted to the reviewers",
        "Returned to the officials",
        "Submitted to the reviewers",
        "Accepted",
    ]
    assert events[1].changes == ["Employees: 120 → 130"]
    assert events[3].reason == "Sai số nữ"
    assert events[3].by == reviewer
    assert events[0].by == official_a


def test_a_change_under_a_lock_exception_says_why(official_a, reviewer, enterprise_a):
    draft = save(official_a, enterprise_a)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    factories.ReportingYearFactory(
        year=YEAR, opens_on=yesterday, due_on=yesterday, locks_on=yesterday
    )
    open_lock_exception(
        user=reviewer,
        year=YEAR,
        until=timezone.localdate(),
        reason="Bổ sung số liệu",
        enterprise=enterprise_a,
    )
    save(official_a, enterprise_a, version=draft.version, employees=140)
    last = return_timeline(AnnualReturn.objects.get())[-1]
    assert "Bổ sung số liệu" in last.reason


def test_the_return_page_shows_the_timeline(official_a, enterprise_a):
    draft = save(official_a, enterprise_a)
    save(official_a, enterprise_a, version=draft.version, employees=130)
    page = (
        factories.logged_in(official_a)
        .get(reverse("return_edit", args=[enterprise_a.pk, YEAR]))
        .content.decode()
    )
    assert "Timeline" in page
    assert "Employees: 120 → 130" in page
