"""The building blocks the assessment, the gap lists and the enterprise list share: returns
joined to their enterprises, accepted ones, thresholds met, size bands, shares, and the filters of
the enterprise list that select the enterprises behind each figure."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Q, Value, When
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from enterprises.models import Organisation
from enterprises.rules import PARTY_ORGANISATION, TRADE_UNION
from enterprises.selectors import has_organisation_on, visible_zones, year_end

from ..models import AnnualReturn

CENT = Decimal("0.01")
ACCEPTED = AnnualReturn.Status.ACCEPTED
NOT_ACCEPTED = (
    AnnualReturn.Status.DRAFT,
    AnnualReturn.Status.SUBMITTED,
    AnnualReturn.Status.RETURNED,
)


def share(numerator: int, denominator: int) -> dict:
    """A share shown as `70 / 91 = 76.92 %`: computed in Decimal, rounded half-up to two
    decimals, never stored; `pct` is None when there is nothing to divide by."""
    pct = None
    if denominator:
        pct = decimal_str(Decimal(numerator) * 100 / Decimal(denominator))
    return {"numerator": numerator, "denominator": denominator, "pct": pct}


def decimal_str(value) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def source_text(label) -> str:
    """A choice label in the source language: the assessment is stored, so it holds no
    translation; templates translate by key."""
    with translation.override(None):
        return str(label)


def has_on(kind: str, day: datetime.date) -> Q:
    return Q(has_organisation_on(kind, day))


YEAR_RETURN = "year_return__"
"""The prefix of the year's return joined to its enterprise (returns.join_year_return)."""
ACCEPTED_RETURN = Q(year_return__status=ACCEPTED)
MEETS_PARTY_THRESHOLD = ACCEPTED_RETURN & PARTY_ORGANISATION.met_in(YEAR_RETURN)
"""On join_year_return: the accepted return counts enough party members for a party cell."""
MEETS_UNION_THRESHOLD = ACCEPTED_RETURN & TRADE_UNION.met_in(YEAR_RETURN)
"""On join_year_return: the accepted return counts enough employees or union members for a
trade union."""


@dataclass(frozen=True)
class SizeBand:
    label: Promise
    low: int
    high: int | None

    def holds(self, prefix: str = YEAR_RETURN) -> Q:
        """On a row whose fields after `prefix` hold a return: its employees are in the band."""
        band = Q(**{f"{prefix}employees__gte": self.low})
        if self.high is not None:
            band &= Q(**{f"{prefix}employees__lte": self.high})
        return band


SIZE_BANDS = {
    "lt50": SizeBand(_("Under 50"), 0, 49),
    "50_299": SizeBand(_("50–299"), 50, 299),
    "300_499": SizeBand(_("300–499"), 300, 499),
    "500plus": SizeBand(_("500 and more"), 500, None),
}
"""Workforce size bands by the employees of the year's return, keyed as the enterprise list's
`size_band` filter."""
NO_RETURN = "none"
NO_RETURN_LABEL = _("No accepted return")

SIZE_BAND = Case(
    *(When(ACCEPTED_RETURN & band.holds(), then=Value(key)) for key, band in SIZE_BANDS.items()),
    default=Value(NO_RETURN),
)
"""On join_year_return: the workforce size band by the accepted return's employees."""

BREAKDOWN_COUNTS = (
    "enterprises",
    "employees",
    "with_party_org",
    "party_members",
    "with_trade_union",
    "union_members",
)
"""The counts in a row of a breakdown (besides its two coverage shares)."""


def organisation_flags(year: int) -> dict:
    """Whether an enterprise has a party organisation and a trade union on 31 December: the
    figures need both in several ways, so they are grouping keys, evaluated once per query."""
    day = year_end(year)
    return {
        "party": has_organisation_on(Organisation.Kind.PARTY, day),
        "union": has_organisation_on(Organisation.Kind.TRADE_UNION, day),
    }


def top_zones(user) -> tuple[list[dict], dict[int, int]]:
    """The highest zones the viewer sees (an economic zone rather than its parks), in name
    order, and for every visible zone the top zone it rolls up into."""
    zones = {
        z["pk"]: z for z in visible_zones(user).order_by("name").values("pk", "name", "parent")
    }

    def top(pk: int) -> int:
        while zones[pk]["parent"] in zones:
            pk = zones[pk]["parent"]
        return pk

    top_of = {pk: top(pk) for pk in zones}
    return [z for z in zones.values() if z["parent"] not in zones], top_of


LIST_FILTERS = {
    "enterprises_operating": {"operating": "yes"},
    "enterprises": {"operating": "yes"},
    "employees": {"operating": "yes", "return_status": "accepted"},
    "union_members": {"operating": "yes", "return_status": "accepted"},
    "party_members": {"operating": "yes", "min_party_members": "1"},
    "enterprises_with_party_org": {"operating": "yes", "party_org": "yes"},
    "with_party_org": {"operating": "yes", "party_org": "yes"},
    "party_org_coverage_pct": {"operating": "yes", "party_org": "yes"},
    "enterprises_with_trade_union": {"operating": "yes", "trade_union": "yes"},
    "with_trade_union": {"operating": "yes", "trade_union": "yes"},
    "union_coverage_pct": {"operating": "yes", "trade_union": "yes"},
    "enterprises_with_youth_union": {"operating": "yes", "youth_union": "yes"},
    "enterprises_with_women_union": {"operating": "yes", "women_union": "yes"},
    "eligible_without_party_org": {
        "operating": "yes",
        "min_party_members": str(PARTY_ORGANISATION.minimum),
        "party_org": "no",
    },
    "party_orgs_founded": {"founded": Organisation.Kind.PARTY},
    "party_orgs_dissolved": {"dissolved": Organisation.Kind.PARTY},
    "unions_founded": {"founded": Organisation.Kind.TRADE_UNION},
    "youth_unions_founded": {"founded": Organisation.Kind.YOUTH_UNION},
    "new_party_members": {"return_status": "accepted"},
    "awareness_trainees": {"return_status": "accepted"},
    "returns_expected": {"operating": "yes"},
    "returns_accepted": {"operating": "yes", "return_status": "accepted"},
    "returns_missing": {"operating": "yes", "return_status": "missing"},
    "union_without_party_org": {"operating": "yes", "trade_union": "yes", "party_org": "no"},
}
"""The enterprise list's GET filters (a contract with enterprises.filters) that select the
enterprises behind each figure of the assessment, for the year in question. A figure missing
here (e.g. the enterprises eligible for a trade union) has no single filter to show it."""
