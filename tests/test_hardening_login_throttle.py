"""Issue 12, item 2: behind nginx anyone could lock anyone out. The package axes needs to read
X-Forwarded-For was not installed, so every client had the proxy's address: five wrong passwords
for a user from one client locked that user out for every client (429). The settings are read
here as settings.py computes them from the environment."""

import runpy
from pathlib import Path

import pytest
from django.urls import reverse

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "coordination" / "settings.py"
CLIENT_ADDRESS_SETTINGS = (
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "AXES_IPWARE_PROXY_COUNT",
    "IPWARE_STRICT",
)
NGINX = "127.0.0.1"


@pytest.fixture
def behind_proxies(settings, monkeypatch):
    """Applies what settings.py makes of AXES_PROXY_COUNT=count."""

    def apply(count: int) -> None:
        monkeypatch.setenv("AXES_PROXY_COUNT", str(count))
        computed = runpy.run_path(str(SETTINGS_FILE))
        for name in CLIENT_ADDRESS_SETTINGS:
            setattr(settings, name, computed[name])

    return apply


def login(client, *, forwarded_for: str, password: str = "wrong"):
    return client.post(
        reverse("login"),
        {"username": "reviewer", "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def right_password(client, forwarded_for: str) -> int:
    """The answer to the reviewer's right password: 302 logged in, 429 locked out."""
    return login(client, forwarded_for=forwarded_for, password="correct-horse-battery").status_code


def fail_five_times(client, settings, forwarded_for):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, forwarded_for=forwarded_for)


def test_ipware_is_installed():
    """Without it axes reads REMOTE_ADDR alone, whatever AXES_IPWARE_PROXY_COUNT says."""
    from axes import helpers

    assert helpers.IPWARE_INSTALLED


def test_five_failures_from_one_client_do_not_lock_out_another(
    client, reviewer, settings, behind_proxies
):
    """The attacker's case: a proxy count of 1, five failures from 203.0.113.5, then the user
    logs in from 198.51.100.7."""
    behind_proxies(1)
    fail_five_times(client, settings, "203.0.113.5")
    assert right_password(client, "203.0.113.5") == 429
    assert right_password(client, "198.51.100.7") == 302


def test_a_client_cannot_escape_its_lock_by_writing_addresses_into_the_header(
    client, reviewer, settings, behind_proxies
):
    """nginx appends the address it saw; what a client wrote in front of it is ignored."""
    behind_proxies(1)
    for number in range(settings.AXES_FAILURE_LIMIT):
        login(client, forwarded_for=f"10.0.0.{number}, 203.0.113.5")
    assert right_password(client, "192.0.2.1, 203.0.113.5") == 429


def test_with_two_proxies_the_address_the_outer_one_saw_counts(
    client, reviewer, settings, behind_proxies
):
    """A load balancer before nginx: the header ends with the client and the load balancer."""
    behind_proxies(2)
    fail_five_times(client, settings, "6.6.6.6, 203.0.113.5, 10.1.1.1")
    assert right_password(client, "203.0.113.5, 10.1.1.1") == 429
    assert right_password(client, "198.51.100.7, 10.1.1.1") == 302


def test_without_a_proxy_the_header_is_ignored(client, reviewer, settings, behind_proxies):
    """A client talking to the app directly cannot pick its address."""
    behind_proxies(0)
    for number in range(settings.AXES_FAILURE_LIMIT):
        login(client, forwarded_for=f"203.0.113.{number}")
    assert right_password(client, "198.51.100.7") == 429
