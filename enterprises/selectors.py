"""Reads of zones and enterprises, always within what the viewer may see."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from coordination.roles import is_administrator, sees_everything

from .models import Enterprise, Organisation, Zone


def official_zone_ids(user) -> set[int]:
    """The zones a user is an official of, with every zone inside them (parks in an economic zone)."""
    cached = getattr(user, "_official_zone_ids", None)
    if cached is not None:
        return cached
    ids = set(user.official_zones.values_list("pk", flat=True)) if user.is_authenticated else set()
    frontier = ids
    while frontier:
        frontier = set(Zone.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    user._official_zone_ids = ids
    return ids


def visible_zones(user) -> QuerySet[Zone]:
    if sees_everything(user):
        return Zone.objects.all()
    return Zone.objects.filter(pk__in=official_zone_ids(user))


def visible_enterprises(user) -> QuerySet[Enterprise]:
    """The one place that decides which enterprises a user may see."""
    if sees_everything(user):
        return Enterprise.objects.all()
    return Enterprise.objects.filter(zone_id__in=official_zone_ids(user))


def writable_enterprises(user) -> QuerySet[Enterprise]:
    """Officials write in their zones; administrators everywhere; reviewers read only."""
    if is_administrator(user):
        return Enterprise.objects.all()
    return Enterprise.objects.filter(zone_id__in=official_zone_ids(user))


def enterprise_for(user, pk: int, *, write: bool = False) -> Enterprise:
    """The enterprise if the user may see it (or change it, with write), else 404."""
    queryset = writable_enterprises(user) if write else visible_enterprises(user)
    return get_object_or_404(queryset.select_related("zone"), pk=pk)


def organisation_for(user, pk: int, *, write: bool = False) -> Organisation:
    enterprises = writable_enterprises(user) if write else visible_enterprises(user)
    return get_object_or_404(
        Organisation.objects.select_related("enterprise__zone").filter(enterprise__in=enterprises),
        pk=pk,
    )


def year_end(year: int) -> datetime.date:
    """Stock figures count what stands on 31 December of the year."""
    return datetime.date(year, 12, 31)


def operating_on(day: datetime.date) -> Q:
    """Enterprises founded by the day and not closed by it; one under construction is not yet
    operating, and one marked closed without a date counts as closed on every day."""
    return (
        (Q(founded_on__isnull=True) | Q(founded_on__lte=day))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        & ~Q(status=Enterprise.Status.BUILDING)
        & ~Q(status=Enterprise.Status.CLOSED, closed_on__isnull=True)
    )


def organisations_active_on(day: datetime.date) -> Q:
    """On Organisation: founded by the day and not dissolved by it."""
    return Q(founded_on__lte=day) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))


def has_organisation_on(kind: str, day: datetime.date) -> Exists:
    """On Enterprise: it has an active organisation of the kind on the day."""
    return Exists(
        Organisation.objects.filter(
            organisations_active_on(day), enterprise=OuterRef("pk"), kind=kind
        )
    )
