"""Numbers in a query string, read by one rule: ASCII digits only, few enough to fit any
database's integer. `str.isdigit()` also takes "²" and "٣", which `int()` then refuses or reads
as something else; a bad value is ignored, never a 500."""

import re

from django import forms
from django.http import QueryDict

NUMBER = re.compile(r"[0-9]{1,18}\Z")
"""Up to 18 digits: below 2**63, so a lookup never overflows a database integer."""


def parse_int(text: str | None) -> int | None:
    """The whole number that `text` spells in ASCII digits, else None."""
    if text is None or not NUMBER.match(text):
        return None
    return int(text)


def int_param(params: QueryDict, name: str) -> int | None:
    """The query parameter `name` as a whole number, or None if it is missing or not one."""
    return parse_int(params.get(name))


class NumberField(forms.IntegerField):
    """A form's whole number read by parse_int, for forms bound to a query string."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_int(str(value).strip())
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number
