"""Forms of annual returns: the return itself, a reviewer's decision, the queue's filters.
Input names are the model field names."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordination.models import MAX_YEAR, MIN_YEAR
from coordination.query import NumberField
from coordination.text import LINES
from coordination.versioning import MAX_VERSION, VersionedForm, conflict_rows
from enterprises.filters import filters_line
from enterprises.forms import (
    LeanBoundField,
    LeanHiddenInput,
    LeanNumberInput,
    LeanSelect,
    LeanTextarea,
)
from enterprises.models import Organisation, Zone
from enterprises.selectors import visible_zones

from ..models import COUNT_FIELDS, AnnualReturn, OrganisationRating
from ..models.returns import REASON_LENGTH
from ..rules import hard_rule_errors, return_warnings
from ..selectors.returns import organisations_to_rate, return_as_opened
from ..services.returns import RETURN_TEXT_FIELDS, DuplicateReturn


def rating_field(organisation: Organisation) -> str:
    return f"rating_{organisation.pk}"


class AnnualReturnForm(VersionedForm):
    """A year's figures and the ratings of the organisations to rate (from
    selectors.returns.organisations_to_rate). The view sets the enterprise and year; status,
    version and reviewers never come from a POST (coordination.versioning). Its fields render
    without templates (LeanBoundField)."""

    bound_field_class = LeanBoundField
    rebuild_with = ("organisations", "previous")

    seen_version = forms.IntegerField(widget=LeanHiddenInput, min_value=1, max_value=MAX_VERSION)

    class Meta:
        model = AnnualReturn
        fields = RETURN_TEXT_FIELDS
        widgets = {
            **dict.fromkeys(COUNT_FIELDS, LeanNumberInput),
            "explanation": LeanTextarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args, organisations: list[Organisation], previous: dict | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        self.previous = previous
        for name in COUNT_FIELDS:
            if self.instance.pk is None:
                # Blank, not the model's 0: an untouched form must not report zeros as figures.
                self.initial[name] = None
            if previous is not None:
                self.fields[name].help_text = self._previous_note(name)
        self.warnings: list[str] = []
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

    def _previous_note(self, name: str) -> str:
        """Last year's accepted figure, and the change to the figure shown (if any)."""
        before = self.previous[name]
        note = _("%(year)s (accepted): %(value)s") % {
            "year": self.instance.year - 1,
            "value": before,
        }
        # Not self[name].value(): a bound field made now would keep the old help text.
        now = self.data.get(name) if self.is_bound else self.initial.get(name)
        try:
            change = int(now) - before
        except (TypeError, ValueError):
            return note
        return _("%(note)s; change %(change)s") % {"note": note, "change": f"{change:+d}"}

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

    def conflict_rows(self, current: AnnualReturn) -> list[dict]:
        """Each figure and rating that differs: as this person opened the page (from the
        history), as someone else saved it meanwhile (`current`, with its ratings read afresh)
        and as typed."""
        organisations = organisations_to_rate(enterprise=current.enterprise, year=current.year)
        opened, opened_ratings = return_as_opened(
            annual_return=current, version=self.cleaned_data["seen_version"]
        )
        labels = dict(OrganisationRating.Rating.choices)
        mine = self.ratings()
        values = []
        for name in RETURN_TEXT_FIELDS:
            theirs = getattr(current, name)
            before = getattr(opened, name) if opened else theirs
            values.append((self[name].label, before, theirs, self.cleaned_data.get(name)))
        for organisation in organisations:
            theirs = labels.get(organisation.year_rating)
            before = labels.get(opened_ratings.get(organisation.pk)) if opened else theirs
            label = f"{organisation} ({organisation.get_kind_display()})"
            values.append((label, before, theirs, labels.get(mine.get(organisation.pk))))
        return conflict_rows(values)


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
        max_length=REASON_LENGTH,
        validators=LINES,
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

    year = NumberField(label=_("Year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
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

    def described(self) -> str:
        """The filters in use as one line, printed above the list."""
        self.is_valid()
        return filters_line(self)
