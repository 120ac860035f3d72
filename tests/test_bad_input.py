"""Bad input, each tried through the real views: answered with a clear message, and the
database exactly as it was (every row of every table of the project's apps compared)."""

import csv
import io
import struct
import zipfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from coordination.roles import is_reviewer
from enterprises.imports import reading as imports
from enterprises.imports.sheet import SHEET
from enterprises.models import Enterprise, fold_for_search
from enterprises.views import IMPORT_SESSION_KEY
from reviews.models import COUNT_FIELDS, AnnualReturn, ProgrammeReview
from reviews.services.programme_reviews import create_review

from . import factories
from .test_reviews import form_inputs

PROJECT_APPS = ("coordination", "enterprises", "reviews")
YEAR = 2024
"""A past year of the test programme (2023–2025) in which enterprise_a (founded 2015) works."""
TAX_CODE_SHAPE = "A tax code is 10 digits, or 10 digits, a dash and 3 digits for a branch."


def database_state() -> dict[str, list[dict]]:
    """Every row of every model of the project's apps, history included, in primary key order:
    equal before and after means the request changed nothing."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
    }


def field_errors(response, field: str, form: str = "form") -> list[str]:
    return response.context[form].errors.get(field, [])


@pytest.fixture
def as_official(client, official_a):
    client.force_login(official_a)
    return client


@pytest.fixture
def as_reviewer(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def programme(db):
    return factories.joint_programme()


@pytest.fixture
def draft_review(programme, reviewer):
    return create_review(
        user=reviewer,
        programme=programme,
        kind=ProgrammeReview.Kind.ONE_YEAR,
        title="Sơ kết 01 năm",
        as_of_year=2023,
    )


def enterprise_data(zone, **overrides) -> dict:
    return {
        "name": "Công ty TNHH Thép Việt",
        "tax_code": "5300123456",
        "zone": zone.pk,
        "ownership": "private",
        "status": "operating",
        "founded_on": "2019-04-01",
        **overrides,
    }


def enterprise_edit_data(enterprise, **overrides) -> dict:
    stored = {
        "name": enterprise.name,
        "tax_code": enterprise.tax_code,
        "founded_on": enterprise.founded_on.isoformat(),
        "seen_version": enterprise.version,
    }
    return enterprise_data(enterprise.zone, **(stored | overrides))


# Counts in the annual return


def return_url(enterprise, year: int = YEAR) -> str:
    return reverse("return_edit", args=[enterprise.pk, year])


ON_SQLITE = connection.vendor == "sqlite"
BAD_COUNTS = [
    ("-1", "Ensure this value is greater than or equal to 0."),
    pytest.param(str(10**12), "Ensure this value is less than or equal to"),
    (str(10**20), "Ensure this value is less than or equal to"),
    ("9" * 5000, "Enter a whole number."),
    ("abc", "Enter a whole number."),
    ("1.5", "Enter a whole number."),
    ("1e3", "Enter a whole number."),
    ("0x10", "Enter a whole number."),
    ("", "This field is required."),
]


class TestReturnCounts:
    @pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
    @pytest.mark.parametrize(("value", "message"), BAD_COUNTS, ids=lambda v: str(v)[:12])
    def test_a_bad_count_is_refused_at_its_field(
        self, as_official, enterprise_a, existing, value, message
    ):
        data = factories.return_form_data(employees=value)
        if existing:
            stored = factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
            data["seen_version"] = stored.version
        before = database_state()
        response = as_official.post(return_url(enterprise_a), data)
        assert response.status_code == 200
        [error] = field_errors(response, "employees")
        assert error.startswith(message)
        assert f'<p class="error" id="id_employees_error">{error}</p>' in response.content.decode()
        assert database_state() == before

    def test_every_count_field_refuses_a_negative_number(self, as_official, enterprise_a):
        before = database_state()
        response = as_official.post(
            return_url(enterprise_a),
            factories.return_form_data(**dict.fromkeys(COUNT_FIELDS, "-3")),
        )
        for name in COUNT_FIELDS:
            assert field_errors(response, name) == [
                "Ensure this value is greater than or equal to 0."
            ]
        assert database_state() == before

    def test_parts_above_their_wholes_are_refused_at_the_parts(self, as_official, enterprise_a):
        before = database_state()
        response = as_official.post(
            return_url(enterprise_a),
            factories.return_form_data(
                employees=10,
                female_employees=11,
                party_members=2,
                new_party_members=3,
                new_members_owners=4,
                explanation="They are right.",
            ),
        )
        assert field_errors(response, "female_employees") == ["Cannot be more than employees (10)."]
        assert field_errors(response, "new_party_members") == [
            "Cannot be more than party members (2)."
        ]
        assert field_errors(response, "new_members_owners") == [
            "Cannot be more than new party members (3)."
        ]
        assert database_state() == before


# Tax codes


WRONG_TAX_CODES = [
    "530012345",  # 9 digits
    "53001234567",  # 11 digits
    "530012345O",  # a letter O
    "5300123456-12",
    "5300123456_123",
    "5300 123456",
    "１２３４５６７８９０",  # full-width digits
    "١٢٣٤٥٦٧٨٩٠",  # Arabic-Indic digits
    "5300\n123456",
]


class TestTaxCodes:
    @pytest.mark.parametrize("tax_code", WRONG_TAX_CODES)
    def test_a_wrong_shape_is_refused_on_create(self, as_official, zone_a, tax_code):
        before = database_state()
        response = as_official.post(
            reverse("enterprise_create"), enterprise_data(zone_a, tax_code=tax_code)
        )
        assert response.status_code == 200
        assert TAX_CODE_SHAPE in field_errors(response, "tax_code")
        assert database_state() == before

    def test_a_wrong_shape_is_refused_on_edit(self, as_official, enterprise_a):
        before = database_state()
        response = as_official.post(
            reverse("enterprise_edit", args=[enterprise_a.pk]),
            enterprise_edit_data(enterprise_a, tax_code="53-0012-3456"),
        )
        assert TAX_CODE_SHAPE in field_errors(response, "tax_code")
        assert database_state() == before

    def test_a_tax_code_of_another_zones_enterprise_is_refused_on_create(
        self, as_official, zone_a, enterprise_b
    ):
        before = database_state()
        response = as_official.post(
            reverse("enterprise_create"), enterprise_data(zone_a, tax_code=enterprise_b.tax_code)
        )
        assert field_errors(response, "tax_code") == [
            "Another enterprise already has this tax code."
        ]
        assert database_state() == before

    def test_a_tax_code_taken_by_another_enterprise_is_refused_on_edit(
        self, as_official, enterprise_a, enterprise_b
    ):
        before = database_state()
        response = as_official.post(
            reverse("enterprise_edit", args=[enterprise_a.pk]),
            enterprise_edit_data(enterprise_a, tax_code=enterprise_b.tax_code),
        )
        assert field_errors(response, "tax_code") == [
            "Another enterprise already has this tax code."
        ]
        assert database_state() == before


# Dates


class TestDates:
    def test_an_enterprise_closed_before_it_was_founded_is_refused(self, as_official, zone_a):
        before = database_state()
        response = as_official.post(
            reverse("enterprise_create"),
            enterprise_data(zone_a, founded_on="2020-05-01", closed_on="2020-04-30"),
        )
        assert field_errors(response, "closed_on") == [
            "The closing date cannot be before the founding date."
        ]
        assert database_state() == before

    def test_closing_an_enterprise_before_its_founding_is_refused(self, as_official, enterprise_a):
        before = database_state()
        response = as_official.post(
            reverse("enterprise_edit", args=[enterprise_a.pk]),
            enterprise_edit_data(enterprise_a, status="closed", closed_on="2014-12-31"),
        )
        assert field_errors(response, "closed_on") == [
            "The closing date cannot be before the founding date."
        ]
        assert database_state() == before

    @pytest.mark.parametrize("value", ["2023-02-30", "yesterday", "2023-13-01", "99999-01-01"])
    def test_a_date_that_does_not_exist_is_refused(self, as_official, zone_a, value):
        before = database_state()
        response = as_official.post(
            reverse("enterprise_create"), enterprise_data(zone_a, founded_on=value)
        )
        assert field_errors(response, "founded_on") == ["Enter a valid date."]
        assert database_state() == before

    def test_an_organisation_dissolved_before_it_was_founded_is_refused(
        self, as_official, enterprise_a
    ):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        before = database_state()
        response = as_official.post(
            reverse("organisation_edit", args=[organisation.pk]),
            {
                "kind": organisation.kind,
                "form": organisation.form,
                "name": organisation.name,
                "founded_on": "2020-01-01",
                "dissolved_on": "2019-12-31",
                "seen_version": organisation.version,
            },
        )
        assert field_errors(response, "dissolved_on") == [
            "The dissolution date cannot be before the founding date."
        ]
        assert database_state() == before

    def test_dissolving_before_the_founding_is_refused(self, as_official, enterprise_a):
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        before = database_state()
        response = as_official.post(
            reverse("organisation_dissolve", args=[organisation.pk]),
            {"dissolved_on": "2019-12-31", "seen_version": organisation.version},
        )
        assert field_errors(response, "dissolved_on") == [
            "The dissolution date cannot be before the founding date (01/01/2020)."
        ]
        assert database_state() == before


# Years


class TestYears:
    @pytest.mark.parametrize("year", [1999, 2101, 99999])
    def test_a_return_outside_2000_to_2100_is_not_found(self, as_official, enterprise_a, year):
        before = database_state()
        for response in (
            as_official.get(return_url(enterprise_a, year)),
            as_official.post(return_url(enterprise_a, year), factories.return_form_data()),
        ):
            assert response.status_code == 404
            assert "Returns are kept for the years 2000 to 2100." in response.content.decode()
        assert database_state() == before

    def test_a_return_for_a_year_not_begun_is_refused(self, as_official, enterprise_a):
        year = timezone.localdate().year + 1
        before = database_state()
        response = as_official.post(return_url(enterprise_a, year), factories.return_form_data())
        assert response.status_code == 404
        assert f"The year {year} has not begun" in response.content.decode()
        assert database_state() == before

    def test_a_return_for_a_year_before_the_founding_is_refused(self, as_official, enterprise_a):
        before = database_state()
        response = as_official.post(return_url(enterprise_a, 2014), factories.return_form_data())
        assert response.status_code == 404
        assert "was founded in 2015, after 2014." in response.content.decode()
        assert database_state() == before

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("2022", "The year must lie within the programme's years, 2023 to 2025."),
            ("2026", "The year must lie within the programme's years, 2023 to 2025."),
            ("1999", "The year must lie within the programme's years, 2023 to 2025."),
            ("2101", "The year must lie within the programme's years, 2023 to 2025."),
            (str(10**12), "The year must lie within the programme's years, 2023 to 2025."),
            ("-5", "Ensure this value is greater than or equal to 0."),
            ("abc", "Enter a whole number."),
        ],
    )
    def test_a_review_year_outside_the_programme_is_refused(
        self, as_reviewer, programme, value, message
    ):
        before = database_state()
        response = as_reviewer.post(
            reverse("review_create"),
            {
                "programme": programme.pk,
                "kind": "one_year",
                "title": "Sơ kết",
                "as_of_year": value,
            },
        )
        assert response.status_code == 200
        assert message in field_errors(response, "as_of_year")
        assert database_state() == before

    def test_moving_a_review_out_of_its_programme_is_refused(self, as_reviewer, draft_review):
        before = database_state()
        response = as_reviewer.post(
            reverse("review_edit", args=[draft_review.pk]),
            {**review_post(as_reviewer, draft_review), "as_of_year": "2026"},
        )
        assert response.status_code == 200
        assert field_errors(response, "as_of_year") == [
            "The year must lie within the programme's years, 2023 to 2025."
        ]
        assert database_state() == before


def review_post(client, review) -> dict:
    """What the review's edit page would submit unchanged."""
    return form_inputs(client.get(reverse("review_edit", args=[review.pk])))


# Spreadsheet formulas in the exports


FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
FORMULA_FIELDS = ("name", "address", "investor_country", "sector", "representative", "phone")


@pytest.fixture
def formula_enterprises(programme):
    """One enterprise per formula, in a zone named like a formula, every text field exported
    starting like one; each with an accepted return that puts it on the gap lists."""
    zone = factories.ZoneFactory(name='=HYPERLINK("http://evil.example")', code="F")
    for formula in FORMULAS:
        enterprise = factories.EnterpriseFactory(
            zone=zone, **dict.fromkeys(FORMULA_FIELDS, formula)
        )
        factories.AnnualReturnFactory(
            enterprise=enterprise,
            year=YEAR,
            status=AnnualReturn.Status.ACCEPTED,
            employees=50,
            female_employees=0,
            party_members=4,
            new_party_members=0,
            union_members=0,
        )
    return zone


def column_key(header) -> str:
    """An English column header as the field it shows ("Tax code" → tax_code); a code column
    after its labels (both `Ownership` and `ownership`) wins."""
    return str(header).lower().replace(" ", "_")


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [column_key(title) for title in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def xlsx_rows(response) -> list[dict]:
    """The rows under the header, which stands below the title row."""
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows())
    assert not [cell.coordinate for row in rows for cell in row if cell.data_type == "f"]
    assert [cell.value for cell in rows[0] if cell.value is not None] != []  # the title
    header = [column_key(cell.value) for cell in rows[1]]
    return [dict(zip(header, (cell.value for cell in row), strict=True)) for row in rows[2:]]


def assert_neutralised(rows: list[dict], columns, zone) -> None:
    """Every cell of the columns is the text typed, behind the quote that keeps it text."""
    assert rows
    typed = {text.replace("\r", "\n") for text in (*FORMULAS, zone.name)}
    for row in rows:
        for column in columns:
            assert row[column][:1] == "'", (column, row[column])
            # XML turns a carriage return into a line feed: the XLSX reads "\r" back as "\n".
            assert row[column][1:].replace("\r", "\n") in typed, (column, row[column])


class TestFormulasInExports:
    @pytest.mark.parametrize("read", [csv_rows, xlsx_rows], ids=["csv", "xlsx"])
    def test_the_enterprise_export_neutralises_every_text_cell(
        self, client, reviewer, formula_enterprises, read
    ):
        client.force_login(reviewer)
        file_format = "csv" if read is csv_rows else "xlsx"
        response = client.get(reverse("enterprise_list"), {"year": YEAR, "_export": file_format})
        rows = read(response)
        assert len(rows) == len(FORMULAS)
        assert_neutralised(rows, (*FORMULA_FIELDS, "zone"), formula_enterprises)

    @pytest.mark.parametrize("read", [csv_rows, xlsx_rows], ids=["csv", "xlsx"])
    def test_the_gap_export_neutralises_every_text_cell(
        self, client, reviewer, formula_enterprises, read
    ):
        client.force_login(reviewer)
        file_format = "csv" if read is csv_rows else "xlsx"
        response = client.get(reverse("gaps"), {"year": YEAR, "_export": file_format})
        rows = read(response)
        assert {row["gap"] for row in rows} == {
            "eligible_without_party_org",
            "eligible_without_union",
        }
        assert_neutralised(rows, ("name", "zone"), formula_enterprises)


# Uploads at the import


IMPORT = reverse("enterprise_import")


def xlsx_bytes(rows, header=("tax_code", "name", "ownership")) -> bytes:
    workbook = Workbook()
    workbook.active.title = SHEET
    workbook.active.append(list(header))
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_messages(response) -> list[str]:
    """What the import page tells about the file: its refusal, or the errors of its rows."""
    if "plan" in response.context:
        return [str(error) for error in response.context["plan"].errors]
    return field_errors(response, "file", form="upload_form")


def declared_sizes(content: bytes, size: int) -> bytes:
    """The zip with every entry's uncompressed size in its central directory rewritten to
    `size`: a small archive that claims to unpack to a huge one."""
    content = bytearray(content)
    start = content.find(b"PK\x01\x02")
    while start != -1:
        struct.pack_into("<I", content, start + 24, size)
        start = content.find(b"PK\x01\x02", start + 4)
    return bytes(content)


def padded_to(content: bytes, size: int) -> bytes:
    """The workbook with one more, uncompressed part, making the archive exactly `size` bytes."""

    def with_padding(length: int) -> bytes:
        buffer = io.BytesIO(content)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
            archive.writestr("xl/media/padding.bin", bytes(length))
        return buffer.getvalue()

    return with_padding(size - len(with_padding(0)))


def many_entries(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(count):
            archive.writestr(f"xl/part{index}.xml", b"")
    return buffer.getvalue()


def zeros_bomb() -> bytes:
    """41 MB of zeros that deflate to about 40 KB: a real small zip bomb."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", bytes(41 * 1024 * 1024))
    return buffer.getvalue()


def not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "a zip, but no workbook")
    return buffer.getvalue()


REFUSED_UPLOADS = {
    "image": ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "Only .xlsx and .csv"),
    "no extension": ("enterprises", b"tax_code,name\n", "Only .xlsx and .csv"),
    "old excel": ("enterprises.xls", b"\xd0\xcf\x11\xe0" + bytes(64), "Only .xlsx and .csv"),
    "pdf as xlsx": ("report.xlsx", b"%PDF-1.7\n" + bytes(64), "not a valid .xlsx"),
    "zip as xlsx": ("archive.xlsx", not_a_workbook(), "This .xlsx file cannot be read"),
    "binary as csv": ("data.csv", bytes(range(256)), "not UTF-8 text"),
    "one byte over 5 MB": (
        "big.csv",
        b"tax_code,name\n" + b"x" * (imports.MAX_UPLOAD_BYTES - 13),
        "larger than 5 MB",
    ),
    "declares 3 GB": (
        "bomb.xlsx",
        declared_sizes(xlsx_bytes([]), 3 * 1024**3),
        "unpacks to more than 40 MB",
    ),
    "declares 5 MB a part": (
        "bomb.xlsx",
        declared_sizes(xlsx_bytes([]), 5 * 1024 * 1024),
        "unpacks to more than 40 MB",
    ),
    "zeros bomb": ("bomb.xlsx", zeros_bomb(), "unpacks to more than 40 MB"),
    "101 entries": ("parts.xlsx", many_entries(101), "too many parts"),
    "csv over the row cap": (
        "many.csv",
        (
            "tax_code,name\n"
            + "".join(f"{5300000000 + n},E{n}\n" for n in range(imports.MAX_ROWS + 1))
        ).encode(),
        f"more than {imports.MAX_ROWS} rows",
    ),
}


class TestUploads:
    @pytest.fixture
    def workbooks_opened(self, monkeypatch) -> list:
        """Records every workbook openpyxl opens: a refused archive must not be among them."""
        opened = []
        real = imports.load_workbook

        def recording(*args, **kwargs):
            opened.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(imports, "load_workbook", recording)
        return opened

    @pytest.mark.parametrize(
        ("name", "content", "message"), REFUSED_UPLOADS.values(), ids=REFUSED_UPLOADS.keys()
    )
    def test_it_is_refused_with_a_message_and_nothing_read(
        self, as_official, zone_a, enterprise_a, workbooks_opened, name, content, message
    ):
        before = database_state()
        response = as_official.post(
            IMPORT, {"zone": zone_a.pk, "file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 200
        [error] = field_errors(response, "file", form="upload_form")
        assert message in error
        assert message in response.content.decode()
        if "cannot be read" not in message:
            assert workbooks_opened == [], "the archive is checked before openpyxl opens it"
        assert IMPORT_SESSION_KEY not in as_official.session
        assert database_state() == before

    def test_exactly_5_mb_is_not_refused_for_its_size(self, as_official, zone_a):
        """The limit's edge: a workbook padded with a stored part to exactly 5 MB is read."""
        content = padded_to(xlsx_bytes([("5300999999", "E", "private")]), imports.MAX_UPLOAD_BYTES)
        assert len(content) == imports.MAX_UPLOAD_BYTES
        response = as_official.post(
            IMPORT, {"zone": zone_a.pk, "file": SimpleUploadedFile("ok.xlsx", content)}
        )
        assert [row.tax_code for row in response.context["plan"].new_rows] == ["5300999999"]

    def test_a_csv_with_a_cell_over_128_kib_gets_a_message(self, as_official, zone_a):
        content = b"tax_code,name,ownership\n5300999999," + b"x" * 200_000 + b",private\n"
        before = database_state()
        response = as_official.post(
            IMPORT, {"zone": zone_a.pk, "file": SimpleUploadedFile("long.csv", content)}
        )
        assert response.status_code == 200
        assert import_messages(response)
        assert database_state() == before

    def test_a_csv_with_carriage_return_line_ends_is_read(self, as_official, zone_a):
        content = b"tax_code,name,ownership\r5300999999,E,private\r"
        response = as_official.post(
            IMPORT, {"zone": zone_a.pk, "file": SimpleUploadedFile("mac.csv", content)}
        )
        assert [row.tax_code for row in response.context["plan"].new_rows] == ["5300999999"]

    def test_an_xlsx_over_the_row_cap_is_refused(self, as_official, zone_a, monkeypatch):
        monkeypatch.setattr(imports, "MAX_ROWS", 5)
        rows = [(f"{5300000000 + n}", f"E{n}", "private") for n in range(6)]
        before = database_state()
        response = as_official.post(
            IMPORT,
            {"zone": zone_a.pk, "file": SimpleUploadedFile("rows.xlsx", xlsx_bytes(rows))},
        )
        assert field_errors(response, "file", form="upload_form") == [
            "The file has more than 5 rows; split it."
        ]
        assert database_state() == before

    def test_a_file_with_one_bad_row_offers_no_confirmation_and_a_forged_one_applies_nothing(
        self, as_official, zone_a
    ):
        rows = [("5300999991", "Good", "private"), ("5300999992", "Bad", "nonsense")]
        before = database_state()
        preview = as_official.post(
            IMPORT,
            {"zone": zone_a.pk, "file": SimpleUploadedFile("one.xlsx", xlsx_bytes(rows))},
        )
        assert preview.context["token"] == ""
        assert "row 3, column C (ownership)" in str(preview.context["plan"].errors[0])
        response = as_official.post(IMPORT, {"token": "forged"}, follow=True)
        assert "This preview has expired; upload the file again." in response.content.decode()
        assert database_state() == before


# Forged POSTs without a CSRF token


@pytest.fixture
def forgery_targets(official_a, reviewer, zone_a, enterprise_a, draft_review):
    """Each write endpoint with its user and a POST that would succeed with a token."""
    organisation = factories.OrganisationFactory(
        enterprise=enterprise_a, kind="women_union", form=""
    )
    submitted = factories.AnnualReturnFactory(
        enterprise=factories.EnterpriseFactory(zone=zone_a),
        year=YEAR,
        status=AnnualReturn.Status.SUBMITTED,
    )
    return {
        "enterprise_create": (
            official_a,
            reverse("enterprise_create"),
            enterprise_data(zone_a),
        ),
        "enterprise_edit": (
            official_a,
            reverse("enterprise_edit", args=[enterprise_a.pk]),
            enterprise_edit_data(enterprise_a, name="Forged"),
        ),
        "organisation_create": (
            official_a,
            reverse("organisation_create", args=[enterprise_a.pk]),
            {"kind": "veterans", "name": "Forged", "founded_on": "2021-01-01"},
        ),
        "organisation_dissolve": (
            official_a,
            reverse("organisation_dissolve", args=[organisation.pk]),
            {"dissolved_on": "2024-01-01", "seen_version": organisation.version},
        ),
        "return_edit": (official_a, return_url(enterprise_a), factories.return_form_data()),
        "return_review": (
            reviewer,
            reverse("return_review", args=[submitted.enterprise_id, YEAR]),
            {"action": "accept", "seen_version": submitted.version},
        ),
        "review_create": (
            reviewer,
            reverse("review_create"),
            {
                "programme": draft_review.programme_id,
                "kind": "mid_term",
                "title": "Forged",
                "as_of_year": 2024,
            },
        ),
        "review_finalise": (reviewer, reverse("review_finalise", args=[draft_review.pk]), {}),
    }


FORGED_ENDPOINTS = [
    "enterprise_create",
    "enterprise_edit",
    "organisation_create",
    "organisation_dissolve",
    "return_edit",
    "return_review",
    "review_create",
    "review_finalise",
]


class TestForgedPosts:
    @pytest.mark.parametrize("endpoint", FORGED_ENDPOINTS)
    def test_a_post_without_a_token_is_refused(self, forgery_targets, endpoint):
        user, url, data = forgery_targets[endpoint]
        forger = Client(enforce_csrf_checks=True)
        forger.force_login(user)
        before = database_state()
        response = forger.post(url, data)
        assert response.status_code == 403
        assert "This form has expired" in response.content.decode()
        assert database_state() == before

    @pytest.mark.parametrize("endpoint", FORGED_ENDPOINTS)
    def test_the_same_post_with_the_pages_token_is_accepted(self, forgery_targets, endpoint):
        """The control: the refusal above is the missing token's, not the data's."""
        user, url, data = forgery_targets[endpoint]
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        page = reverse("review_create" if is_reviewer(user) else "enterprise_create")
        token = str(browser.get(page).context["csrf_token"])
        before = database_state()
        response = browser.post(url, {**data, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert database_state() != before

    def test_a_wrong_token_is_refused(self, forgery_targets):
        user, url, data = forgery_targets["enterprise_create"]
        forger = Client(enforce_csrf_checks=True)
        forger.force_login(user)
        forger.get(url)  # sets the CSRF cookie
        before = database_state()
        response = forger.post(url, {**data, "csrfmiddlewaretoken": "x" * 64})
        assert response.status_code == 403
        assert database_state() == before


# Fields the user may not set


class TestFieldsTheUserMayNotSet:
    def test_version_and_search_text_are_ignored_on_edit(
        self, as_official, enterprise_a, enterprise_b
    ):
        response = as_official.post(
            reverse("enterprise_edit", args=[enterprise_a.pk]),
            enterprise_edit_data(
                enterprise_a,
                version=99,
                search_text="forged",
                id=enterprise_b.pk,
                pk=enterprise_b.pk,
            ),
        )
        assert response.status_code == 302
        enterprise_a.refresh_from_db()
        assert enterprise_a.version == 2
        assert enterprise_a.search_text == fold_for_search(
            f"{enterprise_a.name} {enterprise_a.tax_code}"
        )
        assert Enterprise.objects.get(pk=enterprise_b.pk).version == 1

    def test_a_zone_outside_the_officials_zones_is_refused(self, as_official, enterprise_a, zone_b):
        before = database_state()
        for url, data in (
            (reverse("enterprise_create"), enterprise_data(zone_b)),
            (
                reverse("enterprise_edit", args=[enterprise_a.pk]),
                {**enterprise_edit_data(enterprise_a), "zone": zone_b.pk},
            ),
        ):
            response = as_official.post(url, data)
            assert field_errors(response, "zone") == [
                "Select a valid choice. That choice is not one of the available choices."
            ]
        assert database_state() == before

    def test_an_import_into_another_zone_is_refused(self, as_official, zone_b):
        before = database_state()
        response = as_official.post(
            IMPORT,
            {
                "zone": zone_b.pk,
                "file": SimpleUploadedFile("e.xlsx", xlsx_bytes([("5300999999", "E", "private")])),
            },
        )
        assert field_errors(response, "zone", form="upload_form") == [
            "Select a valid choice. That choice is not one of the available choices."
        ]
        assert database_state() == before

    @pytest.mark.parametrize(
        "endpoint",
        [
            "enterprise_edit",
            "organisation_dissolve",
            "return_edit",
        ],
    )
    def test_a_forged_huge_seen_version_saves_nothing(self, as_official, enterprise_a, endpoint):
        huge = str(10**20)
        organisation = factories.OrganisationFactory(enterprise=enterprise_a)
        factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
        url, data = {
            "enterprise_edit": (
                reverse("enterprise_edit", args=[enterprise_a.pk]),
                enterprise_edit_data(enterprise_a, name="Forged", seen_version=huge),
            ),
            "organisation_dissolve": (
                reverse("organisation_dissolve", args=[organisation.pk]),
                {"dissolved_on": "2024-01-01", "seen_version": huge},
            ),
            "return_edit": (
                return_url(enterprise_a),
                factories.return_form_data(employees=121, seen_version=huge),
            ),
        }[endpoint]
        before = database_state()
        response = as_official.post(url, data)
        assert response.status_code == 200
        assert "less than or equal to 2147483647" in response.content.decode()
        assert database_state() == before

    def test_workflow_fields_of_a_return_are_ignored(
        self, as_official, enterprise_a, enterprise_b, official_a, reviewer
    ):
        response = as_official.post(
            return_url(enterprise_a),
            factories.return_form_data(
                status="accepted",
                version=7,
                reviewed_by=reviewer.pk,
                reviewed_at="2024-01-01T00:00",
                submitted_by=reviewer.pk,
                submitted_at="2024-01-01T00:00",
                return_reason="forged",
                enterprise=enterprise_b.pk,
                year=2000,
            ),
        )
        assert response.status_code == 302
        saved = AnnualReturn.objects.get()
        assert (saved.enterprise, saved.year, saved.status, saved.version) == (
            enterprise_a,
            YEAR,
            "draft",
            1,
        )
        assert (saved.reviewed_by, saved.reviewed_at, saved.submitted_by, saved.submitted_at) == (
            None,
            None,
            None,
            None,
        )
        assert saved.return_reason == ""

    def test_workflow_fields_of_a_review_are_ignored(self, as_reviewer, draft_review, official_a):
        other = factories.ProgrammeFactory(start_year=2020, end_year=2030)
        response = as_reviewer.post(
            reverse("review_edit", args=[draft_review.pk]),
            {
                **review_post(as_reviewer, draft_review),
                "status": "final",
                "frozen_figures": '{"forged": 1}',
                "finalised_by": official_a.pk,
                "finalised_at": "2024-01-01T00:00",
                "programme": other.pk,
            },
        )
        assert response.status_code == 302
        draft_review.refresh_from_db()
        assert (draft_review.status, draft_review.frozen_figures) == ("draft", None)
        assert (draft_review.finalised_by, draft_review.finalised_at) == (None, None)
        assert draft_review.programme_id != other.pk

    def test_an_organisation_stays_in_the_enterprise_of_the_address(
        self, as_official, enterprise_a, enterprise_b
    ):
        response = as_official.post(
            reverse("organisation_create", args=[enterprise_a.pk]),
            {
                "kind": "veterans",
                "name": "Hội Cựu chiến binh",
                "founded_on": "2021-01-01",
                "enterprise": enterprise_b.pk,
                "version": 9,
            },
        )
        assert response.status_code == 302
        [organisation] = enterprise_a.organisations.all()
        assert organisation.version == 1
        assert not enterprise_b.organisations.exists()
