"""The enterprise list's filters. Their GET parameters are a contract: other pages link to them."""

import datetime
import hashlib

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

from coordination.cache import NOTHING_SCOPED, Covers, cached
from coordination.models import MAX_YEAR, MIN_YEAR
from coordination.query import NumberField

from .forms import DateInput, LeanForm, LeanNumberInput, LeanSelect, LeanTextInput
from .models import Enterprise, Organisation, Zone, fold_for_search
from .selectors import (
    has_organisation_on,
    official_zone_ids,
    officials_seen_by,
    operating_on,
    scope_covers,
    scope_key,
    visible_zones,
    year_end,
    zones_with_descendants,
)
from .year_figures import FILTERS as YEAR_FILTERS
from .year_figures import year_figures

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
ANY = _("Any")
# The yes/no parameters and the organisation kind each asks about.
ORGANISATION_PARAMETERS = {
    "party_org": Organisation.Kind.PARTY,
    "trade_union": Organisation.Kind.TRADE_UNION,
    "youth_union": Organisation.Kind.YOUTH_UNION,
    "women_union": Organisation.Kind.WOMEN_UNION,
}


class IntegerFilter(django_filters.Filter):
    field_class = NumberField


def _zones(request):
    return visible_zones(request.user) if request else Zone.objects.none()


def zone_options_html(user) -> str:
    """The zones the user may see as <option> elements, by name: rendered once per scope and
    data version, since a national list has hundreds."""

    def render() -> str:
        return "".join(
            f'<option value="{pk}">{conditional_escape(name)}</option>'
            for pk, name in visible_zones(user).values_list("pk", "name")
        )

    return cached(f"zone-options:{scope_key(user)}", render, covering=NOTHING_SCOPED)


class ZoneSelect(LeanSelect):
    """The zone filter's select, from prerendered options (zone_options_html) in which the
    chosen zone is marked."""

    def __init__(self, *, user, empty_label, attrs=None):
        super().__init__(attrs)
        self.user = user
        self.empty_label = empty_label

    def options_html(self, selected: list[str]) -> str:
        chosen = conditional_escape(selected[0]) if selected else ""
        empty = f'<option value=""{"" if chosen else " selected"}>'
        zones = zone_options_html(self.user)
        if chosen:
            option = f'<option value="{chosen}">'
            zones = zones.replace(option, f'<option value="{chosen}" selected>', 1)
        return f"{empty}{conditional_escape(self.empty_label)}</option>{zones}"


def filters_line(form: forms.Form, *, always: dict | None = None) -> str:
    """A form's valid, non-empty values as "Label: value; …" in the form's order, choices by
    their labels and dates as the language writes them; `always` names values to show even
    when not given (a default)."""
    shown = {**(always or {}), **form.cleaned_data}
    parts = []
    for name, field in form.fields.items():
        value = shown.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, datetime.date):
            value = date_format(value, "SHORT_DATE_FORMAT")
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = dict(field.choices).get(value, value)
        parts.append(f"{field.label}: {value}")
    return "; ".join(parts)


class EnterpriseFilter(django_filters.FilterSet):
    """Filters on the enterprise and on the year's state (organisations, return); always bound,
    so that the year's return is joined even without parameters."""

    q = django_filters.CharFilter(
        label=_("Name or tax code"),
        method="filter_search",
        widget=LeanTextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    zone = django_filters.ModelChoiceFilter(
        label=_("Zone"),
        queryset=lambda request: _zones(request),
        method="filter_zone",
        empty_label=ANY,
    )
    ownership = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("Ownership"), choices=Enterprise.Ownership.choices
    )
    official = django_filters.ModelChoiceFilter(
        label=_("Official"),
        queryset=lambda request: officials_seen_by(request.user),
        method="filter_official",
        empty_label=ANY,
        help_text=_("The enterprises of the zones the official works in."),
    )
    status = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("Status"), choices=Enterprise.Status.choices
    )
    year = IntegerFilter(
        label=_("Year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        widget=LeanNumberInput,
        method="filter_year",
        help_text=_("The year the organisation and return filters look at."),
    )
    party_org = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("Party organisation"), choices=YES_NO, method="filter_organisation"
    )
    trade_union = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("Trade union"), choices=YES_NO, method="filter_organisation"
    )
    youth_union = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("Youth union"), choices=YES_NO, method="filter_organisation"
    )
    women_union = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("Women's union"), choices=YES_NO, method="filter_organisation"
    )
    operating = django_filters.ChoiceFilter(
        empty_label=ANY,
        label=_("Operating on 31 December"),
        choices=YES_NO,
        method="filter_operating",
    )
    founded = django_filters.ChoiceFilter(
        empty_label=ANY,
        label=_("Organisation founded in the year"),
        choices=Organisation.Kind.choices,
        method="filter_founded",
    )
    dissolved = django_filters.ChoiceFilter(
        empty_label=ANY,
        label=_("Organisation dissolved in the year"),
        choices=Organisation.Kind.choices,
        method="filter_dissolved",
    )
    return_status = django_filters.ChoiceFilter(
        empty_label=ANY,
        label=_("Return"),
        choices=lambda: year_figures().statuses(),
        method="filter_year",
    )
    size_band = django_filters.ChoiceFilter(
        empty_label=ANY,
        label=_("Workforce"),
        choices=lambda: year_figures().size_bands(),
        method="filter_year",
        help_text=_("Employees in the year's accepted return."),
    )
    min_party_members = IntegerFilter(
        label=_("At least this many party members"),
        min_value=0,
        widget=LeanNumberInput,
        method="filter_year",
        help_text=_("In the year's accepted return."),
    )
    figure = django_filters.ChoiceFilter(
        empty_label=ANY,
        label=_("Counted in the figure"),
        choices=lambda: year_figures().figures(),
        method="filter_year",
        help_text=_("The enterprises behind a figure of the assessment, for the year."),
    )
    cut_off = django_filters.DateFilter(
        label=_("Returns accepted by"),
        method="filter_year",
        widget=DateInput,
        help_text=_("For the figure: count only the returns accepted on or before this day."),
    )
    preview = django_filters.ChoiceFilter(
        empty_label=_("No"),
        label=_("Preview"),
        choices=[("submitted", _("Also count submitted returns"))],
        method="filter_year",
    )

    # Shown at once; the others fold away under "Organisations and returns".
    MAIN_FIELDS = ("q", "zone", "ownership", "status", "year")
    # The filters that read the year's figures (enterprises.year_figures), applied together.
    RETURN_FILTERS = YEAR_FILTERS

    class Meta:
        model = Enterprise
        fields: list[str] = []
        form = LeanForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = LeanSelect(attrs=field.widget.attrs, choices=field.widget.choices)
        self.form.fields["official"].label_from_instance = lambda u: u.get_full_name() or u.username
        if self.request is not None:
            zone = self.form.fields["zone"]
            zone.widget = ZoneSelect(user=self.request.user, empty_label=zone.empty_label)
        if not self.data.get("year"):
            self.form.fields["year"].widget.attrs["placeholder"] = self.default_year

    def main_fields(self):
        return [self.form[name] for name in self.MAIN_FIELDS]

    def more_fields(self):
        return [field for field in self.form if field.name not in self.MAIN_FIELDS]

    def more_in_use(self) -> bool:
        return any(self.data.get(field.name) for field in self.more_fields())

    @cached_property
    def default_year(self) -> int:
        if self.request is None:
            return timezone.localdate().year
        return year_figures().latest_year(self.request.user)

    @cached_property
    def as_of_year(self) -> int:
        """The as-of year of the filters: the one given if valid, else the latest with returns
        in the viewer's scope."""
        self.form.is_valid()  # cleaned_data keeps the valid fields of an invalid form too
        return self.form.cleaned_data.get("year") or self.default_year

    @cached_property
    def reads_return(self) -> bool:
        self.form.is_valid()
        return any(
            self.form.cleaned_data.get(name) not in (None, "") for name in self.RETURN_FILTERS
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.reads_return:
            values = {
                name: value
                for name in self.RETURN_FILTERS
                if (value := self.form.cleaned_data.get(name)) not in (None, "")
            }
            queryset = year_figures().narrow(queryset, values, year=self.as_of_year)
        return queryset

    def described(self) -> str:
        """The filters in use as one line ("Zone: KCN Bắc Duyên Hải; Year: 2024"), for the
        printed list and the export's title row; the year is always named."""
        self.form.is_valid()
        return filters_line(self.form, always={"year": self.as_of_year})

    def rows(self) -> QuerySet[Enterprise]:
        """The matching enterprises (none while a filter is invalid) with the year's return."""
        rows = self.qs if self.is_valid() else self.qs.none()
        return year_figures().with_year(rows, self.as_of_year)

    @cached_property
    def matches_key(self) -> str:
        """What the matches depend on besides the data, for cache keys: the viewer's scope,
        the as-of year and the valid filters."""
        filters = sorted(
            (name, getattr(value, "pk", value))
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "")
        )
        digest = hashlib.blake2b(repr((self.as_of_year, filters)).encode(), digest_size=12)
        return f"{scope_key(self.request.user)}:{digest.hexdigest()}"

    def count(self) -> int:
        """How many enterprises match, cached until the next write (a count reads every
        matching row), and counted without the year's return unless a filter reads it."""
        if not self.is_valid():
            return 0
        return cached(f"enterprise-count:{self.matches_key}", self.qs.count, covering=self.covering)

    @property
    def covering(self) -> Covers:
        """What the matches are made of, for the cache."""
        return scope_covers(self.request.user)

    def filter_year(self, queryset, name, value):
        """The year and the filters on its figures are not filters of their own: the others
        read the year through `self.as_of_year`, and `filter_queryset` applies the figures'."""
        return queryset

    def filter_search(self, queryset, name, value):
        for word in fold_for_search(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_zone(self, queryset, name, value):
        return queryset.filter(zone_id__in=zones_with_descendants({value.pk}))

    def filter_official(self, queryset, name, value):
        return queryset.filter(zone_id__in=official_zone_ids(value))

    def filter_organisation(self, queryset, name, value):
        has_one = has_organisation_on(ORGANISATION_PARAMETERS[name], year_end(self.as_of_year))
        return queryset.filter(has_one) if value == "yes" else queryset.exclude(has_one)

    def filter_operating(self, queryset, name, value):
        condition = operating_on(year_end(self.as_of_year))
        return queryset.filter(condition) if value == "yes" else queryset.exclude(condition)

    def filter_founded(self, queryset, name, value):
        return queryset.filter(self._organisation_dated("founded_on", value))

    def filter_dissolved(self, queryset, name, value):
        return queryset.filter(self._organisation_dated("dissolved_on", value))

    def _organisation_dated(self, date_field: str, kind: str) -> Exists:
        """An organisation of the kind founded (or dissolved) during the year."""
        during = (datetime.date(self.as_of_year, 1, 1), year_end(self.as_of_year))
        return Exists(
            Organisation.objects.filter(
                Q(**{f"{date_field}__range": during}), enterprise=OuterRef("pk"), kind=kind
            )
        )
