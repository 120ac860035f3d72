"""Every save and delete of the programme's data moves the data version on (see
cache.bump_data_version), whoever makes it: a view, the admin or a shell."""

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from .cache import bump_data_version, remember_data_version_per_request

DATA_APPS = ("coordination", "enterprises", "reviews")
NOT_DATA = (
    "coordination.DataVersion",
    "coordination.UserPreference",
    "reviews.ReminderSent",
    "reviews.SignedCopy",
)
"""Rows no figure, list or report is made of (a review's signed copies are read live)."""


def _bump(sender, **kwargs) -> None:
    bump_data_version()


def _bump_on_change(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        bump_data_version()


def _request_started(sender, **kwargs) -> None:
    remember_data_version_per_request(start=True)


def _request_finished(sender, **kwargs) -> None:
    remember_data_version_per_request(start=False)


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
    request_started.connect(_request_started, dispatch_uid="data-version-request-started")
    request_finished.connect(_request_finished, dispatch_uid="data-version-request-finished")
    for model in data_models():
        post_save.connect(
            _bump, sender=model, dispatch_uid=f"data-version-save-{model._meta.label}"
        )
        post_delete.connect(
            _bump, sender=model, dispatch_uid=f"data-version-delete-{model._meta.label}"
        )
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _bump_on_change,
                sender=field.remote_field.through,
                dispatch_uid=f"data-version-m2m-{model._meta.label}-{field.name}",
            )
