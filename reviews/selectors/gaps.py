"""Where organisations could be founded: the gap lists, counted per zone and listed, as they
stand on 31 December of a year."""

from django.db.models import (
    Case,
    Count,
    F,
    Q,
    QuerySet,
    When,
)
from django.utils.translation import gettext_lazy as _

from coordination.cache import cached
from enterprises.models import Enterprise, Organisation, Zone
from enterprises.selectors import (
    operating_on,
    scope_key,
    visible_enterprises,
    year_end,
    zones_with_descendants,
)

from .figures import (
    ACCEPTED_RETURN,
    MEETS_PARTY_THRESHOLD,
    MEETS_UNION_THRESHOLD,
    has_on,
    organisation_flags,
    top_zones,
)
from .returns import join_year_return

GAP_PARTY_CELL = "eligible_without_party_org"
GAP_UNION_WITHOUT_PARTY = "union_without_party_org"
GAP_UNION = "eligible_without_union"
GAP_LABELS = {
    GAP_PARTY_CELL: _("Eligible to found a party cell, still without a party organisation"),
    GAP_UNION_WITHOUT_PARTY: _("With a trade union but no party organisation"),
    GAP_UNION: _("Meeting the trade union founding threshold, without a trade union"),
}
GAP_PAGE_ROWS = 50
"""Enterprises of a gap shown per page; the export holds them all."""


def gap_conditions(year: int) -> dict[str, Q]:
    """On join_year_return of operating enterprises: the three gaps as they stand on 31
    December of the year. A party cell needs 3 party members in the accepted return; a trade
    union 5 employees or 5 union members."""
    day = year_end(year)
    party = has_on(Organisation.Kind.PARTY, day)
    union = has_on(Organisation.Kind.TRADE_UNION, day)
    return {
        GAP_PARTY_CELL: MEETS_PARTY_THRESHOLD & ~party,
        GAP_UNION_WITHOUT_PARTY: union & ~party,
        GAP_UNION: MEETS_UNION_THRESHOLD & ~union,
    }


def _operating_with_return(user, year: int) -> QuerySet[Enterprise]:
    return join_year_return(visible_enterprises(user).filter(operating_on(year_end(year))), year)


def gap_enterprises(*, user, year: int, gap: str, zone: Zone | None = None) -> QuerySet[Enterprise]:
    """The operating enterprises in the viewer's scope (and in the zone with the parks inside
    it, if given) with the gap, by zone and name, each with its zone and the figures of its
    accepted return."""
    accepted = ACCEPTED_RETURN
    enterprises = _operating_with_return(user, year)
    if zone is not None:
        enterprises = enterprises.filter(zone_id__in=zones_with_descendants({zone.pk}))
    return (
        enterprises.filter(gap_conditions(year)[gap])
        .select_related("zone")
        .annotate(
            employees=Case(When(accepted, then=F("year_return__employees"))),
            party_members=Case(When(accepted, then=F("year_return__party_members"))),
            union_members=Case(When(accepted, then=F("year_return__union_members"))),
        )
        .order_by("zone__name", "zone", "name", "pk")
    )


def _gaps_of(group: dict) -> dict[str, int]:
    """gap_conditions counted on a group of enterprises that share their organisations."""
    no_party = not group["party"]
    return {
        GAP_PARTY_CELL: group["meets_party"] if no_party else 0,
        GAP_UNION_WITHOUT_PARTY: group["enterprises"] if group["union"] and no_party else 0,
        GAP_UNION: 0 if group["union"] else group["meets_union"],
    }


def gap_counts_key(*, user, year: int) -> str:
    """What the gap counts depend on besides the data."""
    return f"gap-counts:{year}:{scope_key(user)}"


def gap_counts(*, user, year: int) -> dict:
    """Each gap counted in all and per top-level zone the viewer sees (with the parks inside it,
    as the enterprise list's zone filter counts them), leaving out the zones without any gap;
    in one query for the counts, cached until the next write."""
    return cached(gap_counts_key(user=user, year=year), lambda: _gap_counts(user, year))


def _gap_counts(user, year: int) -> dict:
    flags = organisation_flags(year)
    groups = (
        _operating_with_return(user, year)
        .values("zone", party=flags["party"], union=flags["union"])
        .annotate(
            enterprises=Count("pk"),
            meets_party=Count("pk", filter=MEETS_PARTY_THRESHOLD),
            meets_union=Count("pk", filter=MEETS_UNION_THRESHOLD),
        )
        .order_by()
    )
    zones_shown, top_of = top_zones(user)
    totals = dict.fromkeys(GAP_LABELS, 0)
    by_zone: dict[int, dict[str, int]] = {}
    for group in groups:
        zone_counts = by_zone.setdefault(top_of[group["zone"]], dict.fromkeys(GAP_LABELS, 0))
        for gap, count in _gaps_of(group).items():
            zone_counts[gap] += count
            totals[gap] += count
    zones = []
    for zone in zones_shown:
        counts = by_zone.get(zone["pk"], {})
        if any(counts.values()):
            zones.append(
                {
                    "pk": zone["pk"],
                    "name": zone["name"],
                    "counts": [{"gap": gap, "count": count} for gap, count in counts.items()],
                }
            )
    return {"totals": totals, "zones": zones}
