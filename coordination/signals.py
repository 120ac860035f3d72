"""Every save and delete of the programme's data, whoever makes it (a view, the admin or a
shell), tells the cache what changed (cache.changed). Rows of a zone and a year say which
(enterprises.changes, reviews.signals); every other row changes what every value covers."""

from django.apps import apps
from django.core.signals import request_started
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from . import cache

DATA_APPS = ("coordination", "enterprises", "reviews")
NOT_DATA = (
    "coordination.UserPreference",
    "reviews.ReminderSent",
    "reviews.SignedCopy",
    "reviews.EnterpriseCounts",
    "reviews.FigureTotals",
    "reviews.RatingTotals",
    "reviews.TotalsYear",
)
"""Rows no figure, list or report is made of (a review's signed copies are read live; the
totals are made of the other rows and change with them)."""
ZONE_DATA = (
    "enterprises.Enterprise",
    "enterprises.Organisation",
    "reviews.AnnualReturn",
    "reviews.OrganisationRating",
    "reviews.QualityFlag",
)
"""Rows of a zone (and a year), which their apps' signals name."""


def _changed(sender, **kwargs) -> None:
    cache.changed()


def _changed_many(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        cache.changed()


def data_models() -> list:
    """The models whose rows the assessment, the lists and the reports are made of (history
    rows only follow the others)."""
    return [
        model
        for app in DATA_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in NOT_DATA and not issubclass(model, HistoricalChanges)
    ]


def connect() -> None:
    request_started.connect(cache.nothing_pending, dispatch_uid="cache-request-started")
    for model in data_models():
        if model._meta.label not in ZONE_DATA:
            post_save.connect(
                _changed, sender=model, dispatch_uid=f"cache-save-{model._meta.label}"
            )
            post_delete.connect(
                _changed, sender=model, dispatch_uid=f"cache-delete-{model._meta.label}"
            )
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _changed_many,
                sender=field.remote_field.through,
                dispatch_uid=f"cache-m2m-{model._meta.label}-{field.name}",
            )
