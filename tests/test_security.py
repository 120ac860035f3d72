"""Production settings, headers, session timeouts, login throttling and the error pages."""

import os
import subprocess
import sys
import time
from unittest import mock

from django.db import OperationalError
from django.urls import reverse

from coordination.middleware import SESSION_SEEN, SESSION_STARTED


def test_check_deploy_is_clean_with_only_the_three_variables(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env |= {
        "DEBUG": "off",
        "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-0123456789",
        "ALLOWED_HOSTS": "tracker.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_missing_secret_key_without_debug_is_a_clear_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_pages_with_data_are_not_cached_and_framed(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("dashboard"))
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_session_ends_after_idle_timeout(client, reviewer, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    client.force_login(reviewer)
    assert client.get(reverse("dashboard")).status_code == 200
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - 61
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_session_ends_after_absolute_timeout_even_when_active(client, reviewer, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 3600
    client.force_login(reviewer)
    client.get(reverse("dashboard"))
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - 3601
    session.save()
    assert client.get(reverse("dashboard")).status_code == 302


def _failed_login(client, username):
    return client.post(reverse("login"), {"username": username, "password": "wrong"})


def test_repeated_failures_lock_that_user_name_only(client, reviewer, official_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _failed_login(client, "reviewer")
    locked = client.post(
        reverse("login"), {"username": "reviewer", "password": "correct-horse-battery"}
    )
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    other = client.post(
        reverse("login"), {"username": "official_a", "password": "correct-horse-battery"}
    )
    assert other.status_code == 302, "a colleague behind the same address must still log in"


def test_database_down_shows_friendly_page(client, reviewer, settings):
    settings.DEBUG = False
    client.force_login(reviewer)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore._get_session_from_db",
        side_effect=OperationalError("could not connect to server: secret-host:5432"),
    ):
        response = client.get(reverse("dashboard"))
    body = response.content.decode()
    assert response.status_code == 503
    assert "The service is unavailable" in body
    assert "secret-host" not in body and "Traceback" not in body


def test_other_errors_show_our_500_page(client, reviewer, settings):
    settings.DEBUG = False
    client.force_login(reviewer)
    client.raise_request_exception = False
    with mock.patch("reviews.views.dashboard.render", side_effect=RuntimeError("boom")):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_unknown_address_shows_our_404(client, reviewer, settings):
    settings.DEBUG = False
    client.force_login(reviewer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_forged_post_gets_our_own_403_page(reviewer, db):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    response = browser.post(reverse("set_language"), {"language": "vi"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
