"""The signed copy of a final review's report (a scan or a digitally signed PDF), kept with the
review: replaced with a reason, never deleted."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.models import user_stamp
from coordination.text import length_check, one_line_field, text_field

from .programme_reviews import ProgrammeReview

REASON_LENGTH = 2000


def signed_copy_path(instance: "SignedCopy", filename: str) -> str:
    """Under MEDIA_ROOT/signed/, by review, with a name nobody can guess or collide with."""
    return f"signed/review-{instance.review_id}/{uuid.uuid4().hex}.pdf"


class SignedCopy(models.Model):
    review = models.ForeignKey(
        ProgrammeReview,
        on_delete=models.PROTECT,
        related_name="signed_copies",
        verbose_name=_("review"),
    )
    file = models.FileField(_("file"), upload_to=signed_copy_path, max_length=200)
    original_name = one_line_field(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = one_line_field(_("SHA-256"), max_length=64)
    signatures = models.JSONField(
        _("digital signatures"),
        default=list,
        blank=True,
        help_text=_("What was read of the PDF's embedded signatures when it was uploaded."),
    )
    uploaded_by = user_stamp(_("uploaded by"), required=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    reason = text_field(
        _("reason for the replacement"), max_length=REASON_LENGTH, blank=True, default=""
    )

    class Meta:
        verbose_name = _("signed copy")
        verbose_name_plural = _("signed copies")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(reason=""),
                name="signed_copy_replacement_has_a_reason",
            ),
            length_check("reason", REASON_LENGTH),
        ]

    def __str__(self) -> str:
        return self.original_name

    def delete(self, *args, **kwargs):
        raise PermissionDenied("A signed copy is never deleted; upload a replacement.")
