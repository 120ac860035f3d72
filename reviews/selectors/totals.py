"""Reading the totals (models.totals) that services.totals keeps: a year's counts within a set of
zones, summed by zone, ownership and size band in the database, the same to a cut-off date, and
the ratings."""

from django.db.models import CharField, QuerySet, Sum, Value
from django.db.models.functions import Cast

from enterprises.models import Enterprise

from ..models import AnnualReturn, EnterpriseCounts, FigureTotals, RatingTotals
from ..models.totals import COUNTED, column
from .definitions import Counting
from .figures import year_groups


def in_zones(queryset: QuerySet, zones: set[int] | None, field: str = "zone_id") -> QuerySet:
    """The rows of `zones` (None: of every zone), whose zone is `field`."""
    return queryset if zones is None else queryset.filter(**{f"{field}__in": zones})


GROUPED_BY = ("zone", "ownership", "band")


def kept_counts(zones: set[int] | None, year: int) -> dict[str, dict]:
    """The year's counts (COUNTED) of the zones (None: every zone), summed by zone, by ownership
    and by size band (GROUPED_BY), in one query."""
    kept = in_zones(FigureTotals.objects.filter(year=year), zones).order_by()
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


def counts_to_cut_off(
    by: dict[str, dict], zones: set[int] | None, counting: Counting
) -> dict[str, dict]:
    """`by` (kept_counts: the returns accepted by now) as the counting's cut-off date counts
    them: the enterprises with a return up to the year accepted by now but not by the cut-off
    (few, as a review's cut-off is near the day it is held) are counted again, in place of
    their kept counts."""
    counted_later = AnnualReturn.objects.filter(
        Counting(counting.year).counted(), year__lte=counting.year
    ).exclude(counting.counted())
    enterprises = in_zones(Enterprise.objects.all(), zones).filter(
        pk__in=counted_later.values("enterprise_id")
    )
    ids = list(enterprises.values_list("pk", flat=True))
    if not ids:
        return by
    kept = EnterpriseCounts.objects.filter(year=counting.year, enterprise_id__in=ids).values(
        "zone_id", "ownership", "band", *map(column, COUNTED)
    )
    kept_groups = [
        {
            "zone": row["zone_id"],
            "ownership": row["ownership"],
            "band": row["band"],
            **{name: row[column(name)] for name in COUNTED},
        }
        for row in kept
    ]
    recounted = year_groups(Enterprise.objects.filter(pk__in=ids), counting, each=True)
    for sign, groups in ((-1, kept_groups), (1, recounted)):
        for group in groups:
            for grouped_by in GROUPED_BY:
                counts = by[grouped_by].setdefault(group[grouped_by], dict.fromkeys(COUNTED, 0))
                for name in COUNTED:
                    counts[name] += sign * group[name]
    return by


def kept_ratings(zones: set[int] | None, year: int) -> list[tuple[str, str, int]]:
    """(kind, rating, count) of the year's ratings of the zones' organisations."""
    rows = (
        in_zones(RatingTotals.objects.filter(year=year), zones)
        .values_list("kind", "rating")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return [(kind, rating, int(total)) for kind, rating, total in rows]
