"""The synthetic data set as a whole: generating it in one transaction, finding it again by its
zones' codes, counting it and deleting it."""

import random
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import QuerySet

from coordination import cache
from enterprises.changes import changed
from enterprises.models import Enterprise, Organisation, Zone
from reviews.models import AnnualReturn, OrganisationRating
from reviews.totals import ensure_year

from .programme import BaselineStats, ensure_programme
from .scale import Counts, Scale
from .stories import draw_story, draw_tax_codes
from .writing import write_stories
from .zones import SYNTHETIC_PREFIX, create_zones

CHUNK = 2000  # enterprises generated and written per step of the progress bar

Progress = Callable[[int, int], None]


class SyntheticDataPresent(Exception):
    """Synthetic data is already in the database; replacing it has to be asked for."""


def synthetic_zones() -> QuerySet[Zone]:
    return Zone.objects.filter(code__startswith=SYNTHETIC_PREFIX)


def synthetic_enterprises() -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(zone__code__startswith=SYNTHETIC_PREFIX)


def existing_counts() -> Counts:
    enterprises = synthetic_enterprises()
    return Counts(
        zones=synthetic_zones().count(),
        enterprises=enterprises.count(),
        organisations=Organisation.objects.filter(enterprise__in=enterprises).count(),
        returns=AnnualReturn.objects.filter(enterprise__in=enterprises).count(),
        ratings=OrganisationRating.objects.filter(organisation__enterprise__in=enterprises).count(),
    )


def delete_rows(queryset: QuerySet) -> int:
    """DELETE without loading rows or sending signals (each delete would write a history row),
    together with the history rows of those objects, if later edits made any."""
    model = queryset.model
    ids_sql, params = queryset.values("pk").query.sql_with_params()
    tables = [model.history.model._meta.db_table] if hasattr(model, "history") else []
    tables.append(model._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(table)} WHERE id IN ({ids_sql})", params
            )
        return cursor.rowcount


def delete_synthetic_data() -> Counts:
    """Deletes the synthetic zones and everything in them; the programme is kept for reuse."""
    enterprises = synthetic_enterprises()
    with transaction.atomic():
        deleted = Counts(
            ratings=delete_rows(
                OrganisationRating.objects.filter(organisation__enterprise__in=enterprises)
            ),
            returns=delete_rows(AnnualReturn.objects.filter(enterprise__in=enterprises)),
            organisations=delete_rows(Organisation.objects.filter(enterprise__in=enterprises)),
            enterprises=delete_rows(enterprises),
        )
        zone_ids = set(synthetic_zones().values_list("pk", flat=True))
        changed(zone_ids)  # DELETE sends no signals; the zones' totals go with their rows
        Zone.officials.through.objects.filter(zone__in=synthetic_zones()).delete()
        deleted.zones = delete_rows(synthetic_zones())
        cache.changed()
    return deleted


def generate(scale: Scale, *, progress: Progress | None = None) -> Counts:
    """Writes the data set in one transaction; refuses when synthetic zones already exist."""
    if synthetic_zones().exists():
        raise SyntheticDataPresent
    rng = random.Random(scale.seed)
    counts = Counts()
    stats = BaselineStats(year=scale.years[0])
    with transaction.atomic():
        zones = create_zones(rng, scale.zones)
        counts.zones = len(zones)
        hosts = [z for z in zones if z.kind != Zone.Kind.ECONOMIC_ZONE] or zones
        host_weights = [rng.lognormvariate(0, 0.9) for _ in hosts]
        placed = rng.choices(hosts, weights=host_weights, k=scale.enterprises)
        tax_codes = draw_tax_codes(rng, scale.enterprises)
        for start in range(0, scale.enterprises, CHUNK):
            stop = min(start + CHUNK, scale.enterprises)
            stories = [
                draw_story(rng, placed[number], tax_codes[number], scale.years)
                for number in range(start, stop)
            ]
            write_stories(stories, counts)
            for story in stories:
                stats.add(story)
            if progress:
                progress(stop, scale.enterprises)
        ensure_programme(scale.years, stats)
        changed(zone.pk for zone in zones)  # bulk inserts send no signals
        cache.changed()  # new zones
        analyse()
        for year in scale.years:
            ensure_year(year)
    return counts


def analyse() -> None:
    """Gives PostgreSQL's planner the statistics of the rows just written (ANALYZE sees the
    transaction's own rows): planned for empty tables, the totals' counts take many minutes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
