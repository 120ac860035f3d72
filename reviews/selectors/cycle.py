"""Reads of the reporting cycle: each year's calendar, whether a year is locked for an
enterprise, and the completeness and timeliness of a year's returns within the viewer's scope."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from coordination.roles import OFFICIALS
from enterprises.models import Enterprise, Zone
from enterprises.selectors import operated_during, visible_enterprises

from ..models import AnnualReturn, LockException, ReportingYear
from .figures import top_zones
from .returns import join_year_return


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
    row = ReportingYear.objects.filter(year=year).first()
    if row is None:
        return default_calendar(year)
    return Calendar(year, row.opens_on, row.due_on, row.locks_on)


def calendars(years) -> dict[int, Calendar]:
    """The calendars of several years in one query."""
    rows = {row.year: row for row in ReportingYear.objects.filter(year__in=list(years))}
    return {
        year: Calendar(year, rows[year].opens_on, rows[year].due_on, rows[year].locks_on)
        if year in rows
        else default_calendar(year)
        for year in years
    }


def active_exceptions(*, year: int, day: datetime.date):
    """The lock exceptions of the year still open on the day."""
    return LockException.objects.filter(year=year, until__gte=day)


def exception_for(*, enterprise: Enterprise, year: int, day: datetime.date) -> LockException | None:
    """The exception (the latest-running one) that opens a locked year for the enterprise,
    for the enterprise itself or for its zone or a zone around it."""
    around = _zones_around(enterprise.zone_id)
    return (
        active_exceptions(year=year, day=day)
        .filter(Q(enterprise=enterprise) | Q(zone_id__in=around))
        .order_by("-until", "-pk")
        .first()
    )


def _zone_parents() -> dict[int, int | None]:
    return dict(Zone.objects.values_list("pk", "parent_id"))


def _zones_around(zone_id: int, parents: dict | None = None) -> set[int]:
    """The zone and every zone it lies in."""
    parents = _zone_parents() if parents is None else parents
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


# -- Completeness and timeliness ----------------------------------------------------------------

COLUMNS = (
    "expected",
    "missing",
    "draft",
    "submitted",
    "returned",
    "accepted",
    "on_time",
    "late",
)
"""The counts of the completeness page, in order."""


def _counts(calendar: Calendar) -> dict:
    statuses = AnnualReturn.Status
    return {
        "expected": Count("pk"),
        "missing": Count("pk", filter=Q(year_return__isnull=True)),
        **{
            status: Count("pk", filter=Q(year_return__status=status))
            for status in (
                statuses.DRAFT,
                statuses.SUBMITTED,
                statuses.RETURNED,
                statuses.ACCEPTED,
            )
        },
        "on_time": Count("pk", filter=calendar.submitted_on_time("year_return__")),
        "late": Count("pk", filter=calendar.submitted_late("year_return__")),
    }


def _zone_counts(*, user, year: int, calendar: Calendar) -> dict[int, dict]:
    """The counts of the enterprises expected to return the year, per zone (one query)."""
    rows = (
        join_year_return(visible_enterprises(user).filter(operated_during(year)), year)
        .order_by()
        .values("zone_id")
        .annotate(**_counts(calendar))
    )
    return {row.pop("zone_id"): row for row in rows}


def _summed(rows) -> dict:
    total = dict.fromkeys(COLUMNS, 0)
    for row in rows:
        for name in COLUMNS:
            total[name] += row[name]
    return total


def completeness(*, user, year: int) -> dict:
    """A year's returns within the viewer's scope, counted by top-level zone (with the parks in
    it, as the enterprise list's zone filter counts them), in all, and by official (the zones
    each official works in, as far as the viewer sees them)."""
    calendar = calendar_of(year)
    by_zone = _zone_counts(user=user, year=year, calendar=calendar)
    zones_shown, top_of = top_zones(user)
    zones = []
    for zone in zones_shown:
        counts = _summed(row for pk, row in by_zone.items() if top_of.get(pk) == zone["pk"])
        if counts["expected"]:
            zones.append({"pk": zone["pk"], "name": zone["name"], "counts": counts})
    return {
        "calendar": calendar,
        "zones": zones,
        "total": _summed(by_zone.values()),
        "officials": _by_official(by_zone),
    }


def _by_official(by_zone: dict[int, dict]) -> list[dict]:
    """The counts per official over the zones they work in (with the zones inside them)."""
    User = get_user_model()
    officials = (
        User.objects.filter(groups__name=OFFICIALS, is_active=True, official_zones__isnull=False)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    links = User.official_zones.through.objects.filter(user__in=officials).values_list(
        "user_id", "zone_id"
    )
    zones_of: dict[int, set[int]] = {}
    for user_id, zone_id in links:
        zones_of.setdefault(user_id, set()).add(zone_id)
    parents = _zone_parents()
    rows = []
    for official in officials:
        zone_ids = zones_of.get(official.pk, set())
        counts = _summed(
            row for pk, row in by_zone.items() if _zones_around(pk, parents) & zone_ids
        )
        if counts["expected"]:
            rows.append({"official": official, "counts": counts})
    return rows
