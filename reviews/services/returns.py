"""Writes of annual returns and their ratings that have a rule: each in one transaction,
raising a domain error that the view turns into a message."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.roles import is_reviewer
from coordination.versioning import claim_version
from enterprises.changes import batched
from enterprises.models import Enterprise, Organisation
from enterprises.selectors import writable_enterprises

from ..models import COUNT_FIELDS, AnnualReturn, OrganisationRating
from ..rules import hard_rule_errors, return_warnings
from ..selectors.returns import organisations_to_rate
from .cycle import lock_change_reason, raise_quality_flags
from .errors import (
    DuplicateReturn,
    ExplanationRequired,
    ReturnLocked,
    ReturnNotAllowed,
)
from .errors import ReturnRefused as ReturnRefused  # where callers imported it from before

RETURN_TEXT_FIELDS = (*COUNT_FIELDS, "explanation")
"""What an official types into a return; everything else is set by the workflow."""

SUBMITTABLE = (AnnualReturn.Status.DRAFT, AnnualReturn.Status.RETURNED)
RETURNABLE = (AnnualReturn.Status.SUBMITTED, AnnualReturn.Status.ACCEPTED)
"""A reviewer returns a submitted return, or reopens an accepted one by returning it."""


def _require_writer(user, enterprise: Enterprise) -> None:
    if not writable_enterprises(user).filter(pk=enterprise.pk).exists():
        raise ReturnNotAllowed(_("You may not change the returns of this enterprise."))


def _require_return_reviewer(user) -> None:
    if not is_reviewer(user):
        raise ReturnNotAllowed(_("Only a reviewer may accept or return a return."))


def _claim(*, enterprise: Enterprise, year: int, version: int) -> AnnualReturn:
    """The return with its next version taken, if it is still at the version that was read
    (coordination.versioning): of two people saving the same version one wins and the other
    gets StaleEdit. The caller changes the row and save()s it, which writes its history."""
    returns = AnnualReturn.objects.filter(enterprise=enterprise, year=year)
    claim_version(returns, version=version)
    return returns.select_related("enterprise", "submitted_by", "reviewed_by").get()


def _save_with_history(annual_return: AnnualReturn, user, reason: str = "") -> None:
    annual_return._history_user = user
    if reason:
        annual_return._change_reason = reason
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
@batched()
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
    rules raise ValidationError; soft rules need an explanation; accepted returns are locked,
    and so is every return of a year past its lock date, but where an exception opens it."""
    _require_writer(user, enterprise)
    reason = lock_change_reason(enterprise=enterprise, year=year)
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
            _save_with_history(annual_return, user, reason)
    except IntegrityError as error:
        raise DuplicateReturn from error
    _save_ratings(organisations=organisations, ratings=ratings, year=year, user=user)
    return annual_return


@transaction.atomic
@batched()
def submit_return(*, user, annual_return: AnnualReturn, version: int) -> AnnualReturn:
    """An official hands a draft or returned return to the reviewers; the data-quality rules
    flag what a reviewer should look at."""
    _require_writer(user, annual_return.enterprise)
    reason = lock_change_reason(enterprise=annual_return.enterprise, year=annual_return.year)
    current = _claim(enterprise=annual_return.enterprise, year=annual_return.year, version=version)
    if current.status not in SUBMITTABLE:
        raise ReturnNotAllowed(_("Only a draft or a returned return can be submitted."))
    current.status = AnnualReturn.Status.SUBMITTED
    current.submitted_by = user
    current.submitted_at = timezone.now()
    _save_with_history(current, user, reason)
    raise_quality_flags(current)
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
    current.reviewed_at = current.accepted_at = timezone.now()
    current.return_reason = ""
    _save_with_history(current, user)
    return current


@transaction.atomic
def send_back_return(
    *, user, annual_return: AnnualReturn, version: int, reason: str
) -> AnnualReturn:
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
    current.accepted_at = None
    _save_with_history(current, user)
    return current
