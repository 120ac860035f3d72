"""HTML typed into every text field is shown as text: escaped on every page that shows it, in
the report and its PDF, and kept as the literal text (not markup) in the CSV and XLSX exports.
The data goes in through the real forms, as a person would type it."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, Organisation
from reviews.models import AnnualReturn, ProgrammeReview

from . import factories
from .test_bad_input import csv_rows, xlsx_rows
from .test_reviews import form_inputs

PAYLOAD = '"><script>alert(1)</script>'
"""Closes an attribute, then opens a script: harmless only if escaped everywhere."""
EMAIL = '"<script>alert(1)</script>"@example.com'
"""A valid address (a quoted local part) that carries a tag."""
RAW = "<script>alert(1)"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
YEAR = 2024
ENTERPRISE_TEXT_FIELDS = (
    "name",
    "address",
    "investor_country",
    "sector",
    "representative",
    "phone",
    "notes",
)
ORGANISATION_TEXT_FIELDS = ("name", "founding_decision", "leader_name", "leader_title")
REVIEW_TEXT_FIELDS = (
    "title",
    "number",
    "place",
    "venue",
    "chaired_by",
    "participants",
    "summary",
    "recommendations",
    "recipients",
)
SECTION_TEXT_FIELDS = ("results", "limitations", "causes", "solutions")
SIGNATURE_TEXT_FIELDS = ("authority", "signer_title", "signer_name")


def assert_escaped(response) -> None:
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert RAW not in body
    assert ESCAPED in body


@pytest.fixture
def programme(db):
    return factories.joint_programme()


@pytest.fixture
def hostile(client, official_a, reviewer, zone_a, programme) -> Enterprise:
    """An enterprise, its party organisation and its return with the payload in every text
    field, typed through the forms by an official; the return sent back by a reviewer with the
    payload as the reason; and an accepted return of the year before that puts the enterprise
    on the gap lists."""
    client.force_login(official_a)
    created = client.post(
        reverse("enterprise_create"),
        {
            **dict.fromkeys(ENTERPRISE_TEXT_FIELDS, PAYLOAD),
            "email": EMAIL,
            "tax_code": "5300123456",
            "zone": zone_a.pk,
            "ownership": "fdi",
            "status": "operating",
            "founded_on": "2015-01-01",
        },
    )
    assert created.status_code == 302
    enterprise = Enterprise.objects.get(tax_code="5300123456")
    edited = client.post(
        reverse("enterprise_edit", args=[enterprise.pk]),
        {
            **{name: getattr(enterprise, name) for name in ENTERPRISE_TEXT_FIELDS},
            "sector": f"{PAYLOAD} 2",
            "email": EMAIL,
            "tax_code": enterprise.tax_code,
            "zone": zone_a.pk,
            "ownership": "fdi",
            "status": "operating",
            "founded_on": "2015-01-01",
            "seen_version": enterprise.version,
        },
    )
    assert edited.status_code == 302
    founded = client.post(
        reverse("organisation_create", args=[enterprise.pk]),
        {
            **dict.fromkeys(ORGANISATION_TEXT_FIELDS, PAYLOAD),
            "kind": "party",
            "form": "grassroots_cell",
            "founded_on": "2021-01-01",
            "explanation": PAYLOAD,
        },
    )
    assert founded.status_code == 302
    submitted = client.post(
        reverse("return_edit", args=[enterprise.pk, YEAR]),
        factories.return_form_data(explanation=PAYLOAD, action="submit"),
    )
    assert submitted.status_code == 302
    client.force_login(reviewer)
    returned = client.post(
        reverse("return_review", args=[enterprise.pk, YEAR]),
        {"action": "return", "seen_version": 2, "return_reason": PAYLOAD},
    )
    assert returned.status_code == 302
    assert AnnualReturn.objects.get(year=YEAR).status == AnnualReturn.Status.RETURNED
    factories.AnnualReturnFactory(
        enterprise=enterprise, year=YEAR - 1, status=AnnualReturn.Status.ACCEPTED
    )
    client.force_login(official_a)
    enterprise.refresh_from_db()
    return enterprise


@pytest.fixture
def hostile_review(client, reviewer, programme) -> ProgrammeReview:
    """A review with the payload in its own text fields, every section and every signature,
    typed through the create and edit forms by a reviewer."""
    client.force_login(reviewer)
    created = client.post(
        reverse("review_create"),
        {
            **dict.fromkeys(REVIEW_TEXT_FIELDS, PAYLOAD),
            "programme": programme.pk,
            "kind": "one_year",
            "as_of_year": 2023,
            "held_on": "2024-05-16",
        },
    )
    assert created.status_code == 302
    review = ProgrammeReview.objects.get()
    url = reverse("review_edit", args=[review.pk])
    data = form_inputs(client.get(url))
    for name in data:
        if name.rsplit("-", 1)[-1] in (*SECTION_TEXT_FIELDS, *SIGNATURE_TEXT_FIELDS):
            data[name] = PAYLOAD
    assert client.post(url, data).status_code == 302
    review.refresh_from_db()
    assert {getattr(review, name) for name in REVIEW_TEXT_FIELDS} == {PAYLOAD}
    assert {
        getattr(section, name) for section in review.sections.all() for name in SECTION_TEXT_FIELDS
    } == {PAYLOAD}
    return review


def test_the_forms_stored_the_payload_as_typed(hostile):
    """The premise of the other tests: nothing was refused or cleaned on the way in."""
    assert {getattr(hostile, name) for name in ENTERPRISE_TEXT_FIELDS} == {PAYLOAD, f"{PAYLOAD} 2"}
    assert hostile.email == EMAIL
    organisation = Organisation.objects.get(enterprise=hostile)
    assert {getattr(organisation, name) for name in ORGANISATION_TEXT_FIELDS} == {PAYLOAD}


def unescaped_pages(client, pages) -> list[str]:
    """The addresses among `pages` (url name, arguments, query) whose HTML carries the tag raw
    or does not show the escaped text at all."""
    failing = []
    for url_name, args, query in pages:
        response = client.get(reverse(url_name, args=args), query)
        body = response.content.decode()
        if response.status_code != 200 or RAW in body or ESCAPED not in body:
            failing.append(f"{url_name} {query} ({response.status_code})")
    return failing


def test_every_page_shows_the_enterprises_text_escaped(client, hostile):
    organisation = hostile.organisations.get()
    pages = [
        ("enterprise_detail", [hostile.pk], {}),
        ("enterprise_edit", [hostile.pk], {}),
        ("enterprise_history", [hostile.pk], {}),
        ("enterprise_list", [], {}),
        ("enterprise_list", [], {"q": "script alert"}),
        ("return_edit", [hostile.pk, YEAR], {}),
        ("return_list", [], {}),
        ("gaps", [], {"year": YEAR - 1, "gap": "eligible_without_union"}),
        ("organisation_edit", [organisation.pk], {}),
        ("organisation_dissolve", [organisation.pk], {}),
        ("dashboard", [], {"year": YEAR}),
    ]
    assert unescaped_pages(client, pages) == []


def test_every_review_page_shows_its_text_escaped(client, hostile_review):
    pages = [
        (url_name, [hostile_review.pk], {})
        for url_name in ("review_detail", "review_edit", "review_report")
    ]
    assert unescaped_pages(client, [*pages, ("review_list", [], {})]) == []


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is missing")
def test_the_pdf_prints_the_literal_text(client, hostile_review, tmp_path):
    """WeasyPrint lays out the escaped page: the tag is printed as text, not run or dropped."""
    response = client.get(reverse("review_report_pdf", args=[hostile_review.pk]))
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert text.count(PAYLOAD) >= len(REVIEW_TEXT_FIELDS)
    assert "&lt;" not in text


def exported_rows(response) -> list[dict]:
    if response["Content-Type"].startswith("text/csv"):
        return csv_rows(response)
    return xlsx_rows(response)


def test_exports_hold_the_literal_text_as_a_download(client, hostile):
    """A download, never a page a browser renders; and the data as typed, not HTML-escaped."""
    exports = [
        ("enterprise_list", {}, ("name", "address", "representative", "phone", "email")),
        ("gaps", {"year": YEAR - 1}, ("name",)),
    ]
    for url_name, query, columns in exports:
        for file_format in ("csv", "xlsx"):
            response = client.get(reverse(url_name), {**query, "_export": file_format})
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["X-Content-Type-Options"] == "nosniff"
            [row] = exported_rows(response)
            assert {column: row[column] for column in columns} == {
                column: EMAIL if column == "email" else PAYLOAD for column in columns
            }, (url_name, file_format)


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("enterprise_list", {"q": PAYLOAD, "sort": PAYLOAD, "page": PAYLOAD}),
        ("enterprise_list", {"year": PAYLOAD, "zone": PAYLOAD, "ownership": PAYLOAD}),
        ("return_list", {"year": PAYLOAD, "status": PAYLOAD, "zone": PAYLOAD}),
        ("gaps", {"year": PAYLOAD}),
        ("dashboard", {"year": PAYLOAD}),
        ("enterprise_import", {"year": PAYLOAD, "zone": PAYLOAD}),
    ],
)
def test_parameters_in_the_address_are_not_reflected_raw(client, official_a, url_name, query):
    client.force_login(official_a)
    response = client.get(reverse(url_name), query)
    assert response.status_code in (200, 400)
    assert RAW not in response.content.decode()


def test_the_login_pages_next_is_not_reflected_raw(client, db):
    response = client.get(reverse("login"), {"next": PAYLOAD})
    assert response.status_code == 200
    assert RAW not in response.content.decode()
