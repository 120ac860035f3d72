"""Yearly figures of enterprises, ratings of their organisations, and programme reviews."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coordination.models import YEAR_VALIDATORS, Body, ContentArea, Programme, year_range_check
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


MAX_COUNT = 1_000_000
"""No enterprise counts more people than this; a bigger figure is a typing slip, on every
database alike (SQLite's integers would take it silently)."""


def count_field(verbose_name, help_text: str = "") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        verbose_name, default=0, help_text=help_text, validators=[MaxValueValidator(MAX_COUNT)]
    )


class AnnualReturn(models.Model):
    """One enterprise's figures for one year, as the official reports them."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="returns", verbose_name=_("enterprise")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
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
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Why the figures are right although a warning was shown."),
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual return")
        verbose_name_plural = _("annual returns")
        ordering = ["enterprise", "-year"]
        indexes = [
            models.Index(fields=["year", "status"], name="annualreturn_year_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="annualreturn_unique_enterprise_year",
                violation_error_message=_("This enterprise already has a return for this year."),
            ),
            year_range_check("year"),
            models.CheckConstraint(
                condition=Q(female_employees__lte=F("employees")),
                name="annualreturn_female_within_employees",
                violation_error_message=_("Female employees cannot exceed employees."),
            ),
            models.CheckConstraint(
                condition=Q(new_party_members__lte=F("party_members")),
                name="annualreturn_new_within_party_members",
                violation_error_message=_("New party members cannot exceed party members."),
            ),
            models.CheckConstraint(
                condition=Q(new_members_owners__lte=F("new_party_members")),
                name="annualreturn_owners_within_new_members",
                violation_error_message=_(
                    "New members who are business owners cannot exceed new party members."
                ),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0}),
                    name=f"annualreturn_{field}_not_negative",
                )
                for field in COUNT_FIELDS
            ),
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
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
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


class ProgrammeReview(models.Model):
    """A review of a programme (one-year, mid-term, final or annual) and its printed report."""

    class Kind(models.TextChoices):
        ONE_YEAR = "one_year", _("One-year review")
        MID_TERM = "mid_term", _("Mid-term review")
        FINAL = "final", _("Final review")
        ANNUAL = "annual", _("Annual review")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(
        _("number"), max_length=32, blank=True, help_text=_("The document's number, e.g. 01.")
    )
    as_of_year = models.PositiveSmallIntegerField(
        _("as of year"),
        validators=YEAR_VALIDATORS,
        help_text=_("The year whose figures count as actual."),
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    place = models.CharField(
        _("place"),
        max_length=100,
        blank=True,
        help_text=_("Printed before the date, e.g. Lào Cai."),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    chaired_by = models.CharField(_("chaired by"), max_length=500, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("How the programme was rolled out.")
    )
    recommendations = models.TextField(_("recommendations"), blank=True)
    recipients = models.TextField(
        _("recipients"), blank=True, help_text=_("One per line; the last is usually the archive.")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    frozen_figures = models.JSONField(
        _("frozen figures"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The assessment as it stood when the review was finalised."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme review")
        verbose_name_plural = _("programme reviews")
        ordering = ["-held_on", "-pk"]
        constraints = [
            year_range_check("as_of_year"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(frozen_figures__isnull=False),
                name="programmereview_final_has_figures",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class ReviewSection(models.Model):
    review = models.ForeignKey(
        ProgrammeReview, on_delete=models.CASCADE, related_name="sections", verbose_name=_("review")
    )
    content_area = models.ForeignKey(
        ContentArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("content area")
    )
    results = models.TextField(_("results"), blank=True)
    limitations = models.TextField(_("limitations and difficulties"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    solutions = models.TextField(_("tasks and solutions"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review section")
        verbose_name_plural = _("review sections")
        ordering = ["review", "content_area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "content_area"], name="reviewsection_unique_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review}: {self.content_area}"


class ReviewSignature(models.Model):
    """A signature block of a review's report: one per signing body, in order."""

    review = models.ForeignKey(
        ProgrammeReview,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("review"),
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("body")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    authority = models.CharField(
        _("on behalf of"), max_length=255, blank=True, help_text=_("e.g. T/M BAN THƯỜNG VỤ")
    )
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["review", "position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "body"], name="reviewsignature_unique_body"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.signer_name}".strip()
