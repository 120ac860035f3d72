"""The import template: an XLSX of a zone's enterprises, ready to be filled in and uploaded,
with a help sheet and, for reference only, the year's figures of its enterprises."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..exports import spreadsheet_text
from ..models import Enterprise, Zone
from ..year_figures import year_figures
from .sheet import CHOICE_COLUMNS, COLUMNS, DATE_COLUMNS, SHEET


def write_template(file, *, zone: Zone, year: int) -> None:
    """Writes the XLSX for the zone into `file`: its enterprises (tax codes as text), a help
    sheet, and the year's figures for reference."""
    enterprises = list(Enterprise.objects.filter(zone=zone).order_by("name", "pk"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for enterprise in enterprises:
        sheet.append([spreadsheet_text(_template_value(enterprise, name)) for name in COLUMNS])
    _format_template(sheet, rows=len(enterprises))
    _help_sheet(workbook.create_sheet(_("Help")[:31]))
    _reference_sheet(workbook.create_sheet(f"Returns {year}"), zone=zone, year=year)
    workbook.save(file)


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
    header, rows = year_figures().reference_sheet(zone=zone, year=year)
    sheet.append(header)
    for values in rows:
        sheet.append([spreadsheet_text(value) for value in values])
