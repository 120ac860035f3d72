"""Keeping the totals (models.totals) current. Whenever a write names what it changed
(enterprises.changes: zones, the first year, and the enterprises if it knows them),
`refresh_totals` recounts those enterprises' counts (EnterpriseCounts) of the years kept from
the rows and adds the difference from their stored counts to their groups' totals, in the
writer's transaction: cheap (one enterprise, not the country) and always right, since the
stored counts are what the totals were summed from. A write that does not know its enterprises
(a bulk delete) recounts its zones whole. `ensure_year` builds a year in full the first time its
totals are read; `rebuild_totals` recounts every year kept.

A refresh takes a lock on its zones' rows (FOR NO KEY UPDATE: it keeps nobody from adding an
enterprise to them) and on its enterprises' stored counts until its transaction ends, and a
build takes every zone's: writes in one zone wait for each other only from the moment one
refreshes to its commit, writes in other zones never, and a year being built sees every write
before it or is refreshed by it."""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Model, Sum

from enterprises.changes import zones_changed
from enterprises.models import Enterprise, Zone

from .models import EnterpriseCounts, FigureTotals, OrganisationRating, RatingTotals, TotalsYear
from .models.totals import COUNTED, column
from .selectors.definitions import Counting
from .selectors.figures import year_groups
from .selectors.totals import in_zones

BATCH = 2000


def _lock(zones: set[int] | None) -> None:
    rows = Zone.objects.order_by("pk").select_for_update(no_key=True)
    if zones is not None:
        rows = rows.filter(pk__in=zones)
    list(rows.values_list("pk", flat=True))


def _recount_enterprises(zones: set[int] | None, enterprises: set[int] | None, year: int) -> list:
    """The year's counts of the enterprises (None: of every enterprise of the zones), stored;
    returns those they replace."""
    if enterprises is None:
        rows = in_zones(Enterprise.objects.all(), zones)
        stale = in_zones(EnterpriseCounts.objects.filter(year=year), zones)
        replaced = []
    else:
        rows = Enterprise.objects.filter(pk__in=enterprises)
        stale = EnterpriseCounts.objects.filter(year=year, enterprise_id__in=enterprises)
        replaced = list(stale.select_for_update().order_by("enterprise_id"))
    stale.delete()
    return EnterpriseCounts.objects.bulk_create(
        (
            EnterpriseCounts(
                enterprise_id=counts["enterprise"],
                zone_id=counts["zone"],
                year=year,
                ownership=counts["ownership"],
                band=counts["band"],
                **{column(name): counts[name] for name in COUNTED},
            )
            for counts in year_groups(rows, Counting(year), each=True)
        ),
        batch_size=BATCH,
    ), replaced


def _add_to_totals(year: int, counts: list, replaced: list) -> None:
    """Adds the enterprises' new counts to their groups' totals and takes their replaced ones
    away (one upsert a group changed: a write waits for another only on the same group)."""
    columns = [column(name) for name in COUNTED]
    changes: dict[tuple, list[int]] = {}
    for sign, rows in ((1, counts), (-1, replaced)):
        for row in rows:
            change = changes.setdefault((row.zone_id, row.ownership, row.band), [0] * len(columns))
            for index, name in enumerate(columns):
                change[index] += sign * getattr(row, name)
    quote = connection.ops.quote_name
    table = quote(FigureTotals._meta.db_table)
    keys = ["zone_id", "year", "ownership", "band"]
    names = ", ".join(quote(name) for name in (*keys, *columns))
    marks = ", ".join(["%s"] * (len(keys) + len(columns)))
    adding = ", ".join(
        f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}" for name in columns
    )
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT "
        f"({', '.join(quote(key) for key in ('year', 'zone_id', 'ownership', 'band'))}) "
        f"DO UPDATE SET {adding}"
    )
    rows = [
        [zone, year, ownership, band, *change]
        for (zone, ownership, band), change in sorted(changes.items())
        if any(change)
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _replace_totals(
    model: type[Model], zones: set[int] | None, year: int, groups: Iterable[dict]
) -> None:
    """Replaces the zones' rows of `model` for the year with `groups`, each a dict of its fields."""
    in_zones(model.objects.filter(year=year), zones).delete()
    model.objects.bulk_create((model(year=year, **group) for group in groups), batch_size=BATCH)


def _sum_zones(zones: set[int] | None, year: int) -> None:
    """The zones' totals of the year, summed from their enterprises' counts."""
    groups = (
        in_zones(EnterpriseCounts.objects.filter(year=year), zones)
        .values("zone_id", "ownership", "band")
        .annotate(**{column(name): Sum(column(name)) for name in COUNTED})
        .order_by()
    )
    _replace_totals(FigureTotals, zones, year, groups)


def _count_ratings(zones: set[int] | None, year: int) -> None:
    """The zones' ratings of the year, counted."""
    zone = "organisation__enterprise__zone_id"
    ratings = (
        in_zones(OrganisationRating.objects.filter(year=year), zones, zone)
        .values("rating", zone_id=F(zone), kind=F("organisation__kind"))
        .annotate(count=Count("pk"))
        .order_by()
    )
    _replace_totals(RatingTotals, zones, year, ratings)


def refresh_totals(
    *, zones: Iterable[int], since: int | None = None, enterprises: Iterable[int] | None = None
) -> None:
    """Recounts, for every year kept from `since` on (None: every year kept), the enterprises'
    counts (None: of every enterprise of the zones) and the zones' totals."""
    zones = set(zones)
    enterprises = None if enterprises is None else set(enterprises)
    with transaction.atomic():
        _lock(zones)
        years = TotalsYear.objects.order_by("year").values_list("year", flat=True)
        if since is not None:
            years = years.filter(year__gte=since)
        for year in years:
            counts, replaced = _recount_enterprises(zones, enterprises, year)
            if enterprises is None:
                _sum_zones(zones, year)
            else:
                _add_to_totals(year, counts, replaced)
            _count_ratings(zones, year)


def _build(year: int) -> None:
    _recount_enterprises(None, None, year)
    _sum_zones(None, year)
    _count_ratings(None, year)


def ensure_year(year: int) -> None:
    """Builds the year's totals unless they are kept already."""
    if TotalsYear.objects.filter(year=year).exists():
        return
    with transaction.atomic():
        _lock(None)
        if TotalsYear.objects.filter(year=year).exists():  # built while we waited
            return
        _build(year)
        TotalsYear.objects.create(year=year)


def rebuild_totals(*, years: Iterable[int] = ()) -> list[int]:
    """Recounts every year kept and `years`, in full; returns the years."""
    with transaction.atomic():
        _lock(None)
        kept = set(TotalsYear.objects.values_list("year", flat=True)) | set(years)
        for year in sorted(kept):
            _build(year)
            TotalsYear.objects.get_or_create(year=year)
    return sorted(kept)


def _zones_changed(sender, *, zones, since, enterprises, **kwargs) -> None:
    refresh_totals(zones=zones, since=since, enterprises=enterprises)


def connect() -> None:
    zones_changed.connect(_zones_changed, dispatch_uid="refresh-totals")
