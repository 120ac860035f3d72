"""Where organisations could be founded: the gap lists, counted per zone and listed, as they
stand on 31 December of a year."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from coordination.cache import cached
from enterprises.models import Enterprise, Zone
from enterprises.selectors import (
    scope_covers,
    scope_key,
    visible_enterprises,
    zones_with_descendants,
)

from ..models import AnnualReturn
from .assessment import by_top_zone, year_figures
from .definitions import Counting, figure_condition, for_year
from .figures import top_zones

GAP_PARTY_CELL = "eligible_without_party_org"
GAP_UNION_WITHOUT_PARTY = "union_without_party_org"
GAP_UNION = "eligible_without_union"
GAP_LABELS = {
    GAP_PARTY_CELL: _("Eligible to found a party cell, still without a party organisation"),
    GAP_UNION_WITHOUT_PARTY: _("With a trade union but no party organisation"),
    GAP_UNION: _("Meeting the trade union founding threshold, without a trade union"),
}
"""The gaps, each a figure of selectors.definitions (which defines what it counts)."""
GAP_PAGE_ROWS = 50
"""Enterprises of a gap shown per page; the export holds them all."""
LATEST_FIGURES = ("employees", "party_members", "union_members")
"""The figures a gap list shows of each enterprise's latest accepted return up to the year."""


def gap_enterprises(*, user, year: int, gap: str, zone: Zone | None = None) -> QuerySet[Enterprise]:
    """The enterprises in the viewer's scope (and in the zone with the parks inside it, if
    given) with the gap on 31 December of the year, by zone and name, each with its zone and
    the figures of its latest accepted return up to the year."""
    counting = Counting(year)
    enterprises = visible_enterprises(user)
    if zone is not None:
        enterprises = enterprises.filter(zone_id__in=zones_with_descendants({zone.pk}))
    latest = AnnualReturn.objects.filter(
        counting.counted(), enterprise=OuterRef("pk"), year__lte=year
    ).order_by("-year")
    return (
        for_year(enterprises, counting)
        .filter(figure_condition(gap, counting))
        .select_related("zone")
        .annotate(**{name: Subquery(latest.values(name)[:1]) for name in LATEST_FIGURES})
        .order_by("zone__name", "zone", "name", "pk")
    )


def gap_counts_key(*, user, year: int) -> str:
    """What the gap counts depend on besides the data."""
    return f"gap-counts:{year}:{scope_key(user)}"


def gap_counts(*, user, year: int) -> dict:
    """Each gap counted in all and per top-level zone the viewer sees (with the parks inside it,
    as the enterprise list's zone filter counts them), leaving out the zones without any gap:
    the year's figures by zone; cached until the next write, as adding up thousands of groups
    takes longer than the rest of the page."""
    return cached(
        gap_counts_key(user=user, year=year),
        lambda: _gap_counts(user, year),
        covering=scope_covers(user, [year]),
    )


def _gap_counts(user, year: int) -> dict:
    figures = year_figures(user=user, counting=Counting(year))
    zones_shown, top_of = top_zones(user)
    by_zone = by_top_zone(figures, top_of)
    totals = figures.metrics
    zones = []
    for zone in zones_shown:
        counts = {gap: by_zone.get(zone["pk"], {}).get(gap, 0) for gap in GAP_LABELS}
        if any(counts.values()):
            zones.append(
                {
                    "pk": zone["pk"],
                    "name": zone["name"],
                    "counts": [{"gap": gap, "count": count} for gap, count in counts.items()],
                }
            )
    return {"totals": {gap: totals.get(gap, 0) for gap in GAP_LABELS}, "zones": zones}
