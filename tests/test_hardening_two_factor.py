"""Issue 12, items 8 (the admin's second factor), 9, 10 and 13: the two-factor step.

8. Made staff, an official reached the admin without a second factor: with DEBUG off the admin
   asks staff for one whatever their groups.
9. A session of a user made superuser reached /admin/ without a second factor for up to 5
   minutes: a change of is_superuser or is_staff is checked at once, as one of groups is.
10. `next` was not URL-encoded in the redirect to the two-factor step: after verifying,
   /enterprises/?zone=5&_export=csv became /enterprises/?zone=5.
13. After 8 wrong codes the right one was refused with "This code is not right": the page now
   says that the account must wait, and for how long."""

import datetime
import runpy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from coordination.roles import ADMINISTRATORS, REVIEWERS

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "coordination" / "settings.py"
ADMIN = "/admin/"
ADMIN_RETURNS = "/admin/reviews/annualreturn/"


@pytest.fixture(autouse=True)
def _production_two_factor(settings):
    """As with DEBUG off."""
    settings.TWO_FACTOR_REQUIRED_GROUPS = [ADMINISTRATORS, REVIEWERS]
    settings.ADMIN_REQUIRES_TWO_FACTOR = True


def code_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def redirect_path(response) -> str:
    return urlsplit(response["Location"]).path


# 8. The admin always asks for a second factor


def test_an_official_made_staff_is_asked_for_a_second_factor_in_the_admin(client, official_a):
    official_a.is_staff = True
    official_a.save()
    client.force_login(official_a)
    assert client.get(reverse("dashboard")).status_code == 200, "the app asks officials nothing"
    response = client.get(ADMIN_RETURNS)
    assert response.status_code == 302
    assert redirect_path(response) == reverse("two_factor_setup")


def test_a_staff_user_with_a_device_enters_its_code_before_the_admin(client, official_a):
    official_a.is_staff = True
    official_a.save()
    device = TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True)
    client.force_login(official_a)
    response = client.get(ADMIN)
    assert redirect_path(response) == reverse("two_factor_verify")
    verified = client.post(response["Location"], {"token": code_now(device), "next": ADMIN})
    assert verified["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_the_admin_asks_even_when_no_group_needs_a_second_factor(client, administrator, settings):
    settings.TWO_FACTOR_REQUIRED_GROUPS = []
    client.force_login(administrator)
    assert redirect_path(client.get(ADMIN)) == reverse("two_factor_setup")


def test_with_debug_on_the_admin_asks_nothing_more(client, administrator, settings):
    """The quick start (make run) asks nobody for a second factor."""
    settings.TWO_FACTOR_REQUIRED_GROUPS = []
    settings.ADMIN_REQUIRES_TWO_FACTOR = False
    client.force_login(administrator)
    assert client.get(ADMIN).status_code == 200


@pytest.mark.parametrize(("debug", "required"), [("off", True), ("on", False)])
def test_the_setting_follows_debug(monkeypatch, debug, required):
    monkeypatch.setenv("DEBUG", debug)
    assert runpy.run_path(str(SETTINGS_FILE))["ADMIN_REQUIRES_TWO_FACTOR"] is required


# 9. is_superuser and is_staff are rechecked at once


def test_a_user_made_superuser_is_asked_for_a_second_factor_at_once(client, official_a):
    """An official needs no second factor, which the session remembers for 5 minutes; being
    made superuser is noticed on the next page."""
    client.force_login(official_a)
    assert client.get(reverse("dashboard")).status_code == 200
    official_a.is_superuser = True
    official_a.save()
    response = client.get(reverse("dashboard"))
    assert redirect_path(response) == reverse("two_factor_setup")


def test_a_user_made_staff_is_asked_again_at_once(client, official_a, settings):
    """A group that requires a second factor checked against is_staff too: the remembered
    answer is dropped when the flag changes."""
    client.force_login(official_a)
    assert client.get(reverse("dashboard")).status_code == 200
    TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True)
    official_a.is_staff = True
    official_a.save()
    assert redirect_path(client.get(reverse("dashboard"))) == reverse("two_factor_verify")


# 10. next is encoded


def test_the_whole_address_comes_back_after_the_code(client, official_a):
    device = TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True)
    client.force_login(official_a)
    wanted = "/enterprises/?zone=5&_export=csv"
    response = client.get(wanted)
    assert redirect_path(response) == reverse("two_factor_verify")
    [next_url] = parse_qs(urlsplit(response["Location"]).query)["next"]
    assert next_url == wanted
    verified = client.post(
        reverse("two_factor_verify"), {"token": code_now(device), "next": next_url}
    )
    assert verified["Location"] == wanted


def test_the_verify_page_keeps_the_whole_address_in_its_form(client, official_a):
    TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True)
    client.force_login(official_a)
    page = client.get(client.get("/enterprises/?zone=5&_export=csv")["Location"])
    assert 'value="/enterprises/?zone=5&amp;_export=csv"' in page.content.decode()


# 13. The wait after too many wrong codes is said


def throttled(device: TOTPDevice, failures: int) -> TOTPDevice:
    device.throttling_failure_count = failures
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    return device


def test_after_8_wrong_codes_the_right_one_is_refused_with_the_wait(client, official_a):
    """Each wrong code doubles the wait: after 8 it is 128 seconds, shown as 3 minutes."""
    device = throttled(TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True), 8)
    client.force_login(official_a)
    response = client.post(reverse("two_factor_verify"), {"token": code_now(device)})
    errors = response.context["form"].errors["token"]
    assert errors == [
        "Too many wrong codes: this account must wait 3 minutes before a code is checked "
        "again, even a right one."
    ]
    assert "This code is not right" not in response.content.decode()


def test_a_short_wait_is_said_in_seconds(client, official_a):
    device = throttled(TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True), 4)
    client.force_login(official_a)
    response = client.post(reverse("two_factor_verify"), {"token": code_now(device)})
    [error] = response.context["form"].errors["token"]
    assert "must wait 8 seconds" in error


def test_a_wrong_code_without_a_wait_is_just_wrong(client, official_a):
    TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True)
    client.force_login(official_a)
    response = client.post(reverse("two_factor_verify"), {"token": "000000"})
    assert response.context["form"].errors["token"] == [
        "This code is not right. Check the time on your phone."
    ]


def test_setting_up_says_the_wait_too(client, reviewer):
    client.force_login(reviewer)
    client.get(reverse("two_factor_setup"))
    device = throttled(TOTPDevice.objects.get(user=reviewer, confirmed=False), 8)
    response = client.post(reverse("two_factor_setup"), {"token": code_now(device)})
    [error] = response.context["form"].errors["token"]
    assert "must wait 3 minutes" in error


def test_once_the_wait_is_over_the_right_code_is_taken(client, official_a):
    device = throttled(TOTPDevice.objects.create(user=official_a, name="phone", confirmed=True), 8)
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(seconds=129)
    device.save()
    client.force_login(official_a)
    response = client.post(reverse("two_factor_verify"), {"token": code_now(device), "next": "/"})
    assert response.status_code == 302
