"""Writes with rules for the coordination app."""

from django.conf import settings

from .models import UserPreference


def remember_language(*, user, language: str) -> None:
    if language in dict(settings.LANGUAGES):
        UserPreference.objects.update_or_create(user=user, defaults={"language": language})
