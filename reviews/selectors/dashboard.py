"""What the dashboard shows besides the assessment: the largest zones and the viewer's to-do
list."""

from django.db.models import (
    Case,
    Count,
    F,
    Q,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext

from coordination.cache import cached, covers
from coordination.roles import is_reviewer
from enterprises.models import Enterprise
from enterprises.selectors import (
    official_zone_ids,
    operating_on,
    year_end,
)

from ..models import AnnualReturn
from .returns import return_queue, with_year_return

DASHBOARD_ZONES = 15
"""Zones the dashboard's chart and zone table show, the largest; a link shows them all."""


def largest_zones(rows: list[dict], count: int) -> list[dict]:
    """The breakdown's zone rows with the most operating enterprises, largest first (rows of
    the same size keep their name order)."""
    return sorted(rows, key=lambda row: -row["enterprises"])[:count]


TODO_ITEMS = 10


def _status_label(status: str | None) -> str:
    return AnnualReturn.Status(status).label if status else gettext("No return")


def todo_for(*, user, year: int | None = None) -> dict:
    """What the user should do next: for an official, the operating enterprises of their zones
    whose return for the year is missing, a draft or returned; for a reviewer, the returns
    waiting for review. Counts, and the first few items of each list, cached until the next
    write per user and role (the zones of an official are data, their groups are not)."""
    year = year or timezone.localdate().year
    reviewer = is_reviewer(user)
    # a reviewer's queue holds every zone's returns of every year
    covering = covers() if reviewer else covers(official_zone_ids(user), [year])
    todo = cached(f"todo:{year}:{user.pk}:{reviewer}", lambda: _todo(user, year), covering=covering)
    if todo["official"]:
        for item in todo["official"]["items"]:
            item["status_label"] = _status_label(item["return_status"])
    return todo


def _todo(user, year: int) -> dict:
    todo: dict = {"year": year, "official": None, "reviewer": None}
    zone_ids = official_zone_ids(user)
    if zone_ids:
        operating = Enterprise.objects.filter(operating_on(year_end(year)), zone_id__in=zone_ids)
        pending = with_year_return(operating, year).filter(
            Q(return_status__isnull=True)
            | Q(return_status__in=[AnnualReturn.Status.DRAFT, AnnualReturn.Status.RETURNED])
        )
        counts = pending.aggregate(
            missing=Count("pk", filter=Q(return_status__isnull=True)),
            draft=Count("pk", filter=Q(return_status=AnnualReturn.Status.DRAFT)),
            returned=Count("pk", filter=Q(return_status=AnnualReturn.Status.RETURNED)),
        )
        first_items = pending.order_by(
            Case(
                When(return_status=AnnualReturn.Status.RETURNED, then=0),
                When(return_status__isnull=True, then=1),
                default=2,
            ),
            "name",
            "pk",
        ).values("pk", "name", "return_status")[:TODO_ITEMS]
        todo["official"] = {
            "counts": counts,
            "total": sum(counts.values()),
            "items": list(first_items),
        }
    if is_reviewer(user):
        # the queue's order with its status known: the first ones read from an index
        waiting = return_queue(user=user, status=AnnualReturn.Status.SUBMITTED).order_by(
            F("submitted_at").asc(nulls_last=True), "-year", "enterprise__name", "pk"
        )
        todo["reviewer"] = {
            "count": waiting.count(),
            "items": list(waiting.values("enterprise_id", "enterprise__name", "year")[:TODO_ITEMS]),
        }
    return todo
