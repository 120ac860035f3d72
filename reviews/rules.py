"""The rules a year's figures are checked by (design.md): the hard ones, which the database
enforces too (models.returns.PARTS_OF_WHOLES), and the soft ones, figures that may be true but
need an explanation, one function each in RETURN_WARNINGS. The founding thresholds they use are
enterprises.rules's."""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.models import Organisation
from enterprises.rules import PARTY_ORGANISATION
from enterprises.selectors import year_end

from .models import COUNT_FIELDS, PARTS_OF_WHOLES, AnnualReturn

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


# -- Data-quality checks ------------------------------------------------------------------------
# Figures that are probably slips but may be true: they flag a submitted return for a reviewer
# (models.QualityFlag) and never block it. Each rule reads the return's figures, the same
# enterprise's figures of the year before (None when it has no return then) and whether it has
# an active party organisation on 31 December; it yields the figures a flag shows.

JUMP_FIGURES = ("employees", "party_members", "union_members")
"""The counts whose jump from last year is flagged."""


@dataclass(frozen=True)
class QualityRule:
    code: str
    message: Promise
    """What the flag says, with its figures as parameters."""
    check: Callable[..., Iterator[dict]]

    def text(self, figures: Mapping) -> str:
        """The message in the active language; a field's name is shown by its label."""
        shown = dict(figures)
        if "field" in shown:
            shown["field"] = label(shown["field"])
        return self.message % shown


def _jumps(*, figures: Mapping, last: Mapping | None, **context) -> Iterator[dict]:
    if last is None:
        return
    for name in JUMP_FIGURES:
        before, now = last.get(name) or 0, figures.get(name) or 0
        change = abs(now - before)
        if change >= settings.QUALITY_JUMP_MINIMUM and change * 100 > (
            settings.QUALITY_JUMP_SHARE * before
        ):
            yield {"field": name, "last": before, "now": now, "share": settings.QUALITY_JUMP_SHARE}


def _union_above_last_employees(*, figures: Mapping, last: Mapping | None, **context):
    if last is not None and (figures.get("union_members") or 0) > (last.get("employees") or 0):
        yield {"now": figures["union_members"], "last": last.get("employees") or 0}


def _party_organisation_below_minimum(*, figures: Mapping, has_party_org: bool, **context):
    members = figures.get("party_members") or 0
    if has_party_org and members < PARTY_ORGANISATION.minimum:
        yield {"now": members, "minimum": PARTY_ORGANISATION.minimum}


def _same_as_last_year(*, figures: Mapping, last: Mapping | None, **context):
    counts = [figures.get(name) or 0 for name in COUNT_FIELDS]
    if last is not None and any(counts) and counts == [last.get(n) or 0 for n in COUNT_FIELDS]:
        yield {}


def _zero_employees(*, figures: Mapping, operating: bool, **context):
    if operating and not figures.get("employees"):
        yield {}


QUALITY_RULES = {
    rule.code: rule
    for rule in (
        QualityRule(
            "jump",
            _(
                "%(field)s moved from %(last)s last year to %(now)s: more than %(share)s %% "
                "either way."
            ),
            _jumps,
        ),
        QualityRule(
            "union_above_last_employees",
            _("%(now)s trade union members, more than the %(last)s employees of last year."),
            _union_above_last_employees,
        ),
        QualityRule(
            "party_organisation_below_minimum",
            _("A party organisation with %(now)s party members: it needs at least %(minimum)s."),
            _party_organisation_below_minimum,
        ),
        QualityRule(
            "same_as_last_year",
            _("Every figure is the same as last year's: were they copied?"),
            _same_as_last_year,
        ),
        QualityRule(
            "zero_employees",
            _("No employees, although the enterprise operated in the year."),
            _zero_employees,
        ),
    )
}


def quality_findings(
    *, figures: Mapping, last: Mapping | None, has_party_org: bool, operating: bool
) -> list[tuple[str, dict]]:
    """(rule code, figures) of each data-quality rule the return's figures raise."""
    return [
        (code, found)
        for code, rule in QUALITY_RULES.items()
        for found in rule.check(
            figures=figures, last=last, has_party_org=has_party_org, operating=operating
        )
    ]
