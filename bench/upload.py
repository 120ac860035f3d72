"""The import measured: 5,000 new enterprises uploaded as a spreadsheet into a park of the
official's zone, the preview confirmed, and the rows deleted again so the data set stays as
generated."""

import io
import time

from openpyxl import Workbook

from enterprises.models import Enterprise, Zone
from reviews.sample_data import synthetic

from .results import Result
from .server import Gunicorn, Session

IMPORT_ROWS = 5000
# Synthetic tax codes never start with 99: the imported rows are found (and deleted) by it.
IMPORT_TAX_PREFIX = "99"


def measure_import(result: Result, session: Session, server: Gunicorn, zone: Zone) -> Result:
    park = zone.children.order_by("pk").first()
    spreadsheet = import_file()
    measured = server.reset_peak_memory()
    try:
        started = time.monotonic()
        preview = session.post_multipart(
            result.path,
            {"zone": str(park.pk)},
            {"file": ("bench-import.xlsx", spreadsheet)},
        )
        token = Session.hidden_value(preview.body, "token")
        if preview.status != 200 or not token:
            result.refuse(f"preview: HTTP {preview.status} after {preview.seconds:.0f} s")
            return result
        confirmed = session.post_form(result.path, {"token": token})
        result.seconds = time.monotonic() - started
        result.megabytes = server.peak_memory_mb() if measured else None
        imported = Enterprise.objects.filter(tax_code__startswith=IMPORT_TAX_PREFIX).count()
        result.note = f"preview {preview.seconds:.1f} s; {imported:,} created"
        if confirmed.status != 302 or imported != IMPORT_ROWS:
            result.refuse(f"confirmation: HTTP {confirmed.status}")
    finally:
        synthetic.delete_rows(Enterprise.objects.filter(tax_code__startswith=IMPORT_TAX_PREFIX))
    return result


def import_file() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Enterprises")
    sheet.append(["id", "tax_code", "name", "ownership", "sector", "status", "founded_on"])
    for number in range(IMPORT_ROWS):
        sheet.append(
            [
                None,
                f"{IMPORT_TAX_PREFIX}{number:08d}",
                f"Công ty TNHH Nhập liệu Số {number + 1}",
                "private",
                "Cơ khí",
                "operating",
                "2020-01-15",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
