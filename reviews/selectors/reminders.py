"""What the daily reminders say (reads only): for an official, the returns of their zones that
are missing, draft or returned when the year is near or past its due date and not locked; for
a reviewer, the returns waiting for review."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

from enterprises.selectors import operated_during, visible_enterprises

from ..models import AnnualReturn, ReminderSent
from .calendar import Calendar, calendars
from .returns import join_year_return, visible_returns

LISTED = 100
"""A digest lists this many returns at most, and says how many more there are."""
YEARS_BACK = 5
"""The years a reminder looks back on, before the day's."""


@dataclass(frozen=True)
class DigestLine:
    enterprise: str
    year: int
    state: str
    url: str
    due_on: datetime.date


@dataclass
class Digest:
    user: object
    kind: str
    lines: list[DigestLine] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.lines)


def _link(enterprise_id: int, year: int) -> str:
    return settings.SITE_URL + reverse("return_edit", args=[enterprise_id, year])


def years_to_chase(day: datetime.date) -> list[Calendar]:
    """The years whose returns are open, due within REMINDER_DAYS_BEFORE_DUE days or past due,
    and not locked on the day."""
    near = day + datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE_DUE)
    by_year = calendars(range(day.year - YEARS_BACK, day.year + 1))
    return [
        calendar
        for calendar in by_year.values()
        if calendar.opens_on <= day and calendar.due_on <= near and not calendar.is_locked(day)
    ]


def official_digest(*, user, day: datetime.date) -> Digest:
    """The returns of the official's zones still to be completed: missing, draft or returned."""
    digest = Digest(user, ReminderSent.Kind.OFFICIAL)
    unfinished = Q(year_return__isnull=True) | Q(
        year_return__status__in=(AnnualReturn.Status.DRAFT, AnnualReturn.Status.RETURNED)
    )
    for calendar in sorted(years_to_chase(day), key=lambda c: c.year):
        enterprises = (
            join_year_return(
                visible_enterprises(user).filter(operated_during(calendar.year)), calendar.year
            )
            .filter(unfinished)
            .order_by("name", "pk")
            .values("pk", "name", "year_return__status")
        )
        digest.total += enterprises.count()
        for row in enterprises[: max(LISTED - len(digest.lines), 0)]:
            status = row["year_return__status"]
            digest.lines.append(
                DigestLine(
                    row["name"],
                    calendar.year,
                    AnnualReturn.Status(status).label if status else _missing(),
                    _link(row["pk"], calendar.year),
                    calendar.due_on,
                )
            )
    return digest


def _missing() -> str:
    return gettext("Not entered")


def reviewer_digest(*, user, day: datetime.date) -> Digest:
    """The submitted returns waiting for a reviewer, oldest submission first."""
    digest = Digest(user, ReminderSent.Kind.REVIEWER)
    waiting = visible_returns(user).filter(status=AnnualReturn.Status.SUBMITTED, year__lte=day.year)
    digest.total = waiting.count()
    rows = waiting.order_by("submitted_at", "pk").values(
        "enterprise_id", "enterprise__name", "year"
    )
    by_year = calendars({row["year"] for row in rows[:LISTED]})
    for row in rows[:LISTED]:
        digest.lines.append(
            DigestLine(
                row["enterprise__name"],
                row["year"],
                AnnualReturn.Status.SUBMITTED.label,
                _link(row["enterprise_id"], row["year"]),
                by_year[row["year"]].due_on,
            )
        )
    return digest
