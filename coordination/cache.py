"""Caching of what is derived from the programme's data: the one module that owns it.

A cached value names what it covers (`Covers`: which zones, which years), and its key holds the
*stamps* of those zones and years, kept in the cache itself. A write names what it changed
(`changed`: zones from a year on, or everything) and, once its transaction commits, gives those
stamps new values: the values that covered them are never read again, and nothing else is
touched. No row of the database is updated by every write, so writes in different zones never
wait on each other, and every worker and app server sharing the cache (Redis, CACHE_URL) sees
the same stamps.
"""

import datetime
import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language

T = TypeVar("T")
_MISSING = object()

EVERYTHING = "general"
"""The stamp of the data that is not about a zone and a year (the programme, the zones' tree,
who is an official where, calendars, targets, reviews): every value covers it."""
FUTURE = "future"
"""Years after next year share one stamp: a write from a year on changes every later year."""
ANY_YEAR = "any"
ALL_YEARS = "*"
ALL_ZONES = "*"


@dataclass(frozen=True)
class Covers:
    """What a cached value is made of: the data of `zones` (None: every zone) in `years`
    (None: every year), besides the data every value covers (EVERYTHING). `zones=()` and
    `years=()`: nothing but that."""

    zones: frozenset[int] | None = None
    years: tuple[int, ...] | None = None

    def stamp_keys(self, today: datetime.date) -> list[str]:
        keys = [_stamp_key(EVERYTHING)]
        zones = [ALL_ZONES] if self.zones is None else sorted(self.zones)
        if self.zones == frozenset() or self.years == ():
            return keys
        for zone in zones:
            if self.years is None:
                keys.append(_stamp_key(zone, ANY_YEAR))
                continue
            keys.append(_stamp_key(zone, ALL_YEARS))
            keys.extend(
                _stamp_key(zone, bucket) for bucket in {_bucket(y, today) for y in self.years}
            )
        return keys


def covers(zones: Iterable[int] | None = None, years: Iterable[int] | None = None) -> Covers:
    return Covers(
        None if zones is None else frozenset(zones),
        None if years is None else tuple(sorted(set(years))),
    )


NOTHING_SCOPED = Covers(frozenset(), ())
"""A value made only of data every value covers (zones' names, calendars…)."""


def _bucket(year: int, today: datetime.date):
    return year if year <= today.year + 1 else FUTURE


def _stamp_key(*parts) -> str:
    return "stamp:" + ":".join(map(str, parts))


def _new_stamp() -> str:
    """A value no stamp had before: an evicted stamp starts afresh rather than revive an old
    value's key."""
    return f"{timezone.now().timestamp():.6f}-{secrets.token_hex(4)}"


def _stamps(keys: list[str]) -> list[str]:
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, _new_stamp(), None)
    if missing:
        found |= cache.get_many(missing)
    return [str(found.get(key, "")) for key in keys]


def _changed_keys(zones: Iterable[int] | None, since: int | None, today) -> set[str]:
    """The stamps a write changes: its zones' and every zone's, of `since` and every later year
    (None: of every year); or EVERYTHING's when it names no zone."""
    if zones is None:
        return {_stamp_key(EVERYTHING)}
    keys = set()
    for zone in (*zones, ALL_ZONES):
        keys.add(_stamp_key(zone, ANY_YEAR))
        if since is None:
            keys.add(_stamp_key(zone, ALL_YEARS))
            continue
        years = range(since, today.year + 2)
        keys.update(_stamp_key(zone, year) for year in years)
        keys.add(_stamp_key(zone, FUTURE))
    return keys


def changed(zones: Iterable[int] | None = None, *, since: int | None = None) -> None:
    """A write changed the data of `zones` from the year `since` on (None: in every year), or,
    without zones, data every value covers. The stamps move on when the transaction commits
    (at once outside one); until then this connection neither reads nor keeps cached values,
    which would show others what may still roll back."""
    keys = _changed_keys(None if zones is None else set(zones), since, timezone.localdate())
    pending = getattr(connection, "cache_stamps_pending", None) or set()
    if not connection.in_atomic_block:
        pending = set()
    connection.cache_stamps_pending = pending | keys
    # One callback a call, though the first moves every pending stamp: a callback registered
    # inside a savepoint that rolls back is dropped, and the stamps pending must still move.
    transaction.on_commit(_move_stamps_on)


def _move_stamps_on() -> None:
    pending = getattr(connection, "cache_stamps_pending", None) or set()
    connection.cache_stamps_pending = None
    if pending:
        cache.set_many({key: _new_stamp() for key in pending}, None)


def nothing_pending(**kwargs) -> None:
    """A request that starts outside any transaction (all but a test's) has written nothing
    yet: whatever a rolled-back one left is stale."""
    if not connection.in_atomic_block:
        connection.cache_stamps_pending = None


def _writing_uncommitted() -> bool:
    """Whether this connection's transaction has written what others cannot see yet. A set left
    behind by a transaction that rolled back counts until the connection leaves its atomic
    blocks (its stamps then move on with the next commit: harmless)."""
    pending = getattr(connection, "cache_stamps_pending", None)
    if pending and not connection.in_atomic_block:
        connection.cache_stamps_pending = None
        return False
    return bool(pending)


def cached(key: str, compute: Callable[[], T], *, covering: Covers) -> T:
    """compute() cached under key and the stamps of what it covers, for
    DERIVED_DATA_CACHE_SECONDS at most. Include in key everything else the value depends on
    (scope, year, language…)."""
    if _writing_uncommitted():
        return compute()
    stamps = _stamps(covering.stamp_keys(timezone.localdate()))
    digest = hashlib.blake2b("|".join(stamps).encode(), digest_size=10).hexdigest()
    stamped = f"{key}:{digest}"
    value = cache.get(stamped, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(stamped, value, settings.DERIVED_DATA_CACHE_SECONDS)
    return value


def cached_rendering(key: str, render: Callable[[], T], *, covering: Covers) -> T:
    """cached() for what is rendered in the active language (a PDF, a Word copy)."""
    return cached(f"{key}:{get_language() or ''}", render, covering=covering)


def forget_everything() -> None:
    """After a restore: the data went back in time, and no cached value may survive it."""
    cache.clear()
