"""Exports of the enterprise list: every filtered row (not one page), streamed, within scope, and
no cell that a spreadsheet would run as a formula."""

import csv
import datetime
import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.exports import csv_response, neutralise, xlsx_response

from . import factories

URL = reverse("enterprise_list")


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def admin_client_(client, administrator):
    client.force_login(administrator)
    return client


class TestNeutralise:
    @pytest.mark.parametrize("text", ["=1+2", "+84 912", "-5", "@SUM(A1)", "\tx", "\rx"])
    def test_formula_starts_get_a_quote(self, text):
        assert neutralise(text) == "'" + text

    @pytest.mark.parametrize("value", ["Công ty", "0100109106", "", 5, -5, None])
    def test_everything_else_is_left_alone(self, value):
        assert neutralise(value) == value

    def test_csv_and_xlsx_helpers_neutralise_every_cell(self):
        rows = [['=HYPERLINK("http://x")', "@cmd", 7]]
        assert csv_rows(csv_response(filename="x.csv", header=["=h", "b", "c"], rows=rows)) == [
            ["'=h", "b", "c"],
            ['\'=HYPERLINK("http://x")', "'@cmd", "7"],
        ]
        assert xlsx_rows(xlsx_response(filename="x.xlsx", header=["=h", "b", "c"], rows=rows)) == [
            ("'=h", "b", "c"),
            ('\'=HYPERLINK("http://x")', "'@cmd", 7),
        ]


class TestXlsxWriter:
    """The hand-written XLSX: what openpyxl (as Excel and LibreOffice) reads back from it."""

    def workbook(self, rows, header=("a", "b", "c")):
        response = xlsx_response(filename="x.xlsx", header=header, rows=rows, title="Enterprises")
        return load_workbook(io.BytesIO(b"".join(response.streaming_content)))

    def test_values_keep_their_types(self):
        sheet = self.workbook(
            [
                [1, 2.5, Decimal("12.50")],
                [datetime.date(2021, 2, 3), datetime.datetime(2021, 2, 3, 14, 5, 6), True],
                ["Công ty Cổ phần Điện tử Hà Nội", None, ""],
                ["0100109106", "  spaced  ", "two\r\nlines"],
            ]
        ).active
        assert sheet.title == "Enterprises"
        assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
            [1, 2.5, 12.5],
            [datetime.datetime(2021, 2, 3), datetime.datetime(2021, 2, 3, 14, 5, 6), True],
            ["Công ty Cổ phần Điện tử Hà Nội", None, None],
            ["0100109106", "  spaced  ", "two\r\nlines"],
        ]
        assert sheet["A3"].is_date and sheet["A3"].number_format == "dd/mm/yyyy"
        assert sheet["B3"].number_format == "dd/mm/yyyy hh:mm"
        assert sheet["A5"].data_type == "s", "a tax code stays text"

    def test_a_date_before_excels_calendar_is_text(self):
        sheet = self.workbook([[datetime.date(1899, 5, 1), datetime.date(1900, 3, 1), None]]).active
        assert [cell.value for cell in sheet[2]] == [
            "01/05/1899",
            datetime.datetime(1900, 3, 1),
            None,
        ]

    def test_formulas_are_neutralised_and_markup_is_text(self):
        sheet = self.workbook([['=HYPERLINK("http://x")', "<b>&amp;</b>", "-1 day"]]).active
        assert [(cell.value, cell.data_type) for cell in sheet[2]] == [
            ('\'=HYPERLINK("http://x")', "s"),
            ("<b>&amp;</b>", "s"),
            ("'-1 day", "s"),
        ]

    def test_characters_xml_cannot_hold_are_dropped(self):
        sheet = self.workbook([["bell\x07 and\x00 nul", "tab\there", "\x1bescape"]]).active
        assert [cell.value for cell in sheet[2]] == ["bell and nul", "tab\there", "escape"]

    def test_columns_beyond_z(self):
        header = [f"h{n}" for n in range(30)]
        sheet = self.workbook([list(range(30))], header=header).active
        assert sheet["AD1"].value == "h29"
        assert sheet["AD2"].value == 29

    def test_it_streams_while_the_rows_are_read(self):
        taken = []

        def rows():
            for number in range(20_000):
                taken.append(number)
                yield [number, hashlib.sha256(str(number).encode()).hexdigest(), None]

        response = xlsx_response(filename="x.xlsx", header=["n", "hash", "none"], rows=rows())
        assert response.streaming
        chunks = iter(response.streaming_content)
        first = next(chunks)
        assert first.startswith(b"PK")
        assert len(taken) < 20_000, "the first chunk leaves before the last row is read"
        content = first + b"".join(chunks)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert archive.testzip() is None
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        assert sum(1 for _row in sheet.iter_rows()) == 20_001


class TestEnterpriseExport:
    def test_csv_covers_every_filtered_row_beyond_one_page(self, admin_client_, zone_a, zone_b):
        factories.EnterpriseFactory.create_batch(75, zone=zone_a, ownership="fdi")
        factories.EnterpriseFactory.create_batch(3, zone=zone_b, ownership="state")
        response = admin_client_.get(URL, {"ownership": "fdi", "_export": "csv", "page": 2})
        assert response.streaming
        assert response["Content-Disposition"].startswith("attachment;")
        rows = csv_rows(response)
        assert rows[0][:3] == ["ID", "Tax code", "Name"]
        assert len(rows) == 1 + 75
        assert {(row[5], row[6]) for row in rows[1:]} == {("Foreign-invested (FDI)", "fdi")}

    def test_xlsx_covers_every_row_and_keeps_tax_codes_as_text(self, admin_client_, zone_a):
        factories.EnterpriseFactory.create_batch(55, zone=zone_a)
        factories.EnterpriseFactory(
            zone=zone_a, tax_code="0100109106-001", name="=cmd|' /C calc'!A0"
        )
        rows = xlsx_rows(admin_client_.get(URL, {"_export": "xlsx"}))[1:]
        assert len(rows) == 1 + 56
        branch = next(row for row in rows if row[1] == "0100109106-001")
        assert branch[2] == "'=cmd|' /C calc'!A0"
        assert all(isinstance(row[1], str) for row in rows)

    def test_it_carries_the_years_return(self, admin_client_, enterprise_a):
        factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024, status="accepted")
        rows = csv_rows(admin_client_.get(URL, {"_export": "csv", "year": 2024}))
        assert rows[0][-3:] == ["Return 2024", "Employees 2024", "Party members 2024"]
        assert rows[1][-3:] == ["Accepted", "100", "5"]
        rows = csv_rows(admin_client_.get(URL, {"_export": "csv", "year": 2023}))
        assert rows[1][-3:] == ["Missing", "", ""]

    def test_an_official_exports_only_their_zones(
        self, client, official_a, enterprise_a, enterprise_b
    ):
        client.force_login(official_a)
        for export in ("csv", "xlsx"):
            response = client.get(URL, {"_export": export})
            rows = csv_rows(response) if export == "csv" else xlsx_rows(response)[1:]
            assert [row[2] for row in rows[1:]] == [enterprise_a.name]

    def test_invalid_filters_export_nothing(self, admin_client_, enterprise_a):
        response = admin_client_.get(URL, {"_export": "csv", "year": "abc"})
        assert response.status_code == 400

    def test_an_unknown_format_shows_the_page(self, admin_client_, enterprise_a):
        response = admin_client_.get(URL, {"_export": "pdf"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")

    def test_export_links_keep_the_filters(self, admin_client_, enterprise_a):
        content = admin_client_.get(URL, {"ownership": "fdi"}).content.decode()
        assert "?ownership=fdi&amp;_export=csv" in content
        assert "?ownership=fdi&amp;_export=xlsx" in content

    @pytest.mark.parametrize("count", [5, 120])
    def test_the_query_count_does_not_grow_with_rows(
        self, client, official_a, zone_a, count, django_assert_max_num_queries
    ):
        client.force_login(official_a)
        factories.EnterpriseFactory.create_batch(count, zone=zone_a)
        with django_assert_max_num_queries(12):
            rows = csv_rows(client.get(URL, {"_export": "csv"}))
        assert len(rows) == count + 1
