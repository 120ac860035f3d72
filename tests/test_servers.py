"""Two app servers (two gunicorn processes on two ports) sharing one PostgreSQL database and one
Redis, as docs/deploy.md runs them behind nginx: a return saved through one is in the other's
very next pages, the dashboard's figures included, though the other had them cached.

Needs PostgreSQL (the tests' database, which both servers open), gunicorn and a Redis on
127.0.0.1:6379; skips without them, unless REQUIRE_SERVERS is set, as CI sets it."""

import datetime
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection

from reviews.models import AnnualReturn

from . import factories

pytestmark = [pytest.mark.servers, pytest.mark.cache]

REDIS_URL = "redis://127.0.0.1:6379/14"
PASSWORD = "correct-horse-battery"
BASE_DIR = Path(settings.BASE_DIR)


def _missing() -> str:
    if connection.vendor != "postgresql":
        return "two servers share a PostgreSQL database (DATABASE_URL=postgres://…)"
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return "gunicorn is not installed"
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return "no Redis on 127.0.0.1:6379 (apt-get install redis-server)"
    return ""


@pytest.fixture
def shared_redis():
    missing = _missing()
    if missing:
        if os.environ.get("REQUIRE_SERVERS"):
            pytest.fail(missing)
        pytest.skip(missing)
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield
    client.flushdb()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving the tests' database with the shared Redis as its cache."""

    def __init__(self, tmp_path: Path, name: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        database = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                f"{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "CACHE_URL": REDIS_URL,
            "SECRET_KEY": "servers-test",
            "DEBUG": "on",  # static files without collectstatic
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "off",
            "SESSION_COOKIE_SECURE": "off",
            "CSRF_COOKIE_SECURE": "off",
            "TWO_FACTOR_REQUIRED_GROUPS": "",
            "RETURNS_LOCK": "",
        }
        self.log = (tmp_path / f"{name}.log").open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers=1",
                f"--bind=127.0.0.1:{self.port}",
                "coordination.wsgi",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"{name} did not start: {(tmp_path / f'{name}.log').read_text()}")

    def session(self, username: str) -> requests.Session:
        """Logged in through the login form, as a person would."""
        session = requests.Session()
        page = session.get(f"{self.url}/accounts/login/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        answer = session.post(
            f"{self.url}/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.url}/accounts/login/"},
            allow_redirects=False,
        )
        assert answer.status_code == 302, answer.text[:500]
        return session

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self.log.close()


@pytest.fixture
def servers(shared_redis, tmp_path):
    started = [Server(tmp_path, "first"), Server(tmp_path, "second")]
    yield started
    for server in started:
        server.stop()


def _not_accepted(dashboard: str) -> int:
    """The dashboard's count of returns entered and not yet accepted (a link to their list)."""
    return int(re.search(r'figure=returns_not_accepted[^"]*"[^>]*>([\d,.]+)<', dashboard).group(1))


def test_a_save_through_one_server_is_in_the_others_next_page(
    committed_groups, servers, zone_a, official_a, reviewer, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for user in (official_a, reviewer):  # hashed as the servers check it (tests hash with MD5)
        user.set_password(PASSWORD)
        user.save()
    year = datetime.date.today().year
    programme = factories.ProgrammeFactory(start_year=year - 1, end_year=year + 1)
    factories.IndicatorFactory(programme=programme, metric="employees", baseline_year=year - 1)
    counted = factories.EnterpriseFactory(zone=zone_a)
    factories.AnnualReturnFactory(enterprise=counted, year=year, status="accepted")
    enterprise = factories.EnterpriseFactory(zone=zone_a)
    first, second = servers
    official = first.session(official_a.username)
    reader = second.session(reviewer.username)
    second_official = second.session(official_a.username)

    before = reader.get(f"{second.url}/").text
    assert _not_accepted(before) == 0
    path = f"/enterprises/{enterprise.pk}/returns/{year}/"
    form = official.get(f"{first.url}{path}").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    saved = official.post(
        f"{first.url}{path}",
        data={
            **factories.return_form_data(employees=4321, female_employees=10),
            "seen_version": "",
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": f"{first.url}{path}"},
        allow_redirects=False,
    )
    assert saved.status_code == 302, saved.text[:500]
    assert AnnualReturn.objects.get(enterprise=enterprise, year=year).employees == 4321

    assert _not_accepted(reader.get(f"{second.url}/").text) == 1
    assert 'value="4321"' in second_official.get(f"{second.url}{path}").text
