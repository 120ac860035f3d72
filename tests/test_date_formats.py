"""One numeric date format per language, on pages and in exports (documents keep their own
date lines, "ngày 16 tháng 5 năm 2024")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

DAY = datetime.date(2024, 5, 6)


@pytest.mark.parametrize("language", ["vi", "en", "hi"])
def test_each_language_writes_dates_one_way(language):
    with translation.override(language):
        assert date_format(DAY) == "06/05/2024"
        assert date_format(DAY, "SHORT_DATE_FORMAT") == "06/05/2024"
        assert date_format(datetime.datetime(2024, 5, 6, 9, 5), "DATETIME_FORMAT") == (
            "06/05/2024 09:05"
        )


def test_an_english_page_shows_the_numeric_date(client, official_a, enterprise_a):
    client.force_login(official_a)
    enterprise_a.founded_on = DAY
    enterprise_a.save()
    page = client.get(
        reverse("enterprise_detail", args=[enterprise_a.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "06/05/2024" in page
    assert "6 May 2024" not in page
