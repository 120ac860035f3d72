"""Reads for the coordination app."""

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django_otp import devices_for_user, user_has_device
from django_otp.models import VerifyNotAllowed

from . import models
from .roles import ADMINISTRATORS, group_names


def preferred_language(*, user) -> str:
    """The language the user chose last, or "" to let the browser decide."""
    preference = models.UserPreference.objects.filter(user=user).first()
    return preference.language if preference else ""


def wants_reminders(*, user) -> bool:
    """Reminders are on unless the person switched them off."""
    preference = models.UserPreference.objects.filter(user=user).first()
    return preference.reminders if preference else True


def has_two_factor_device(*, user) -> bool:
    return user_has_device(user, confirmed=True)


def two_factor_wait(*, devices) -> int:
    """Seconds until one of the devices takes a code again after too many wrong ones (each
    wrong code doubles the wait); 0 if one takes a code now. A code typed meanwhile is refused
    even when it is right."""
    waits = []
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if allowed:
            return 0
        if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            remaining = details["locked_until"] - timezone.now()
            waits.append(max(1, math.ceil(remaining.total_seconds())))
    return min(waits, default=0)


def confirmed_devices(*, user) -> list:
    return list(devices_for_user(user, confirmed=True))


def two_factor_required(*, user) -> bool:
    """A superuser counts as an administrator."""
    required = set(settings.TWO_FACTOR_REQUIRED_GROUPS)
    if user.is_superuser and ADMINISTRATORS in required:
        return True
    return bool(group_names(user) & required)


# Bodies


def body_is_former(day: datetime.date, *, prefix: str = "") -> Q:
    """On Body (or through `prefix`, e.g. "body__"): succeeded or ended by the day."""
    return Q(**{f"{prefix}succeeded_on__lte": day}) | Q(**{f"{prefix}valid_to__lt": day})


def bodies_current_first(
    bodies: QuerySet[models.Body], *, day: datetime.date
) -> QuerySet[models.Body]:
    """The bodies, those acting on the day first, then the former ones; by name within each."""
    return bodies.select_related("successor").order_by(
        Case(When(body_is_former(day), then=1), default=0), "name", "pk"
    )


def body_label(body: models.Body, *, day: datetime.date) -> str:
    """A body's name, and for a former one the body that acts in its place ("nay là …")."""
    if body.is_current_on(day) or body.successor_id is None:
        return str(body)
    return gettext("%(body)s (now %(successor)s)") % {
        "body": body,
        "successor": body.as_of(day),
    }


# Programmes


def current_programme(*, day) -> models.Programme | None:
    """The programme whose years include the day, else the latest one; None before the first."""
    return (
        models.Programme.objects.filter(start_year__lte=day.year, end_year__gte=day.year)
        .order_by("-start_year", "pk")
        .first()
        or models.Programme.objects.order_by("-end_year", "-start_year", "pk").first()
    )


def programme_asked(pk: int | None) -> models.Programme | None:
    """The programme a query string names (`?programme=`), if it exists."""
    return models.Programme.objects.filter(pk=pk).first() if pk is not None else None


def programme_shown(*, requested: int | None, day) -> models.Programme | None:
    """The programme a page shows: the one asked for where it exists, else the current one."""
    return programme_asked(requested) or current_programme(day=day)


def other_programmes(programme: models.Programme) -> list[models.Programme]:
    """The other programmes, latest first: earlier ones stay a click away."""
    return list(
        models.Programme.objects.exclude(pk=programme.pk).only("title", "start_year", "end_year")
    )


@dataclass
class AreaTasks:
    area: models.ContentArea
    tasks: list[models.Task]


@dataclass
class IndicatorTargets:
    indicator: models.Indicator
    targets: list[models.IndicatorTarget | None]
    """One per programme year, None where no target is set."""


@dataclass
class ProgrammePage:
    programme: models.Programme
    bodies: list[models.ProgrammeBody]
    areas: list[AreaTasks]
    indicators: list[IndicatorTargets]


def programme_page(pk: int) -> ProgrammePage:
    """A programme with its signing bodies, content areas with their tasks (and the tasks'
    bodies), and indicators with a target per programme year, in a fixed number of queries
    however many tasks; else 404."""
    queryset = models.Programme.objects.select_related("follows").prefetch_related(
        "followed_by",
        Prefetch("programme_bodies", models.ProgrammeBody.objects.select_related("body__parent")),
        Prefetch(
            "content_areas__tasks",
            models.Task.objects.select_related("lead_body").prefetch_related("coordinating_bodies"),
        ),
        Prefetch(
            "indicators",
            models.Indicator.objects.select_related(
                "content_area", "carried_from__programme"
            ).prefetch_related("targets"),
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
