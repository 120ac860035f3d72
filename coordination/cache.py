"""Caching of what is derived from the programme's data: the one module that owns it.

Every write moves a data version on (coordination.signals for saves and deletes, bump_data_version
for bulk writes); values are cached under that version, so a cached value never outlives a write.
"""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import get_language

from .models import DataVersion

T = TypeVar("T")
_MISSING = object()
_UNREAD = object()


def data_version() -> int:
    """The version of the data as this connection sees it. Plain SQL: pages ask for it on every
    request, and the ORM would spend longer building the query than the database answering it."""
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def remember_data_version_per_request(*, start: bool) -> None:
    """Between request_started and request_finished, cached() reads the version once (a value
    computed a little later can only be newer than its key says, never older); elsewhere, every
    time."""
    connection.data_version_memo = _UNREAD if start else None


def _data_version_for_cache() -> int:
    memo = getattr(connection, "data_version_memo", None)
    if memo is None:
        return data_version()
    if memo is _UNREAD:
        memo = connection.data_version_memo = data_version()
    return memo


def _uncommitted_write() -> None:
    """A marker in the transaction's on-commit list: while it is there, the transaction has
    written data that other connections cannot see yet (see cached)."""


def _has_uncommitted_writes() -> bool:
    return any(callback is _uncommitted_write for _, callback, _ in connection.run_on_commit)


def bump_data_version() -> None:
    """Moves the data version on after a write, in the writer's transaction, so the new version
    becomes visible together with the data. Signals call it for every save and delete; bulk
    writes (bulk_create, update, COPY) must call it themselves."""
    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.bulk_create([DataVersion(pk=1, value=1)], ignore_conflicts=True)
    remember_data_version_per_request(start=False)  # the rest of the request reads afresh
    if connection.in_atomic_block:
        transaction.on_commit(_uncommitted_write)


def cached(key: str, compute: Callable[[], T]) -> T:
    """compute() cached under key and the data version, so a cached value never outlives a write
    (each worker process keeps its own cache; the version lives in the database they share).
    Include in key everything else the value depends on (scope, year, language…). Inside a
    transaction that has written, nothing is read from or kept in the cache: its data may still
    roll back."""
    if _has_uncommitted_writes():
        return compute()
    versioned = f"{key}:v{_data_version_for_cache()}"
    value = cache.get(versioned, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(versioned, value, settings.DERIVED_DATA_CACHE_SECONDS)
    return value


def cached_rendering(key: str, render: Callable[[], T]) -> T:
    """cached() for what is rendered in the active language: a page's body, a fragment, a PDF."""
    return cached(f"{key}:{get_language() or ''}", render)
