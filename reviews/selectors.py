"""Reads of returns and reviews, and the programme's assessment, always within the viewer's
scope (enterprises.selectors decides it)."""

import datetime
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from coordination.cache import cached
from coordination.models import MAX_YEAR, MIN_YEAR, ContentArea, Indicator, Programme, Task
from coordination.roles import is_reviewer, sees_everything
from enterprises.models import Enterprise, Organisation, Zone
from enterprises.selectors import (
    has_organisation_on,
    official_zone_ids,
    operating_on,
    organisations_active_on,
    scope_key,
    visible_enterprises,
    visible_returns,
    visible_zones,
    with_year_return,
    year_end,
    zones_with_descendants,
)

from .models import AnnualReturn, OrganisationRating, ProgrammeReview

# Assessment

PARTY_CELL_THRESHOLD = 3
"""Full party members an enterprise needs to found a party organisation of its own."""
UNION_THRESHOLD = 5
"""Employees (or union members) an enterprise needs to found a trade union."""

CENT = Decimal("0.01")
ACCEPTED = AnnualReturn.Status.ACCEPTED
NOT_ACCEPTED = (
    AnnualReturn.Status.DRAFT,
    AnnualReturn.Status.SUBMITTED,
    AnnualReturn.Status.RETURNED,
)

NO_RETURN = "none"
SIZE_BANDS = {
    "lt50": _("Under 50"),
    "50_299": _("50–299"),
    "300_499": _("300–499"),
    "500plus": _("500 and more"),
    NO_RETURN: _("No accepted return"),
}
"""Workforce size bands by the employees of the year's accepted return, keyed as the enterprise
list's `size_band` filter."""

STATUS_MET = "met"
STATUS_ON_TRACK = "on_track"
STATUS_BEHIND = "behind"
STATUS_NO_DATA = "no_data"
INDICATOR_STATUSES = {
    STATUS_MET: _("Met"),
    STATUS_ON_TRACK: _("On track"),
    STATUS_BEHIND: _("Behind"),
    STATUS_NO_DATA: _("No data"),
}

SERIES_FIGURES = (
    "enterprises_operating",
    "employees",
    "enterprises_with_party_org",
    "party_members",
    "enterprises_with_trade_union",
    "union_members",
    "new_party_members",
)


def share(numerator: int, denominator: int) -> dict:
    """A share shown as `70 / 91 = 76.92 %`: computed in Decimal, rounded half-up to two
    decimals, never stored; `pct` is None when there is nothing to divide by."""
    pct = None
    if denominator:
        pct = _decimal_str(Decimal(numerator) * 100 / Decimal(denominator))
    return {"numerator": numerator, "denominator": denominator, "pct": pct}


def _decimal_str(value) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _source_text(label) -> str:
    """A choice label in the source language: the assessment is stored, so it holds no
    translation; templates translate by key."""
    with translation.override(None):
        return str(label)


def progress_pct(*, actual, baseline, goal) -> str | None:
    """How far the actual has come from the baseline toward the goal, in percent: the same
    formula serves both directions, since (a − b) / (g − b) = (b − a) / (b − g)."""
    if actual is None or goal is None or goal == baseline:
        return None
    return _decimal_str((Decimal(actual) - baseline) * 100 / (goal - baseline))


def indicator_status(*, direction: str, actual, target_year, target_end) -> str:
    """`no_data` without an actual; `met` when the actual reaches the end-of-programme target;
    `on_track` when it reaches the year's target; `behind` otherwise. "Reaches" is ≥ for an
    indicator where up is good and ≤ where down is good."""
    if actual is None:
        return STATUS_NO_DATA

    def reaches(goal) -> bool:
        return actual >= goal if direction == Indicator.Direction.UP else actual <= goal

    if reaches(target_end):
        return STATUS_MET
    if target_year is not None and reaches(target_year):
        return STATUS_ON_TRACK
    return STATUS_BEHIND


def _with_year_return(enterprises: QuerySet[Enterprise], year: int) -> QuerySet[Enterprise]:
    """Joins each enterprise's return for the year (at most one: unique per enterprise and year)."""
    return enterprises.annotate(
        year_return=FilteredRelation("returns", condition=Q(returns__year=year))
    )


def _has(kind: str, day: datetime.date) -> Q:
    return Q(has_organisation_on(kind, day))


ACCEPTED_RETURN = Q(year_return__status=ACCEPTED)
MEETS_PARTY_THRESHOLD = ACCEPTED_RETURN & Q(year_return__party_members__gte=PARTY_CELL_THRESHOLD)
"""On _with_year_return: the accepted return counts enough party members for a party cell."""
MEETS_UNION_THRESHOLD = ACCEPTED_RETURN & (
    Q(year_return__employees__gte=UNION_THRESHOLD)
    | Q(year_return__union_members__gte=UNION_THRESHOLD)
)
"""On _with_year_return: the accepted return counts enough employees or union members for a
trade union."""


BREAKDOWN_COUNTS = (
    "enterprises",
    "employees",
    "with_party_org",
    "party_members",
    "with_trade_union",
    "union_members",
)
"""The counts in a row of a breakdown (besides its two coverage shares)."""
YEAR_FIGURES = (
    *BREAKDOWN_COUNTS,
    "union_eligible",
    "with_youth_union",
    "with_women_union",
    "eligible_without_party_org",
    "accepted",
    "not_accepted",
)


SIZE_BAND = Case(
    When(ACCEPTED_RETURN & Q(year_return__employees__lt=50), then=Value("lt50")),
    When(ACCEPTED_RETURN & Q(year_return__employees__lt=300), then=Value("50_299")),
    When(ACCEPTED_RETURN & Q(year_return__employees__lt=500), then=Value("300_499")),
    When(ACCEPTED_RETURN, then=Value("500plus")),
    default=Value(NO_RETURN),
)
"""On _with_year_return: the workforce size band by the accepted return's employees."""


def _no_figures() -> dict:
    return dict.fromkeys(YEAR_FIGURES, 0)


def _organisation_flags(year: int) -> dict:
    """Whether an enterprise has a party organisation and a trade union on 31 December: the
    figures need both in several ways, so they are grouping keys, evaluated once per query."""
    day = year_end(year)
    return {
        "party": has_organisation_on(Organisation.Kind.PARTY, day),
        "union": has_organisation_on(Organisation.Kind.TRADE_UNION, day),
    }


def _figure_groups(operating: QuerySet[Enterprise], year: int) -> list[dict]:
    """The year's figures of the operating enterprises (joined to their return by
    _with_year_return) grouped by zone, ownership, size band and the organisations they have,
    in one query: the totals and every breakdown are sums of these groups.

    Union coverage counts against the enterprises eligible for a trade union: those with one,
    and those whose accepted return meets the founding threshold (5 employees or 5 union
    members), so that the numerator never exceeds the denominator."""

    day = year_end(year)

    def accepted_sum(field: str) -> Coalesce:
        return Coalesce(Sum(f"year_return__{field}", filter=ACCEPTED_RETURN), 0)

    rows = (
        operating.values("zone", "ownership", band=SIZE_BAND, **_organisation_flags(year))
        .annotate(
            enterprises=Count("pk"),
            with_youth_union=Count("pk", filter=_has(Organisation.Kind.YOUTH_UNION, day)),
            with_women_union=Count("pk", filter=_has(Organisation.Kind.WOMEN_UNION, day)),
            employees=accepted_sum("employees"),
            party_members=accepted_sum("party_members"),
            union_members=accepted_sum("union_members"),
            accepted=Count("pk", filter=ACCEPTED_RETURN),
            not_accepted=Count("pk", filter=Q(year_return__status__in=NOT_ACCEPTED)),
            meets_party=Count("pk", filter=MEETS_PARTY_THRESHOLD),
            meets_union=Count("pk", filter=MEETS_UNION_THRESHOLD),
        )
        .order_by()
    )
    return [
        row
        | {
            "with_party_org": row["enterprises"] if row["party"] else 0,
            "with_trade_union": row["enterprises"] if row["union"] else 0,
            "union_eligible": row["enterprises"] if row["union"] else row["meets_union"],
            "eligible_without_party_org": 0 if row["party"] else row["meets_party"],
        }
        for row in rows
    ]


def _sum_groups(groups: list[dict], key) -> dict:
    """The groups' figures summed by key(group)."""
    sums: dict = {}
    for group in groups:
        total = sums.setdefault(key(group), _no_figures())
        for name in total:
            total[name] += group[name]
    return sums


def _breakdown_row(key, label: str, figures: dict | None) -> dict:
    figures = figures or _no_figures()
    return {
        "key": key,
        "label": label,
        **{name: figures[name] for name in BREAKDOWN_COUNTS},
        "party_coverage": share(figures["with_party_org"], figures["enterprises"]),
        "union_coverage": share(figures["with_trade_union"], figures["union_eligible"]),
    }


def _top_zones(user) -> tuple[list[dict], dict[int, int]]:
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


def _breakdowns(groups: list[dict], zones: tuple[list[dict], dict[int, int]]) -> dict:
    """Rows by top-level zone (each with the parks inside it), by ownership and by workforce
    size band, every row listed even when empty."""
    top_zones, top_of = zones
    by_zone = _sum_groups(groups, lambda group: top_of[group["zone"]])
    by_ownership = _sum_groups(groups, lambda group: group["ownership"])
    by_band = _sum_groups(groups, lambda group: group["band"])
    return {
        "zone": [_breakdown_row(z["pk"], z["name"], by_zone.get(z["pk"])) for z in top_zones],
        "ownership": [
            _breakdown_row(key, _source_text(label), by_ownership.get(key))
            for key, label in Enterprise.Ownership.choices
        ],
        "size_band": [
            _breakdown_row(key, _source_text(label), by_band.get(key))
            for key, label in SIZE_BANDS.items()
        ],
    }


def _series_years(programme: Programme, indicators: list[Indicator], year: int) -> list[int]:
    first = min([programme.start_year, year, *(i.baseline_year for i in indicators)])
    return list(range(first, year + 1))


def _through_enterprise(condition: Q) -> Q:
    """An Enterprise condition (operating_on) asked of a related row's `enterprise`, so that it
    joins instead of running a subquery."""
    return Q(
        *(
            _through_enterprise(child)
            if isinstance(child, Q)
            else (f"enterprise__{child[0]}", child[1])
            for child in condition.children
        ),
        _connector=condition.connector,
        _negated=condition.negated,
    )


def _organisation_figures(enterprises: QuerySet[Enterprise], *, year: int, years: list[int]):
    """From the organisations, in one query: those founded and dissolved during the year (by
    their dates), and for each year the operating enterprises with a party organisation or a
    trade union on 31 December."""
    during = (datetime.date(year, 1, 1), year_end(year))
    kind = Organisation.Kind
    stock = {
        f"{figure}_{y}": Count(
            "enterprise",
            distinct=True,
            filter=Q(kind=organisation_kind)
            & organisations_active_on(year_end(y))
            & _through_enterprise(operating_on(year_end(y))),
        )
        for y in years
        for figure, organisation_kind in (
            ("enterprises_with_party_org", kind.PARTY),
            ("enterprises_with_trade_union", kind.TRADE_UNION),
        )
    }
    return Organisation.objects.filter(enterprise__in=enterprises).aggregate(
        party_orgs_founded=Count("pk", filter=Q(kind=kind.PARTY, founded_on__range=during)),
        party_orgs_dissolved=Count("pk", filter=Q(kind=kind.PARTY, dissolved_on__range=during)),
        unions_founded=Count("pk", filter=Q(kind=kind.TRADE_UNION, founded_on__range=during)),
        youth_unions_founded=Count("pk", filter=Q(kind=kind.YOUTH_UNION, founded_on__range=during)),
        **stock,
    )


def _series(
    enterprises: QuerySet[Enterprise], years: list[int], organisations: dict
) -> dict[int, dict]:
    """The main figures for each year, in two queries besides the organisations' (however many
    years and enterprises): operating enterprises, and the sums of accepted returns (stock sums
    from operating enterprises only; flows from every enterprise in scope, including those that
    closed during the year)."""
    series = {y: dict.fromkeys(SERIES_FIGURES, 0) | {"awareness_trainees": 0} for y in years}
    operating_counts = enterprises.aggregate(
        **{str(y): Count("pk", filter=operating_on(year_end(y))) for y in years}
    )
    stock_rows = Q(
        *(Q(year=y) & _through_enterprise(operating_on(year_end(y))) for y in years),
        _connector=Q.OR,
    )
    return_sums = (
        AnnualReturn.objects.filter(status=ACCEPTED, year__in=years, enterprise__in=enterprises)
        .values("year")
        .annotate(
            employees=Sum("employees", filter=stock_rows),
            party_members=Sum("party_members", filter=stock_rows),
            union_members=Sum("union_members", filter=stock_rows),
            new_party_members=Sum("new_party_members"),
            awareness_trainees=Sum("awareness_trainees"),
        )
        .order_by()
    )
    for y in years:
        series[y]["enterprises_operating"] = operating_counts[str(y)]
        for figure in ("enterprises_with_party_org", "enterprises_with_trade_union"):
            series[y][figure] = organisations[f"{figure}_{y}"]
    for row in return_sums:
        year = row.pop("year")
        series[year].update({name: value or 0 for name, value in row.items()})
    return series


def _ratings(enterprises: QuerySet[Enterprise], year: int) -> dict:
    ratings = {
        kind: dict.fromkeys(OrganisationRating.Rating.values, 0)
        for kind in Organisation.Kind.values
    }
    rows = (
        OrganisationRating.objects.filter(year=year, organisation__enterprise__in=enterprises)
        .values("organisation__kind", "rating")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        ratings[row["organisation__kind"]][row["rating"]] = row["count"]
    return ratings


def _overdue_cutoff(year: int) -> datetime.date:
    """Tasks count as overdue as of the end of the year or today, whichever is earlier
    (Task.is_overdue_on's rule)."""
    return min(year_end(year), timezone.localdate())


def _task_progress(programme: Programme, year: int) -> list[dict]:
    """Tasks per content area by status, overdue as of _overdue_cutoff."""
    cutoff = _overdue_cutoff(year)
    status = Task.Status
    areas = (
        ContentArea.objects.filter(programme=programme)
        .order_by("position")
        .annotate(
            total=Count("tasks"),
            done=Count("tasks", filter=Q(tasks__status=status.DONE)),
            in_progress=Count("tasks", filter=Q(tasks__status=status.IN_PROGRESS)),
            planned=Count("tasks", filter=Q(tasks__status=status.PLANNED)),
            cancelled=Count("tasks", filter=Q(tasks__status=status.CANCELLED)),
            overdue=Count(
                "tasks",
                filter=Q(
                    tasks__status__in=(status.PLANNED, status.IN_PROGRESS),
                    tasks__due_on__lt=cutoff,
                ),
            ),
        )
        .values(
            "pk",
            "position",
            "title",
            "total",
            "done",
            "in_progress",
            "planned",
            "cancelled",
            "overdue",
        )
    )
    return [{"content_area_id": area.pop("pk"), **area} for area in areas]


def _indicator_rows(
    indicators: list[Indicator], *, programme: Programme, year: int, metrics: dict, reported: bool
) -> list[dict]:
    """Each indicator against its baseline and targets. The year's target is its
    IndicatorTarget, or in the programme's last year (and after) the end target; the percentage
    of target measures progress from the baseline toward the year's target (the end target
    when the year has none). A computed indicator has no actual while no return of the year
    is accepted; a manual one takes the actual typed into its target for the year."""
    rows = []
    for indicator in indicators:
        yearly = next((t for t in indicator.targets.all() if t.year == year), None)
        target_year = yearly.value if yearly else None
        if target_year is None and year >= programme.end_year:
            target_year = indicator.target_value
        if indicator.metric == Indicator.Metric.MANUAL:
            actual = yearly.actual_value if yearly else None
        else:
            actual = metrics.get(indicator.metric) if reported else None
            if isinstance(actual, dict):
                actual = actual["pct"]
            actual = None if actual is None else Decimal(actual)
        goal = target_year if target_year is not None else indicator.target_value
        rows.append(
            {
                "id": indicator.pk,
                "code": indicator.code,
                "name": indicator.name,
                "metric": indicator.metric,
                "direction": indicator.direction,
                "baseline_year": indicator.baseline_year,
                "baseline_value": _decimal_str(indicator.baseline_value),
                "target_year": _decimal_str(target_year),
                "target_end": _decimal_str(indicator.target_value),
                "actual": _decimal_str(actual),
                "change": None
                if actual is None
                else _decimal_str(actual - indicator.baseline_value),
                "pct_of_target": progress_pct(
                    actual=actual, baseline=indicator.baseline_value, goal=goal
                ),
                "status": indicator_status(
                    direction=indicator.direction,
                    actual=actual,
                    target_year=target_year,
                    target_end=indicator.target_value,
                ),
            }
        )
    return rows


def assessment(*, programme: Programme, year: int, user) -> dict:
    """The programme's figures for a year within the viewer's scope, JSON-serialisable (a final
    review freezes it; the shape is a contract with the printed report, see the team brief).

    - Stock figures stand on 31 December of the year and count the enterprises operating that
      day (operating_on) and the organisations active that day, by their dates; employees and
      member counts come from those enterprises' accepted returns of the year only.
    - Flows count what happened during the year: organisations by their founding and
      dissolution dates, new party members and course graduates from the year's accepted
      returns of every enterprise in scope, including one that closed during the year.
    - Party-organisation coverage is over the operating enterprises; trade-union coverage over
      those eligible for a union (see _figure_groups).
    - Returns: expected are the operating enterprises; not_accepted have a return in another
      status; missing have none.
    - The zone breakdown has a row per top-level zone the viewer sees, each including the parks
      inside it (as the enterprise list's `zone` filter does).
    - Indicators: see _indicator_rows and indicator_status.

    A fixed number of aggregate queries, however many enterprises, zones or years."""
    day = year_end(year)
    enterprises = visible_enterprises(user)
    operating = _with_year_return(enterprises.filter(operating_on(day)), year)
    groups = _figure_groups(operating, year)
    totals = _sum_groups(groups, lambda group: "all").get("all") or _no_figures()
    zones = _top_zones(user)
    indicators = list(programme.indicators.prefetch_related("targets").order_by("code"))
    years = _series_years(programme, indicators, year)
    organisations = _organisation_figures(enterprises, year=year, years=years)
    series = _series(enterprises, years, organisations)
    metrics = {
        "enterprises_operating": totals["enterprises"],
        "employees": totals["employees"],
        "enterprises_with_party_org": totals["with_party_org"],
        "party_members": totals["party_members"],
        "enterprises_with_trade_union": totals["with_trade_union"],
        "union_members": totals["union_members"],
        "enterprises_with_youth_union": totals["with_youth_union"],
        "enterprises_with_women_union": totals["with_women_union"],
        "eligible_without_party_org": totals["eligible_without_party_org"],
        "party_org_coverage_pct": share(totals["with_party_org"], totals["enterprises"]),
        "union_coverage_pct": share(totals["with_trade_union"], totals["union_eligible"]),
        **{
            name: organisations[name]
            for name in (
                "party_orgs_founded",
                "party_orgs_dissolved",
                "unions_founded",
                "youth_unions_founded",
            )
        },
        "new_party_members": series[year]["new_party_members"],
        "awareness_trainees": series[year]["awareness_trainees"],
    }
    return {
        "programme": {
            "id": programme.pk,
            "title": programme.title,
            "start_year": programme.start_year,
            "end_year": programme.end_year,
        },
        "year": year,
        "as_of": day.isoformat(),
        "scope": {
            "all": sees_everything(user),
            "zones": [] if sees_everything(user) else [zone["name"] for zone in zones[0]],
        },
        "returns": {
            "expected": totals["enterprises"],
            "accepted": totals["accepted"],
            "not_accepted": totals["not_accepted"],
            "missing": totals["enterprises"] - totals["accepted"] - totals["not_accepted"],
        },
        "metrics": metrics,
        "indicators": _indicator_rows(
            indicators,
            programme=programme,
            year=year,
            metrics=metrics,
            reported=totals["accepted"] > 0,
        ),
        "breakdowns": _breakdowns(groups, zones),
        "ratings": _ratings(enterprises, year),
        "tasks": _task_progress(programme, year),
        "series": [
            {"year": y, **{name: figures[name] for name in SERIES_FIGURES}}
            for y, figures in series.items()
        ],
    }


def assessment_key(*, programme: Programme, year: int, user) -> str:
    """What an assessment depends on besides the data: the programme, the year, the viewer's
    scope and, through the overdue tasks, today while the year lasts. It holds no translated
    text (templates translate by key), so the language is not part of it."""
    return f"assessment:{programme.pk}:{year}:{scope_key(user)}:{_overdue_cutoff(year)}"


def cached_assessment(*, programme: Programme, year: int, user) -> dict:
    """assessment() for a page, computed once until the next write."""
    return cached(
        assessment_key(programme=programme, year=year, user=user),
        lambda: assessment(programme=programme, year=year, user=user),
    )


# Dashboard

DASHBOARD_ZONES = 15
"""Zones the dashboard's chart and zone table show, the largest; a link shows them all."""


def largest_zones(rows: list[dict], count: int) -> list[dict]:
    """The breakdown's zone rows with the most operating enterprises, largest first (rows of
    the same size keep their name order)."""
    return sorted(rows, key=lambda row: -row["enterprises"])[:count]


REPORT_ZONES = 30
"""Zone rows a printed report lists one by one: a province's zones fit, while the 300 parks of a
national report would take 20 pages (and most of the PDF's time); the review's zone table
export holds them all."""


def report_zone_rows(rows: list[dict]) -> list[dict]:
    """The zone breakdown as a report prints it: every zone when they fit in REPORT_ZONES rows,
    else the largest and a last row that adds up the others, so that the table still sums to
    the totals."""
    if len(rows) <= REPORT_ZONES:
        return rows
    ranked = largest_zones(rows, len(rows))
    shown, others = ranked[: REPORT_ZONES - 1], ranked[REPORT_ZONES - 1 :]

    def total(name: str) -> int:
        return sum(row[name] for row in others)

    def total_share(name: str) -> dict:
        return share(
            sum(row[name]["numerator"] for row in others),
            sum(row[name]["denominator"] for row in others),
        )

    label = ngettext("%(count)s other zone", "%(count)s other zones", len(others)) % {
        "count": len(others)
    }
    added_up = {name: total(name) for name in BREAKDOWN_COUNTS}
    coverage = {name: total_share(name) for name in ("party_coverage", "union_coverage")}
    return [*shown, {"key": None, "label": label, **added_up, **coverage}]


ZONE_EXPORT_HEADER = (
    "zone",
    *BREAKDOWN_COUNTS,
    "party_coverage_pct",
    "union_coverage_pct",
)


def zone_export_rows(figures: dict) -> Iterator[list]:
    """The assessment's table by zone (live or frozen), a row per zone."""
    for row in figures["breakdowns"]["zone"]:
        yield [
            row["label"],
            *(row[name] for name in BREAKDOWN_COUNTS),
            *(_pct_value(row[name]["pct"]) for name in ("party_coverage", "union_coverage")),
        ]


def _pct_value(pct: str | None) -> Decimal | None:
    """A share's percentage as a number a spreadsheet can sum (None: nothing to divide by)."""
    return None if pct is None else Decimal(pct)


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
        "min_party_members": str(PARTY_CELL_THRESHOLD),
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


def assessment_year(*, programme: Programme, user, requested: str | None = None) -> int:
    """The year asked for if it is one of the programme's, else the latest programme year with
    an accepted return in the viewer's scope, else the current year within the programme."""
    if requested and requested.isdigit() and int(requested) in programme.years:
        return int(requested)
    today = timezone.localdate()
    latest = cached(
        f"latest-accepted-year:{programme.pk}:{scope_key(user)}",
        lambda: _latest_accepted_year(programme=programme, user=user),
    )
    return latest or min(max(today.year, programme.start_year), programme.end_year)


def _latest_accepted_year(*, programme: Programme, user) -> int | None:
    accepted = visible_returns(user).filter(
        status=ACCEPTED, year__range=(programme.start_year, programme.end_year)
    )
    return accepted.aggregate(latest=Max("year"))["latest"]


# Gap lists

GAP_PARTY_CELL = "eligible_without_party_org"
GAP_UNION_WITHOUT_PARTY = "union_without_party_org"
GAP_UNION = "eligible_without_union"
GAP_LABELS = {
    GAP_PARTY_CELL: _("Eligible to found a party cell, still without a party organisation"),
    GAP_UNION_WITHOUT_PARTY: _("With a trade union but no party organisation"),
    GAP_UNION: _("Meeting the trade union founding threshold, without a trade union"),
}
GAP_PAGE_ROWS = 50
"""Enterprises of a gap shown per page; the export holds them all."""


def gap_conditions(year: int) -> dict[str, Q]:
    """On _with_year_return of operating enterprises: the three gaps as they stand on 31
    December of the year. A party cell needs 3 party members in the accepted return; a trade
    union 5 employees or 5 union members."""
    day = year_end(year)
    party = _has(Organisation.Kind.PARTY, day)
    union = _has(Organisation.Kind.TRADE_UNION, day)
    return {
        GAP_PARTY_CELL: MEETS_PARTY_THRESHOLD & ~party,
        GAP_UNION_WITHOUT_PARTY: union & ~party,
        GAP_UNION: MEETS_UNION_THRESHOLD & ~union,
    }


def _operating_with_return(user, year: int) -> QuerySet[Enterprise]:
    return _with_year_return(visible_enterprises(user).filter(operating_on(year_end(year))), year)


def gap_enterprises(*, user, year: int, gap: str, zone: Zone | None = None) -> QuerySet[Enterprise]:
    """The operating enterprises in the viewer's scope (and in the zone with the parks inside
    it, if given) with the gap, by zone and name, each with its zone and the figures of its
    accepted return."""
    accepted = ACCEPTED_RETURN
    enterprises = _operating_with_return(user, year)
    if zone is not None:
        enterprises = enterprises.filter(zone_id__in=zones_with_descendants({zone.pk}))
    return (
        enterprises.filter(gap_conditions(year)[gap])
        .select_related("zone")
        .annotate(
            employees=Case(When(accepted, then=F("year_return__employees"))),
            party_members=Case(When(accepted, then=F("year_return__party_members"))),
            union_members=Case(When(accepted, then=F("year_return__union_members"))),
        )
        .order_by("zone__name", "zone", "name", "pk")
    )


def _gaps_of(group: dict) -> dict[str, int]:
    """gap_conditions counted on a group of enterprises that share their organisations."""
    no_party = not group["party"]
    return {
        GAP_PARTY_CELL: group["meets_party"] if no_party else 0,
        GAP_UNION_WITHOUT_PARTY: group["enterprises"] if group["union"] and no_party else 0,
        GAP_UNION: 0 if group["union"] else group["meets_union"],
    }


def gap_counts_key(*, user, year: int) -> str:
    """What the gap counts depend on besides the data."""
    return f"gap-counts:{year}:{scope_key(user)}"


def gap_counts(*, user, year: int) -> dict:
    """Each gap counted in all and per top-level zone the viewer sees (with the parks inside it,
    as the enterprise list's zone filter counts them), leaving out the zones without any gap;
    in one query for the counts, cached until the next write."""
    return cached(gap_counts_key(user=user, year=year), lambda: _gap_counts(user, year))


def _gap_counts(user, year: int) -> dict:
    flags = _organisation_flags(year)
    groups = (
        _operating_with_return(user, year)
        .values("zone", party=flags["party"], union=flags["union"])
        .annotate(
            enterprises=Count("pk"),
            meets_party=Count("pk", filter=MEETS_PARTY_THRESHOLD),
            meets_union=Count("pk", filter=MEETS_UNION_THRESHOLD),
        )
        .order_by()
    )
    top_zones, top_of = _top_zones(user)
    totals = dict.fromkeys(GAP_LABELS, 0)
    by_zone: dict[int, dict[str, int]] = {}
    for group in groups:
        zone_counts = by_zone.setdefault(top_of[group["zone"]], dict.fromkeys(GAP_LABELS, 0))
        for gap, count in _gaps_of(group).items():
            zone_counts[gap] += count
            totals[gap] += count
    zones = []
    for zone in top_zones:
        counts = by_zone.get(zone["pk"], {})
        if any(counts.values()):
            zones.append(
                {
                    "pk": zone["pk"],
                    "name": zone["name"],
                    "counts": [{"gap": gap, "count": count} for gap, count in counts.items()],
                }
            )
    return {"totals": totals, "zones": zones}


GAP_EXPORT_HEADER = (
    "gap",
    "zone",
    "tax_code",
    "name",
    "ownership",
    "employees",
    "party_members",
    "union_members",
)


def gap_export_rows(*, user, year: int) -> Iterator[list]:
    """Every enterprise of the three gap lists, a row each, streamed in chunks."""
    for gap in GAP_LABELS:
        for enterprise in gap_enterprises(user=user, year=year, gap=gap).iterator(chunk_size=2000):
            yield [
                gap,
                enterprise.zone.name,
                enterprise.tax_code,
                enterprise.name,
                enterprise.ownership,
                enterprise.employees,
                enterprise.party_members,
                enterprise.union_members,
            ]


# Annual returns


TODO_ITEMS = 10


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


def organisations_to_rate(*, enterprise: Enterprise, year: int) -> list[Organisation]:
    """The enterprise's organisations active during the year, and any other with a rating for
    it; each carries `year_rating` (or None) and `active_in_year`."""
    rated = OrganisationRating.objects.filter(organisation=OuterRef("pk"), year=year)
    return list(
        enterprise.organisations.annotate(
            year_rating=Subquery(rated.values("rating")[:1]),
            active_in_year=ExpressionWrapper(
                organisations_active_during(year), output_field=BooleanField()
            ),
        )
        .filter(Q(active_in_year=True) | Exists(rated))
        .order_by("kind", "founded_on", "pk")
    )


def last_change(annual_return: AnnualReturn):
    """The history row of the return's latest save: who saved it and when."""
    return annual_return.history.select_related("history_user").first()


def return_as_opened(*, annual_return: AnnualReturn, version: int) -> tuple:
    """The return (a history row) and its ratings by organisation pk as they stood at
    `version`, for a refused stale save. Ratings are saved just after the return's row, so
    they are read as of the next version's save. (None, {}) where the history ends earlier."""
    records = {
        record.version: record
        for record in annual_return.history.filter(version__in=(version, version + 1))
    }
    opened, following = records.get(version), records.get(version + 1)
    if opened is None or following is None:
        return None, {}
    ratings = OrganisationRating.history.as_of(following.history_date).filter(
        organisation__enterprise_id=annual_return.enterprise_id, year=annual_return.year
    )
    return opened, {rating.organisation_id: rating.rating for rating in ratings}


def return_queue(
    *, user, year: int | None = None, status: str = "", zone: Zone | None = None
) -> QuerySet[AnnualReturn]:
    """Returns the user may see, submitted ones first (oldest submission first), then by year."""
    returns = visible_returns(user)
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


def _status_label(status: str | None) -> str:
    return AnnualReturn.Status(status).label if status else gettext("No return")


def todo_for(*, user, year: int | None = None) -> dict:
    """What the user should do next: for an official, the operating enterprises of their zones
    whose return for the year is missing, a draft or returned; for a reviewer, the returns
    waiting for review. Counts, and the first few items of each list, cached until the next
    write per user and role (the zones of an official are data, their groups are not)."""
    year = year or timezone.localdate().year
    todo = cached(f"todo:{year}:{user.pk}:{is_reviewer(user)}", lambda: _todo(user, year))
    if todo["official"]:
        for item in todo["official"]["items"]:
            item["status_label"] = _status_label(item["return_status"])
    return todo


def _todo(user, year: int) -> dict:
    todo: dict = {"year": year, "official": None, "reviewer": None}
    zone_ids = official_zone_ids(user)
    if zone_ids:
        operating = Enterprise.objects.filter(operating_on(year_end(year)), zone_id__in=zone_ids)
        pending = with_year_return(operating, year).filter(
            Q(return_status__isnull=True)
            | Q(return_status__in=[AnnualReturn.Status.DRAFT, AnnualReturn.Status.RETURNED])
        )
        counts = pending.aggregate(
            missing=Count("pk", filter=Q(return_status__isnull=True)),
            draft=Count("pk", filter=Q(return_status=AnnualReturn.Status.DRAFT)),
            returned=Count("pk", filter=Q(return_status=AnnualReturn.Status.RETURNED)),
        )
        first_items = pending.order_by(
            Case(
                When(return_status=AnnualReturn.Status.RETURNED, then=0),
                When(return_status__isnull=True, then=1),
                default=2,
            ),
            "name",
            "pk",
        ).values("pk", "name", "return_status")[:TODO_ITEMS]
        todo["official"] = {
            "counts": counts,
            "total": sum(counts.values()),
            "items": list(first_items),
        }
    if is_reviewer(user):
        waiting = return_queue(user=user, status=AnnualReturn.Status.SUBMITTED)
        todo["reviewer"] = {
            "count": waiting.count(),
            "items": list(waiting.values("enterprise_id", "enterprise__name", "year")[:TODO_ITEMS]),
        }
    return todo


# Programme reviews


def review_issuers(*, review: ProgrammeReview) -> list[dict]:
    """The issuing bodies of a review's report, in signature order (the leading one first), as
    plain data: a final review keeps them in its frozen figures, so that renaming a body later
    does not change a report already filed."""
    signatures = review.signatures.select_related("body__parent").order_by("position")
    return [
        {
            "name": signature.body.name,
            "symbol": signature.body.symbol,
            "document_style": signature.body.document_style,
            "parent": {"name": signature.body.parent.name} if signature.body.parent else None,
        }
        for signature in signatures
    ]
