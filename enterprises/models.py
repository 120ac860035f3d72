"""Zones, the enterprises in them, and the organisations inside the enterprises."""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coordination.models import Body
from coordination.text import length_check, one_line_field, text_field
from coordination.versioning import Versioned

# ASCII digits only, and \Z, not $, which Python (and SQLite's REGEXP) lets match before a newline.
TAX_CODE_PATTERN = r"^[0-9]{10}(-[0-9]{3})?\Z"
tax_code_validator = RegexValidator(
    TAX_CODE_PATTERN,
    _("A tax code is 10 digits, or 10 digits, a dash and 3 digits for a branch."),
    code="invalid_tax_code",
)


NOTES_LENGTH = 4_000
"""An enterprise's notes: a few paragraphs (5.9 MB was once accepted)."""


def not_in_future(day) -> None:
    """An organisation's founding or dissolution is recorded once it has happened."""
    if day is not None and day > timezone.localdate():
        raise ValidationError(
            _("This date is in the future (today is %(today)s)."),
            code="future",
            params={"today": date_format(timezone.localdate(), "SHORT_DATE_FORMAT")},
        )


def fold_for_search(text: str) -> str:
    """Lower case without Vietnamese diacritics, so `dien tu` finds `Điện tử` on every database."""
    text = (text or "").replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Zone(models.Model):
    class Kind(models.TextChoices):
        ECONOMIC_ZONE = "economic_zone", _("Economic zone")
        INDUSTRIAL_PARK = "industrial_park", _("Industrial park")
        FUNCTIONAL_ZONE = "functional_zone", _("Functional zone")
        INDUSTRIAL_CLUSTER = "industrial_cluster", _("Industrial cluster")

    name = one_line_field(_("name"), max_length=255)
    code = one_line_field(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    area_ha = models.DecimalField(
        _("area (ha)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="official_zones",
        verbose_name=_("officials"),
        help_text=_("Who may edit the enterprises of this zone (and of the zones inside it)."),
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_ha__isnull=True) | Q(area_ha__gte=0), name="zone_area_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Enterprise(Versioned):
    class Ownership(models.TextChoices):
        STATE = "state", _("State-owned")
        PRIVATE = "private", _("Domestic private")
        FDI = "fdi", _("Foreign-invested (FDI)")
        JOINT_VENTURE = "joint_venture", _("Joint venture")

    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        BUILDING = "building", _("Under construction")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    name = one_line_field(_("name"), max_length=255)
    tax_code = models.CharField(
        _("tax code"), max_length=14, unique=True, validators=[tax_code_validator]
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("zone")
    )
    address = one_line_field(_("address"), max_length=500, blank=True)
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices)
    investor_country = one_line_field(
        _("investor country"), max_length=100, blank=True, help_text=_("For foreign capital.")
    )
    sector = one_line_field(_("sector"), max_length=255, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPERATING
    )
    representative = one_line_field(_("representative"), max_length=255, blank=True)
    phone = one_line_field(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    notes = text_field(_("notes"), max_length=NOTES_LENGTH, blank=True)
    # Searched with a trigram index (migration 0002): a B-tree index serves no `contains`.
    search_text = models.CharField(max_length=300, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["zone", "status"], name="enterprise_zone_status"),
            models.Index(fields=["ownership"], name="enterprise_ownership"),
            models.Index(Upper("name"), "id", name="enterprise_name_upper"),
            models.Index(fields=["name", "id"], name="enterprise_name_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(tax_code__regex=TAX_CODE_PATTERN), name="enterprise_tax_code_shape"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(closed_on__gte=F("founded_on")),
                name="enterprise_closed_after_founded",
            ),
            length_check("notes", NOTES_LENGTH),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.compute_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def compute_search_text(self) -> str:
        return fold_for_search(f"{self.name} {self.tax_code}")[:300]


class Organisation(Versioned):
    """A party or mass organisation in an enterprise; it dissolves, it is never deleted."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Party organisation")
        TRADE_UNION = "trade_union", _("Trade union")
        YOUTH_UNION = "youth_union", _("Youth union")
        WOMEN_UNION = "women_union", _("Women's union")
        VETERANS = "veterans", _("Veterans' association")

    class Form(models.TextChoices):
        CELL = "cell", _("Party cell (under a committee)")
        GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
        GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("enterprise"),
        db_index=False,  # organisation_enterprise_kind leads with it
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    form = models.CharField(
        _("form"),
        max_length=32,
        choices=Form.choices,
        blank=True,
        help_text=_("For party organisations only."),
    )
    name = one_line_field(_("name"), max_length=255)
    founded_on = models.DateField(_("founded on"), validators=[not_in_future])
    dissolved_on = models.DateField(
        _("dissolved on"), null=True, blank=True, validators=[not_in_future]
    )
    superior_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("superior body"),
    )
    founding_decision = one_line_field(_("founding decision"), max_length=255, blank=True)
    leader_name = one_line_field(_("leader's name"), max_length=255, blank=True)
    leader_title = one_line_field(_("leader's title"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["enterprise", "kind", "-founded_on"]
        indexes = [
            # The list's organisation filters ask, per enterprise, for an organisation of a kind
            # active on a day: answered from this index alone.
            models.Index(
                fields=["enterprise", "kind"],
                include=["founded_on", "dissolved_on"],
                name="organisation_enterprise_kind",
            ),
            models.Index(fields=["kind", "founded_on"], name="organisation_kind_founded"),
            models.Index(fields=["kind", "dissolved_on"], name="organisation_kind_dissolved"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind"],
                condition=Q(dissolved_on__isnull=True),
                name="organisation_one_active_per_kind",
                violation_error_message=_(
                    "This enterprise already has an active organisation of this kind."
                ),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("founded_on")),
                name="organisation_dissolved_after_founded",
                violation_error_message=_(
                    "The dissolution date cannot be before the founding date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="party") | Q(form=""),
                name="organisation_form_only_for_party",
                violation_error_message=_("Only a party organisation has a form."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day) -> bool:
        return self.founded_on <= day and (self.dissolved_on is None or self.dissolved_on > day)


class OrganisationSuperior(models.Model):
    """The body an organisation stands under from a day on. Organisation.superior_body is the
    one of today; these rows keep every change, so that a report or an export of an earlier
    day names the superior body of that day."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="superiors",
        verbose_name=_("organisation"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("superior body"),
    )
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("superior body since a day")
        verbose_name_plural = _("superior bodies over time")
        ordering = ["organisation", "-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "since"], name="organisationsuperior_unique_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.body or '—'} ({self.since})"


class SuperiorBodyKind(models.Model):
    """A kind of organisation a body may stand above: party committees above party
    organisations, the union federation above trade unions, and so on. Body.kind (party
    committee, state agency, mass organisation) cannot tell these apart."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="superior_kinds", verbose_name=_("body")
    )
    kind = models.CharField(
        _("kind of organisation"), max_length=32, choices=Organisation.Kind.choices
    )

    class Meta:
        verbose_name = _("kind of organisation it is superior to")
        verbose_name_plural = _("kinds of organisation it is superior to")
        ordering = ["body", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["body", "kind"], name="superiorbodykind_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.get_kind_display()}"


SUPERIOR_NAME_WORDS = {
    Organisation.Kind.TRADE_UNION: ("công đoàn", "trade union", "labour", "labor"),
    Organisation.Kind.YOUTH_UNION: ("đoàn thanh niên", "đoàn tncs", "tỉnh đoàn", "youth"),
    Organisation.Kind.WOMEN_UNION: ("phụ nữ", "women"),
    Organisation.Kind.VETERANS: ("cựu chiến binh", "veteran"),
}
"""Words in a mass organisation's name that say which organisations it stands above."""


def likely_superior_kinds(*, body_kind: str, name: str) -> list[str]:
    """The kinds of organisation a body of this kind and name most likely stands above: what
    the data migration and the demo start from; the admin corrects it."""
    if body_kind == Body.Kind.PARTY_COMMITTEE:
        return [Organisation.Kind.PARTY]
    if body_kind != Body.Kind.MASS_ORGANISATION:
        return []
    lowered = name.lower()
    return [kind for kind, words in SUPERIOR_NAME_WORDS.items() if any(w in lowered for w in words)]
