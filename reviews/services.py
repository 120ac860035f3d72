"""Writes of the reviews app that have a rule: each in one transaction, raising a domain error
that the view turns into a message."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from coordination.models import Body, Programme
from coordination.roles import is_reviewer
from enterprises.models import Enterprise, Organisation
from enterprises.selectors import writable_enterprises, year_end
from enterprises.services import StaleEdit

from .models import (
    COUNT_FIELDS,
    AnnualReturn,
    OrganisationRating,
    ProgrammeReview,
    ReviewSection,
    ReviewSignature,
)
from .selectors import PARTY_CELL_THRESHOLD, assessment, organisations_to_rate, review_issuers

# Programme reviews

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
    for signing in programme.programme_bodies.select_related("body").order_by("position"):
        authority, signer_title = SIGNATURE_DEFAULTS[signing.body.document_style]
        signatures.append(
            ReviewSignature(
                review=review,
                body=signing.body,
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
    """Freezes the review: its assessment as the finalising reviewer sees it (everything) and
    its issuing bodies go into frozen_figures, from which its report prints from then on,
    whatever the data do."""
    _require_reviewer(user)
    locked = _locked_draft(review)
    locked.frozen_figures = {
        **assessment(programme=review.programme, year=locked.as_of_year, user=user),
        "issuers": review_issuers(review=locked),
    }
    locked.status = ProgrammeReview.Status.FINAL
    locked.finalised_by = user
    locked.finalised_at = timezone.now()
    locked.save(update_fields=["frozen_figures", "status", "finalised_by", "finalised_at"])
    return locked


# Annual returns

MEMBERS_WITHIN_EMPLOYEES = ("party_members", "union_members", "youth_members", "women_members")
"""Members who are normally employees: more of them than employees needs an explanation."""

PARTS_OF_WHOLES = (
    ("female_employees", "employees"),
    ("new_party_members", "party_members"),
    ("new_members_owners", "new_party_members"),
)
"""Counts that are part of another count: the database refuses a part above its whole."""

RETURN_TEXT_FIELDS = (*COUNT_FIELDS, "explanation")
"""What an official types into a return; everything else is set by the workflow."""

SUBMITTABLE = (AnnualReturn.Status.DRAFT, AnnualReturn.Status.RETURNED)
RETURNABLE = (AnnualReturn.Status.SUBMITTED, AnnualReturn.Status.ACCEPTED)
"""A reviewer returns a submitted return, or reopens an accepted one by returning it."""


class ReturnError(Exception):
    """A refused change to a return; str() is the message for the person."""

    message = _("This change to the return is not allowed.")

    def __init__(self, message=None):
        super().__init__(message or self.message)


class ReturnNotAllowed(ReturnError):
    pass


class ReturnLocked(ReturnError):
    message = _("This return is accepted: it is read-only until a reviewer returns it.")


class DuplicateReturn(ReturnError):
    message = _(
        "This enterprise already has a return for this year: someone created it meanwhile. "
        "Reload the page to see it."
    )


class ExplanationRequired(ReturnError):
    message = _("The figures raise warnings: save them with an explanation.")

    def __init__(self, warnings: list[str]):
        super().__init__()
        self.warnings = warnings


def _label(name: str) -> str:
    return capfirst(AnnualReturn._meta.get_field(name).verbose_name)


def hard_rule_errors(figures: Mapping) -> dict[str, str]:
    """Errors by field for counts that cannot be true: a part above its whole."""
    errors = {}
    for part, whole in PARTS_OF_WHOLES:
        part_count, whole_count = figures.get(part), figures.get(whole)
        if part_count is not None and whole_count is not None and part_count > whole_count:
            errors[part] = gettext("Cannot be more than %(whole)s (%(limit)s).") % {
                "whole": _label(whole).lower(),
                "limit": whole_count,
            }
    return errors


def return_warnings(
    *, figures: Mapping, year: int, organisations: list[Organisation], ratings: Mapping[int, str]
) -> list[str]:
    """The soft rules (design.md): figures that may be true but need an explanation.
    `organisations` come from selectors.organisations_to_rate; `ratings` by organisation pk."""
    warnings = []
    employees = figures.get("employees") or 0
    for name in MEMBERS_WITHIN_EMPLOYEES:
        if (figures.get(name) or 0) > employees:
            warnings.append(
                gettext("%(field)s (%(count)s) are more than the employees (%(employees)s).")
                % {"field": _label(name), "count": figures[name], "employees": employees}
            )
    party_members = figures.get("party_members") or 0
    has_party_org = any(
        o.kind == Organisation.Kind.PARTY and o.is_active_on(year_end(year)) for o in organisations
    )
    if party_members >= PARTY_CELL_THRESHOLD and not has_party_org:
        warnings.append(
            gettext(
                "%(count)s party members and no party organisation active on 31 December "
                "%(year)s: is the organisation missing, or can a party cell be founded?"
            )
            % {"count": party_members, "year": year}
        )
    for organisation in organisations:
        if ratings.get(organisation.pk) and not organisation.active_in_year:
            warnings.append(
                gettext("%(organisation)s was not active in %(year)s but has a rating.")
                % {"organisation": organisation, "year": year}
            )
    return warnings


def _require_writer(user, enterprise: Enterprise) -> None:
    if not writable_enterprises(user).filter(pk=enterprise.pk).exists():
        raise ReturnNotAllowed(_("You may not change the returns of this enterprise."))


def _require_return_reviewer(user) -> None:
    if not is_reviewer(user):
        raise ReturnNotAllowed(_("Only a reviewer may accept or return a return."))


def _claim(*, enterprise: Enterprise, year: int, version: int) -> AnnualReturn:
    """The return with its next version taken, if it is still at the version that was read: a
    conditional UPDATE, so of two people saving the same version one wins and the other gets
    StaleEdit. The caller changes the row and save()s it, which writes its history."""
    returns = AnnualReturn.objects.filter(enterprise=enterprise, year=year)
    claimed = returns.filter(version=version).update(version=F("version") + 1)
    current = returns.select_related("enterprise", "submitted_by", "reviewed_by").get()
    if not claimed:
        raise StaleEdit(current)
    return current


def _save_with_history(annual_return: AnnualReturn, user) -> None:
    annual_return._history_user = user
    annual_return.save()


def _save_ratings(
    *, organisations: list[Organisation], ratings: Mapping[int, str], year: int, user
) -> None:
    """Writes the ratings that changed (a blank one removes the rating), each with history."""
    for organisation in organisations:
        wanted = ratings.get(organisation.pk, organisation.year_rating) or ""
        if wanted == (organisation.year_rating or ""):
            continue
        rating = OrganisationRating.objects.filter(
            organisation=organisation, year=year
        ).first() or OrganisationRating(organisation=organisation, year=year)
        rating._history_user = user
        if wanted:
            rating.rating = wanted
            rating.save()
        else:
            rating.delete()


@transaction.atomic
def save_return(
    *,
    user,
    enterprise: Enterprise,
    year: int,
    figures: Mapping,
    ratings: Mapping[int, str],
    version: int | None,
) -> AnnualReturn:
    """Creates the year's return as a draft (version None), or changes it if nobody saved it
    since `version` was read; with the ratings of its organisations (by organisation pk). Hard
    rules raise ValidationError; soft rules need an explanation; accepted returns are locked."""
    _require_writer(user, enterprise)
    errors = hard_rule_errors(figures)
    if errors:
        raise ValidationError(errors)
    organisations = organisations_to_rate(enterprise=enterprise, year=year)
    warnings = return_warnings(
        figures=figures, year=year, organisations=organisations, ratings=ratings
    )
    if warnings and not (figures.get("explanation") or "").strip():
        raise ExplanationRequired(warnings)
    if version is None:
        annual_return = AnnualReturn(enterprise=enterprise, year=year)
    else:
        annual_return = _claim(enterprise=enterprise, year=year, version=version)
        if annual_return.is_locked:
            raise ReturnLocked
    for name in RETURN_TEXT_FIELDS:
        setattr(annual_return, name, figures[name])
    annual_return.clean_fields(exclude=["enterprise", "submitted_by", "reviewed_by"])
    try:
        with transaction.atomic():
            _save_with_history(annual_return, user)
    except IntegrityError as error:
        raise DuplicateReturn from error
    _save_ratings(organisations=organisations, ratings=ratings, year=year, user=user)
    return annual_return


@transaction.atomic
def submit_return(*, user, annual_return: AnnualReturn, version: int) -> AnnualReturn:
    """An official hands a draft or returned return to the reviewers."""
    _require_writer(user, annual_return.enterprise)
    current = _claim(enterprise=annual_return.enterprise, year=annual_return.year, version=version)
    if current.status not in SUBMITTABLE:
        raise ReturnNotAllowed(_("Only a draft or a returned return can be submitted."))
    current.status = AnnualReturn.Status.SUBMITTED
    current.submitted_by = user
    current.submitted_at = timezone.now()
    _save_with_history(current, user)
    return current


@transaction.atomic
def accept_return(*, user, annual_return: AnnualReturn, version: int) -> AnnualReturn:
    """A reviewer accepts a submitted return: its figures count, and it is read-only."""
    _require_return_reviewer(user)
    current = _claim(enterprise=annual_return.enterprise, year=annual_return.year, version=version)
    if current.status != AnnualReturn.Status.SUBMITTED:
        raise ReturnNotAllowed(_("Only a submitted return can be accepted."))
    current.status = AnnualReturn.Status.ACCEPTED
    current.reviewed_by = user
    current.reviewed_at = timezone.now()
    current.return_reason = ""
    _save_with_history(current, user)
    return current


@transaction.atomic
def return_return(*, user, annual_return: AnnualReturn, version: int, reason: str) -> AnnualReturn:
    """A reviewer sends a submitted return back to the officials, or reopens an accepted one,
    with the reason they are to read."""
    _require_return_reviewer(user)
    if not reason.strip():
        raise ValidationError({"return_reason": _("Say why the return goes back.")})
    current = _claim(enterprise=annual_return.enterprise, year=annual_return.year, version=version)
    if current.status not in RETURNABLE:
        raise ReturnNotAllowed(_("Only a submitted or accepted return can be returned."))
    current.status = AnnualReturn.Status.RETURNED
    current.return_reason = reason.strip()
    current.reviewed_by = user
    current.reviewed_at = timezone.now()
    _save_with_history(current, user)
    return current
