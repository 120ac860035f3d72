"""Programme reviews (one-year, final…), their sections and the signature blocks of their report."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coordination.models import YEAR_VALIDATORS, Body, ContentArea, Programme, year_range_check
from coordination.text import LINES, ONE_LINE, length_check

# Caps of a review's free text, in characters: a report's narrative parts run to a few pages
# each, its lists to a page.
NARRATIVE_LENGTH = 20_000
RECOMMENDATIONS_LENGTH = 10_000
LIST_LENGTH = 2_000


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
    title = models.CharField(_("title"), max_length=500, validators=ONE_LINE)
    number = models.CharField(
        _("number"),
        max_length=32,
        blank=True,
        validators=ONE_LINE,
        help_text=_("The document's number, e.g. 01."),
    )
    as_of_year = models.PositiveSmallIntegerField(
        _("as of year"),
        validators=YEAR_VALIDATORS,
        help_text=_("The year whose figures count as actual."),
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    cut_off_on = models.DateField(
        _("figures as of"),
        null=True,
        blank=True,
        help_text=_(
            "The cut-off date: the year's returns accepted on or before it count. Empty: the day "
            "before the review is held, or today while it has no date."
        ),
    )
    place = models.CharField(
        _("place"),
        max_length=100,
        blank=True,
        validators=ONE_LINE,
        help_text=_("Printed before the date, e.g. Lào Cai."),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True, validators=ONE_LINE)
    chaired_by = models.CharField(_("chaired by"), max_length=500, blank=True, validators=ONE_LINE)
    participants = models.TextField(
        _("participants"), blank=True, max_length=LIST_LENGTH, validators=LINES
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=NARRATIVE_LENGTH,
        validators=LINES,
        help_text=_("How the programme was rolled out."),
    )
    recommendations = models.TextField(
        _("recommendations"), blank=True, max_length=RECOMMENDATIONS_LENGTH, validators=LINES
    )
    carried_forward = models.TextField(
        _("carried into the next programme"),
        blank=True,
        max_length=NARRATIVE_LENGTH,
        validators=LINES,
        help_text=_("For a final review: the work that goes on in the programme that follows."),
    )
    recipients = models.TextField(
        _("recipients"),
        blank=True,
        max_length=LIST_LENGTH,
        validators=LINES,
        help_text=_("One per line; the last is usually the archive."),
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
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
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
            models.UniqueConstraint(
                fields=["programme", "kind", "as_of_year"],
                name="programmereview_unique_kind_year",
                violation_error_message=_(
                    "This programme already has a review of this kind for this year."
                ),
            ),
            length_check("participants", LIST_LENGTH),
            length_check("summary", NARRATIVE_LENGTH),
            length_check("carried_forward", NARRATIVE_LENGTH),
            length_check("recommendations", RECOMMENDATIONS_LENGTH),
            length_check("recipients", LIST_LENGTH),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    def effective_cut_off(self, today: datetime.date) -> datetime.date:
        """The cut-off date the review's figures count to (see cut_off_on)."""
        if self.cut_off_on:
            return self.cut_off_on
        if self.held_on:
            return self.held_on - datetime.timedelta(days=1)
        return today


class ReviewSection(models.Model):
    review = models.ForeignKey(
        ProgrammeReview, on_delete=models.CASCADE, related_name="sections", verbose_name=_("review")
    )
    content_area = models.ForeignKey(
        ContentArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("content area")
    )
    results = models.TextField(
        _("results"), blank=True, max_length=NARRATIVE_LENGTH, validators=LINES
    )
    limitations = models.TextField(
        _("limitations and difficulties"),
        blank=True,
        max_length=NARRATIVE_LENGTH,
        validators=LINES,
    )
    causes = models.TextField(
        _("causes"), blank=True, max_length=NARRATIVE_LENGTH, validators=LINES
    )
    solutions = models.TextField(
        _("tasks and solutions"), blank=True, max_length=NARRATIVE_LENGTH, validators=LINES
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review section")
        verbose_name_plural = _("review sections")
        ordering = ["review", "content_area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "content_area"], name="reviewsection_unique_area"
            ),
            *(
                length_check(field, NARRATIVE_LENGTH)
                for field in ("results", "limitations", "causes", "solutions")
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
        _("on behalf of"),
        max_length=255,
        blank=True,
        validators=ONE_LINE,
        help_text=_("e.g. T/M BAN THƯỜNG VỤ"),
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=255, blank=True, validators=ONE_LINE
    )
    signer_name = models.CharField(
        _("signer's name"), max_length=255, blank=True, validators=ONE_LINE
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["review", "position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "body"], name="reviewsignature_unique_body"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.signer_name}".strip()
