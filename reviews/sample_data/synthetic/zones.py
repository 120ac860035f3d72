"""The synthetic zones: about 5 % economic zones holding a quarter of the zones, the rest parks
and clusters on their own. Their codes start with SYNTHETIC_PREFIX: that is how the data set is
found again, to be counted or replaced."""

import random
from decimal import Decimal

from enterprises.models import Zone

from .content import PLACES, ZONE_KINDS

SYNTHETIC_PREFIX = "SYN-"


def create_zones(rng: random.Random, total: int) -> list[Zone]:
    """About 5 % economic zones, holding a quarter of the zones (parks and functional zones);
    the rest are parks and clusters on their own."""
    economic = max(1, round(total * 0.05))
    inside = min(total - economic, round(total * 0.25))
    names: dict[str, int] = {}

    def zone(kind: str, number: int, parent: Zone | None = None) -> Zone:
        label, abbreviation, (low, high) = ZONE_KINDS[kind]
        place = rng.choice(PLACES)
        names[place] = names.get(place, 0) + 1
        suffix = f" {names[place]}" if names[place] > 1 else ""
        return Zone(
            name=f"{label} {place}{suffix}",
            code=f"{SYNTHETIC_PREFIX}{abbreviation}-{number:04d}",
            kind=kind,
            parent=parent,
            area_ha=Decimal(rng.randint(low * 10, high * 10)) / 10,
        )

    parents = Zone.objects.bulk_create(
        [zone(Zone.Kind.ECONOMIC_ZONE, n + 1) for n in range(economic)]
    )
    others = []
    for n in range(total - economic):
        if n < inside:
            kind = rng.choices(
                (Zone.Kind.INDUSTRIAL_PARK, Zone.Kind.FUNCTIONAL_ZONE), weights=(80, 20)
            )[0]
            others.append(zone(kind, n + 1, parents[n % economic]))
        else:
            kind = rng.choices(
                (Zone.Kind.INDUSTRIAL_PARK, Zone.Kind.INDUSTRIAL_CLUSTER), weights=(75, 25)
            )[0]
            others.append(zone(kind, n + 1))
    return parents + Zone.objects.bulk_create(others)
