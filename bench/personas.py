"""Who the benchmark measures as: a reviewer (with a TOTP device, since reviewers log in with two
factors) and an official of the economic zone with the most enterprises; a new password each
run."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.db.models import Count, QuerySet
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from coordination.roles import OFFICIALS, REVIEWERS
from enterprises.models import Zone
from enterprises.selectors import writable_enterprises, zones_with_descendants
from reviews.sample_data import synthetic
from reviews.selectors.returns import return_year_problem

from .server import Session, logged_in


@dataclass(frozen=True)
class Personas:
    reviewer: AbstractBaseUser
    official: AbstractBaseUser
    zone: Zone  # the official's
    device: TOTPDevice  # the reviewer's second factor
    password: str


def person(username: str, group: str, password: str | None = None) -> AbstractBaseUser:
    """A user of the harnesses in one group, with a fresh password (none for one who is only
    named in a filter and never logs in)."""
    user, _ = get_user_model().objects.get_or_create(username=username)
    if password is not None:
        user.set_password(password)
        user.save()
    user.groups.set([Group.objects.get(name=group)])
    return user


def largest_economic_zones() -> QuerySet[Zone]:
    """The synthetic economic zones, those with the most enterprises in their parks first."""
    return (
        synthetic.synthetic_zones()
        .filter(kind=Zone.Kind.ECONOMIC_ZONE)
        .annotate(enterprise_count=Count("children__enterprises"))
        .order_by("-enterprise_count", "pk")
    )


def startable_returns(official, year: int, zone_ids: set[int] | None = None) -> list[int]:
    """The enterprises of the official's zones (or of these zones among them) whose return of
    the year the official may start, none existing yet: every save of it is the harness's own."""
    candidates = writable_enterprises(official).exclude(returns__year=year)
    if zone_ids is not None:
        candidates = candidates.filter(zone_id__in=zones_with_descendants(zone_ids))
    return [
        e.pk
        for e in candidates.only("name", "founded_on", "closed_on").order_by("pk")
        if return_year_problem(enterprise=e, year=year) is None
    ]


def create_personas() -> Personas:
    password = secrets.token_urlsafe(18)
    zone = largest_economic_zones().first()
    reviewer = person("bench_reviewer", REVIEWERS, password)
    official = person("bench_official", OFFICIALS, password)
    official.official_zones.set([zone])
    device, _ = TOTPDevice.objects.get_or_create(
        user=reviewer, name="bench", defaults={"confirmed": True}
    )
    device.last_t = -1  # a code of the last 30 seconds may log in again
    device.save()
    return Personas(reviewer, official, zone, device, password)


def log_in(personas: Personas, base_url: str, role: str) -> Session:
    """A session of the reviewer (past the second factor) or of the official."""
    user = personas.reviewer if role == "reviewer" else personas.official
    session = logged_in(base_url, user.username, personas.password)
    if role == "reviewer":
        device = personas.device
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        response = session.post_form(
            reverse("two_factor_verify"), {"token": f"{code:0{device.digits}d}"}
        )
        if response.status != 302:
            raise RuntimeError(f"The second factor was refused (HTTP {response.status})")
    return session
