"""What stored text may hold: no control characters (a tab and line breaks only in text of
several lines), and a size that fits its use, kept by forms and by the database alike.

Control characters come in pasted from PDFs and old programs; XML (and so an .xlsx) cannot
hold most of them, and none of them shows on a page. Text stored before these rules may still
hold them: the spreadsheets leave them out (enterprises.exports.spreadsheet_text)."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Length, Substr
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

MESSAGE = _("Remove the invisible control characters (often pasted in from another program).")

one_line = RegexValidator(
    r"[\x00-\x1f\x7f-\x9f]", MESSAGE, code="control_characters", inverse_match=True
)
"""For text of one line: every control character is refused, tabs and line breaks too."""
lines = RegexValidator(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]",
    MESSAGE,
    code="control_characters",
    inverse_match=True,
)
"""For text of several lines (a text area): tabs and line breaks are allowed."""

ONE_LINE = [one_line]
LINES = [lines]


def one_line_field(verbose_name, *, max_length: int, **options) -> models.CharField:
    """A text field of one line, with the validators that keep it one."""
    return models.CharField(verbose_name, max_length=max_length, validators=ONE_LINE, **options)


def text_field(verbose_name, *, max_length: int, **options) -> models.TextField:
    """A text area. Its max_length binds forms only: the model's Meta also lists
    length_check(name, max_length)."""
    return models.TextField(verbose_name, max_length=max_length, validators=LINES, **options)


def length_check(field: str, limit: int) -> models.CheckConstraint:
    """The database's cap on a text field, whose max_length binds only forms."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=f"%(app_label)s_%(class)s_{field}_length",
    )


def cut_to_caps(model, caps: dict[str, int]) -> None:
    """Cuts text stored before its cap (field name: characters) to it, for the migration that
    adds the database's checks; the history keeps the whole text."""
    for field, limit in caps.items():
        model._default_manager.annotate(length=Length(field)).filter(length__gt=limit).update(
            **{field: Substr(field, 1, limit)}
        )
