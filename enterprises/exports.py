"""Spreadsheet exports that stream whole querysets and never let a spreadsheet run a cell."""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

# A cell starting with one of these is a formula (or becomes one) in Excel and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Text that a spreadsheet would run as a formula, prefixed with a quote so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """A UTF-8 CSV (with a byte-order mark, so Excel reads Vietnamese) streamed row by row."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([neutralise(str(cell)) for cell in header])
        for row in rows:
            yield writer.writerow([neutralise(_csv_text(cell)) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet"
) -> FileResponse:
    """An XLSX written with openpyxl's write-only workbook (constant memory) to a temporary file,
    then streamed from it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(str(cell)) for cell in header])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    return workbook_response(workbook, filename=filename)


def workbook_response(workbook: Workbook, *, filename: str) -> FileResponse:
    """The workbook saved to a temporary file (not memory) and streamed from it."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# The exported columns: (header, queryset value); the queryset carries the year's return.
ENTERPRISE_COLUMNS = [
    ("id", "pk"),
    ("tax_code", "tax_code"),
    ("name", "name"),
    ("zone", "zone__name"),
    ("address", "address"),
    ("ownership", "ownership"),
    ("investor_country", "investor_country"),
    ("sector", "sector"),
    ("founded_on", "founded_on"),
    ("closed_on", "closed_on"),
    ("status", "status"),
    ("representative", "representative"),
    ("phone", "phone"),
    ("email", "email"),
    ("return_status_{year}", "return_status"),
    ("employees_{year}", "return_employees"),
    ("party_members_{year}", "return_party_members"),
]


def enterprise_table(queryset, *, year: int) -> tuple[list[str], Iterator[list]]:
    """The header and rows of an enterprise export, read as plain values in chunks (no model
    instances: a national export has tens of thousands of rows)."""
    header = [title.format(year=year) for title, _value in ENTERPRISE_COLUMNS]
    status = header.index(f"return_status_{year}")
    values = queryset.values_list(*(value for _title, value in ENTERPRISE_COLUMNS))

    def rows() -> Iterator[list]:
        for row in values.iterator(chunk_size=2000):
            row = list(row)
            row[status] = row[status] or "missing"
            yield row

    return header, rows()


def export_enterprises(queryset, *, year: int, file_format: str):
    """The filtered enterprises as a CSV or XLSX download."""
    header, rows = enterprise_table(queryset, year=year)
    name = f"enterprises-{year}.{file_format}"
    if file_format == "xlsx":
        return xlsx_response(filename=name, header=header, rows=rows, title="Enterprises")
    return csv_response(filename=name, header=header, rows=rows)
