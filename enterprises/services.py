"""Writes to enterprises and organisations: one transaction each, and no lost updates."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from coordination.versioning import StaleEdit, claim_version

from .changes import changed
from .models import (
    Enterprise,
    Organisation,
    OrganisationSuperior,
    SuperiorBodyKind,
    likely_superior_kinds,
)


class RuleBroken(Exception):
    """The database refused a write the form had accepted: a race with another save."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# Where a constraint's name or columns show up in the database's error, and what to say.
RACE_MESSAGES = (
    ("tax_code", gettext_lazy("Another enterprise already has this tax code.")),
    ("kind", gettext_lazy("This enterprise already has an active organisation of this kind.")),
)


def create_enterprise(*, data: dict, user) -> Enterprise:
    enterprise = Enterprise(**_settable(data))
    _save(enterprise, user=user)
    return enterprise


def update_enterprise(*, enterprise: Enterprise, data: dict, seen_version: int, user) -> Enterprise:
    """Save the changes only if nobody saved the enterprise since `seen_version`; else StaleEdit."""
    return _update_versioned(enterprise, data=data, seen_version=seen_version, user=user)


# Rows per INSERT or UPDATE of the bulk writes: few statements, none of them huge (an UPDATE of
# many rows carries a CASE over all of them for every column).
BULK_BATCH = 500


def create_enterprises(*, rows: list[dict], user) -> list[Enterprise]:
    """Many new enterprises at once (an import), as create_enterprise would save them, with
    their history rows, in a few INSERTs instead of two a row."""
    enterprises = [Enterprise(**_settable(data)) for data in rows]
    if not enterprises:
        return []
    for enterprise in enterprises:
        enterprise.search_text = enterprise.compute_search_text()  # as Enterprise.save does
    with _refused_as_rule_broken():
        bulk_create_with_history(enterprises, Enterprise, batch_size=BULK_BATCH, default_user=user)
    changed(  # bulk_create sends no post_save
        {enterprise.zone_id for enterprise in enterprises},
        enterprises={enterprise.pk for enterprise in enterprises},
    )
    return enterprises


def update_enterprises(*, changes: list[tuple[Enterprise, dict]], user) -> None:
    """Many changed enterprises at once (an import), as update_enterprise would save them:
    each must still be at the version it was read at (its `version`), else StaleEdit and
    nothing is written; the rows stay locked until the commit. Only the columns that some row
    changes are written (an UPDATE of many rows costs Django a CASE branch per row and column)."""
    if not changes:
        return
    with transaction.atomic():
        stored = dict(
            Enterprise.objects.select_for_update()
            .filter(pk__in=[enterprise.pk for enterprise, _data in changes])
            .order_by("pk")
            .values_list("pk", "version")
        )
        columns = {"version"}
        zones = {enterprise.zone_id for enterprise, _data in changes}
        for enterprise, data in changes:
            if stored.get(enterprise.pk) != enterprise.version:
                raise StaleEdit(Enterprise.objects.get(pk=enterprise.pk))
            enterprise.version += 1
            for name, value in _settable(data).items():
                if getattr(enterprise, name) != value:
                    setattr(enterprise, name, value)
                    columns.add(name)
            search_text = enterprise.compute_search_text()  # as Enterprise.save does
            if search_text != enterprise.search_text:
                enterprise.search_text = search_text
                columns.add("search_text")
        with _refused_as_rule_broken():
            bulk_update_with_history(
                [enterprise for enterprise, _data in changes],
                Enterprise,
                fields=sorted(columns),
                batch_size=BULK_BATCH,
                default_user=user,
            )
        changed(
            zones | {enterprise.zone_id for enterprise, _data in changes},
            enterprises={enterprise.pk for enterprise, _data in changes},
        )


def found_organisation(
    *, enterprise: Enterprise, data: dict, user, explanation: str = ""
) -> Organisation:
    with transaction.atomic():
        organisation = Organisation(enterprise=enterprise, **_settable(data))
        _save(organisation, user=user, reason=explanation)
        if organisation.superior_body_id:
            _record_superior(organisation, since=organisation.founded_on)
    return organisation


def update_organisation(
    *,
    organisation: Organisation,
    data: dict,
    seen_version: int,
    user,
    explanation: str = "",
    superior_since: datetime.date | None = None,
) -> Organisation:
    """Change or dissolve an organisation; refused with StaleEdit if someone saved it meanwhile.
    A new superior body applies from `superior_since` (today by default), and the earlier one
    stays in the organisation's history of superior bodies."""
    with transaction.atomic():
        # From the row, not the instance: a bound ModelForm has already set the new value.
        before = (
            Organisation.objects.filter(pk=organisation.pk)
            .values_list("superior_body_id", flat=True)
            .first()
        )
        _update_versioned(
            organisation, data=data, seen_version=seen_version, user=user, reason=explanation
        )
        if organisation.superior_body_id != before:
            _record_superior(organisation, since=superior_since or timezone.localdate())
    return organisation


def allow_likely_superior_kinds(body) -> None:
    """Lets a body stand above the kinds of organisation its kind and name suggest
    (models.likely_superior_kinds); kinds already allowed stay."""
    for kind in likely_superior_kinds(body_kind=body.kind, name=body.name):
        SuperiorBodyKind.objects.get_or_create(body=body, kind=kind)


def _record_superior(organisation: Organisation, *, since: datetime.date) -> None:
    """Notes the organisation's superior body as of `since` (a second change on one day
    replaces the first)."""
    OrganisationSuperior.objects.update_or_create(
        organisation=organisation, since=since, defaults={"body": organisation.superior_body}
    )


def _settable(data: dict) -> dict:
    """Guards the version: only the services move it."""
    if "version" in data:
        raise ValueError("version is set by the services, never from input")
    return data


def _update_versioned(instance, *, data: dict, seen_version: int, user, reason: str = ""):
    """Claim the row (coordination.versioning), then save the changes so that the history
    records them."""
    model = type(instance)
    changes = _settable(data)
    with transaction.atomic():
        claim_version(model.objects.filter(pk=instance.pk), version=seen_version)
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.version = seen_version + 1
        _save(instance, user=user, reason=reason)
    return instance


def _save(instance, *, user, reason: str = "") -> None:
    instance._history_user = user
    instance._change_reason = reason or None
    with _refused_as_rule_broken():
        instance.save()


@contextmanager
def _refused_as_rule_broken() -> Iterator[None]:
    """A write in a savepoint whose refusal by the database becomes RuleBroken."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        raise _rule_broken(error) from error


def _rule_broken(error: IntegrityError) -> RuleBroken:
    text = str(error)
    for needle, message in RACE_MESSAGES:
        if needle in text:
            return RuleBroken(str(message), field=needle)
    return RuleBroken(_("The database refused the change: %(error)s") % {"error": text})
