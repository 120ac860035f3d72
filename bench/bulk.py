"""The bulk review measured: a reviewer accepts every submitted return of the latest year that
the returns queue lists for one official (the filters a reviewer would use, and "all that match
the filters", since a page ticks at most a page of returns and a form at most 1,000 fields), in
one POST; the official works in the largest zones until they hold at least 1,000 such returns.
The returns are put back as they were, so the data set stays as generated."""

import datetime

from django.db.models import F
from django.utils import timezone

from coordination.roles import OFFICIALS
from enterprises.models import Zone
from enterprises.selectors import official_zone_ids, zones_with_descendants
from reviews.models import AnnualReturn
from reviews.signals import returns_changed

from .personas import person
from .results import Result
from .server import Gunicorn, Session

BULK_RETURNS = 1000
BULK_OFFICIAL = "bench_bulk_official"
SUBMITTED = AnnualReturn.Status.SUBMITTED


def bulk_official(year: int):
    """An official of the fewest top-level zones (largest first) whose submitted returns of the
    year add up to BULK_RETURNS or more."""
    top = Zone.objects.filter(parent=None).values_list("pk", flat=True)
    counts = {pk: _submitted(year, {pk}).count() for pk in top}
    chosen, count = [], 0
    for pk in sorted(counts, key=lambda pk: (-counts[pk], pk)):
        if count >= BULK_RETURNS:
            break
        chosen.append(pk)
        count += counts[pk]
    official = person(BULK_OFFICIAL, OFFICIALS)
    official.official_zones.set(chosen)
    return official


def _submitted(year: int, zone_ids: set[int]):
    return AnnualReturn.objects.filter(
        year=year, status=SUBMITTED, enterprise__zone_id__in=zones_with_descendants(zone_ids)
    )


def measure_bulk_accept(result: Result, session: Session, server: Gunicorn, year: int) -> Result:
    official = bulk_official(year)
    pks = list(_submitted(year, official_zone_ids(official)).values_list("pk", flat=True))
    result.path += f"&official={official.pk}"
    fields = {"action": "accept", "everything": "on", "seen_at": timezone.now().isoformat()}
    measured = server.reset_peak_memory()
    started_at = timezone.now()
    try:
        response = session.post_form(result.path, fields)
        result.seconds = response.seconds
        result.megabytes = server.peak_memory_mb() if measured else None
        accepted = AnnualReturn.objects.filter(pk__in=pks, status=AnnualReturn.Status.ACCEPTED)
        result.note = f"{accepted.count():,} of {len(pks):,} accepted"
        if response.status != 200:
            result.refuse(f"HTTP {response.status}")
    finally:
        put_back(pks, after=started_at)
    return result


def put_back(pks: list[int], *, after: datetime.datetime) -> None:
    """The returns submitted again at their former version, without the history rows the bulk
    review wrote."""
    AnnualReturn.objects.filter(pk__in=pks, status=AnnualReturn.Status.ACCEPTED).update(
        status=AnnualReturn.Status.SUBMITTED,
        reviewed_by=None,
        reviewed_at=None,
        accepted_at=None,
        version=F("version") - 1,
    )
    AnnualReturn.history.filter(id__in=pks, history_date__gte=after).delete()
    returns_changed(pks)
