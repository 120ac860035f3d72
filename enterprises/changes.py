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
        return
    batched_zones, batched_enterprises = batch.setdefault(since, (set(), set()))
    batched_zones |= zones
    if enterprises is None or batched_enterprises is None:
        batch[since] = (batched_zones, None)
    else:
        batched_enterprises |= enterprises


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
    connection.zone_changes_batch = {}
    try:
        yield
        batch = connection.zone_changes_batch
    finally:
        connection.zone_changes_batch = None
    for since, (zones, enterprises) in batch.items():
        _apply(zones, since, enterprises)


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
