"""The form that starts the programme following an ended one."""

from django import forms

from coordination.models import Programme

PROGRAMME_LENGTH = 5
"""Years of a new programme by default (the usual 2026–2030)."""


class FollowProgrammeForm(forms.ModelForm):
    """The new programme's own fields; the rest is carried over by the service."""

    class Meta:
        model = Programme
        fields = ("title", "start_year", "end_year")

    @staticmethod
    def initial_for(programme: Programme) -> dict:
        start = programme.end_year + 1
        return {
            "title": programme.title,
            "start_year": start,
            "end_year": start + PROGRAMME_LENGTH - 1,
        }
