"""Only the login page, the health check and the language switch are open to anonymous visitors;
logging in and out works through the forms people use."""

import itertools
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import OperationalError
from django.shortcuts import resolve_url
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.regex_helper import normalize

pytestmark = pytest.mark.django_db

OPEN_TO_ANONYMOUS = {"login", "healthz", "favicon", "set_language", "admin:login"}
# Values tried for each URL parameter until the address resolves back to its pattern.
CANDIDATES = {"year": ["2024"]}
DEFAULT_CANDIDATES = ["1", "coordination", "x"]


def _endpoints(resolvers, prefix="", namespace=""):
    """Every URL pattern, with its full regular expression and its namespaced name."""
    for entry in resolvers:
        regex = prefix + entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _endpoints(entry.url_patterns, regex, inner)
        elif isinstance(entry, URLPattern):
            yield entry, regex, f"{namespace}{entry.name}" if entry.name else ""


def _address(pattern: URLPattern, regex: str) -> str:
    """A concrete address that resolves to the pattern: 1 for an id, 2024 for a year."""
    template, params = normalize(regex)[0]
    choices = [CANDIDATES.get(name, DEFAULT_CANDIDATES) for name in params]
    for values in itertools.product(*choices):
        path = "/" + template % dict(zip(params, values, strict=True))
        try:
            if resolve(path).func is pattern.callback:
                return path
        except Resolver404:
            continue
    raise AssertionError(f"No address found for {regex}; add a candidate value")


PROTECTED = [
    pytest.param(_address(pattern, regex), id=name or regex)
    for pattern, regex, name in _endpoints(get_resolver().url_patterns)
    if name not in OPEN_TO_ANONYMOUS
]


def test_the_walk_finds_the_pages():
    """Guards the test below against walking nothing."""
    addresses = {param.values[0] for param in PROTECTED}
    assert {"/", "/admin/", reverse("logout")} <= addresses
    assert len(addresses) > 20


@pytest.mark.parametrize("address", PROTECTED)
def test_an_anonymous_visitor_is_sent_to_log_in(client, address):
    """Django sends the admin's site-wide pages to the admin's login page, all others to ours."""
    response = client.get(address)
    logins = [resolve_url(settings.LOGIN_URL)]
    if address.startswith("/admin/"):
        logins.append(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url in [f"{login}?next={address}" for login in logins]


class TestHealth:
    def test_it_says_ok_when_the_database_answers(self, client):
        response = client.get(reverse("healthz"))
        assert (response.status_code, response.content) == (200, b"ok")

    def test_it_says_unavailable_when_the_database_does_not(self, client):
        """Only the view's own connection fails: the test's transaction needs the real one."""
        with mock.patch("coordination.views.connection") as connection:
            connection.cursor.side_effect = OperationalError("down")
            response = client.get(reverse("healthz"))
        assert response.status_code == 503
        assert response.content != b"ok"


def logged_in(client) -> int | None:
    """The id of the user the client's session belongs to."""
    user_id = client.session.get(SESSION_KEY)
    return int(user_id) if user_id else None


class TestLogin:
    def test_the_page_opens_for_anyone(self, client):
        response = client.get(reverse("login"))
        assert response.status_code == 200
        assert b'name="username"' in response.content
        assert b'name="password"' in response.content

    def test_the_form_logs_in(self, client, official_a):
        response = client.post(
            reverse("login"), {"username": "official_a", "password": "correct-horse-battery"}
        )
        assert response.status_code == 302
        assert response.url == resolve_url(settings.LOGIN_REDIRECT_URL)
        assert logged_in(client) == official_a.pk

    def test_a_wrong_password_is_refused(self, client, official_a):
        response = client.post(reverse("login"), {"username": "official_a", "password": "wrong"})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert logged_in(client) is None

    def test_it_returns_to_the_page_asked_for(self, client, official_a):
        response = client.post(
            f"{reverse('login')}?next=/zones/",
            {"username": "official_a", "password": "correct-horse-battery", "next": "/zones/"},
        )
        assert response.url == "/zones/"


class TestLogout:
    def test_a_post_logs_out(self, client, official_a):
        client.force_login(official_a)
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert response.url == resolve_url(settings.LOGOUT_REDIRECT_URL)
        assert logged_in(client) is None

    def test_a_get_does_not(self, client, official_a):
        """A link or an image on another site must not log anyone out."""
        client.force_login(official_a)
        assert client.get(reverse("logout")).status_code == 405
        assert logged_in(client) == official_a.pk
