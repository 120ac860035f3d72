"""Forms of programme reviews: the review's own fields, its sections and its signatures, and
the edit page that saves all three under one version."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.versioning import VersionedForm, conflict_rows

from ..models import ProgrammeReview, ReviewSection, ReviewSignature
from ..selectors.programme_reviews import review_as_opened
from ..services.programme_reviews import DuplicateReview

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


class ReviewForm(VersionedForm):
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
        if self.instance.pk is not None and self._kind_and_year_taken(cleaned_data):
            self.add_error(None, DuplicateReview.message)
        return cleaned_data

    def _kind_and_year_taken(self, cleaned_data) -> bool:
        """The unique (programme, kind, year) check the ModelForm skips on an existing review,
        whose programme is no field of the form."""
        return (
            ProgrammeReview.objects.filter(
                programme_id=self.instance.programme_id,
                kind=cleaned_data.get("kind"),
                as_of_year=cleaned_data.get("as_of_year"),
            )
            .exclude(pk=self.instance.pk)
            .exists()
        )


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


class ReviewEdit:
    """The edit page: the review's fields, its sections and its signatures, which one version
    (the review's) guards: they are saved together and refused together."""

    def __init__(self, data, *, review: ProgrammeReview):
        self.form = ReviewForm(data, instance=review)
        self.sections = ReviewSectionFormSet(
            data, instance=review, queryset=ReviewSection.objects.select_related("content_area")
        )
        self.signatures = ReviewSignatureFormSet(
            data, instance=review, queryset=ReviewSignature.objects.select_related("body")
        )

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.sections.is_valid(), self.signatures.is_valid()])

    def refused(self, current: ProgrammeReview) -> tuple[dict, "ReviewEdit"]:
        """What the page shows after a stale save: the conflict over the review's fields and
        texts, and the page to save again over the review as stored now."""
        conflict = self.form.conflict(current)
        conflict["rows"] += self._text_conflict_rows(current)
        data = self.form.data.copy()
        data["seen_version"] = current.version
        return conflict, ReviewEdit(data, review=current)

    def _text_conflict_rows(self, current: ProgrammeReview) -> list[dict]:
        """Each section and signature text that differs, as opened, as saved meanwhile and as
        typed."""
        opened, opened_sections, opened_signatures = review_as_opened(
            review=current, version=self.form.cleaned_data["seen_version"]
        )
        parts = (
            (self.sections, current.sections.select_related("content_area"), opened_sections),
            (self.signatures, current.signatures.select_related("body"), opened_signatures),
        )
        values = []
        for formset, stored, as_opened in parts:
            stored = {row.pk: row for row in stored}
            for form in formset:
                theirs = stored.get(form.instance.pk)
                if theirs is None:
                    continue
                before = as_opened.get(theirs.pk, theirs) if opened else theirs
                heading = getattr(theirs, "content_area", None) or theirs.body.name
                values.extend(
                    (
                        f"{heading}: {form[name].label}",
                        getattr(before, name),
                        getattr(theirs, name),
                        form.cleaned_data.get(name),
                    )
                    for name in formset.form._meta.fields
                )
        return conflict_rows(values)
