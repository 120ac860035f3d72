"""Two-factor login (TOTP): required for administrators and reviewers, available to officials."""

import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from coordination.middleware import TWO_FACTOR_RECHECK_SECONDS
from coordination.roles import REVIEWERS


@pytest.fixture(autouse=True)
def _require_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED_GROUPS = ["Administrators", "Reviewers"]


def _code(device: TOTPDevice) -> str:
    """The code the user's phone shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _login(client, username):
    return client.post(
        reverse("login"), {"username": username, "password": "correct-horse-battery"}
    )


def test_reviewer_without_device_must_set_one_up_first(client, reviewer):
    _login(client, "reviewer")
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_setup_confirms_with_a_right_code_and_lets_the_user_in(client, reviewer):
    _login(client, "reviewer")
    page = client.get(reverse("two_factor_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)

    wrong = client.post(reverse("two_factor_setup"), {"token": "000000", "next": "/"})
    assert "This code is not right" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(reverse("two_factor_setup"), {"token": _code(device), "next": "/"})
    assert right.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard")).status_code == 200


def test_user_with_device_must_enter_code_after_password(client, official_a):
    device = TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True)
    _login(client, "official_a")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("two_factor_verify"))

    assert client.post(reverse("two_factor_verify"), {"token": "12345x"}).status_code == 200
    assert client.get(reverse("dashboard")).status_code == 302

    response = client.post(reverse("two_factor_verify"), {"token": _code(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("dashboard")).status_code == 200


def test_official_is_not_forced_but_may_set_it_up(client, official_a):
    _login(client, "official_a")
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("two_factor_setup")).status_code == 200


def test_next_may_not_lead_off_site(client, official_a):
    device = TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True)
    _login(client, "official_a")
    response = client.post(
        reverse("two_factor_verify"), {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dashboard")


def test_a_right_code_right_after_a_wrong_one_waits_for_the_throttle(client, official_a):
    """Guessing is slowed down: after a failure, codes are refused for a growing delay."""
    device = TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True)
    _login(client, "official_a")
    client.post(reverse("two_factor_verify"), {"token": "000000"})
    client.post(reverse("two_factor_verify"), {"token": _code(device)})
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("two_factor_verify"))
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_superuser_counts_as_an_administrator(client, settings, db):
    from . import factories

    factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    _login(client, "root")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("two_factor_setup"))
    settings.TWO_FACTOR_REQUIRED_GROUPS = []
    assert client.get(reverse("dashboard")).status_code == 200


def test_an_official_made_a_reviewer_is_asked_at_once(client, official_a):
    """An official needs no second factor, which is remembered for the session; a change of
    groups is not: the next page asks the new reviewer to set one up."""
    _login(client, "official_a")
    assert client.get(reverse("dashboard")).status_code == 200
    official_a.groups.add(Group.objects.get(name=REVIEWERS))
    response = client.get(reverse("dashboard"))
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_a_device_added_in_another_session_is_asked_for_within_minutes(
    client, official_a, monkeypatch
):
    _login(client, "official_a")
    assert client.get(reverse("dashboard")).status_code == 200
    TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True)
    assert client.get(reverse("dashboard")).status_code == 200  # checked a moment ago
    later = time.time() + TWO_FACTOR_RECHECK_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(reverse("dashboard"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
