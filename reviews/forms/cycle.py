"""Forms of the reporting cycle: a lock exception, closing a data-quality flag, and the bulk
review of the returns queue."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.models import MAX_YEAR, MIN_YEAR
from coordination.text import LINES
from enterprises.models import Zone
from enterprises.selectors import visible_enterprises, visible_zones

from ..models.returns import REASON_LENGTH


def _reason_field(label, help_text="", required=True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_LENGTH,
        validators=LINES,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class LockExceptionForm(forms.Form):
    """A locked year opened again for one enterprise (by its tax code) or for a zone."""

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    tax_code = forms.CharField(
        label=_("Enterprise's tax code"), required=False, max_length=14, strip=True
    )
    zone = forms.ModelChoiceField(
        label=_("or a zone"), required=False, queryset=Zone.objects.none(), empty_label="—"
    )
    until = forms.DateField(
        label=_("Open until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day changes are allowed."),
    )
    reason = _reason_field(_("Reason"), _("Recorded with every change made under it."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["zone"].queryset = visible_zones(user)

    def clean(self):
        cleaned_data = super().clean()
        tax_code, zone = cleaned_data.get("tax_code"), cleaned_data.get("zone")
        if bool(tax_code) == bool(zone):
            raise forms.ValidationError(_("Choose an enterprise or a zone, not both."))
        cleaned_data["enterprise"] = None
        if tax_code:
            enterprise = visible_enterprises(self.user).filter(tax_code=tax_code).first()
            if enterprise is None:
                self.add_error("tax_code", _("No enterprise you can see has this tax code."))
            cleaned_data["enterprise"] = enterprise
        return cleaned_data


class CloseFlagForm(forms.Form):
    note = _reason_field(_("Note"))


class BulkReviewForm(forms.Form):
    """A reviewer's decision on many submitted returns: those ticked (`selected`, each as
    "pk:version" as the list showed it), or every one matching the filters (`everything`, seen
    at `seen_at`)."""

    ACCEPT = "accept"
    RETURN = "return"

    action = forms.ChoiceField(choices=[(ACCEPT, _("Accept")), (RETURN, _("Return"))])
    everything = forms.BooleanField(required=False)
    selected = forms.Field(required=False)
    seen_at = forms.DateTimeField(widget=forms.HiddenInput)
    accept_flagged = forms.BooleanField(
        label=_("Accept also those with open data-quality flags"), required=False
    )
    return_reason = _reason_field(
        _("Reason for returning"), _("Needed to return them; the officials read it."), False
    )

    def clean_selected(self) -> dict[int, int]:
        seen = {}
        for value in self.data.getlist("selected"):
            pk, _sep, version = value.partition(":")
            if not (pk.isascii() and pk.isdigit() and version.isascii() and version.isdigit()):
                raise forms.ValidationError(_("The selection is out of date: reload the page."))
            seen[int(pk)] = int(version)
        return seen

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("everything") and not cleaned_data.get("selected"):
            raise forms.ValidationError(_("Tick the returns to review, or choose all of them."))
        if (
            cleaned_data.get("action") == self.RETURN
            and not (cleaned_data.get("return_reason") or "").strip()
        ):
            self.add_error("return_reason", _("Say why the returns go back."))
        return cleaned_data
