"""Writes of programme reviews: create, change and finalise, each in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from coordination.models import Body, Programme
from coordination.roles import is_reviewer

from ..models import ProgrammeReview, ReviewSection, ReviewSignature
from ..selectors.programme_reviews import review_assessment, review_issuers

SIGNATURE_DEFAULTS = {
    Body.DocumentStyle.PARTY: ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"),
    Body.DocumentStyle.STATE: ("KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
}
"""The usual signature block of a body's documents (authority, signer's title), printed as
written in Vietnamese: a starting point that the reviewer edits."""


class ReviewLocked(Exception):
    """A final review is read-only: its report prints its frozen figures."""

    message = _("This review is final: it can no longer be changed.")


def _require_reviewer(user) -> None:
    if not is_reviewer(user):
        raise PermissionDenied


def _locked_draft(review: ProgrammeReview) -> ProgrammeReview:
    """The review's row, locked until the transaction ends; a final review refuses."""
    locked = ProgrammeReview.objects.select_for_update().get(pk=review.pk)
    if locked.is_final:
        raise ReviewLocked
    return locked


@transaction.atomic
def create_review(*, user, programme: Programme, **fields) -> ProgrammeReview:
    """A draft review with one section per content area of its programme and one signature
    block per signing body in position order, prefilled in the body's document style."""
    _require_reviewer(user)
    review = ProgrammeReview.objects.create(programme=programme, **fields)
    bulk_create_with_history(
        [
            ReviewSection(review=review, content_area=area)
            for area in programme.content_areas.order_by("position")
        ],
        ReviewSection,
        default_user=user,
    )
    signatures = []
    day = review.held_on or timezone.localdate()
    signed = set()
    for signing in programme.programme_bodies.select_related("body").order_by("position"):
        body = signing.body.as_of(day)  # the body that acts on the document's date
        if body.pk in signed:  # two bodies merged into one sign once
            continue
        signed.add(body.pk)
        authority, signer_title = SIGNATURE_DEFAULTS[body.document_style]
        signatures.append(
            ReviewSignature(
                review=review,
                body=body,
                position=signing.position,
                authority=authority,
                signer_title=signer_title,
            )
        )
    ReviewSignature.objects.bulk_create(signatures)
    return review


@transaction.atomic
def update_review(
    *,
    review: ProgrammeReview,
    user,
    sections: list[ReviewSection],
    signatures: list[ReviewSignature],
) -> None:
    """Saves a draft review's changed fields, sections and signatures; the row stays locked
    meanwhile, so a finalisation cannot slip in between the check and the save."""
    _require_reviewer(user)
    _locked_draft(review)
    review.save()
    for changed in (*sections, *signatures):
        changed.save()


@transaction.atomic
def finalise_review(*, review: ProgrammeReview, user) -> ProgrammeReview:
    """Freezes the review: its cut-off date, its assessment as of that date as the finalising
    reviewer sees it (everything) and its issuing bodies go into frozen_figures, from which its report prints from then on,
    whatever the data do."""
    _require_reviewer(user)
    locked = _locked_draft(review)
    locked.cut_off_on = locked.effective_cut_off(timezone.localdate())
    locked.frozen_figures = {
        **review_assessment(review=locked, user=user, cut_off=locked.cut_off_on, fresh=True),
        "issuers": review_issuers(review=locked),
    }
    locked.status = ProgrammeReview.Status.FINAL
    locked.finalised_by = user
    locked.finalised_at = timezone.now()
    locked.save(
        update_fields=["cut_off_on", "frozen_figures", "status", "finalised_by", "finalised_at"]
    )
    return locked
