"""Personas and settings shared by every test: an official of zone A, one of zone B, a reviewer
and an administrator."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection

from coordination.roles import ADMINISTRATORS, GROUPS, OFFICIALS, REVIEWERS

from . import factories


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Whitenoise's manifest storage needs collectstatic; tests do not run it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """English pages, plain HTTP for the test client (production redirects to HTTPS), and no
    two-factor step for the personas."""
    settings.LANGUAGE_CODE = "en"
    settings.SECURE_SSL_REDIRECT = False
    # Personas log in with force_login; tests/test_two_factor.py turns the requirement back on.
    settings.TWO_FACTOR_REQUIRED_GROUPS = []
    settings.ADMIN_REQUIRES_TWO_FACTOR = False
    # A deliberately slow hash protects real passwords; tests only need a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests run on today's date against years long past: no year locks unless a test says so
    # (tests/test_reporting_cycle.py sets RETURNS_LOCK or a ReportingYear).
    settings.RETURNS_LOCK = ""


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded files go to a directory of the test's own, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached (coordination.cache.cached), and with no stamps
    waiting for a commit that the rollback of the last test's transaction never made."""
    cache.clear()
    connection.cache_stamps_pending = None


@pytest.fixture
def committed_groups(transactional_db):
    """For tests whose data is committed (transactional_db): the groups come from a data
    migration, which the flush after any such test empties."""
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def zone_a(db):
    return factories.ZoneFactory(name="Zone A", code="A")


@pytest.fixture
def zone_b(db):
    return factories.ZoneFactory(name="Zone B", code="B")


def _user_in(group_name: str, username: str, **extra):
    user = factories.UserFactory(username=username, **extra)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def official_a(zone_a):
    user = _user_in(OFFICIALS, "official_a")
    zone_a.officials.add(user)
    return user


@pytest.fixture
def official_b(zone_b):
    user = _user_in(OFFICIALS, "official_b")
    zone_b.officials.add(user)
    return user


@pytest.fixture
def reviewer(db):
    return _user_in(REVIEWERS, "reviewer")


@pytest.fixture
def administrator(db):
    return _user_in(ADMINISTRATORS, "administrator", is_staff=True)


@pytest.fixture
def enterprise_a(zone_a):
    return factories.EnterpriseFactory(zone=zone_a, name="Công ty Điện tử Bắc Duyên Hải")


@pytest.fixture
def enterprise_b(zone_b):
    return factories.EnterpriseFactory(zone=zone_b, name="Công ty Đường Kim Thành")
