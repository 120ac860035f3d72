"""What a write changed, by zone and year. Every save and delete of an enterprise or an
organisation names its zones here, whoever makes it (a service, the admin, a shell), and the
reviews app does the same for returns and ratings; bulk writes, which send no signals, call
`changed` themselves. Each change moves the cache's stamps on after the commit
(coordination.cache.changed) and is sent as `zones_changed` so that what is derived from the
rows (the reviews app's totals) follows in the same transaction."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal

from coordination import cache

from .models import Enterprise, Organisation

zones_changed = Signal()
"""Sent with `zones` (a frozenset of zone ids), `since` (the first year changed; None: every
year) and `enterprises` (a frozenset of the enterprises changed; None: any of the zones'), in
the writer's transaction."""


def changed(
    zones: Iterable[int | None],
    *,
    since: int | None = None,
    enterprises: Iterable[int] | None = None,
) -> None:
    """The data of these zones (of these enterprises in them, if given) changed from the year
    `since` on (None: in every year). Inside `batched`, it is applied when the batch ends."""
    zones = {zone for zone in zones if zone is not None}
    if not zones:
        return
    enterprises = None if enterprises is None else set(enterprises)
    batch = getattr(connection, "zone_changes_batch", None)
    if batch is None:
        _apply(zones, since, enterprises)
    else:
        batch.add(zones, since, enterprises)


class _Batch:
    """A batch's changes, applied as one: its zones are refreshed, and their locks taken, in one
    go and in order, so that two batches over the same zones (bulk reviews of several years)
    never each hold a lock the other waits for. Years from the earliest changed on."""

    def __init__(self) -> None:
        self.zones: set[int] = set()
        self.since: int | None = None
        self.enterprises: set[int] | None = set()

    def add(self, zones: set[int], since: int | None, enterprises: set[int] | None) -> None:
        if not self.zones:
            self.since = since
        elif self.since is not None and since is not None:
            self.since = min(self.since, since)
        else:
            self.since = None
        self.zones |= zones
        if enterprises is None or self.enterprises is None:
            self.enterprises = None
        else:
            self.enterprises |= enterprises


def _apply(zones: set[int], since: int | None, enterprises: set[int] | None) -> None:
    zones_changed.send(
        sender=Enterprise,
        zones=frozenset(zones),
        since=since,
        enterprises=None if enterprises is None else frozenset(enterprises),
    )
    cache.changed(zones, since=since)


@contextmanager
def batched() -> Iterator[None]:
    """Inside a transaction: the changes of many saves applied once each, when the block ends
    (a return saved with its ratings and flags refreshes its zone's totals once)."""
    if getattr(connection, "zone_changes_batch", None) is not None:
        yield
        return
    connection.zone_changes_batch = batch = _Batch()
    try:
        yield
    finally:
        connection.zone_changes_batch = None
    if batch.zones:
        _apply(batch.zones, batch.since, batch.enterprises)


def zone_of_enterprise(enterprise_id: int | None) -> int | None:
    return Enterprise.objects.filter(pk=enterprise_id).values_list("zone_id", flat=True).first()


def _enterprise_zone_before(sender, instance: Enterprise, raw: bool = False, **kwargs) -> None:
    """An enterprise moving to another zone changes both."""
    instance._zone_before = zone_of_enterprise(instance.pk) if instance.pk else None


def _enterprise_changed(sender, instance: Enterprise, **kwargs) -> None:
    changed({instance.zone_id, getattr(instance, "_zone_before", None)}, enterprises={instance.pk})


def _organisation_changed(sender, instance: Organisation, **kwargs) -> None:
    if Organisation.enterprise.is_cached(instance):
        zone = instance.enterprise.zone_id
    else:
        zone = zone_of_enterprise(instance.enterprise_id)
    changed({zone}, enterprises={instance.enterprise_id})


def connect() -> None:
    pre_save.connect(_enterprise_zone_before, sender=Enterprise, dispatch_uid="zone-before")
    for signal in (post_save, post_delete):
        signal.connect(_enterprise_changed, sender=Enterprise, dispatch_uid="enterprise-zones")
        signal.connect(
            _organisation_changed, sender=Organisation, dispatch_uid="organisation-zones"
        )
