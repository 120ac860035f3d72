"""Reads for the coordination app."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django_otp import user_has_device

from .models import (
    ContentArea,
    DataVersion,
    Indicator,
    IndicatorTarget,
    Programme,
    ProgrammeBody,
    Task,
    UserPreference,
)
from .roles import ADMINISTRATORS, group_names

T = TypeVar("T")
_MISSING = object()


def data_version() -> int:
    """The version of the data as this connection sees it (services.bump_data_version). Plain
    SQL: pages ask for it on every request, and the ORM would spend longer building the query
    than the database answering it."""
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


_UNREAD = object()


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


def _has_uncommitted_writes() -> bool:
    from .services import _data_committed

    return any(callback is _data_committed for _, callback, _ in connection.run_on_commit)


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


def preferred_language(*, user) -> str:
    """The language the user chose last, or "" to let the browser decide."""
    preference = UserPreference.objects.filter(user=user).first()
    return preference.language if preference else ""


def has_two_factor_device(*, user) -> bool:
    return user_has_device(user, confirmed=True)


def two_factor_required(*, user) -> bool:
    """A superuser counts as an administrator."""
    required = set(settings.TWO_FACTOR_REQUIRED_GROUPS)
    if user.is_superuser and ADMINISTRATORS in required:
        return True
    return bool(group_names(user) & required)


# Programmes


def current_programme(*, day) -> Programme | None:
    """The programme whose years include the day, else the latest one; None before the first."""
    return (
        Programme.objects.filter(start_year__lte=day.year, end_year__gte=day.year)
        .order_by("-start_year", "pk")
        .first()
        or Programme.objects.order_by("-end_year", "-start_year", "pk").first()
    )


@dataclass
class AreaTasks:
    area: ContentArea
    tasks: list[Task]


@dataclass
class IndicatorTargets:
    indicator: Indicator
    targets: list[IndicatorTarget | None]
    """One per programme year, None where no target is set."""


@dataclass
class ProgrammePage:
    programme: Programme
    bodies: list[ProgrammeBody]
    areas: list[AreaTasks]
    indicators: list[IndicatorTargets]


def programme_page(pk: int) -> ProgrammePage:
    """A programme with its signing bodies, content areas with their tasks (and the tasks'
    bodies), and indicators with a target per programme year, in a fixed number of queries
    however many tasks; else 404."""
    queryset = Programme.objects.prefetch_related(
        Prefetch("programme_bodies", ProgrammeBody.objects.select_related("body__parent")),
        Prefetch(
            "content_areas__tasks",
            Task.objects.select_related("lead_body").prefetch_related("coordinating_bodies"),
        ),
        Prefetch(
            "indicators",
            Indicator.objects.select_related("content_area").prefetch_related("targets"),
        ),
    )
    programme = get_object_or_404(queryset, pk=pk)
    indicators = []
    for indicator in programme.indicators.all():
        by_year = {target.year: target for target in indicator.targets.all()}
        indicators.append(
            IndicatorTargets(indicator, [by_year.get(year) for year in programme.years])
        )
    return ProgrammePage(
        programme=programme,
        bodies=list(programme.programme_bodies.all()),
        areas=[AreaTasks(area, list(area.tasks.all())) for area in programme.content_areas.all()],
        indicators=indicators,
    )
