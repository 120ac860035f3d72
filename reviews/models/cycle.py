"""The reporting cycle of the yearly returns: each year's calendar (open, due, locked), the
exceptions to a year's lock, the data-quality flags raised on returns, and the reminders sent."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coordination.models import user_stamp, year_field, year_range_check
from coordination.text import length_check, one_line_field, text_field
from enterprises.models import Enterprise, Zone

from .returns import REASON_LENGTH, AnnualReturn


class ReportingYear(models.Model):
    """When a year's returns open, are due and lock. A year without a row follows the settings
    RETURNS_OPEN, RETURNS_DUE and RETURNS_LOCK (reviews.selectors.cycle.calendar_of)."""

    year = year_field(_("year"), unique=True)
    opens_on = models.DateField(_("returns open on"))
    due_on = models.DateField(_("returns due on"))
    locks_on = models.DateField(
        _("year locks after"),
        help_text=_("The last day on which officials may change the year's returns."),
    )

    class Meta:
        verbose_name = _("reporting year")
        verbose_name_plural = _("reporting years")
        ordering = ["-year"]
        constraints = [
            year_range_check("year"),
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("due_on")) & Q(due_on__lte=F("locks_on")),
                name="reportingyear_open_due_lock_in_order",
                violation_error_message=_(
                    "Returns open on or before their due date, and the year locks on or after it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class LockException(models.Model):
    """A locked year opened again for one enterprise, or for a zone (with the zones inside it),
    until a day: the reason goes into the history of every change made under it."""

    year = year_field(_("year"))
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lock_exceptions",
        verbose_name=_("enterprise"),
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lock_exceptions",
        verbose_name=_("zone"),
    )
    until = models.DateField(_("open until"), help_text=_("The last day changes are allowed."))
    reason = text_field(_("reason"), max_length=REASON_LENGTH)
    created_by = user_stamp(_("opened by"), required=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lock exception")
        verbose_name_plural = _("lock exceptions")
        ordering = ["-until", "-pk"]
        constraints = [
            year_range_check("year"),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=True) ^ Q(zone__isnull=True),
                name="lockexception_enterprise_or_zone",
                violation_error_message=_("Choose an enterprise or a zone, not both."),
            ),
            length_check("reason", REASON_LENGTH),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.enterprise or self.zone} → {self.until}"


class QualityFlag(models.Model):
    """A data-quality rule (reviews.quality) that a return's figures raised when it was
    submitted: it does not block, but a reviewer looks at it, and closes it with a note."""

    annual_return = models.ForeignKey(
        AnnualReturn,
        on_delete=models.CASCADE,
        related_name="quality_flags",
        verbose_name=_("annual return"),
    )
    rule = one_line_field(_("rule"), max_length=40)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    closed_by = user_stamp(_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    note = text_field(_("note"), max_length=REASON_LENGTH, blank=True)

    class Meta:
        verbose_name = _("data-quality flag")
        verbose_name_plural = _("data-quality flags")
        ordering = ["annual_return", "rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["annual_return", "rule"],
                condition=Q(closed_at__isnull=True),
                name="qualityflag_one_open_per_rule",
            ),
            length_check("note", REASON_LENGTH),
        ]
        indexes = [models.Index(fields=["closed_at"], name="qualityflag_closed_at")]

    def __str__(self) -> str:
        return f"{self.annual_return}: {self.rule}"


class ReminderSent(models.Model):
    """One reminder digest sent to a person on a day: the day's run sends nothing twice."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Returns to complete")
        REVIEWER = "reviewer", _("Returns to review")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    email = models.EmailField(_("e-mail"))
    returns = models.PositiveIntegerField(_("returns listed"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-day", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "kind"], name="remindersent_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day} {self.kind}"
