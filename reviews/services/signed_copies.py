"""Keeping a final review's signed copy: uploaded after finalising, checked to be a readable
PDF, stored under MEDIA_ROOT; a new copy replaces the current one with a reason, and no copy is
ever deleted."""

import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from coordination.roles import is_reviewer

from ..documents.signed import NotAReadablePdf, read_signed_copy
from ..models import ProgrammeReview, SignedCopy


class SignedCopyRefused(Exception):
    """The upload is not kept; `message` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


NOT_FINAL = _("Only a final review has a signed copy: finalise it first.")
REASON_NEEDED = _("Say why this copy replaces the one kept.")


def current_signed_copy(review: ProgrammeReview) -> SignedCopy | None:
    """The copy that no later copy replaces."""
    return review.signed_copies.filter(replaced_by__isnull=True).first()


@transaction.atomic
def upload_signed_copy(
    *, review: ProgrammeReview, user, name: str, data: bytes, reason: str = ""
) -> SignedCopy:
    if not is_reviewer(user):
        raise PermissionDenied
    locked = ProgrammeReview.objects.select_for_update().get(pk=review.pk)
    if not locked.is_final:
        raise SignedCopyRefused(NOT_FINAL)
    try:
        signatures = read_signed_copy(data)
    except NotAReadablePdf as refused:
        raise SignedCopyRefused(refused.message) from refused
    replaces = current_signed_copy(locked)
    reason = reason.strip()
    if replaces is not None and not reason:
        raise SignedCopyRefused(REASON_NEEDED)
    copy = SignedCopy(
        review=locked,
        original_name=name[:255],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        signatures=signatures,
        uploaded_by=user,
        replaces=replaces,
        reason=reason if replaces else "",
    )
    copy.file.save(f"{locked.pk}.pdf", ContentFile(data), save=False)
    try:
        copy.save()
    except Exception:
        copy.file.storage.delete(copy.file.name)  # no orphan file for a row not written
        raise
    return copy
