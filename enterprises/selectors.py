"""Reads of zones and enterprises, always within what the viewer may see."""

from django.db.models import QuerySet
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
