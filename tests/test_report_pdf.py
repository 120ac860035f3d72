"""The report as a PDF through WeasyPrint: the same page as the print view, its text readable
(pdftotext) with the header, the title and the figures, numbered pages, embedded fonts that
cover Vietnamese and Devanagari, and no fetching beyond our own static files."""

import os
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from reviews.documents import pdf
from reviews.documents.pdf import _fetcher_class, static_file_for

from . import factories

POPPLER_MISSING = not shutil.which("pdftotext") and not os.environ.get("REQUIRE_E2E")
needs_poppler = pytest.mark.skipif(
    POPPLER_MISSING,
    reason="pdftotext (Debian's poppler-utils) is not installed; CI installs it and sets "
    "REQUIRE_E2E, which makes these tests fail instead of skipping",
)


@pytest.fixture
def review(db, enterprise_a, enterprise_b):
    return factories.printed_review([enterprise_a, enterprise_b])


def pdf_of(client, user, review) -> bytes:
    client.force_login(user)
    response = client.get(reverse("review_report_pdf", args=[review.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def pdftotext(pdf: bytes, tmp_path, *options: str) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page, whitespace collapsed (pdftotext ends each page with a form feed)."""
    text = pdftotext(pdf, tmp_path)
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def test_pdf_is_shown_inline_with_a_telling_name(client, reviewer, review):
    client.force_login(reviewer)
    response = client.get(reverse("review_report_pdf", args=[review.pk]))
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == (
        f'inline; filename="review-{review.pk}-so-ket-01-nam-thuc-hien-chuong-trinh-phoi-hop.pdf"'
    )


@needs_poppler
def test_pdf_text_holds_the_header_the_title_and_the_figures(client, reviewer, review, tmp_path):
    pdf = pdf_of(client, reviewer, review)
    text = " ".join(pdf_pages(pdf, tmp_path))
    assert "ĐẢNG BỘ TỈNH LÀO CAI ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH" in text
    assert "COMMUNIST PARTY OF VIETNAM" in text
    assert "No. 01-BC/ĐUK-BQLKKT" in text
    assert "Lào Cai, 16/5/2024" in text
    # (the draft's mark, set across the page, may slip a letter in between)
    assert re.search(r"REPORT( [A-Z])* Sơ kết 01 năm thực hiện Chương trình phối hợp", text)
    assert "CT01 Số doanh nghiệp có tổ chức đảng" in text
    assert re.search(
        r"^CT01 Số doanh nghiệp.* 0 \(2022\) +2 +4 +1 +50\.00 % +25\.00 % +\+1 +—",
        pdftotext(pdf, tmp_path, "-layout"),
        re.MULTILINE,
    )
    assert "1 / 2 = 50.00 %" in text
    assert "T/M BAN THƯỜNG VỤ" in text
    assert "KT. TRƯỞNG BAN" in text


@needs_poppler
def test_pages_are_numbered_from_the_second(client, reviewer, review, tmp_path):
    """Decree 30's rule: the number at the top of every page but the first."""
    pages = pdf_pages(pdf_of(client, reviewer, review), tmp_path)
    assert len(pages) >= 2
    assert not pages[0].startswith("1 ")
    for number, page in enumerate(pages[1:], start=2):
        assert page.startswith(f"{number} ")


@needs_poppler
def test_a_draft_pdf_is_marked_and_scoped(client, official_a, review, tmp_path):
    text = " ".join(pdf_pages(pdf_of(client, official_a, review), tmp_path))
    assert "DRAFT" in text
    assert "1 / 1 = 100.00 %" in text


@needs_poppler
def test_fonts_are_embedded_and_cover_devanagari(client, reviewer, review, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_of(client, reviewer, review))
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts
    assert all(" yes yes yes " in line for line in fonts), fonts
    assert any("Devanagari" in line for line in fonts), fonts


def test_only_our_static_files_may_be_fetched(settings):
    origin = "http://testserver/"
    assert static_file_for("http://testserver/static/css/report.css", origin=origin).name == (
        "report.css"
    )
    for refused in (
        "file:///etc/passwd",
        "http://example.com/static/css/report.css",
        "https://testserver/static/css/report.css",
        "http://testserver/static/../../coordination/settings.py",
        "http://testserver/static/missing.css",
        "http://testserver/admin/",
        "data:text/css,body{}",
    ):
        assert static_file_for(refused, origin=origin) is None, refused


def test_the_fetcher_refuses_anything_else():
    _, fetcher_class = _fetcher_class()
    fetcher = fetcher_class("http://testserver/")
    assert b"@page" in fetcher.fetch("http://testserver/static/css/report.css").read()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch("file:///etc/hostname")


def test_production_hashed_static_names_are_served(settings, tmp_path):
    """With DEBUG off the report links css/report.<hash>.css from STATIC_ROOT (whitenoise's
    manifest): the PDF must get its stylesheet there too."""
    from django.core.management import call_command
    from django.templatetags.static import static

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    url = "http://testserver" + static("css/report.css")
    assert url != "http://testserver/static/css/report.css"
    found = static_file_for(url, origin="http://testserver/")
    assert found is not None and b"@page" in found.read_bytes()


def test_a_worker_warms_up_with_the_reports_stylesheet(monkeypatch, caplog):
    fetched = []
    find = pdf.static_file_for
    monkeypatch.setattr(
        pdf, "static_file_for", lambda url, origin: fetched.append(url) or find(url, origin=origin)
    )
    pdf.warm_up()
    assert any("report" in url and url.endswith(".css") for url in fetched)
    assert not caplog.records


def test_a_failed_warm_up_is_logged_and_keeps_the_worker(monkeypatch, caplog):
    def fail(html, *, base_url):
        raise OSError("no fonts")

    monkeypatch.setattr(pdf, "render_pdf", fail)
    pdf.warm_up()
    assert "The PDF warm-up failed" in caplog.text
