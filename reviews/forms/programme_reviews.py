"""Forms of programme reviews: the review's own fields, its sections and its signatures."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ProgrammeReview, ReviewSection, ReviewSignature

REVIEW_FIELDS = (
    "kind",
    "title",
    "number",
    "as_of_year",
    "held_on",
    "cut_off_on",
    "place",
    "venue",
    "chaired_by",
    "participants",
    "summary",
    "recommendations",
    "carried_forward",
    "recipients",
)


class ReviewForm(forms.ModelForm):
    """A review's own fields. Its programme is fixed once it exists: its sections and
    signatures were made from the programme's content areas and bodies."""

    class Meta:
        model = ProgrammeReview
        fields = REVIEW_FIELDS
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("held_on", "cut_off_on")
        }

    def clean(self):
        cleaned_data = super().clean()
        programme = cleaned_data.get("programme") or (
            self.instance.programme if self.instance.programme_id else None
        )
        year = cleaned_data.get("as_of_year")
        if programme is not None and year is not None and year not in programme.years:
            self.add_error(
                "as_of_year",
                _("The year must lie within the programme's years, %(start)s to %(end)s.")
                % {"start": programme.start_year, "end": programme.end_year},
            )
        return cleaned_data


class ReviewCreateForm(ReviewForm):
    class Meta(ReviewForm.Meta):
        fields = ("programme", *REVIEW_FIELDS)


ReviewSectionFormSet = forms.inlineformset_factory(
    ProgrammeReview,
    ReviewSection,
    fields=("results", "limitations", "causes", "solutions"),
    extra=0,
    can_delete=False,
    edit_only=True,
)
"""One form per content area of the review's programme; areas come with the review, never from
a POST."""

ReviewSignatureFormSet = forms.inlineformset_factory(
    ProgrammeReview,
    ReviewSignature,
    fields=("authority", "signer_title", "signer_name"),
    extra=0,
    can_delete=False,
    edit_only=True,
)
