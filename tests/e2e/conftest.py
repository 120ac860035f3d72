"""Browser tests: Playwright's sync API drives Debian's Chromium against the live server.

Playwright's sync API runs an event loop in the test thread, which Django refuses to run
database code beside unless told it is safe here."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.test import override_settings

from coordination.roles import GROUPS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PASSWORD = "correct-horse-battery"
"""The password tests/factories.py gives every user."""

failed_key = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download its own here); without it the tests skip,
    unless REQUIRE_E2E is set, as CI does, where a missing browser is a failure."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("REQUIRE_E2E"):
            pytest.fail(f"REQUIRE_E2E is set but {reason}", pytrace=False)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def _plain_http():
    """No redirect to HTTPS (SecurityMiddleware reads it once, when the server starts) and no
    Secure cookies, which a browser would not send back over plain HTTP."""
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http, live_server):
    """The live server, started over plain HTTP."""
    return live_server


@pytest.fixture(autouse=True)
def _groups(transactional_db):
    """The groups come from a data migration, which each browser test's flush empties; a
    serialized rollback cannot bring them back, since Playwright's sync API marks an event loop
    as running and Django then hands out other connection objects than the ones the test
    database was set up (and serialized) with."""
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[failed_key] = True
    return report


@pytest.fixture
def browser_contexts(request, browser, live_server):
    """Opens browser contexts (separate people) on the live server; when the test failed,
    every page they still have open is saved as a screenshot in test-results/."""
    contexts = []

    def open_context():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_context
    if request.node.stash.get(failed_key, False):
        RESULTS.mkdir(exist_ok=True)
        for number, context in enumerate(contexts, start=1):
            for page_number, page in enumerate(context.pages, start=1):
                path = RESULTS / f"{request.node.name}-{number}-{page_number}.png"
                page.screenshot(path=str(path), full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def accessible():
    """Asserts that axe-core finds no serious or critical violation on the page as it stands."""
    axe = Axe()

    def check(page) -> None:
        violations = [
            violation
            for violation in axe.run(page).response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert not violations, f"{page.url}:\n" + "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"])
            for v in violations
        )

    return check


@pytest.fixture
def log_in(accessible):
    """Logs a page in through the login form, as a person would, and lands on the dashboard."""

    def submit_login_form(page, username: str) -> None:
        page.goto("/accounts/login/")
        accessible(page)
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("heading", name="Dashboard").wait_for()
        accessible(page)

    return submit_login_form
