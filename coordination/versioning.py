"""Optimistic locking, for every record that two people may edit at once (enterprises,
organisations, returns, reviews).

Each record carries a `version` that every save moves on. A form carries the version it was
opened at as `seen_version` (no model field, so no POST can set a version); the service claims
the row with a conditional UPDATE ... WHERE version = seen, and a stale save is refused with
StaleEdit. The form then shows what the other person changed and keeps what this person typed,
now based on the stored version, so that saving again is a knowing choice."""

from datetime import datetime

from django import forms
from django.db import models
from django.db.models import F, Model, QuerySet
from django.utils.translation import gettext_lazy as _

MAX_VERSION = 2**31 - 1
"""A version beyond any database's integer is a forged POST, refused as a form error."""


class Versioned(models.Model):
    """A record two people may edit at once: it carries the version claim_version moves on."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class StaleEdit(Exception):
    """Someone saved the record after the form was opened; `current` is what is stored now."""

    def __init__(self, current: Model):
        super().__init__(f"{current._meta.label} {current.pk} changed since it was opened")
        self.current = current


def claim_version(rows: QuerySet, *, version: int) -> None:
    """Moves the version of the one row of `rows` on if it is still `version` (which also locks
    the row until the commit); else raises StaleEdit with the row as stored now."""
    if not rows.filter(version=version).update(version=F("version") + 1):
        raise StaleEdit(rows.get())


def opened_record(current: Model, *, version: int) -> tuple[Model | None, datetime | None]:
    """`current`'s history row at `version`, as someone opened it, and when the next version was
    saved: what a save writes after the record's own row (ratings, a review's sections) is
    read as of that moment. (None, None) where the history ends earlier."""
    records = {
        record.version: record
        for record in current.history.filter(version__in=(version, version + 1))
    }
    opened, following = records.get(version), records.get(version + 1)
    if opened is None or following is None:
        return None, None
    return opened, following.history_date


def conflict_rows(values) -> list[dict]:
    """The rows of partials/conflict.html from (label, before, theirs, yours) tuples: each value
    as this person opened it, as the other person saved it and as this person typed it, where
    they differ."""
    return [
        {
            "label": label,
            "before": before,
            "theirs": theirs,
            "yours": yours,
            "changed_by_them": theirs != before,
        }
        for label, before, theirs, yours in values
        if theirs != before or yours != theirs
    ]


class VersionedForm(forms.ModelForm):
    """A model form that carries the version its record was opened at. `rebuild_with` names the
    attributes a subclass's constructor takes besides the data and the instance, so that the
    form can be built again over a newer version."""

    rebuild_with: tuple[str, ...] = ()
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["seen_version"]
        else:
            self.fields["seen_version"].initial = self.instance.version

    def model_values(self) -> dict:
        """The cleaned values of the model's fields, for a service to save."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}

    def conflict(self, current: Model) -> dict:
        """After a refused save: who saved `current` meanwhile, when, and what differs."""
        latest = current.history.select_related("history_user").first()
        return {
            "by": getattr(latest, "history_user", None),
            "at": getattr(latest, "history_date", None),
            "rows": self.conflict_rows(current),
        }

    def conflict_rows(self, current: Model) -> list[dict]:
        """Each of the form's model fields that differs (conflict_rows), read as it was opened
        from the record's history."""
        opened = current.history.filter(version=self.cleaned_data["seen_version"]).first()
        values = []
        for name, yours in self.model_values().items():
            theirs = getattr(current, name)
            before = getattr(opened, name) if opened else theirs
            values.append(
                (
                    self[name].label,
                    self._shown(name, before),
                    self._shown(name, theirs),
                    self._shown(name, yours),
                )
            )
        return conflict_rows(values)

    def _shown(self, name: str, value):
        choices = getattr(self.fields[name], "choices", None)
        if choices is not None and not hasattr(choices, "queryset"):
            return dict(choices).get(value, value)
        return value

    def at_version(self, current: Model) -> "VersionedForm":
        """The same input over the record as stored now."""
        data = self.data.copy()
        data["seen_version"] = current.version
        extra = {name: getattr(self, name) for name in self.rebuild_with}
        return type(self)(data, instance=current, **extra)

    def refused(self, current: Model) -> tuple[dict, "VersionedForm"]:
        """What a view shows after a stale save: the conflict, and the form to save again."""
        return self.conflict(current), self.at_version(current)
