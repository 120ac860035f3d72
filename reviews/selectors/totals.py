"""Reading the totals (models.totals) that services.totals keeps: a year's counts within a set of
zones, summed by zone, ownership and size band in the database, and the ratings."""

from django.db.models import CharField, QuerySet, Sum, Value
from django.db.models.functions import Cast

from ..models import FigureTotals, RatingTotals
from ..models.totals import COUNTED, column


def _in_zones(queryset: QuerySet, zones: set[int] | None) -> QuerySet:
    return queryset if zones is None else queryset.filter(zone_id__in=zones)


GROUPED_BY = ("zone", "ownership", "band")


def kept_counts(zones: set[int] | None, year: int) -> dict[str, dict]:
    """The year's counts (COUNTED) of the zones (None: every zone), summed by zone, by ownership
    and by size band (GROUPED_BY), in one query."""
    kept = _in_zones(FigureTotals.objects.filter(year=year), zones).order_by()
    sums = {column(name): Sum(column(name)) for name in COUNTED}
    parts = [
        kept.values(key=Cast(by, CharField()))
        .annotate(grouped_by=Value(by), **sums)
        .values("grouped_by", "key", *sums)
        for by in GROUPED_BY
    ]
    counts: dict[str, dict] = {by: {} for by in GROUPED_BY}
    for row in parts[0].union(*parts[1:], all=True):
        key = int(row["key"]) if row["grouped_by"] == "zone" else row["key"]
        counts[row["grouped_by"]][key] = {name: int(row[column(name)] or 0) for name in COUNTED}
    return counts


def kept_ratings(zones: set[int] | None, year: int) -> list[tuple[str, str, int]]:
    """(kind, rating, count) of the year's ratings of the zones' organisations."""
    rows = (
        _in_zones(RatingTotals.objects.filter(year=year), zones)
        .values_list("kind", "rating")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return [(kind, rating, int(total)) for kind, rating, total in rows]
