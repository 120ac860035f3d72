"""Issue 12, items 1 and 5: spreadsheets that tied up a worker or gave a 500.

1. A 5 KB workbook whose sheet declares `<dimension ref="A1:XFD1048576"/>`, with one cell at the
   last row, made openpyxl hand over a million rows of 16,384 empty cells, each of them checked:
   POST /enterprises/import/ ran into the worker timeout. It is refused by its declared size, and
   a sheet that hides its size is read no further than one row and column past the caps.
5. A workbook whose `xl/worksheets/sheet1.xml` is cut short raised ParseError while its rows were
   read, outside the guarded open: a 500. Every failure to read an upload is a message."""

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from enterprises.imports import reading

from .test_bad_input import database_state, field_errors

IMPORT = reverse("enterprise_import")
SHEET_XML = "xl/worksheets/sheet1.xml"


def dimension_bomb() -> bytes:
    """The attacker's file: a header, and one cell at the last row and column of a sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["tax_code", "name"])
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(content: bytes, change) -> bytes:
    """The workbook with its sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            data = source.read(entry)
            archive.writestr(entry, change(data) if entry.filename == SHEET_XML else data)
    return buffer.getvalue()


def small_workbook(rows: int = 3) -> bytes:
    workbook = Workbook()
    workbook.active.append(["tax_code", "name", "ownership"])
    for number in range(rows):
        workbook.active.append([f"{5300000000 + number}", f"Công ty {number}", "private"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def cells_read(monkeypatch) -> list[int]:
    """The number of cells of each row that openpyxl hands to the reader."""
    widths = []
    real = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in real(self, *args, **kwargs):
            widths.append(len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return widths


def upload(client, zone, content: bytes, name: str = "enterprises.xlsx"):
    return client.post(IMPORT, {"zone": zone.pk, "file": SimpleUploadedFile(name, content)})


@pytest.fixture
def as_official(client, official_a):
    client.force_login(official_a)
    return client


def test_the_dimension_bomb_is_small_and_declares_a_whole_sheet():
    content = dimension_bomb()
    assert len(content) < 6 * 1024
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read(SHEET_XML)
    assert re.search(rb'<dimension ref="A1:XFD1048576"\s*/>', sheet_xml)


def test_a_sheet_declaring_a_million_rows_is_refused_before_a_cell_is_read(
    as_official, zone_a, cells_read
):
    before = database_state()
    started = time.perf_counter()
    response = upload(as_official, zone_a, dimension_bomb())
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert field_errors(response, "file", form="upload_form") == [
        "The file has more than 10000 rows; split it."
    ]
    assert cells_read == []
    assert elapsed < 5, f"took {elapsed:.1f} s"  # a guard; it takes milliseconds
    assert database_state() == before


@pytest.mark.parametrize(
    "hide",
    [
        pytest.param(lambda xml: xml.replace(b"A1:XFD1048576", b"A1:B2"), id="declares-less"),
        pytest.param(lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml), id="declares-nothing"),
    ],
)
def test_a_sheet_hiding_its_size_is_read_only_up_to_the_caps(as_official, zone_a, cells_read, hide):
    """The same bomb with its dimension understated or left out: reading stops one row and one
    column past the caps and refuses the file."""
    response = upload(as_official, zone_a, with_sheet_xml(dimension_bomb(), hide))
    assert response.status_code == 200
    assert field_errors(response, "file", form="upload_form") == [
        "The file has more than 10000 rows; split it."
    ]
    assert len(cells_read) <= reading.MAX_ROWS + 2
    assert max(cells_read) <= reading.MAX_COLUMNS + 1


def test_a_sheet_declaring_too_many_columns_is_refused(as_official, zone_a, cells_read):
    content = with_sheet_xml(
        small_workbook(),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:DA4"', xml),
    )
    response = upload(as_official, zone_a, content)
    assert field_errors(response, "file", form="upload_form") == [
        "The sheet has more than 100 columns; keep only the enterprise columns."
    ]
    assert cells_read == []


def test_a_cell_beyond_the_column_cap_is_refused(as_official, zone_a):
    workbook = Workbook()
    workbook.active.append(["tax_code", "name", "ownership"])
    workbook.active.append(["5300000001", "Công ty", "private"])
    workbook.active.cell(row=2, column=reading.MAX_COLUMNS + 1, value="far away")
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = with_sheet_xml(buffer.getvalue(), lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml))
    response = upload(as_official, zone_a, content)
    assert field_errors(response, "file", form="upload_form") == [
        "The sheet has more than 100 columns; keep only the enterprise columns."
    ]


def test_a_workbook_within_the_caps_is_read(as_official, zone_a):
    response = upload(as_official, zone_a, small_workbook())
    assert len(response.context["plan"].new_rows) == 3


@pytest.mark.parametrize("kept", [0.3, 0.6, 0.9])
def test_a_cut_sheet_is_a_message_on_the_form_not_a_500(as_official, zone_a, kept):
    """The sheet's XML cut short: openpyxl meets the damage only while reading rows."""
    content = with_sheet_xml(small_workbook(40), lambda xml: xml[: int(len(xml) * kept)])
    before = database_state()
    response = upload(as_official, zone_a, content)
    assert response.status_code == 200
    [error] = field_errors(response, "file", form="upload_form")
    assert error.startswith("This .xlsx file cannot be read")
    assert database_state() == before
