"""The coordination programme: the bodies that sign it and its contents."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .text import length_check, one_line_field, text_field

MIN_YEAR = 2000
MAX_YEAR = 2100
YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
# Caps of free text, in characters (coordination.text): a programme's purpose and a content
# area's description run to a few pages; a task's description and result to one.
PURPOSE_LENGTH = DESCRIPTION_LENGTH = 10_000
TASK_TEXT_LENGTH = 5_000


def year_field(verbose_name=None, **options) -> models.PositiveSmallIntegerField:
    """A year within 2000–2100 on forms; the model's Meta adds year_range_check(name)."""
    return models.PositiveSmallIntegerField(verbose_name, validators=YEAR_VALIDATORS, **options)


def user_stamp(verbose_name, *, required: bool = False) -> models.ForeignKey:
    """The user who did something to a record (submitted, reviewed, finalised it…): protected
    from deletion while the record names them, with no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=not required,
        blank=not required,
        related_name="+",
        verbose_name=verbose_name,
    )


def year_range_check(field: str, *, nullable: bool = False) -> models.CheckConstraint:
    """A database check that a year field lies within 2000–2100."""
    condition = Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition, name=f"%(app_label)s_%(class)s_{field}_range"
    )


class Body(models.Model):
    """A party committee, state agency or mass organisation; bodies change, so they are data."""

    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party committee")
        STATE_AGENCY = "state_agency", _("State agency")
        MASS_ORGANISATION = "mass_organisation", _("Mass organisation")

    class DocumentStyle(models.TextChoices):
        PARTY = "party", _("Party (Guidance 36-HD/VPTW)")
        STATE = "state", _("State (Decree 30/2020/NĐ-CP)")

    name = one_line_field(_("name"), max_length=255)
    short_name = one_line_field(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("superior body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Its name heads the body's documents."),
    )
    symbol = one_line_field(
        _("symbol"), max_length=32, blank=True, help_text=_("Used in document numbers, e.g. ĐUK.")
    )
    document_style = models.CharField(
        _("document style"),
        max_length=16,
        choices=DocumentStyle.choices,
        default=DocumentStyle.PARTY,
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("The body that took over this one's work."),
    )
    succeeded_on = models.DateField(
        _("succeeded on"),
        null=True,
        blank=True,
        help_text=_("From this day the successor acts in this body's place."),
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="body_valid_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(succeeded_on__isnull=False),
                name="body_successor_has_a_date",
                violation_error_message=_("Say from which day the successor takes over."),
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("id")),
                name="body_not_its_own_successor",
                violation_error_message=_("A body cannot be its own successor."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def as_of(self, day: datetime.date) -> "Body":
        """The body that acts in this one's place on the day: itself, or its successor (and
        theirs) once succeeded."""
        body, seen = self, {self.pk}
        while body.successor_id and body.succeeded_on and body.succeeded_on <= day:
            body = body.successor
            if body.pk in seen:  # a loop typed by mistake: stop at the first repeat
                break
            seen.add(body.pk)
        return body

    def is_current_on(self, day: datetime.date) -> bool:
        return not (self.succeeded_on and self.succeeded_on <= day) and not (
            self.valid_to and self.valid_to < day
        )


class Programme(models.Model):
    """A coordination programme signed by two or more bodies for a run of years."""

    title = one_line_field(_("title"), max_length=500)
    number = one_line_field(_("number"), max_length=64, blank=True)
    bodies = models.ManyToManyField(
        Body, through="ProgrammeBody", related_name="programmes", verbose_name=_("bodies")
    )
    start_year = year_field(_("start year"))
    end_year = year_field(_("end year"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    purpose = text_field(_("purpose"), max_length=PURPOSE_LENGTH, blank=True)
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("follows"),
        help_text=_("The programme whose work this one carries on."),
    )
    steering_committee = one_line_field(
        _("steering committee"),
        max_length=500,
        blank=True,
        help_text=_(
            "The committee the programme advises, e.g. the Steering Committee of Project 24."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lte=F("end_year")), name="programme_years_in_order"
            ),
            year_range_check("start_year"),
            year_range_check("end_year"),
            length_check("purpose", PURPOSE_LENGTH),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class ProgrammeBody(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        COORDINATING = "coordinating", _("Coordinating")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="programme_bodies",
        verbose_name=_("programme"),
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, verbose_name=_("body"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        verbose_name = _("signing body")
        verbose_name_plural = _("signing bodies")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "body"], name="programmebody_unique_body"),
        ]

    def __str__(self) -> str:
        return f"{self.body} ({self.get_role_display()})"


class ContentArea(models.Model):
    """One line of coordination (nội dung phối hợp) in a programme."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="content_areas",
        verbose_name=_("programme"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = one_line_field(_("title"), max_length=500)
    description = text_field(_("description"), max_length=DESCRIPTION_LENGTH, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("content area")
        verbose_name_plural = _("content areas")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="contentarea_unique_position"
            ),
            length_check("description", DESCRIPTION_LENGTH),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Task(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    content_area = models.ForeignKey(
        ContentArea, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("content area")
    )
    title = one_line_field(_("title"), max_length=500)
    description = text_field(_("description"), max_length=TASK_TEXT_LENGTH, blank=True)
    lead_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("lead body")
    )
    coordinating_bodies = models.ManyToManyField(
        Body, blank=True, related_name="coordinated_tasks", verbose_name=_("coordinating bodies")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    result = text_field(_("result"), max_length=TASK_TEXT_LENGTH, blank=True)
    history = HistoricalRecords(m2m_fields=[coordinating_bodies])

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["content_area", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="task_done_has_completed_on",
            ),
            length_check("description", TASK_TEXT_LENGTH),
            length_check("result", TASK_TEXT_LENGTH),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue_on(self, day) -> bool:
        """Open past its due date: derived, never stored."""
        return (
            self.due_on is not None
            and self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)
            and self.due_on < day
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class Indicator(models.Model):
    """A measured aim of the programme; computed from the data unless its metric is manual."""

    class Metric(models.TextChoices):
        ENTERPRISES_OPERATING = "enterprises_operating", _("Enterprises operating")
        EMPLOYEES = "employees", _("Employees")
        ENTERPRISES_WITH_PARTY_ORG = (
            "enterprises_with_party_org",
            _("Enterprises with a party organisation"),
        )
        PARTY_MEMBERS = "party_members", _("Party members")
        ENTERPRISES_WITH_TRADE_UNION = (
            "enterprises_with_trade_union",
            _("Enterprises with a trade union"),
        )
        UNION_MEMBERS = "union_members", _("Union members")
        ENTERPRISES_WITH_YOUTH_UNION = (
            "enterprises_with_youth_union",
            _("Enterprises with a youth union"),
        )
        ENTERPRISES_WITH_WOMEN_UNION = (
            "enterprises_with_women_union",
            _("Enterprises with a women's union"),
        )
        ELIGIBLE_WITHOUT_PARTY_ORG = (
            "eligible_without_party_org",
            _("Enterprises with 3 or more party members and no party organisation"),
        )
        PARTY_ORG_COVERAGE_PCT = "party_org_coverage_pct", _("Party organisation coverage (%)")
        UNION_COVERAGE_PCT = "union_coverage_pct", _("Trade union coverage (%)")
        PARTY_ORGS_FOUNDED = "party_orgs_founded", _("Party organisations founded")
        PARTY_ORGS_DISSOLVED = "party_orgs_dissolved", _("Party organisations dissolved")
        UNIONS_FOUNDED = "unions_founded", _("Trade unions founded")
        YOUTH_UNIONS_FOUNDED = "youth_unions_founded", _("Youth unions founded")
        NEW_PARTY_MEMBERS = "new_party_members", _("New party members admitted")
        AWARENESS_TRAINEES = "awareness_trainees", _("Party-awareness course graduates")
        MANUAL = "manual", _("Entered by hand")

    class Direction(models.TextChoices):
        UP = "up", _("Higher is better")
        DOWN = "down", _("Lower is better")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("programme")
    )
    content_area = models.ForeignKey(
        ContentArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("content area"),
    )
    code = one_line_field(_("code"), max_length=32)
    name = one_line_field(_("name"), max_length=500)
    metric = models.CharField(_("metric"), max_length=40, choices=Metric.choices)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    baseline_year = year_field(_("baseline year"))
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2)
    target_value = models.DecimalField(
        _("target value"),
        max_digits=14,
        decimal_places=2,
        help_text=_("The target for the end of the programme."),
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_into",
        verbose_name=_("carried from"),
        help_text=_(
            "The indicator of the earlier programme this one continues; its baseline was "
            "filled from that indicator's last year and can be corrected."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_unique_code"),
            year_range_check("baseline_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorTarget(models.Model):
    """The target of an indicator for one year; manual indicators also record the actual."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = year_field(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    actual_value = models.DecimalField(
        _("actual (manual indicators)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only for indicators entered by hand; computed indicators ignore it."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicatortarget_unique"),
            year_range_check("year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class UserPreference(models.Model):
    """What a person chose for themselves, kept with their account across browsers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    language = one_line_field(_("language"), max_length=8, blank=True)
    reminders = models.BooleanField(
        _("e-mail reminders"),
        default=True,
        help_text=_(
            "A daily digest of the returns late or waiting for you, on days there are any."
        ),
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
