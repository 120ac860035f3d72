"""The rules a year's figures are checked by (design.md): the hard ones, which the database
enforces too (models.returns.PARTS_OF_WHOLES), and the soft ones, figures that may be true but
need an explanation, one function each in RETURN_WARNINGS. The founding thresholds they use are
enterprises.rules's."""

from collections.abc import Iterator, Mapping

from django.utils.text import capfirst
from django.utils.translation import gettext

from enterprises.models import Organisation
from enterprises.rules import PARTY_ORGANISATION
from enterprises.selectors import year_end

from .models import PARTS_OF_WHOLES, AnnualReturn

MEMBERS_WITHIN_EMPLOYEES = ("party_members", "union_members", "youth_members", "women_members")
"""Members who are normally employees: more of them than employees needs an explanation."""


def label(name: str) -> str:
    return capfirst(AnnualReturn._meta.get_field(name).verbose_name)


def hard_rule_errors(figures: Mapping) -> dict[str, str]:
    """Errors by field for counts that cannot be true: a part above its whole."""
    errors = {}
    for part, whole, _name, _message in PARTS_OF_WHOLES:
        part_count, whole_count = figures.get(part), figures.get(whole)
        if part_count is not None and whole_count is not None and part_count > whole_count:
            errors[part] = gettext("Cannot be more than %(whole)s (%(limit)s).") % {
                "whole": label(whole).lower(),
                "limit": whole_count,
            }
    return errors


def members_above_employees(*, figures: Mapping, **context) -> Iterator[str]:
    employees = figures.get("employees") or 0
    for name in MEMBERS_WITHIN_EMPLOYEES:
        if (figures.get(name) or 0) > employees:
            yield gettext("%(field)s (%(count)s) are more than the employees (%(employees)s).") % {
                "field": label(name),
                "count": figures[name],
                "employees": employees,
            }


def party_members_without_organisation(
    *, figures: Mapping, year: int, organisations: list[Organisation], **context
) -> Iterator[str]:
    """The party organisation's founding threshold met, and no party organisation on 31
    December (the gap list `eligible_without_party_org` is the same rule as a query)."""
    has_party_org = any(
        o.kind == Organisation.Kind.PARTY and o.is_active_on(year_end(year)) for o in organisations
    )
    if PARTY_ORGANISATION.met_by(figures) and not has_party_org:
        yield gettext(
            "%(count)s party members and no party organisation active on 31 December "
            "%(year)s: is the organisation missing, or can a party cell be founded?"
        ) % {"count": figures["party_members"], "year": year}


def rating_of_inactive_organisation(
    *, year: int, organisations: list[Organisation], ratings: Mapping[int, str], **context
) -> Iterator[str]:
    for organisation in organisations:
        if ratings.get(organisation.pk) and not organisation.active_in_year:
            yield gettext("%(organisation)s was not active in %(year)s but has a rating.") % {
                "organisation": organisation,
                "year": year,
            }


RETURN_WARNINGS = (
    members_above_employees,
    party_members_without_organisation,
    rating_of_inactive_organisation,
)


def return_warnings(
    *, figures: Mapping, year: int, organisations: list[Organisation], ratings: Mapping[int, str]
) -> list[str]:
    """The soft rules' warnings. `organisations` come from
    selectors.returns.organisations_to_rate; `ratings` are by organisation pk."""
    return [
        warning
        for rule in RETURN_WARNINGS
        for warning in rule(
            figures=figures, year=year, organisations=organisations, ratings=ratings
        )
    ]
