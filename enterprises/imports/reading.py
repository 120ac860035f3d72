"""Reading an uploaded .xlsx or .csv safely into text cells: its size and archive are checked
before a spreadsheet library opens it, and cells are read by their type (spreadsheets turn tax
codes into numbers and text into dates)."""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..exports import FORMULA_PREFIXES
from ..models import Enterprise, fold_for_search
from .sheet import (
    CHOICE_COLUMNS,
    COLUMNS,
    DATE_COLUMNS,
    SHEET,
    CellError,
    ImportRefused,
    Upload,
    column_index,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
MAX_ZIP_ENTRIES = 100
MAX_ROWS = 10_000
MAX_COLUMNS = 100
"""A sheet may span a header and MAX_ROWS rows, and MAX_COLUMNS columns: by its declared size
(a 5 KB file can declare a million rows of 16,384 cells, which openpyxl then hands over one
empty cell at a time) and by what is really in it."""


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
    with _unreadable_refused():
        workbook = load_workbook(upload, read_only=True, data_only=True)
    try:
        with _unreadable_refused():
            sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
            _check_size(rows=sheet.max_row, columns=sheet.max_column)
        return _read_rows(sheet.title, _sheet_rows(sheet))
    finally:
        workbook.close()


@contextmanager
def _unreadable_refused() -> Iterator[None]:
    """openpyxl raises many kinds of error on a damaged file, and meets a damaged sheet only
    when it reads that far: every one of them is a refusal with a message."""
    try:
        yield
    except ImportRefused:
        raise
    except Exception as error:
        raise ImportRefused(
            _("This .xlsx file cannot be read: %(error)s") % {"error": error}
        ) from error


def _check_size(*, rows: int | None, columns: int | None) -> None:
    """Refuses a sheet that spans more than a header and MAX_ROWS rows, or MAX_COLUMNS columns
    (None: not known)."""
    if rows is not None and rows > MAX_ROWS + 1:
        raise _too_many_rows()
    if columns is not None and columns > MAX_COLUMNS:
        raise ImportRefused(
            _("The sheet has more than %(max)s columns; keep only the enterprise columns.")
            % {"max": MAX_COLUMNS}
        )


def _too_many_rows() -> ImportRefused:
    return ImportRefused(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS})


def _sheet_rows(sheet) -> Iterator[tuple]:
    """The sheet's rows, read no further than one row and one column past the caps, whatever
    the sheet declares: reaching either refuses the file."""
    with _unreadable_refused():
        rows = sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1, values_only=True)
        for number, cells in enumerate(rows, start=1):
            beyond = len(cells) > MAX_COLUMNS and cells[MAX_COLUMNS] not in (None, "")
            _check_size(rows=number, columns=MAX_COLUMNS + 1 if beyond else None)
            yield cells[:MAX_COLUMNS]


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


HEADER_SEARCH_ROWS = 10
"""The header may stand below a title (as in the exports): it is looked for in these rows."""


def header_aliases() -> dict[str, str]:
    """Each column's field name by what a header may say, folded: the field's name or its
    label in any of the site's languages (as the exports, in whichever language, head it)."""
    aliases = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name in COLUMNS[1:]:
                aliases.setdefault(
                    fold_for_search(str(Enterprise._meta.get_field(name).verbose_name)), name
                )
    aliases["id"] = "id"
    aliases |= {name: name for name in COLUMNS}  # a field's own name wins over a label
    return aliases


def _header_columns(cells, aliases: dict[str, str]) -> dict[str, str]:
    """The field each column holds (field name -> column letter), a field's own name taking
    precedence over its label (an export has both: `Ownership` as labels, `ownership` as
    codes)."""
    columns: dict[str, str] = {}
    exact: set[str] = set()
    for index, title in enumerate(cells):
        key = fold_for_search(str(title or "").strip())
        name = aliases.get(key)
        if name is None or name in exact:
            continue
        if key == name:
            exact.add(name)
        elif name in columns:
            continue
        columns[name] = get_column_letter(index + 1)
    return columns


def _read_rows(sheet: str, rows) -> Upload:
    rows = iter(rows)
    aliases = header_aliases()
    columns: dict[str, str] | None = None
    header_row = 0
    for number, cells in enumerate(rows, start=1):
        found = _header_columns(cells or (), aliases)
        if {"tax_code", "name"} <= set(found):
            columns, header_row = found, number
            break
        if columns is None:
            columns = found  # what the first row names, should no row name both
        if number == HEADER_SEARCH_ROWS:
            break
    columns = columns or {}
    missing = [name for name in ("tax_code", "name") if name not in columns]
    if missing:
        raise ImportRefused(
            _("No row at the top of the sheet names the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    indexes = {name: column_index(letter) for name, letter in columns.items()}
    choices = {name: _choice_lookup(kind) for name, kind in CHOICE_COLUMNS.items()}
    upload = Upload(sheet, columns, [])
    for number, cells in enumerate(rows, start=header_row + 1):
        if not any(cell not in (None, "") for cell in cells):
            continue
        if len(upload.rows) == MAX_ROWS:
            raise _too_many_rows()
        values = {}
        for name, index in indexes.items():
            raw = cells[index] if index < len(cells) else None
            try:
                values[name] = _cell_text(name, raw, choices)
            except ValueError as error:
                upload.errors.append(CellError(sheet, number, columns[name], name, str(error)))
        upload.rows.append({"row": number, "values": values})
    return upload


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
    """Each choice by its folded code and its label in every language of the site, so that
    `FDI`, `fdi`, `Foreign-invested (FDI)` and its Vietnamese label all read as `fdi`."""
    lookup = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in kind.choices:
                lookup.setdefault(fold_for_search(str(label)), value)
    for value, _label in kind.choices:
        lookup[fold_for_search(value)] = value
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
