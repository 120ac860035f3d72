"""Keeping the totals (models.totals) current. Whenever a write names the zones it changed
(enterprises.changes), `refresh_totals` recounts those zones' totals of the years kept, from the
rows, in the writer's transaction: cheap (a zone's enterprises, not the country's) and always
right. `ensure_year` builds a year in full the first time its totals are read; `rebuild_totals`
recounts every year kept.

A refresh takes a lock on its zones' rows (FOR NO KEY UPDATE: it keeps nobody from adding an
enterprise to them) until its transaction ends, and so does a build on every zone: a write in a
zone waits for another write in the same zone only from the moment that one refreshes its totals
to its commit, writes in other zones never, and a year being built sees every write before it or
is refreshed by it."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, QuerySet

from enterprises.changes import zones_changed
from enterprises.models import Enterprise, Zone

from .models import FigureTotals, OrganisationRating, RatingTotals, TotalsYear
from .models.totals import COUNTED, column
from .selectors.definitions import Counting
from .selectors.figures import year_groups


def _lock(zones: set[int] | None) -> None:
    rows = Zone.objects.order_by("pk").select_for_update(no_key=True)
    if zones is not None:
        rows = rows.filter(pk__in=zones)
    list(rows.values_list("pk", flat=True))


def _of_zones(queryset: QuerySet, zones: set[int] | None, field: str = "zone_id") -> QuerySet:
    return queryset if zones is None else queryset.filter(**{f"{field}__in": zones})


def _count(zones: set[int] | None, year: int) -> None:
    """Recounts the zones' (None: every zone's) totals of the year."""
    groups = year_groups(_of_zones(Enterprise.objects.all(), zones), Counting(year))
    _of_zones(FigureTotals.objects.filter(year=year), zones).delete()
    FigureTotals.objects.bulk_create(
        FigureTotals(
            zone_id=group["zone"],
            year=year,
            ownership=group["ownership"],
            band=group["band"],
            **{column(name): group[name] for name in COUNTED},
        )
        for group in groups
    )
    ratings = (
        _of_zones(
            OrganisationRating.objects.filter(year=year), zones, "organisation__enterprise__zone_id"
        )
        .values("organisation__enterprise__zone_id", "organisation__kind", "rating")
        .annotate(count=Count("pk"))
        .order_by()
    )
    _of_zones(RatingTotals.objects.filter(year=year), zones).delete()
    RatingTotals.objects.bulk_create(
        RatingTotals(
            zone_id=row["organisation__enterprise__zone_id"],
            year=year,
            kind=row["organisation__kind"],
            rating=row["rating"],
            count=row["count"],
        )
        for row in ratings
    )


def refresh_totals(*, zones: Iterable[int], since: int | None = None) -> None:
    """Recounts the zones' totals of every year kept from `since` on (None: of every year)."""
    zones = set(zones)
    with transaction.atomic():
        _lock(zones)
        years = TotalsYear.objects.order_by("year").values_list("year", flat=True)
        if since is not None:
            years = years.filter(year__gte=since)
        for year in years:
            _count(zones, year)


def ensure_year(year: int) -> None:
    """Builds the year's totals unless they are kept already."""
    if TotalsYear.objects.filter(year=year).exists():
        return
    with transaction.atomic():
        _lock(None)
        if TotalsYear.objects.filter(year=year).exists():  # built while we waited
            return
        _count(None, year)
        TotalsYear.objects.create(year=year)


def rebuild_totals(*, years: Iterable[int] = ()) -> list[int]:
    """Recounts every year kept and `years`, in full; returns the years."""
    with transaction.atomic():
        _lock(None)
        kept = set(TotalsYear.objects.values_list("year", flat=True)) | set(years)
        for year in sorted(kept):
            _count(None, year)
            TotalsYear.objects.get_or_create(year=year)
    return sorted(kept)


def _zones_changed(sender, *, zones: frozenset[int], since: int | None, **kwargs) -> None:
    refresh_totals(zones=zones, since=since)


def connect() -> None:
    zones_changed.connect(_zones_changed, dispatch_uid="refresh-totals")
