"""Writes with rules for the coordination app."""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import DataVersion, UserPreference
from .selectors import remember_data_version_per_request


def _data_committed() -> None:
    """A marker in the transaction's on-commit list: while it is there, the transaction has
    written data that other connections cannot see yet (see selectors.cached)."""


def bump_data_version() -> None:
    """Moves the data version on after a write, in the writer's transaction, so the new version
    becomes visible together with the data. Signals call it for every save and delete; bulk
    writes (bulk_create, update, COPY) must call it themselves."""
    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.bulk_create([DataVersion(pk=1, value=1)], ignore_conflicts=True)
    remember_data_version_per_request(start=False)  # the rest of the request reads afresh
    if connection.in_atomic_block:
        transaction.on_commit(_data_committed)


def remember_language(*, user, language: str) -> None:
    if language in dict(settings.LANGUAGES):
        UserPreference.objects.update_or_create(user=user, defaults={"language": language})


def pending_totp_device(*, user) -> TOTPDevice:
    """The unconfirmed device a user is setting up; its secret is shown until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_totp_device(*, device: TOTPDevice, token: str) -> bool:
    """Confirms the device if the code from the authenticator app is right."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


def device_for_token(*, user, token: str):
    """The user's confirmed device that accepts the code, or None."""
    return match_token(user, token)
