"""What an import reads and writes: the columns of the enterprises sheet, what was read from an
uploaded file, and the errors named by sheet, row and column."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ..forms import EnterpriseImportRowForm
from ..models import Enterprise

if TYPE_CHECKING:
    from .planning import Plan

SHEET = "Enterprises"
# The enterprise form's fields but the zone (new enterprises go into the zone chosen on upload).
FIELDS = EnterpriseImportRowForm.Meta.fields
COLUMNS = ["id", "tax_code", *(name for name in FIELDS if name != "tax_code")]
DATE_COLUMNS = {"founded_on", "closed_on"}
CHOICE_COLUMNS = {"ownership": Enterprise.Ownership, "status": Enterprise.Status}


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


def column_index(letter: str) -> int:
    """The 0-based index of a column letter (A, …, Z, AA, …)."""
    index = 0
    for char in letter:
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1
