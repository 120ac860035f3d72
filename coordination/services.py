"""Writes with rules for the coordination app."""

from django.conf import settings
from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import UserPreference


def remember_language(*, user, language: str) -> None:
    if language in dict(settings.LANGUAGES):
        UserPreference.objects.update_or_create(user=user, defaults={"language": language})


def set_reminders(*, user, wanted: bool) -> None:
    """A person switches their own e-mail reminders on or off."""
    UserPreference.objects.update_or_create(user=user, defaults={"reminders": wanted})


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
