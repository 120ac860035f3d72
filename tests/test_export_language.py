"""Exports speak the user's language (headers and values as on the page, codes in their own
columns), XLSX with a title row naming the filters and the day, a frozen bold header, column
widths, dates as dates and numbers as numbers; and the import reads back what they write, in
any of the three languages."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from enterprises.models import Enterprise

from . import factories

URL = reverse("enterprise_list")


@pytest.fixture
def enterprises(zone_a):
    rows = [
        factories.EnterpriseFactory(
            zone=zone_a,
            name="Công ty TNHH Điện tử Bắc Duyên Hải",
            tax_code="0100109106",
            ownership=Enterprise.Ownership.FDI,
            status=Enterprise.Status.OPERATING,
            address="Lô B5, KCN Bắc Duyên Hải",
            phone="0214 3840 111",
            founded_on=datetime.date(2016, 5, 6),
        ),
        factories.EnterpriseFactory(
            zone=zone_a,
            name="=Công ty Cổ phần Xi măng",
            ownership=Enterprise.Ownership.PRIVATE,
            status=Enterprise.Status.BUILDING,
            founded_on=None,
        ),
    ]
    factories.AnnualReturnFactory(enterprise=rows[0], year=2024, status="accepted", employees=350)
    return rows


@pytest.fixture
def official(client, official_a):
    client.force_login(official_a)
    return client


def download(client, url, language, **query):
    response = client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_headers_and_values_are_in_the_users_language_with_codes_beside(official, enterprises):
    rows = csv_rows(download(official, URL, "vi", _export="csv", year=2024))
    header = rows[0]
    assert header[:3] == ["ID", "Mã số thuế", "Tên"]
    assert "ownership" in header and "status" in header
    by_code = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    fdi = by_code["0100109106"]
    assert fdi["Loại hình sở hữu"] == "Doanh nghiệp có vốn đầu tư nước ngoài (FDI)"
    assert fdi["ownership"] == "fdi"
    assert fdi["Ngày thành lập"] == "06/05/2016"
    assert "tax_code" not in header


def test_the_xlsx_has_a_title_a_frozen_bold_header_widths_and_typed_cells(
    official, enterprises, zone_a
):
    sheet = workbook(download(official, URL, "en", _export="xlsx", year=2024, zone=zone_a.pk))
    title = sheet["A1"].value
    assert "Enterprises" in title
    assert f"Zone: {zone_a.name}" in title and "Year: 2024" in title
    assert timezone.localdate().strftime("%d/%m/%Y") in title
    assert sheet["A1"].font.b
    header = [cell.value for cell in sheet[2]]
    assert header[:3] == ["ID", "Tax code", "Name"]
    assert all(cell.font.b for cell in sheet[2] if cell.value)
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["C"].width == 40
    rows = {
        row[1]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=3, values_only=True)
    }
    fdi = rows["0100109106"]
    assert fdi["Founded on"] == datetime.datetime(2016, 5, 6)
    assert fdi["Employees 2024"] == 350
    assert isinstance(fdi["ID"], int)
    assert rows[enterprises[1].tax_code]["Name"] == "'=Công ty Cổ phần Xi măng"


def test_the_organisation_export_speaks_the_language_too(official, enterprise_a):
    factories.OrganisationFactory(enterprise=enterprise_a, kind="trade_union", name="Công đoàn")
    rows = csv_rows(download(official, reverse("organisation_export"), "vi", _export="csv"))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["kind"] == "trade_union"
    assert "Công đoàn" in row.values()
    assert "kind" in header and header[0] == "Mã số thuế"
    sheet = workbook(download(official, reverse("organisation_export"), "en", _export="xlsx"))
    assert "Organisations" in sheet["A1"].value and "As of" in sheet["A1"].value


@pytest.mark.parametrize(
    ("file_format", "exported_in", "imported_in"),
    [("xlsx", "vi", "en"), ("csv", "hi", "vi"), ("xlsx", "en", "hi")],
)
def test_an_export_imports_back_unchanged_and_an_edit_reads_as_a_change(
    official, enterprises, zone_a, file_format, exported_in, imported_in
):
    content = download(official, URL, exported_in, _export=file_format, year=2024)
    plan = _preview(official, zone_a, content, file_format, imported_in)
    assert [str(error) for error in plan.errors] == []
    assert sorted(row.tax_code for row in plan.unchanged_rows) == sorted(
        e.tax_code for e in enterprises
    )
    if file_format == "xlsx":
        sheet_book = load_workbook(io.BytesIO(content))
        sheet = sheet_book.active
        for row in sheet.iter_rows(min_row=3):
            if row[1].value == "0100109106":
                row[2].value = "Công ty TNHH Điện tử Mới"
        edited = io.BytesIO()
        sheet_book.save(edited)
        plan = _preview(official, zone_a, edited.getvalue(), file_format, imported_in)
        assert [(row.tax_code, len(row.changed)) for row in plan.changed_rows] == [
            ("0100109106", 1)
        ]


def _preview(client, zone, content: bytes, file_format: str, language: str):
    upload = SimpleUploadedFile(f"enterprises.{file_format}", content)
    response = client.post(
        reverse("enterprise_import"),
        {"zone": zone.pk, "file": upload},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    return response.context["plan"]
