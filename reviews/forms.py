"""Forms of the reviews app; input names are the model field names."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordination.models import MAX_YEAR, MIN_YEAR
from enterprises.forms import (
    MAX_VERSION,
    LeanBoundField,
    LeanHiddenInput,
    LeanNumberInput,
    LeanSelect,
    LeanTextarea,
)
from enterprises.models import Organisation, Zone
from enterprises.selectors import visible_zones

from .models import (
    COUNT_FIELDS,
    AnnualReturn,
    OrganisationRating,
    ProgrammeReview,
    ReviewSection,
    ReviewSignature,
)
from .services import RETURN_TEXT_FIELDS, DuplicateReturn, hard_rule_errors, return_warnings

# Programme reviews

REVIEW_FIELDS = (
    "kind",
    "title",
    "number",
    "as_of_year",
    "held_on",
    "place",
    "venue",
    "chaired_by",
    "participants",
    "summary",
    "recommendations",
    "recipients",
)


class ReviewForm(forms.ModelForm):
    """A review's own fields. Its programme is fixed once it exists: its sections and
    signatures were made from the programme's content areas and bodies."""

    class Meta:
        model = ProgrammeReview
        fields = REVIEW_FIELDS
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

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


# Annual returns


def rating_field(organisation: Organisation) -> str:
    return f"rating_{organisation.pk}"


class AnnualReturnForm(forms.ModelForm):
    """A year's figures and the ratings of the organisations to rate (from
    selectors.organisations_to_rate). The view sets the enterprise and year; status, version and
    reviewers never come from a POST: `seen_version` is the version the page was opened at,
    compared on save, never stored. Its fields render without templates (LeanBoundField)."""

    bound_field_class = LeanBoundField

    seen_version = forms.IntegerField(
        widget=LeanHiddenInput, required=False, min_value=1, max_value=MAX_VERSION
    )

    class Meta:
        model = AnnualReturn
        fields = RETURN_TEXT_FIELDS
        widgets = {
            **dict.fromkeys(COUNT_FIELDS, LeanNumberInput),
            "explanation": LeanTextarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        self.warnings: list[str] = []
        if self.instance.pk:
            self.fields["seen_version"].required = True
            self.initial.setdefault("seen_version", self.instance.version)
        for organisation in organisations:
            self.fields[rating_field(organisation)] = forms.ChoiceField(
                label=f"{organisation} ({organisation.get_kind_display()})",
                choices=[("", _("Not rated")), *OrganisationRating.Rating.choices],
                widget=LeanSelect,
                required=False,
                initial=organisation.year_rating or "",
                help_text=""
                if organisation.active_in_year
                else _("Not active in %(year)s.") % {"year": self.instance.year},
            )

    def clean(self):
        cleaned_data = super().clean()
        for name, message in hard_rule_errors(cleaned_data).items():
            self.add_error(name, message)
        if self.instance.pk is None and self._return_exists():
            raise ValidationError(DuplicateReturn.message)
        if not self.errors:
            self.warnings = return_warnings(
                figures=cleaned_data,
                year=self.instance.year,
                organisations=self.organisations,
                ratings=self.ratings(),
            )
            if self.warnings and not cleaned_data.get("explanation", "").strip():
                self.add_error(
                    "explanation",
                    _("Explain why the figures are right despite the warnings, or correct them."),
                )
        return cleaned_data

    def _return_exists(self) -> bool:
        """The unique (enterprise, year) check the ModelForm skips: the view sets both."""
        return AnnualReturn.objects.filter(
            enterprise_id=self.instance.enterprise_id, year=self.instance.year
        ).exists()

    def figure_fields(self) -> list:
        return [self[name] for name in COUNT_FIELDS]

    def rating_fields(self) -> list:
        return [self[rating_field(organisation)] for organisation in self.organisations]

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in RETURN_TEXT_FIELDS}

    def ratings(self) -> dict[int, str]:
        return {o.pk: self.cleaned_data.get(rating_field(o)) or "" for o in self.organisations}

    def at_version(self, version: int) -> "AnnualReturnForm":
        """The same input, now to be saved over `version` (after a refused stale save)."""
        data = self.data.copy()
        data["seen_version"] = version
        return type(self)(data, instance=self.instance, organisations=self.organisations)

    def differences(
        self,
        *,
        current: AnnualReturn,
        organisations: list[Organisation],
        opened,
        opened_ratings: dict[int, str],
    ) -> list[dict]:
        """The rows of enterprises/_conflict.html: for each figure and rating that differs, its
        value when this person opened the page (`opened`, a history row, with `opened_ratings`;
        None when unknown), what someone else saved meanwhile (`current`, with `organisations`
        read after their save) and this form's input."""
        labels = dict(OrganisationRating.Rating.choices)
        mine = self.ratings()
        rows = []
        for name in RETURN_TEXT_FIELDS:
            theirs = getattr(current, name)
            before = getattr(opened, name) if opened else theirs
            rows.append((self[name].label, before, theirs, self.cleaned_data.get(name)))
        for organisation in organisations:
            theirs = labels.get(organisation.year_rating)
            before = labels.get(opened_ratings.get(organisation.pk)) if opened else theirs
            label = f"{organisation} ({organisation.get_kind_display()})"
            rows.append((label, before, theirs, labels.get(mine.get(organisation.pk))))
        return [
            {
                "label": label,
                "before": before,
                "theirs": theirs,
                "yours": yours,
                "changed_by_them": theirs != before,
            }
            for label, before, theirs, yours in rows
            if theirs != before or yours != theirs
        ]


class ReturnReviewForm(forms.Form):
    """A reviewer's decision: accept the return, or return it to the officials with a reason
    (which also reopens an accepted return). The pressed button names the action."""

    ACCEPT = "accept"
    RETURN = "return"
    bound_field_class = LeanBoundField

    action = forms.ChoiceField(
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return to the officials"))],
        widget=forms.HiddenInput,
    )
    seen_version = forms.IntegerField(widget=LeanHiddenInput, min_value=1, max_value=MAX_VERSION)
    return_reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        widget=LeanTextarea(attrs={"rows": 3}),
        help_text=_("Needed to return the return; the officials read it."),
    )

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("action") == self.RETURN
            and not cleaned_data.get("return_reason", "").strip()
        ):
            self.add_error("return_reason", _("Say why the return goes back."))
        return cleaned_data


class ReturnQueueFilterForm(forms.Form):
    """The filters of the returns queue; an invalid value is ignored rather than refused."""

    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *AnnualReturn.Status.choices],
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"), required=False, queryset=Zone.objects.none(), empty_label=_("Any zone")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = visible_zones(user)

    def filters(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
