"""The one definition of every figure of the assessment: which enterprises it counts, which
returns, as of which date. docs/indicators.md is this module in words.

A year's figures are counted on the enterprises in the viewer's scope, each annotated with
*facts* (`for_year`): whether it operated on 31 December, whether it operated at all during the
year (and so is expected to return it), whether the year's return is counted, which
organisations it has, and what its latest counted figures say. A figure is a `Condition` over
those facts, and for a sum the return's field it adds up. The same condition gives the filter of
the enterprise list that opens the figure (`Condition.q`) and the SQL that counts it
(`Condition.sql`, see selectors.figures), so a number and its list cannot drift apart."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Organisation
from enterprises.rules import PARTY_ORGANISATION, TRADE_UNION
from enterprises.selectors import (
    operated_during,
    operating_on,
    organisations_active_on,
    year_end,
)

from ..models import AnnualReturn

ACCEPTED = AnnualReturn.Status.ACCEPTED
SUBMITTED = AnnualReturn.Status.SUBMITTED


@dataclass(frozen=True)
class Counting:
    """What a year's figures count: the registry as it stands on 31 December of `year`, and the
    year's returns accepted on or before `cut_off` (a review's "số liệu tính đến ngày …"; None:
    accepted by now). `preview` also counts the returns still waiting for review (submitted
    by the cut-off), for a reviewer who wants to see where the year is heading."""

    year: int
    cut_off: datetime.date | None = None
    preview: bool = False

    @property
    def day(self) -> datetime.date:
        return year_end(self.year)

    def counted(self, prefix: str = "") -> Q:
        """On AnnualReturn (after `prefix`): a return these figures count."""
        accepted = Q(**{f"{prefix}status": ACCEPTED})
        submitted = Q(**{f"{prefix}status": SUBMITTED})
        if self.cut_off is not None:
            accepted &= Q(**{f"{prefix}accepted_at__date__lte": self.cut_off})
            submitted &= Q(**{f"{prefix}submitted_at__date__lte": self.cut_off})
        return accepted | submitted if self.preview else accepted

    def __str__(self) -> str:
        """A short name for cache keys."""
        return f"{self.year}:{self.cut_off or '-'}:{int(self.preview)}"

    def for_year(self, year: int) -> "Counting":
        """The same counting for another year (a series, a baseline)."""
        return Counting(year, self.cut_off, self.preview)

    def as_query(self) -> dict[str, str]:
        """The enterprise list's GET parameters for this counting."""
        query = {"year": str(self.year)}
        if self.cut_off is not None:
            query["cut_off"] = self.cut_off.isoformat()
        if self.preview:
            query["preview"] = "submitted"
        return query


# -- Facts ------------------------------------------------------------------------------------


def _organisation_exists(condition: Q) -> Exists:
    return Exists(Organisation.objects.filter(condition, enterprise=OuterRef("pk")))


def _during(counting: Counting) -> tuple[datetime.date, datetime.date]:
    return datetime.date(counting.year, 1, 1), counting.day


def _latest_counted(counting: Counting, threshold) -> Subquery:
    """Whether the enterprise's latest counted return up to the year meets the threshold; NULL
    when no return is counted yet."""
    returns = (
        AnnualReturn.objects.filter(counting.counted(), enterprise=OuterRef("pk"))
        .filter(year__lte=counting.year)
        .order_by("-year")
        .annotate(meets=ExpressionWrapper(threshold.met_in(), output_field=BooleanField()))
    )
    return Subquery(returns.values("meets")[:1], output_field=BooleanField())


def fact_expressions(counting: Counting) -> dict:
    """Each fact as an expression on an enterprise annotated by for_year; the facts that are
    columns of the year's return (`counted`, `has_return`) are conditions on its joins."""
    day = counting.day
    active = organisations_active_on(day)
    kinds = Organisation.Kind
    counted_before = AnnualReturn.objects.filter(
        counting.counted(), enterprise=OuterRef("pk"), year__lte=counting.year
    )
    return {
        "operating": ExpressionWrapper(operating_on(day), output_field=BooleanField()),
        "expected": ExpressionWrapper(operated_during(counting.year), output_field=BooleanField()),
        "counted": ExpressionWrapper(Q(counted_return__isnull=False), output_field=BooleanField()),
        "has_return": ExpressionWrapper(Q(any_return__isnull=False), output_field=BooleanField()),
        "party": _organisation_exists(active & Q(kind=kinds.PARTY)),
        "union": _organisation_exists(active & Q(kind=kinds.TRADE_UNION)),
        "youth": _organisation_exists(active & Q(kind=kinds.YOUTH_UNION)),
        "women": _organisation_exists(active & Q(kind=kinds.WOMEN_UNION)),
        "party_founded": _organisation_exists(
            Q(kind=kinds.PARTY, founded_on__range=_during(counting))
        ),
        "party_dissolved": _organisation_exists(
            Q(kind=kinds.PARTY, dissolved_on__range=_during(counting))
        ),
        "union_founded": _organisation_exists(
            Q(kind=kinds.TRADE_UNION, founded_on__range=_during(counting))
        ),
        "youth_founded": _organisation_exists(
            Q(kind=kinds.YOUTH_UNION, founded_on__range=_during(counting))
        ),
        "known": Exists(counted_before),
        "latest_party": _latest_counted(counting, PARTY_ORGANISATION),
        "latest_union": _latest_counted(counting, TRADE_UNION),
    }


FACTS = tuple(fact_expressions(Counting(2000)))
"""The names of the facts, in a fixed order."""


def for_year(enterprises: QuerySet[Enterprise], counting: Counting) -> QuerySet[Enterprise]:
    """The enterprises with the year's counted return joined as `counted_return` and any return
    of the year as `any_return`: what the facts and the sums read."""
    return enterprises.annotate(
        counted_return=FilteredRelation(
            "returns", condition=Q(returns__year=counting.year) & counting.counted("returns__")
        ),
        any_return=FilteredRelation("returns", condition=Q(returns__year=counting.year)),
    )


# -- Conditions -------------------------------------------------------------------------------


class Condition:
    """A formula over the facts, with AND (&), OR (|) and NOT (~)."""

    def __and__(self, other: "Condition") -> "Condition":
        return _Join("AND", self, other)

    def __or__(self, other: "Condition") -> "Condition":
        return _Join("OR", self, other)

    def __invert__(self) -> "Condition":
        return _Not(self)

    def q(self, expressions: dict) -> Q:
        """The filter on an enterprise queryset annotated by for_year."""
        raise NotImplementedError

    def sql(self, column) -> str:
        """The SQL over a row whose columns hold the facts (`column(name)` quotes one); a NULL
        fact (an unknown latest figure) is not true."""
        raise NotImplementedError


@dataclass(frozen=True)
class Fact(Condition):
    name: str

    def q(self, expressions: dict) -> Q:
        expression = expressions[self.name]
        if isinstance(expression, ExpressionWrapper):
            return expression.expression
        return Q(expression)  # a boolean Exists or Subquery

    def sql(self, column) -> str:
        return f"COALESCE({column(self.name)}, FALSE)"


@dataclass(frozen=True)
class _Join(Condition):
    connector: str
    left: Condition
    right: Condition

    def q(self, expressions: dict) -> Q:
        left, right = self.left.q(expressions), self.right.q(expressions)
        return left & right if self.connector == "AND" else left | right

    def sql(self, column) -> str:
        return f"({self.left.sql(column)} {self.connector} {self.right.sql(column)})"


@dataclass(frozen=True)
class _Not(Condition):
    condition: Condition

    def q(self, expressions: dict) -> Q:
        return ~self.condition.q(expressions)

    def sql(self, column) -> str:
        return f"(NOT {self.condition.sql(column)})"


OPERATING, EXPECTED, COUNTED, HAS_RETURN = map(
    Fact, ("operating", "expected", "counted", "has_return")
)
PARTY, UNION, YOUTH, WOMEN = map(Fact, ("party", "union", "youth", "women"))
KNOWN, LATEST_PARTY, LATEST_UNION = map(Fact, ("known", "latest_party", "latest_union"))


# -- The figures ------------------------------------------------------------------------------

REGISTRY = "registry"
"""Counted from the registry (enterprises and organisations by their dates): complete."""
YEAR_RETURNS = "year_returns"
"""Counted from the year's returns: as complete as the year's returns are."""
LATEST_RETURNS = "latest_returns"
"""Needs a figure from a return: the latest counted one up to the year; complete as far as
every enterprise has one."""


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    condition: Condition
    source: str = REGISTRY
    field: str = ""
    """For a sum: the return's field it adds up (over the enterprises of `condition`)."""
    unknown: Condition | None = None
    """For a figure from the latest returns: the enterprises of its population (those operating)
    it cannot tell about, for lack of an accepted return."""
    definition: Promise = ""

    @property
    def is_sum(self) -> bool:
        return bool(self.field)


def _figures(*figures: Figure) -> dict[str, Figure]:
    return {figure.key: figure for figure in figures}


FIGURES = _figures(
    Figure(
        "enterprises_operating",
        _("Enterprises operating"),
        OPERATING,
        definition=_("Enterprises in the registry operating on 31 December."),
    ),
    Figure(
        "enterprises_with_party_org",
        _("Enterprises with a party organisation"),
        OPERATING & PARTY,
        definition=_(
            "Enterprises operating on 31 December with a party organisation active that day "
            "(by its founding and dissolution dates)."
        ),
    ),
    Figure(
        "enterprises_with_trade_union",
        _("Enterprises with a trade union"),
        OPERATING & UNION,
        definition=_("Enterprises operating on 31 December with a trade union active that day."),
    ),
    Figure(
        "enterprises_with_youth_union",
        _("Enterprises with a youth union"),
        OPERATING & YOUTH,
        definition=_("Enterprises operating on 31 December with a youth union active that day."),
    ),
    Figure(
        "enterprises_with_women_union",
        _("Enterprises with a women's union"),
        OPERATING & WOMEN,
        definition=_("Enterprises operating on 31 December with a women's union active that day."),
    ),
    Figure(
        "union_eligible",
        _("Enterprises eligible for a trade union"),
        OPERATING & (UNION | LATEST_UNION),
        source=LATEST_RETURNS,
        unknown=OPERATING & ~UNION & ~KNOWN,
        definition=_(
            "Enterprises operating on 31 December that have a trade union, or whose latest "
            "accepted return up to the year counts at least 5 employees or 5 union members."
        ),
    ),
    Figure(
        "eligible_without_party_org",
        _("Enterprises with 3 or more party members and no party organisation"),
        OPERATING & ~PARTY & LATEST_PARTY,
        source=LATEST_RETURNS,
        unknown=OPERATING & ~PARTY & ~KNOWN,
        definition=_(
            "Enterprises operating on 31 December without a party organisation whose latest "
            "accepted return up to the year counts at least 3 party members."
        ),
    ),
    Figure(
        "union_without_party_org",
        _("Enterprises with a trade union but no party organisation"),
        OPERATING & UNION & ~PARTY,
        definition=_(
            "Enterprises operating on 31 December with a trade union and no party organisation."
        ),
    ),
    Figure(
        "eligible_without_union",
        _("Enterprises meeting the trade union threshold, without a trade union"),
        OPERATING & ~UNION & LATEST_UNION,
        source=LATEST_RETURNS,
        unknown=OPERATING & ~UNION & ~KNOWN,
        definition=_(
            "Enterprises operating on 31 December without a trade union whose latest accepted "
            "return up to the year counts at least 5 employees or 5 union members."
        ),
    ),
    # Sums of the year's accepted returns: over the enterprises operating on 31 December, or,
    # for what happened during the year, over those that operated during it.
    *(
        Figure(
            key,
            label,
            population & COUNTED,
            source=YEAR_RETURNS,
            field=key,
            definition=definition,
        )
        for key, label, population, definition in (
            (
                "employees",
                _("Employees"),
                OPERATING,
                _("Employees in the accepted returns of the enterprises operating on 31 December."),
            ),
            (
                "party_members",
                _("Party members"),
                OPERATING,
                _(
                    "Party members in the accepted returns of the enterprises operating on 31 "
                    "December."
                ),
            ),
            (
                "union_members",
                _("Union members"),
                OPERATING,
                _(
                    "Trade union members in the accepted returns of the enterprises operating on "
                    "31 December."
                ),
            ),
            (
                "new_party_members",
                _("New party members admitted"),
                EXPECTED,
                _(
                    "New party members admitted during the year, in the accepted returns of the "
                    "enterprises that operated during the year (closed ones included)."
                ),
            ),
            (
                "awareness_trainees",
                _("Party-awareness course graduates"),
                EXPECTED,
                _(
                    "Party-awareness course graduates of the year, in the accepted returns of "
                    "the enterprises that operated during the year (closed ones included)."
                ),
            ),
        )
    ),
    *(
        Figure(key, label, Fact(fact), definition=definition)
        for key, label, fact, definition in (
            (
                "party_orgs_founded",
                _("Party organisations founded"),
                "party_founded",
                _("Enterprises where a party organisation was founded during the year."),
            ),
            (
                "party_orgs_dissolved",
                _("Party organisations dissolved"),
                "party_dissolved",
                _("Enterprises where a party organisation was dissolved during the year."),
            ),
            (
                "unions_founded",
                _("Trade unions founded"),
                "union_founded",
                _("Enterprises where a trade union was founded during the year."),
            ),
            (
                "youth_unions_founded",
                _("Youth unions founded"),
                "youth_founded",
                _("Enterprises where a youth union was founded during the year."),
            ),
        )
    ),
    Figure(
        "returns_expected",
        _("Returns expected"),
        EXPECTED,
        definition=_("Enterprises that operated on at least one day of the year."),
    ),
    Figure(
        "returns_accepted",
        _("Returns accepted"),
        EXPECTED & COUNTED,
        source=YEAR_RETURNS,
        definition=_("Expected returns that are accepted (by the cut-off date)."),
    ),
    Figure(
        "returns_not_accepted",
        _("Returns not yet accepted"),
        EXPECTED & HAS_RETURN & ~COUNTED,
        definition=_("Expected returns entered but not accepted (by the cut-off date)."),
    ),
    Figure(
        "returns_missing",
        _("Returns missing"),
        EXPECTED & ~HAS_RETURN,
        definition=_("Expected returns not entered at all."),
    ),
)


UNKNOWN = "__unknown"
"""The suffix of the count of the enterprises a figure from the latest returns cannot tell
about (Figure.unknown)."""
COUNTS = {
    **{key: figure.condition for key, figure in FIGURES.items()},
    **{key + UNKNOWN: figure.unknown for key, figure in FIGURES.items() if figure.unknown},
}
"""Everything a year's figures count, by name: each figure and what it cannot tell about."""


@dataclass(frozen=True)
class Share:
    key: str
    numerator: str
    denominator: str


SHARES = {
    "party_org_coverage_pct": Share(
        "party_org_coverage_pct", "enterprises_with_party_org", "enterprises_operating"
    ),
    "union_coverage_pct": Share(
        "union_coverage_pct", "enterprises_with_trade_union", "union_eligible"
    ),
}
SHARE_DEFINITIONS = {
    "party_org_coverage_pct": _(
        "Enterprises with a party organisation ÷ enterprises operating, on 31 December."
    ),
    "union_coverage_pct": _(
        "Enterprises with a trade union ÷ enterprises eligible for one (with a trade union, or "
        "at least 5 employees or 5 union members in their latest accepted return up to the "
        "year), on 31 December."
    ),
}


def figure_condition(figure: str, counting: Counting) -> Q:
    """On for_year: the enterprises a figure counts (for a sum, those that add to it: none
    that add zero)."""
    definition = FIGURES[figure]
    condition = definition.condition.q(fact_expressions(counting))
    if definition.is_sum:
        condition &= Q(**{f"counted_return__{definition.field}__gt": 0})
    return condition
