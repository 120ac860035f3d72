"""Pages in Vietnamese and Hindi show the catalogues' words: navigation, table headers, form
labels, messages, and the Hindi PDF's Devanagari text."""

import shutil

import pytest
from django.conf import settings
from django.urls import reverse

from .test_report_pdf import pdf_of, pdftotext, review  # noqa: F401 (the review is a fixture)

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")


@pytest.fixture
def speaking(client):
    """A client whose language cookie is set, as the language switch leaves it."""

    def choose(language: str):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return choose


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("vi", ["Doanh nghiệp", "Tổng quan", "Đăng xuất", "Ngôn ngữ"]),
        ("hi", ["उद्यम", "डैशबोर्ड", "लॉग आउट", "भाषा"]),
    ],
)
def test_navigation_is_translated(speaking, official_a, language, words):
    client = speaking(language)
    client.force_login(official_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'lang="{language}"' in page
    for word in words:
        assert word in page


@pytest.mark.parametrize(("language", "header"), [("vi", "Mã số thuế"), ("hi", "कर कोड")])
def test_table_headers_and_form_labels_are_translated(
    speaking, official_a, enterprise_a, language, header
):
    client = speaking(language)
    client.force_login(official_a)
    assert header in client.get(reverse("enterprise_list")).content.decode()
    assert header in client.get(reverse("enterprise_create")).content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [("vi", "Đã tạo doanh nghiệp “Công ty Mới”."), ("hi", "उद्यम “Công ty Mới” बनाया गया।")],
)
def test_messages_are_translated(speaking, official_a, zone_a, language, message):
    client = speaking(language)
    client.force_login(official_a)
    response = client.post(
        reverse("enterprise_create"),
        {
            "name": "Công ty Mới",
            "tax_code": "5300999999",
            "zone": zone_a.pk,
            "ownership": "private",
            "status": "operating",
        },
        follow=True,
    )
    assert message in response.content.decode()


def test_the_browsers_language_is_the_default(client, official_a):
    client.force_login(official_a)
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="vi,en;q=0.5")
    assert "Doanh nghiệp" in page.content.decode()


def test_vietnamese_numbers_and_dates_on_a_page(speaking, official_a, enterprise_a):
    from . import factories

    factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024, employees=1234)
    client = speaking("vi")
    client.force_login(official_a)
    page = client.get(reverse("enterprise_list"), {"year": 2024}).content.decode()
    assert "1.234" in page


def test_the_hindi_pdf_has_extractable_devanagari(speaking, reviewer, review, tmp_path):  # noqa: F811
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    """Words whose glyphs come out in logical order. pdftotext splits clusters with a pre-base
    i-matra or a reph ("पार्टी", "किया"): WeasyPrint's ToUnicode maps glyphs, not clusters."""
    text = pdftotext(pdf_of(speaking("hi"), reviewer, review), tmp_path)
    assert "वियतनाम" in text  # COMMUNIST PARTY OF VIETNAM
    assert "दिनां" in text  # the date line
    assert "कैसे लागू" in text  # How the programme was rolled out
