"""Programme reviews (one-year, final…), their sections and the signature blocks of their report."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coordination.models import (
    Body,
    ContentArea,
    Programme,
    user_stamp,
    year_field,
    year_range_check,
)
from coordination.text import length_check, one_line_field, text_field
from coordination.versioning import Versioned

# Caps of a review's free text, in characters: a report's narrative parts run to a few pages
# each, its lists to a page.
NARRATIVE_LENGTH = 20_000
RECOMMENDATIONS_LENGTH = 10_000
LIST_LENGTH = 2_000


class ProgrammeReview(Versioned):
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
    title = one_line_field(_("title"), max_length=500)
    number = one_line_field(
        _("number"), max_length=32, blank=True, help_text=_("The document's number, e.g. 01.")
    )
    as_of_year = year_field(_("as of year"), help_text=_("The year whose figures count as actual."))
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
    place = one_line_field(
        _("place"),
        max_length=100,
        blank=True,
        help_text=_("Printed before the date, e.g. Lào Cai."),
    )
    venue = one_line_field(_("venue"), max_length=255, blank=True)
    chaired_by = one_line_field(_("chaired by"), max_length=500, blank=True)
    participants = text_field(_("participants"), max_length=LIST_LENGTH, blank=True)
    summary = text_field(
        _("summary"),
        max_length=NARRATIVE_LENGTH,
        blank=True,
        help_text=_("How the programme was rolled out."),
    )
    recommendations = text_field(
        _("recommendations"), max_length=RECOMMENDATIONS_LENGTH, blank=True
    )
    carried_forward = text_field(
        _("carried into the next programme"),
        max_length=NARRATIVE_LENGTH,
        blank=True,
        help_text=_("For a final review: the work that goes on in the programme that follows."),
    )
    recipients = text_field(
        _("recipients"),
        max_length=LIST_LENGTH,
        blank=True,
        help_text=_("One per line; the last is usually the archive."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    finalised_by = user_stamp(_("finalised by"))
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
    results = text_field(_("results"), max_length=NARRATIVE_LENGTH, blank=True)
    limitations = text_field(
        _("limitations and difficulties"), max_length=NARRATIVE_LENGTH, blank=True
    )
    causes = text_field(_("causes"), max_length=NARRATIVE_LENGTH, blank=True)
    solutions = text_field(_("tasks and solutions"), max_length=NARRATIVE_LENGTH, blank=True)
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
    authority = one_line_field(
        _("on behalf of"), max_length=255, blank=True, help_text=_("e.g. T/M BAN THƯỜNG VỤ")
    )
    signer_title = one_line_field(_("signer's title"), max_length=255, blank=True)
    signer_name = one_line_field(_("signer's name"), max_length=255, blank=True)
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
