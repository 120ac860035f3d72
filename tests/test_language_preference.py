"""The language switch works on every page, is remembered for the user, and formats follow it."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from coordination.models import UserPreference


def test_switch_is_on_the_login_page_and_works_anonymously(client, db):
    page = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    response = client.post(reverse("set_language"), {"language": "vi", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"


def test_choice_is_remembered_for_the_user_on_another_browser(client, reviewer):
    client.force_login(reviewer)
    client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    assert UserPreference.objects.get(user=reviewer).language == "hi"

    other_browser = client.__class__()
    response = other_browser.post(
        reverse("login"), {"username": "reviewer", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"


def test_unknown_language_is_not_remembered(client, reviewer):
    client.force_login(reviewer)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert not UserPreference.objects.filter(user=reviewer).exists()


def test_vietnamese_dates_and_numbers():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2024, 5, 16), "SHORT_DATE_FORMAT") == "16/05/2024"
        assert formats.number_format(1234, force_grouping=True) == "1.234"
        assert formats.number_format(Decimal("12.5"), 1) == "12,5"
    with translation.override("en"):
        assert formats.number_format(1234, force_grouping=True) == "1,234"
