"""Writes of programme reviews: create, change and finalise, each in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from coordination.models import Body, Programme
from coordination.roles import is_reviewer
from coordination.versioning import claim_version

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


class DuplicateReview(Exception):
    """A programme has one review of a kind for a year (two parallel creations made two)."""

    message = _("This programme already has a review of this kind for this year.")


def _require_reviewer(user) -> None:
    if not is_reviewer(user):
        raise PermissionDenied


def _locked_draft(review: ProgrammeReview) -> ProgrammeReview:
    """The review's row, locked until the transaction ends; a final review refuses."""
    locked = ProgrammeReview.objects.select_for_update().get(pk=review.pk)
    if locked.is_final:
        raise ReviewLocked
    return locked


def _save_review(review: ProgrammeReview, user) -> None:
    """Saves the review's row, with its history; a kind and year that the programme already
    has a review of is DuplicateReview."""
    review._history_user = user
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:
        raise DuplicateReview from error


@transaction.atomic
def create_review(*, user, programme: Programme, **fields) -> ProgrammeReview:
    """A draft review with one section per content area of its programme and one signature
    block per signing body in position order, prefilled in the body's document style. Raises
    DuplicateReview if the programme has a review of the kind for the year (the database's
    rule, which also decides between two parallel creations)."""
    _require_reviewer(user)
    review = ProgrammeReview(programme=programme, **fields)
    _save_review(review, user)
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
    bulk_create_with_history(signatures, ReviewSignature, default_user=user)
    return review


@transaction.atomic
def update_review(
    *,
    review: ProgrammeReview,
    user,
    seen_version: int,
    sections: list[ReviewSection],
    signatures: list[ReviewSignature],
) -> None:
    """Saves a draft review's fields, sections and signatures if nobody saved the review since
    `seen_version` (one version guards the whole edit page), else StaleEdit; the row stays
    locked meanwhile, so a finalisation cannot slip in between the check and the save. The
    sections and signatures are saved after the review's row (selectors.programme_reviews.
    review_as_opened relies on it). Raises DuplicateReview for a kind and year taken."""
    _require_reviewer(user)
    _locked_draft(review)
    claim_version(ProgrammeReview.objects.filter(pk=review.pk), version=seen_version)
    review.version = seen_version + 1
    _save_review(review, user)
    for changed in (*sections, *signatures):
        changed._history_user = user
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
