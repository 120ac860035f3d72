"""Checking an upload against the registry: each row matched by tax code and checked with the
enterprise form, as new, changed (with the fields) or unchanged, and every error named."""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from ..forms import EnterpriseImportRowForm
from ..models import Enterprise, Zone
from ..selectors import may_write_enterprise
from .sheet import FIELDS, CellError, Upload, column_index


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
    errors.sort(key=lambda error: (error.row, column_index(error.column or "A")))
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
