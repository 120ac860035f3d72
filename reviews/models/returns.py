"""Yearly figures of enterprises (annual returns) and the ratings of their organisations."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coordination.models import user_stamp, year_field, year_range_check
from coordination.text import length_check, text_field
from coordination.versioning import Versioned
from enterprises.models import Enterprise, Organisation

COUNT_FIELDS = (
    "employees",
    "female_employees",
    "party_members",
    "new_party_members",
    "new_members_owners",
    "awareness_trainees",
    "party_candidates",
    "union_members",
    "youth_members",
    "women_members",
)

PARTS_OF_WHOLES = (
    (
        "female_employees",
        "employees",
        "annualreturn_female_within_employees",
        _("Female employees cannot exceed employees."),
    ),
    (
        "new_party_members",
        "party_members",
        "annualreturn_new_within_party_members",
        _("New party members cannot exceed party members."),
    ),
    (
        "new_members_owners",
        "new_party_members",
        "annualreturn_owners_within_new_members",
        _("New members who are business owners cannot exceed new party members."),
    ),
)
"""Counts that are part of another count (part, whole, the constraint's name and message): the
database refuses a part above its whole, and reviews.rules says so on the form."""

REASON_LENGTH = 2_000
"""An explanation of warnings, or a reviewer's reason for returning: a paragraph or two."""

MAX_COUNT = 1_000_000
"""No enterprise counts more people than this; a bigger figure is a typing slip, on every
database alike (SQLite's integers would take it silently)."""


def count_field(verbose_name, help_text: str = "") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        verbose_name, default=0, help_text=help_text, validators=[MaxValueValidator(MAX_COUNT)]
    )


class AnnualReturn(Versioned):
    """One enterprise's figures for one year, as the official reports them."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="returns", verbose_name=_("enterprise")
    )
    year = year_field(_("year"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    employees = count_field(_("employees"))
    female_employees = count_field(_("female employees"))
    party_members = count_field(_("party members"), _("Full and probationary members."))
    new_party_members = count_field(_("new party members"), _("Admitted during the year."))
    new_members_owners = count_field(
        _("new members who are business owners"), _("Of the new party members.")
    )
    awareness_trainees = count_field(
        _("party-awareness course graduates"), _("Graduated during the year.")
    )
    party_candidates = count_field(_("party candidates"), _("Outstanding workers noticed."))
    union_members = count_field(_("trade union members"))
    youth_members = count_field(_("youth union members"))
    women_members = count_field(_("women's union members"))
    explanation = text_field(
        _("explanation"),
        max_length=REASON_LENGTH,
        blank=True,
        help_text=_("Why the figures are right although a warning was shown."),
    )
    return_reason = text_field(_("reason for returning"), max_length=REASON_LENGTH, blank=True)
    submitted_by = user_stamp(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = user_stamp(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    accepted_at = models.DateTimeField(
        _("accepted at"),
        null=True,
        blank=True,
        help_text=_("When a reviewer accepted the figures; empty while they are not accepted."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual return")
        verbose_name_plural = _("annual returns")
        ordering = ["enterprise", "-year"]
        indexes = [
            models.Index(fields=["year", "status"], name="annualreturn_year_status"),
            # the reviewers' to-do: the first submitted returns, oldest submission first
            models.Index(fields=["status", "submitted_at"], name="annualreturn_status_submitted"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="annualreturn_unique_enterprise_year",
                violation_error_message=_("This enterprise already has a return for this year."),
            ),
            year_range_check("year"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{part}__lte": F(whole)}),
                    name=name,
                    violation_error_message=message,
                )
                for part, whole, name, message in PARTS_OF_WHOLES
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0}),
                    name=f"annualreturn_{field}_not_negative",
                )
                for field in COUNT_FIELDS
            ),
            length_check("explanation", REASON_LENGTH),
            length_check("return_reason", REASON_LENGTH),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    @property
    def is_locked(self) -> bool:
        """Accepted returns are read-only until a reviewer returns them."""
        return self.status == self.Status.ACCEPTED


class OrganisationRating(models.Model):
    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        FULFILLED = "fulfilled", _("Fulfilled")
        NOT_FULFILLED = "not_fulfilled", _("Not fulfilled")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("organisation"),
    )
    year = year_field(_("year"))
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation rating")
        verbose_name_plural = _("organisation ratings")
        ordering = ["organisation", "-year"]
        indexes = [models.Index(fields=["year", "rating"], name="rating_year_rating")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="organisationrating_unique_year",
                violation_error_message=_("This organisation is already rated for this year."),
            ),
            year_range_check("year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.get_rating_display()}"
