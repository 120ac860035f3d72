"""What the console and the browser's tab see: a refused page is one line in the log, and there
is an icon (linked from every page, and at /favicon.ico)."""

import io
import logging

import pytest
from django.urls import reverse


@pytest.fixture
def console():
    """The text the console handler (settings.LOGGING) writes."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_refused_page_is_logged_as_one_line(client, reviewer, console):
    client.force_login(reviewer)
    assert client.get(reverse("enterprise_create")).status_code == 403
    lines = console.getvalue().splitlines()
    assert lines == [f"Forbidden (Permission denied): {reverse('enterprise_create')}"]


def test_a_server_error_keeps_its_traceback(console):
    logger = logging.getLogger("django.request")
    try:
        raise ValueError("boom")
    except ValueError:
        logger.error("Internal Server Error: /x", exc_info=True, extra={"status_code": 500})
    assert "Traceback" in console.getvalue()


def test_every_page_links_the_icon(client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in page


def test_favicon_ico_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.ico")
