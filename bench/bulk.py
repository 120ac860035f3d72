"""The bulk review measured: a reviewer accepts 1,000 submitted returns of the latest year in one
POST on the returns queue (each ticked with its version, as the page sends them), and they are
put back as they were, so the data set stays as generated."""

import datetime

from django.db.models import F
from django.utils import timezone

from reviews.models import AnnualReturn
from reviews.signals import returns_changed

from .results import Result
from .server import Gunicorn, Session

BULK_RETURNS = 1000


def measure_bulk_accept(result: Result, session: Session, server: Gunicorn, year: int) -> Result:
    chosen = list(
        AnnualReturn.objects.filter(year=year, status=AnnualReturn.Status.SUBMITTED)
        .order_by("pk")
        .values_list("pk", "version")[:BULK_RETURNS]
    )
    if len(chosen) < BULK_RETURNS:
        result.note = f"only {len(chosen)} submitted returns of {year}"
    pks = [pk for pk, _version in chosen]
    fields = {
        "action": "accept",
        "seen_at": timezone.now().isoformat(),
        "selected": [f"{pk}:{version}" for pk, version in chosen],
    }
    measured = server.reset_peak_memory()
    started_at = timezone.now()
    try:
        response = session.post_form(result.path, fields)
        result.seconds = response.seconds
        result.megabytes = server.peak_memory_mb() if measured else None
        accepted = AnnualReturn.objects.filter(pk__in=pks, status=AnnualReturn.Status.ACCEPTED)
        result.note = f"{result.note}; " if result.note else ""
        result.note += f"{accepted.count():,} of {len(pks):,} accepted"
        if response.status != 200:
            result.note += f"; HTTP {response.status}"
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
