"""Forms for enterprises and organisations. Input names are the model's field names; the version
travels as `seen_version`, which is no model field, so no POST can set a version."""

from django import forms
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coordination.models import MAX_YEAR, MIN_YEAR, Body
from coordination.query import NumberField
from coordination.selectors import body_label
from coordination.text import LINES
from coordination.versioning import VersionedForm

from .models import Enterprise, Organisation, Zone
from .rules import founding_warnings
from .selectors import superior_bodies, superior_bodies_by_kind, writable_zones


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _attrs_html(attrs: dict) -> str:
    """HTML attributes in the order given, as Django's attrs.html writes them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class LeanSelect(forms.Select):
    """A select rendered in one pass: Django renders the select and every option through
    templates (about 0.1 ms an option), the main cost of a form with many selects or options.
    Flat choices only; `options_html` may be overridden to supply prerendered options."""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(
            f'<select name="{conditional_escape(name)}"'
            f"{_attrs_html(self.build_attrs(self.attrs, attrs))}>"
            f"{self.options_html(self.format_value(value))}</select>"
        )

    def options_html(self, selected: list[str]) -> str:
        """The options, the first whose value is among `selected` marked (Django's rule)."""
        options = []
        for value, label in self.choices:
            value = "" if value is None else str(value)
            mark = ""
            if value in selected:
                mark, selected = " selected", ()
            options.append(
                f'<option value="{conditional_escape(value)}"{mark}>{conditional_escape(label)}'
                "</option>"
            )
        return "".join(options)


class LeanInputMixin:
    """An input rendered without Django's widget templates, to the same markup."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = "" if value is None else f' value="{conditional_escape(value)}"'
        return mark_safe(
            f'<input type="{self.input_type}" name="{conditional_escape(name)}"{shown}'
            f"{_attrs_html(self.build_attrs(self.attrs, attrs))}>"
        )


class LeanTextInput(LeanInputMixin, forms.TextInput):
    pass


class LeanNumberInput(LeanInputMixin, forms.NumberInput):
    pass


class LeanHiddenInput(LeanInputMixin, forms.HiddenInput):
    pass


class LeanTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        return mark_safe(
            f'<textarea name="{conditional_escape(name)}"'
            f"{_attrs_html(self.build_attrs(self.attrs, attrs))}>\n"
            f"{conditional_escape(value) if value else ''}</textarea>"
        )


class LeanBoundField(BoundField):
    """A field rendered without templates, to the markup of partials/field.html (its label,
    widget, help and errors); a form with lean widgets sets it as its `bound_field_class`, and
    its template renders each field with `{{ field.as_field_group }}`. Through the include and
    Django's label and widget templates, a field cost about 0.1 ms."""

    def as_field_group(self) -> SafeString:
        errors = self.errors
        classes = f"field field-{self.name}"
        if errors:
            classes += " has-error"
        if self.field.required:
            classes += " required"
        if self.is_hidden:
            return mark_safe(f'<div class="{classes}">{self}</div>')
        parts = [f'<div class="{classes}">', self.label_tag(), str(self)]
        if self.help_text:
            parts.append(
                f'<p class="help" id="{conditional_escape(self.auto_id)}_helptext">'
                f"{conditional_escape(self.help_text)}</p>"
            )
        parts.extend(
            f'<p class="error" id="{conditional_escape(self.auto_id)}_error">{conditional_escape(error)}</p>'
            for error in errors
        )
        parts.append("</div>")
        return mark_safe("\n".join(parts))

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        if contents or attrs or label_suffix is not None or tag:
            return super().label_tag(contents, attrs, label_suffix, tag)
        label = self.label
        suffix = (
            self.field.label_suffix
            if self.field.label_suffix is not None
            else self.form.label_suffix
        )
        text = conditional_escape(label)
        if suffix and label and label[-1] not in gettext(":?.!"):
            text += conditional_escape(suffix)
        if not (self.field.widget.attrs.get("id") or self.auto_id):
            return mark_safe(text)
        id_for_label = self.id_for_label
        target = f' for="{conditional_escape(id_for_label)}"' if id_for_label else ""
        if self.field.required and hasattr(self.form, "required_css_class"):
            target += f' class="{conditional_escape(self.form.required_css_class)}"'
        return mark_safe(f"<label{target}>{text}</label>")


class LeanForm(forms.Form):
    bound_field_class = LeanBoundField


class EnterpriseForm(VersionedForm):
    rebuild_with = ("user",)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "tax_code",
            "zone",
            "address",
            "ownership",
            "investor_country",
            "sector",
            "founded_on",
            "closed_on",
            "status",
            "representative",
            "phone",
            "email",
            "notes",
        ]
        widgets = {
            "zone": LeanSelect,
            "founded_on": DateInput,
            "closed_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "tax_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        help_texts = {"tax_code": _("10 digits, or 10 digits, a dash and 3 digits for a branch.")}
        error_messages = {
            "tax_code": {"unique": _("Another enterprise already has this tax code.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "zone" in self.fields:
            self.fields["zone"].queryset = writable_zones(user)

    def clean(self):
        cleaned = super().clean()
        founded_on, closed_on = cleaned.get("founded_on"), cleaned.get("closed_on")
        if founded_on and closed_on and closed_on < founded_on:
            self.add_error("closed_on", _("The closing date cannot be before the founding date."))
        return cleaned


class EnterpriseImportRowForm(EnterpriseForm):
    """One row of an imported spreadsheet, checked without a query: the import sets the zone
    and matches rows by tax code (so uniqueness holds), this form checks each field by its
    model field's validators (the tax code's shape, no control characters) and, in `clean`,
    the dates' order. The model's own checks would cost a query each per row; the database
    still enforces them when the import writes."""

    class Meta(EnterpriseForm.Meta):
        fields = [name for name in EnterpriseForm.Meta.fields if name != "zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, user=None, **kwargs)
        for name in self._meta.fields:
            field = self.fields[name]
            model_validators = Enterprise._meta.get_field(name).validators
            field.validators += [v for v in model_validators if v not in field.validators]

    def _post_clean(self):
        """No model validation: see the class's docstring."""


class BodyChoiceField(forms.ModelChoiceField):
    """Bodies current first, a former one named with the body acting in its place."""

    def label_from_instance(self, obj) -> str:
        return body_label(obj, day=timezone.localdate())


class OrganisationForm(VersionedForm):
    """Founds or changes an organisation. The founding thresholds are warnings: saving despite
    them needs an explanation, which the history keeps. `latest_figures` are the enterprise's
    (enterprises.year_figures), which the thresholds are checked against."""

    rebuild_with = ("enterprise", "latest_figures")
    field_order = ["kind", "form", "name", "founded_on", "dissolved_on", "superior_body"]
    field_order += ["superior_body_since"]
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=100,
        validators=LINES,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only to save despite a warning; kept in the history (100 characters)."),
    )
    superior_body = BodyChoiceField(
        label=_("superior body"),
        queryset=Body.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _(
                "This body cannot be the superior body of this kind of organisation."
            )
        },
        help_text=_("Only bodies that may stand above this kind of organisation are offered."),
    )
    superior_body_since = forms.DateField(
        label=_("Under this superior body since"),
        required=False,
        widget=DateInput,
        help_text=_(
            "When the superior body changes: from which day (today if empty). The earlier one "
            "stays in the organisation's history."
        ),
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "form",
            "name",
            "founded_on",
            "dissolved_on",
            "superior_body",
            "founding_decision",
            "leader_name",
            "leader_title",
        ]
        widgets = {"founded_on": DateInput, "dissolved_on": DateInput}

    def __init__(self, *args, enterprise: Enterprise, latest_figures, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.latest_figures = latest_figures
        self.warnings: list[str] = []
        kind = self._kind()
        superior = self.fields["superior_body"]
        superior.queryset = superior_bodies(kind=kind, keep=self.instance.superior_body_id)
        if kind is None:  # grouped by the kind each body may stand above, until one is chosen
            superior.choices = [("", superior.empty_label), *superior_bodies_by_kind()]
        if self.instance.pk is None:
            del self.fields["dissolved_on"]  # a new organisation is active; it dissolves later
            del self.fields["superior_body_since"]  # it is under its first one from its founding

    def _kind(self) -> str | None:
        """The organisation's kind as posted, else as stored, else as asked for (?kind=): the
        superior bodies offered, and accepted, are those for this kind."""
        kinds = Organisation.Kind.values
        posted = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        if posted in kinds:
            return posted
        return self.instance.kind or None

    def clean(self):
        cleaned = super().clean()
        kind, form = cleaned.get("kind"), cleaned.get("form")
        founded_on, dissolved_on = cleaned.get("founded_on"), cleaned.get("dissolved_on")
        is_party = kind == Organisation.Kind.PARTY
        if kind and form and not is_party:
            self.add_error("form", _("Only a party organisation has a form."))
        if is_party and not form:
            self.add_error("form", _("Choose the form of the party organisation."))
        if founded_on and dissolved_on and dissolved_on < founded_on:
            self.add_error(
                "dissolved_on", _("The dissolution date cannot be before the founding date.")
            )
        if kind and dissolved_on is None:
            self._check_one_active(kind)
            if self.instance.pk is None or {"kind", "form"} & set(self.changed_data):
                self.warnings = founding_warnings(
                    kind=kind, form=form or "", figures=self.latest_figures
                )
        if self.warnings and not cleaned.get("explanation", "").strip():
            self.add_error(
                "explanation",
                _("Explain why the warnings do not apply, or correct the organisation."),
            )
        return cleaned

    def _check_one_active(self, kind: str) -> None:
        """The partial unique constraint involves `enterprise`, which the view sets: check it
        here, since the model form skips it."""
        other = (
            self.enterprise.organisations.filter(kind=kind, dissolved_on__isnull=True)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if other is not None:
            self.add_error(
                "kind",
                _("This enterprise already has an active organisation of this kind: %(name)s.")
                % {"name": other.name},
            )


class DissolveForm(VersionedForm):
    """Dissolving sets the date; an organisation is never deleted."""

    class Meta:
        model = Organisation
        fields = ["dissolved_on"]
        widgets = {"dissolved_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dissolved_on"].required = True

    def clean_dissolved_on(self):
        dissolved_on = self.cleaned_data["dissolved_on"]
        if dissolved_on < self.instance.founded_on:
            raise forms.ValidationError(
                _("The dissolution date cannot be before the founding date (%(date)s).")
                % {"date": date_format(self.instance.founded_on, "SHORT_DATE_FORMAT")}
            )
        return dissolved_on


class ImportTemplateForm(forms.Form):
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none())
    year = NumberField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, auto_id="template_%s", **kwargs)  # the page has two zone fields
        self.fields["zone"].queryset = writable_zones(user)


class ImportUploadForm(forms.Form):
    zone = forms.ModelChoiceField(
        label=_("Zone"),
        queryset=Zone.objects.none(),
        help_text=_("New enterprises are created in this zone."),
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(".xlsx or .csv, up to 5 MB; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = writable_zones(user)


class OrganisationExportForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput)
