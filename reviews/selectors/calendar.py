"""A year's reporting calendar (when its returns open, are due and lock) and whether the year
is locked for an enterprise on a day, with the exception that opens it again."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from coordination.cache import NOTHING_SCOPED, cached
from enterprises.models import Enterprise, Zone

from ..models import LockException, ReportingYear


@dataclass(frozen=True)
class Calendar:
    year: int
    opens_on: datetime.date
    due_on: datetime.date
    locks_on: datetime.date | None
    """The last day officials may change the year's returns; None: the year never locks."""

    def is_locked(self, day: datetime.date) -> bool:
        return self.locks_on is not None and day > self.locks_on

    def is_due(self, day: datetime.date) -> bool:
        return day > self.due_on

    def submitted_on_time(self, prefix: str = "") -> Q:
        """On a return: submitted by the end of the due day (in the app's time zone)."""
        return Q(**{f"{prefix}submitted_at__lt": _start_of(self.due_on + datetime.timedelta(1))})

    def submitted_late(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}submitted_at__gte": _start_of(self.due_on + datetime.timedelta(1))})


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _default_day(year: int, month_day: str) -> datetime.date | None:
    """A setting's month-day ("01-31") in the year after `year`; empty: no such day."""
    if not month_day:
        return None
    month, day = (int(part) for part in month_day.split("-"))
    return datetime.date(year + 1, month, day)


def default_calendar(year: int) -> Calendar:
    """The calendar of a year without its own row: the settings RETURNS_OPEN, RETURNS_DUE and
    RETURNS_LOCK, as days of the next year."""
    return Calendar(
        year,
        _default_day(year, settings.RETURNS_OPEN),
        _default_day(year, settings.RETURNS_DUE),
        _default_day(year, settings.RETURNS_LOCK),
    )


def calendar_of(year: int) -> Calendar:
    return calendars([year])[year]


def calendars(years) -> dict[int, Calendar]:
    """The calendars of several years in one query, cached until the next write."""
    years = sorted(set(years))

    def read() -> dict[int, Calendar]:
        rows = {row.year: row for row in ReportingYear.objects.filter(year__in=years)}
        return {
            year: Calendar(year, rows[year].opens_on, rows[year].due_on, rows[year].locks_on)
            if year in rows
            else default_calendar(year)
            for year in years
        }

    defaults = f"{settings.RETURNS_OPEN}:{settings.RETURNS_DUE}:{settings.RETURNS_LOCK}"
    return cached(
        f"calendars:{'-'.join(map(str, years))}:{defaults}", read, covering=NOTHING_SCOPED
    )


def active_exceptions(*, year: int, day: datetime.date):
    """The lock exceptions of the year still open on the day."""
    return LockException.objects.filter(year=year, until__gte=day)


def exception_for(*, enterprise: Enterprise, year: int, day: datetime.date) -> LockException | None:
    """The exception (the latest-running one) that opens a locked year for the enterprise,
    for the enterprise itself or for its zone or a zone around it."""
    around = zones_around(enterprise.zone_id)
    return (
        active_exceptions(year=year, day=day)
        .filter(Q(enterprise=enterprise) | Q(zone_id__in=around))
        .order_by("-until", "-pk")
        .first()
    )


def zone_parents() -> dict[int, int | None]:
    return dict(Zone.objects.values_list("pk", "parent_id"))


def zones_around(zone_id: int, parents: dict | None = None) -> set[int]:
    """The zone and every zone it lies in."""
    parents = zone_parents() if parents is None else parents
    around = set()
    while zone_id is not None and zone_id not in around:
        around.add(zone_id)
        zone_id = parents.get(zone_id)
    return around


@dataclass(frozen=True)
class YearLock:
    """Whether the year is locked for the enterprise today, and the exception that opens it."""

    calendar: Calendar
    locked: bool
    exception: LockException | None = None

    @property
    def closed(self) -> bool:
        return self.locked and self.exception is None


def year_lock(*, enterprise: Enterprise, year: int, day: datetime.date | None = None) -> YearLock:
    day = day or timezone.localdate()
    calendar = calendar_of(year)
    if not calendar.is_locked(day):
        return YearLock(calendar, locked=False)
    return YearLock(
        calendar, locked=True, exception=exception_for(enterprise=enterprise, year=year, day=day)
    )
