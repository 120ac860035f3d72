"""Reads of annual returns and the ratings entered with them, within the viewer's scope
(enterprises.selectors.visible_enterprises decides it)."""

import datetime

from django.db.models import (
    Case,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext

from coordination.models import MAX_YEAR, MIN_YEAR
from coordination.roles import sees_everything
from coordination.versioning import opened_record
from enterprises.models import Enterprise, Organisation, Zone
from enterprises.selectors import official_zone_ids, year_end, zones_with_descendants

from ..models import COUNT_FIELDS, AnnualReturn, OrganisationRating
from .calendar import calendar_of


def visible_returns(user) -> QuerySet[AnnualReturn]:
    """The yearly returns of the enterprises the user may see (visible_enterprises). Who sees
    everything gets no filter: a semi-join with every enterprise would only slow queries."""
    returns = AnnualReturn.objects.all()
    if sees_everything(user):
        return returns
    return returns.filter(enterprise__zone_id__in=official_zone_ids(user))


def join_year_return(enterprises: QuerySet[Enterprise], year: int) -> QuerySet[Enterprise]:
    """Joins each enterprise's return for the year as `year_return` (at most one: unique per
    enterprise and year)."""
    return enterprises.annotate(
        year_return=FilteredRelation("returns", condition=Q(returns__year=year))
    )


def with_year_return(enterprises: QuerySet[Enterprise], year: int) -> QuerySet[Enterprise]:
    """join_year_return, with the return's status and main figures as `return_status`,
    `return_employees` and `return_party_members`."""
    return join_year_return(enterprises, year).annotate(
        return_status=F("year_return__status"),
        return_employees=F("year_return__employees"),
        return_party_members=F("year_return__party_members"),
    )


def organisations_active_during(year: int) -> Q:
    """On Organisation: active on at least one day of the year (founded by 31 December, not
    dissolved by 1 January, and not dissolved on the day it was founded)."""
    return Q(founded_on__lte=year_end(year)) & (
        Q(dissolved_on__isnull=True)
        | (Q(dissolved_on__gt=datetime.date(year, 1, 1)) & Q(dissolved_on__gt=F("founded_on")))
    )


def return_year_problem(*, enterprise: Enterprise, year: int) -> str | None:
    """Why no return can be started for this year, or None; the database allows 2000–2100."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return gettext("Returns are kept for the years %(first)s to %(last)s.") % {
            "first": MIN_YEAR,
            "last": MAX_YEAR,
        }
    if year > timezone.localdate().year:
        return gettext("The year %(year)s has not begun: its return cannot be entered yet.") % {
            "year": year
        }
    if enterprise.founded_on and year < enterprise.founded_on.year:
        return gettext("%(enterprise)s was founded in %(founded)s, after %(year)s.") % {
            "enterprise": enterprise,
            "founded": enterprise.founded_on.year,
            "year": year,
        }
    if enterprise.closed_on and year > enterprise.closed_on.year:
        return gettext("%(enterprise)s closed in %(closed)s, before %(year)s.") % {
            "enterprise": enterprise,
            "closed": enterprise.closed_on.year,
            "year": year,
        }
    return None


def return_for(*, enterprise: Enterprise, year: int) -> AnnualReturn | None:
    """The enterprise's return for the year (the caller has already scoped the enterprise)."""
    # Through the enterprise's manager, the return refers to this instance: no join to it.
    return (
        enterprise.returns.select_related("submitted_by", "reviewed_by").filter(year=year).first()
    )


def previous_accepted_figures(*, enterprise: Enterprise, year: int) -> dict[str, int] | None:
    """The counts of the enterprise's accepted return for the year before, shown beside the
    form's fields (one query for all of them), or None where there is none."""
    return (
        enterprise.returns.filter(year=year - 1, status=AnnualReturn.Status.ACCEPTED)
        .values(*COUNT_FIELDS)
        .first()
    )


def organisations_to_rate(*, enterprise: Enterprise, year: int) -> list[Organisation]:
    """The enterprise's organisations active during the year, and any other with a rating for
    it; each carries `year_rating` (or None) and `active_in_year`."""
    rated = OrganisationRating.objects.filter(organisation=OuterRef("pk"), year=year)
    return list(
        enterprise.organisations.annotate(
            year_rating=Subquery(rated.values("rating")[:1]),
            active_in_year=organisations_active_during(year),
        )
        .filter(Q(active_in_year=True) | Exists(rated))
        .order_by("kind", "founded_on", "pk")
    )


def return_as_opened(*, annual_return: AnnualReturn, version: int) -> tuple:
    """The return (a history row) and its ratings by organisation pk as they stood at
    `version`, for a refused stale save. Ratings are saved just after the return's row, so
    they are read as of the next version's save. (None, {}) where the history ends earlier."""
    opened, saved_next = opened_record(annual_return, version=version)
    if opened is None:
        return None, {}
    ratings = OrganisationRating.history.as_of(saved_next).filter(
        organisation__enterprise_id=annual_return.enterprise_id, year=annual_return.year
    )
    return opened, {rating.organisation_id: rating.rating for rating in ratings}


def return_queue(
    *,
    user,
    year: int | None = None,
    status: str = "",
    zone: Zone | None = None,
    timeliness: str = "",
    official=None,
) -> QuerySet[AnnualReturn]:
    """Returns the user may see, submitted ones first (oldest submission first), then by year;
    `timeliness` (on_time, late: against the year's due date, so with a year) and `official`
    (the zones they work in) narrow them."""
    returns = visible_returns(user)
    if timeliness in ("on_time", "late") and year:
        calendar = calendar_of(year)
        returns = returns.filter(
            calendar.submitted_on_time() if timeliness == "on_time" else calendar.submitted_late()
        )
    if official is not None:
        returns = returns.filter(enterprise__zone_id__in=official_zone_ids(official))
    if year:
        returns = returns.filter(year=year)
    if status:
        returns = returns.filter(status=status)
    if zone is not None:
        returns = returns.filter(enterprise__zone_id__in=zones_with_descendants({zone.pk}))
    return returns.select_related("enterprise__zone", "submitted_by", "reviewed_by").order_by(
        Case(When(status=AnnualReturn.Status.SUBMITTED, then=0), default=1),
        F("submitted_at").asc(nulls_last=True),
        "-year",
        "enterprise__name",
        "pk",
    )
