"""Reads for the coordination app."""

from .models import UserPreference


def preferred_language(*, user) -> str:
    """The language the user chose last, or "" to let the browser decide."""
    preference = UserPreference.objects.filter(user=user).first()
    return preference.language if preference else ""
