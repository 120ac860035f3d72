"""The programme's assessment for a year within the viewer's scope: its figures, indicators,
breakdowns, series, ratings and tasks, as plain data that a final review freezes."""

import datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.cache import cached
from coordination.models import ContentArea, Indicator, Programme, Task
from coordination.roles import sees_everything
from enterprises.models import Enterprise, Organisation
from enterprises.selectors import (
    operating_on,
    organisations_active_on,
    scope_key,
    visible_enterprises,
    year_end,
)

from ..models import AnnualReturn, OrganisationRating
from .figures import (
    ACCEPTED,
    ACCEPTED_RETURN,
    BREAKDOWN_COUNTS,
    MEETS_PARTY_THRESHOLD,
    MEETS_UNION_THRESHOLD,
    NO_RETURN,
    NO_RETURN_LABEL,
    NOT_ACCEPTED,
    SIZE_BAND,
    SIZE_BANDS,
    decimal_str,
    has_on,
    organisation_flags,
    share,
    source_text,
    top_zones,
)
from .returns import join_year_return, visible_returns

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


def progress_pct(*, actual, baseline, goal) -> str | None:
    """How far the actual has come from the baseline toward the goal, in percent: the same
    formula serves both directions, since (a − b) / (g − b) = (b − a) / (b − g)."""
    if actual is None or goal is None or goal == baseline:
        return None
    return decimal_str((Decimal(actual) - baseline) * 100 / (goal - baseline))


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


YEAR_FIGURES = (
    *BREAKDOWN_COUNTS,
    "union_eligible",
    "with_youth_union",
    "with_women_union",
    "eligible_without_party_org",
    "accepted",
    "not_accepted",
)


def _no_figures() -> dict:
    return dict.fromkeys(YEAR_FIGURES, 0)


def _figure_groups(operating: QuerySet[Enterprise], year: int) -> list[dict]:
    """The year's figures of the operating enterprises (joined to their return by
    join_year_return) grouped by zone, ownership, size band and the organisations they have,
    in one query: the totals and every breakdown are sums of these groups.

    Union coverage counts against the enterprises eligible for a trade union: those with one,
    and those whose accepted return meets the founding threshold (5 employees or 5 union
    members), so that the numerator never exceeds the denominator."""

    day = year_end(year)

    def accepted_sum(field: str) -> Coalesce:
        return Coalesce(Sum(f"year_return__{field}", filter=ACCEPTED_RETURN), 0)

    rows = (
        operating.values("zone", "ownership", band=SIZE_BAND, **organisation_flags(year))
        .annotate(
            enterprises=Count("pk"),
            with_youth_union=Count("pk", filter=has_on(Organisation.Kind.YOUTH_UNION, day)),
            with_women_union=Count("pk", filter=has_on(Organisation.Kind.WOMEN_UNION, day)),
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
            _breakdown_row(key, source_text(label), by_ownership.get(key))
            for key, label in Enterprise.Ownership.choices
        ],
        "size_band": [
            *(
                _breakdown_row(key, source_text(band.label), by_band.get(key))
                for key, band in SIZE_BANDS.items()
            ),
            _breakdown_row(NO_RETURN, source_text(NO_RETURN_LABEL), by_band.get(NO_RETURN)),
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
                "baseline_value": decimal_str(indicator.baseline_value),
                "target_year": decimal_str(target_year),
                "target_end": decimal_str(indicator.target_value),
                "actual": decimal_str(actual),
                "change": None
                if actual is None
                else decimal_str(actual - indicator.baseline_value),
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
    operating = join_year_return(enterprises.filter(operating_on(day)), year)
    groups = _figure_groups(operating, year)
    totals = _sum_groups(groups, lambda group: "all").get("all") or _no_figures()
    zones = top_zones(user)
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
