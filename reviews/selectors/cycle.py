"""Reads of the reporting cycle within the viewer's scope: the completeness and timeliness of
a year's returns, the data-quality flags to check, the exceptions to the years' locks (the
calendar itself is selectors.calendar's)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.cache import cached
from coordination.roles import OFFICIALS, sees_everything
from enterprises.models import Zone
from enterprises.selectors import (
    official_zone_ids,
    operated_during,
    scope_covers,
    scope_key,
    visible_enterprises,
    zones_with_descendants,
)

from ..models import AnnualReturn, LockException, QualityFlag
from ..rules import QUALITY_RULES
from .calendar import Calendar, calendar_of, calendars, zone_parents, zones_around
from .figures import top_zones
from .returns import join_year_return, visible_returns

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
COLUMN_LABELS = {
    "expected": _("Expected"),
    "missing": _("Missing"),
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "returned": _("Returned"),
    "accepted": _("Accepted"),
    "on_time": _("On time"),
    "late": _("Late"),
}


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
    each official works in, as far as the viewer sees them); cached until the next write."""
    return cached(
        f"completeness:{scope_key(user)}:{year}",
        lambda: _completeness(user, year),
        covering=scope_covers(user, [year]),
    )


def _completeness(user, year: int) -> dict:
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


def reporting_year_totals(*, user) -> dict:
    """The reporting year's counts in all (the year reporting_year_choice opens on), for the
    dashboard's panel; cached until the next write."""

    def compute() -> dict:
        year, _years, calendar = _reporting_year(None)
        by_zone = _zone_counts(user=user, year=year, calendar=calendar)
        return {"calendar": calendar, "year": year, "total": _summed(by_zone.values())}

    year = reporting_year_choice(None)[0]
    key = f"reporting-year-totals:{scope_key(user)}:{timezone.localdate()}"
    return cached(key, compute, covering=scope_covers(user, [year]))


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
    parents = zone_parents()
    around = {pk: zones_around(pk, parents) for pk in by_zone}
    rows = []
    for official in officials:
        zone_ids = zones_of.get(official.pk, set())
        counts = _summed(row for pk, row in by_zone.items() if around[pk] & zone_ids)
        if counts["expected"]:
            rows.append({"official": official, "counts": counts})
    return rows


def flag_text(flag: QualityFlag) -> str:
    """What a flag says, in the active language (its rule's code before a colon names it)."""
    rule = QUALITY_RULES.get(flag.rule.split(":")[0])
    return rule.text(flag.figures) if rule else flag.rule


def open_quality_flags(annual_return: AnnualReturn) -> list[tuple[QualityFlag, str]]:
    """The return's data-quality flags nobody closed yet, each with what it says."""
    return [
        (flag, flag_text(flag))
        for flag in annual_return.quality_flags.filter(closed_at__isnull=True).order_by("pk")
    ]


def quality_queue(*, user, year: int | None = None, zone: Zone | None = None):
    """The open data-quality flags of the returns the user sees, by zone and enterprise."""
    flags = QualityFlag.objects.filter(
        closed_at__isnull=True, annual_return__in=visible_returns(user)
    )
    if year:
        flags = flags.filter(annual_return__year=year)
    if zone is not None:
        flags = flags.filter(
            annual_return__enterprise__zone_id__in=zones_with_descendants({zone.pk})
        )
    return flags.select_related("annual_return__enterprise__zone").order_by(
        "annual_return__enterprise__zone__name",
        "annual_return__enterprise__name",
        "-annual_return__year",
        "pk",
    )


def visible_lock_exceptions(*, user):
    """The lock exceptions of the enterprises and zones the user sees, latest first."""
    exceptions = LockException.objects.select_related("enterprise", "zone", "created_by")
    if sees_everything(user):
        return exceptions
    zones = official_zone_ids(user)
    return exceptions.filter(Q(enterprise__zone_id__in=zones) | Q(zone_id__in=zones))


def reporting_year_choice(requested: int | None) -> tuple[int, list[int]]:
    """The year a cycle page shows: the one asked for, else the latest year whose returns
    are open (a year's returns are filed in the next); with the years to choose from."""
    year, years, _calendar = _reporting_year(requested)
    return year, years


def _reporting_year(requested: int | None) -> tuple[int, list[int], Calendar]:
    today = timezone.localdate()
    years = list(range(today.year, today.year - 6, -1))
    by_year = calendars(years)
    default = next((year for year in years if by_year[year].opens_on <= today), today.year - 1)
    year = requested if requested in years else default
    return year, years, by_year.get(year) or calendar_of(year)


# -- Bulk review ---------------------------------------------------------------------------------

ACCEPTED, RETURNED, CHANGED, HELD = "accepted", "returned", "changed", "held"
OUTCOMES = {
    ACCEPTED: _("Accepted"),
    RETURNED: _("Returned to the officials"),
    CHANGED: _("Not reviewed: it changed after the list was opened"),
    HELD: _("Held back: it has open data-quality flags"),
}


@dataclass(frozen=True)
class BulkResult:
    annual_return_id: int
    outcome: str


def bulk_summary(results) -> dict:
    """A bulk review's results (services.cycle.bulk_review) for its page: how many had each
    outcome, and the returns that were left alone, with their enterprise."""
    counts = {outcome: 0 for outcome in OUTCOMES}
    for result in results:
        counts[result.outcome] += 1
    left = [r.annual_return_id for r in results if r.outcome not in (ACCEPTED, RETURNED)]
    outcome_of = {r.annual_return_id: r.outcome for r in results}
    rows = [
        {"annual_return": annual_return, "outcome": OUTCOMES[outcome_of[annual_return.pk]]}
        for annual_return in AnnualReturn.objects.filter(pk__in=left)
        .select_related("enterprise")
        .order_by("enterprise__name", "year")
    ]
    return {
        "counts": [(OUTCOMES[outcome], count) for outcome, count in counts.items() if count],
        "left": rows,
    }
