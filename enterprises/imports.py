"""Spreadsheet import of enterprises: a pre-filled template, reading an upload safely, a preview
with every error named by sheet, row and column, and an all-or-nothing apply.

Rows are matched by tax code. The import writes enterprises only: the template's return figures
are a reference sheet (returns are entered and reviewed on the return form)."""

import csv
import datetime
import io
import tempfile
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .exports import FORMULA_PREFIXES, XLSX_CONTENT_TYPE, neutralise
from .forms import EnterpriseImportRowForm
from .models import Enterprise, Zone, fold_for_search
from .selectors import may_write_enterprise, return_model
from .services import create_enterprises, update_enterprises

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
MAX_ZIP_ENTRIES = 100
MAX_ROWS = 10_000
SHEET = "Enterprises"
# The enterprise form's fields but the zone (new enterprises go into the zone chosen on upload).
FIELDS = EnterpriseImportRowForm.Meta.fields
COLUMNS = ["id", "tax_code", *(name for name in FIELDS if name != "tax_code")]
DATE_COLUMNS = {"founded_on", "closed_on"}
CHOICE_COLUMNS = {"ownership": Enterprise.Ownership, "status": Enterprise.Status}
REFERENCE_FIGURES = [
    "employees",
    "female_employees",
    "party_members",
    "new_party_members",
    "union_members",
    "youth_members",
    "women_members",
]


class ImportRefused(Exception):
    """The file cannot be read at all (type, size, archive, header); nothing was looked at."""


@dataclass
class CellError:
    sheet: str
    row: int
    column: str
    field: str
    message: str

    def __str__(self) -> str:
        return _("Sheet “%(sheet)s”, row %(row)s, column %(column)s (%(field)s): %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column or "–",
            "field": self.field or "–",
            "message": self.message,
        }


@dataclass
class Upload:
    """What was read from a file: cell values as text, ready to be checked (and kept in the
    session between the preview and the confirmation)."""

    sheet: str
    columns: dict[str, str]  # field name -> column letter
    rows: list[dict]  # {"row": number, "values": {field: text}, "version": seen at preview}
    errors: list[CellError] = field(default_factory=list)

    def as_session(self) -> dict:
        return {"sheet": self.sheet, "columns": self.columns, "rows": self.rows}

    @classmethod
    def from_session(cls, stored: dict) -> "Upload":
        return cls(stored["sheet"], stored["columns"], stored["rows"])

    def remember_versions(self, plan: "Plan") -> None:
        """Note the version of every row's enterprise (None for a new one) as the preview saw
        it, so that the confirmation refuses what changed since."""
        versions = {
            row.row: row.enterprise.version if row.enterprise else None for row in plan.rows
        }
        for row in self.rows:
            row["version"] = versions.get(row["row"])


@dataclass
class PlannedRow:
    row: int
    action: str  # new, changed or unchanged
    name: str
    tax_code: str
    changed: list[str]
    form: EnterpriseImportRowForm
    enterprise: Enterprise | None


@dataclass
class Plan:
    rows: list[PlannedRow]
    errors: list[CellError]

    @property
    def new_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == "new"]

    @property
    def changed_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == "changed"]

    @property
    def write_count(self) -> int:
        return len(self.new_rows) + len(self.changed_rows)

    @property
    def unchanged_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == "unchanged"]


# -- The template ---------------------------------------------------------------------------


def template_response(*, zone: Zone, year: int) -> FileResponse:
    """An XLSX for the zone: its enterprises (tax codes as text), a help sheet, and the year's
    return figures for reference."""
    enterprises = list(Enterprise.objects.filter(zone=zone).order_by("name", "pk"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for enterprise in enterprises:
        sheet.append([neutralise(_template_value(enterprise, name)) for name in COLUMNS])
    _format_template(sheet, rows=len(enterprises))
    _help_sheet(workbook.create_sheet(_("Help")[:31]))
    _reference_sheet(workbook.create_sheet(f"Returns {year}"), zone=zone, year=year)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(spool)  # to a temporary file, not memory
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"enterprises-{zone.code}-{year}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _template_value(enterprise: Enterprise, name: str):
    return enterprise.pk if name == "id" else getattr(enterprise, name)


def _format_template(sheet, *, rows: int) -> None:
    """Tax codes as text (so leading zeros survive) and dates as dates, on the filled rows and,
    through the column's style, on the rows people add; the choices as lists."""
    sheet.freeze_panes = "A2"
    formats = {"tax_code": "@", "founded_on": "yyyy-mm-dd", "closed_on": "yyyy-mm-dd"}
    for name, number_format in formats.items():
        column = COLUMNS.index(name) + 1
        sheet.column_dimensions[get_column_letter(column)].number_format = number_format
        for (cell,) in sheet.iter_rows(min_row=2, max_row=rows + 1, min_col=column, max_col=column):
            cell.number_format = number_format
    for name, choices in CHOICE_COLUMNS.items():
        letter = get_column_letter(COLUMNS.index(name) + 1)
        validation = DataValidation(type="list", formula1=f'"{",".join(choices.values)}"')
        validation.add(f"{letter}2:{letter}{rows + 1001}")
        sheet.add_data_validation(validation)
    widths = {"tax_code": 16, "name": 40, "address": 40, "founded_on": 12, "closed_on": 12}
    for name, width in widths.items():
        sheet.column_dimensions[get_column_letter(COLUMNS.index(name) + 1)].width = width


def _help_sheet(sheet) -> None:
    sheet.append([_("Column"), _("Meaning"), _("Allowed values")])
    sheet.append(["id", _("Filled in for existing enterprises; leave empty for new ones."), ""])
    for name in COLUMNS[1:]:
        model_field = Enterprise._meta.get_field(name)
        allowed = ""
        if name in CHOICE_COLUMNS:
            allowed = ", ".join(f"{value} ({label})" for value, label in model_field.choices)
        elif name in DATE_COLUMNS:
            allowed = _("A date (YYYY-MM-DD or DD/MM/YYYY)")
        elif name == "tax_code":
            allowed = str(model_field.validators[-1].message)
        sheet.append([name, str(model_field.verbose_name), allowed])
    sheet.append([])
    sheet.append(
        [_("Rows are matched by tax code. New enterprises go into the zone chosen on upload.")]
    )
    sheet.append([_("The returns sheet is for reference: it is not imported.")])
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["C"].width = 60


def _reference_sheet(sheet, *, zone: Zone, year: int) -> None:
    sheet.append(["tax_code", "name", "status", *REFERENCE_FIGURES])
    returns = (
        return_model()
        .objects.filter(enterprise__zone=zone, year=year)
        .order_by("enterprise__name")
        .values_list("enterprise__tax_code", "enterprise__name", "status", *REFERENCE_FIGURES)
    )
    for values in returns:
        sheet.append([neutralise(value) for value in values])


# -- Reading an upload -----------------------------------------------------------------------


def read_upload(upload) -> Upload:
    """Read an uploaded .xlsx or .csv into text cells, checking its size and (for .xlsx) its
    archive before openpyxl opens it. Raises ImportRefused."""
    name = (upload.name or "").lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImportRefused(_("The file is larger than 5 MB."))
    if name.endswith(".xlsx"):
        return _read_xlsx(upload)
    if name.endswith(".csv"):
        return _read_csv(upload)
    raise ImportRefused(_("Only .xlsx and .csv files can be imported."))


def _read_xlsx(upload) -> Upload:
    _check_archive(upload)
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused(
            _("This .xlsx file cannot be read: %(error)s") % {"error": error}
        ) from error
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        return _read_rows(sheet.title, sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _check_archive(upload) -> None:
    """An .xlsx is a zip: refuse one that declares too many entries or unpacks too large (a few
    hundred KiB can unpack to gigabytes)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ImportRefused(_("This file is not a valid .xlsx file.")) from error
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ImportRefused(_("This .xlsx file has too many parts to be a plain spreadsheet."))
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise ImportRefused(_("This .xlsx file unpacks to more than 40 MB; split it."))


def _read_csv(upload) -> Upload:
    upload.seek(0)
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            _("This .csv file is not UTF-8 text; save it as “CSV UTF-8”.")
        ) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        # newline="": the csv module reads \r, \n and \r\n line ends itself (Excel for Mac).
        return _read_rows("CSV", csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise ImportRefused(
            _("This .csv file cannot be read: %(problem)s.") % {"problem": error}
        ) from error


def _read_rows(sheet: str, rows) -> Upload:
    rows = iter(rows)
    header = next(rows, None) or ()
    columns = {}
    for index, title in enumerate(header):
        key = str(title or "").strip().lower()
        if key in COLUMNS and key not in columns:
            columns[key] = get_column_letter(index + 1)
    missing = [name for name in ("tax_code", "name") if name not in columns]
    if missing:
        raise ImportRefused(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    indexes = {name: _column_index(letter) for name, letter in columns.items()}
    choices = {name: _choice_lookup(kind) for name, kind in CHOICE_COLUMNS.items()}
    upload = Upload(sheet, columns, [])
    for number, cells in enumerate(rows, start=2):
        if not any(cell not in (None, "") for cell in cells):
            continue
        if len(upload.rows) == MAX_ROWS:
            raise ImportRefused(
                _("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS}
            )
        values = {}
        for name, index in indexes.items():
            raw = cells[index] if index < len(cells) else None
            try:
                values[name] = _cell_text(name, raw, choices)
            except ValueError as error:
                upload.errors.append(CellError(sheet, number, columns[name], name, str(error)))
        upload.rows.append({"row": number, "values": values})
    return upload


def _column_index(letter: str) -> int:
    index = 0
    for char in letter:
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def _cell_text(name: str, value, choices: dict[str, dict[str, str]]) -> str:
    """The cell as the text a form field takes, read by its type (spreadsheets turn tax codes
    into numbers and text into dates). Raises ValueError with a message for the person."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if name == "tax_code":
        return _tax_code(value)
    if name in DATE_COLUMNS:
        return _date_text(value)
    if isinstance(value, bool):
        raise ValueError(_("Expected text, found TRUE/FALSE."))
    if isinstance(value, (int, float)):
        if name == "phone":
            raise ValueError(
                _(
                    "The phone number came back as a number (its leading zero is lost); format the column as text."
                )
            )
        return _whole_number(value)
    if isinstance(value, datetime.date):
        raise ValueError(_("Expected text, found a date."))
    text = restore_text(str(value).strip())
    if name in choices and text:
        return _choice(name, text, choices[name])
    return text


def _tax_code(value) -> str:
    """A tax code is text. One that came back as a number gets its lost leading zero back when
    that is unambiguous: 9 digits can only have been 10 with a leading zero."""
    if isinstance(value, bool | datetime.date):
        raise ValueError(_("Expected a tax code."))
    text = (
        _whole_number(value)
        if isinstance(value, (int, float))
        else restore_text(str(value).strip())
    )
    digits = text.isascii() and text.isdigit()
    if digits and len(text) == 9:
        return "0" + text
    if digits and len(text) < 9:
        raise ValueError(
            _(
                "The tax code %(code)s lost its leading zeros; format the column as text and type it again."
            )
            % {"code": text}
        )
    return text


def _whole_number(value) -> str:
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("Expected text, found the number %(value)s.") % {"value": value})
        value = int(value)
    return str(value)


def _date_text(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float):
        raise ValueError(_("Expected a date, found a number; format the column as a date."))
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date (YYYY-MM-DD or DD/MM/YYYY).") % {"value": text})


def _choice_lookup(kind) -> dict[str, str]:
    """Each choice by its folded code and label, so that `FDI`, `fdi` and `Foreign-invested
    (FDI)` all read as `fdi`."""
    lookup = {}
    for value, label in kind.choices:
        lookup[fold_for_search(value)] = value
        lookup[fold_for_search(str(label))] = value
    return lookup


def _choice(name: str, text: str, lookup: dict[str, str]) -> str:
    try:
        return lookup[fold_for_search(text)]
    except KeyError:
        raise ValueError(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": text, "allowed": ", ".join(CHOICE_COLUMNS[name].values)}
        ) from None


def restore_text(text: str) -> str:
    """Undo the export's neutralising quote, so that an exported file imports unchanged."""
    if text.startswith("'") and text[1:2] and text[1] in "".join(FORMULA_PREFIXES):
        return text[1:]
    return text


# -- Checking and applying ---------------------------------------------------------------------


def plan_import(*, upload: Upload, zone: Zone, user) -> Plan:
    """Match rows by tax code and check each one with the enterprise form: new, changed (with
    the fields) or unchanged, and every error by sheet, row and column."""
    errors = list(upload.errors)
    codes = {row["values"].get("tax_code", "") for row in upload.rows}
    existing = {
        enterprise.tax_code: enterprise
        for enterprise in Enterprise.objects.filter(tax_code__in=codes).select_related("zone")
    }
    unreadable: dict[int, set[str]] = {}
    for error in upload.errors:
        unreadable.setdefault(error.row, set()).add(error.field)
    seen: dict[str, int] = {}
    planned = []
    for row in upload.rows:
        number, values = row["row"], row["values"]
        skipped = unreadable.get(number, set())
        error = None if "tax_code" in skipped else _row_error(upload, row, existing, seen, user)
        if error:
            errors.append(error)
            continue
        enterprise = existing.get(values.get("tax_code", ""))
        form = _row_form(values, enterprise=enterprise, zone=zone)
        if not form.is_valid():
            errors.extend(e for e in _form_errors(upload, number, form) if e.field not in skipped)
        if skipped or form.errors:
            continue
        action = "new" if enterprise is None else ("changed" if form.has_changed() else "unchanged")
        planned.append(
            PlannedRow(
                row=number,
                action=action,
                name=form.cleaned_data["name"],
                tax_code=form.cleaned_data["tax_code"],
                changed=[str(form.fields[name].label) for name in form.changed_data]
                if enterprise
                else [],
                form=form,
                enterprise=enterprise,
            )
        )
    errors.sort(key=lambda error: (error.row, _column_index(error.column or "A")))
    return Plan(planned, errors)


def _row_error(upload, row, existing, seen, user) -> CellError | None:
    number, values = row["row"], row["values"]
    tax_code = values.get("tax_code", "")
    column = upload.columns["tax_code"]
    if tax_code in seen:
        return CellError(
            upload.sheet,
            number,
            column,
            "tax_code",
            _("This tax code is also on row %(row)s.") % {"row": seen[tax_code]},
        )
    seen[tax_code] = number
    enterprise = existing.get(tax_code)
    if "version" in row and row["version"] != (enterprise.version if enterprise else None):
        return CellError(
            upload.sheet,
            number,
            column,
            "tax_code",
            _("Someone saved this enterprise after the preview; upload the file again."),
        )
    if enterprise is not None and not may_write_enterprise(user, enterprise):
        return CellError(
            upload.sheet,
            number,
            column,
            "tax_code",
            _("This tax code belongs to an enterprise outside the zones you may change."),
        )
    given_id = values.get("id", "")
    if given_id and (enterprise is None or given_id != str(enterprise.pk)):
        return CellError(
            upload.sheet,
            number,
            upload.columns["id"],
            "id",
            _(
                "The id does not belong to the enterprise with this tax code; rows are matched "
                "by tax code (change a tax code in the enterprise's form)."
            ),
        )
    return None


def _row_form(
    values: dict, *, enterprise: Enterprise | None, zone: Zone
) -> EnterpriseImportRowForm:
    """The row's form; a column the file lacks keeps the stored value, a new enterprise goes
    into the chosen zone."""
    data = model_to_dict(enterprise, fields=FIELDS) if enterprise is not None else {}
    data.update({name: value for name, value in values.items() if name in FIELDS})
    if not data.get("status"):
        data["status"] = (
            enterprise.status if enterprise is not None else Enterprise.Status.OPERATING
        )
    if enterprise is not None:
        data["seen_version"] = enterprise.version
    return EnterpriseImportRowForm(data, instance=enterprise or Enterprise(zone=zone))


def _form_errors(upload: Upload, number: int, form: EnterpriseImportRowForm) -> list[CellError]:
    return [
        CellError(
            upload.sheet,
            number,
            upload.columns.get(name, ""),
            "" if name == NON_FIELD_ERRORS else name,
            str(message),
        )
        for name, messages in form.errors.items()
        for message in messages
    ]


def apply_import(*, upload: Upload, zone: Zone, user) -> Plan:
    """Check again and write every row in one transaction; any error writes nothing. Raises
    StaleEdit or RuleBroken (after rolling back) when someone saved meanwhile."""
    with transaction.atomic():
        plan = plan_import(upload=upload, zone=zone, user=user)
        if plan.errors:
            return plan
        create_enterprises(
            rows=[{**row.form.model_values(), "zone": zone} for row in plan.new_rows], user=user
        )
        update_enterprises(
            changes=[(row.enterprise, row.form.model_values()) for row in plan.changed_rows],
            user=user,
        )
    return plan
