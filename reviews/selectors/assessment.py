"""The programme's assessment for a year within the viewer's scope: its figures, indicators,
breakdowns, series, ratings and tasks, as plain data that a final review freezes. Every figure
is defined once, in selectors.definitions."""

import datetime
from dataclasses import dataclass
from operator import itemgetter

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from coordination.cache import Covers, cached, covers
from coordination.models import ContentArea, Indicator, Programme, Task
from coordination.query import parse_int
from coordination.roles import sees_everything
from enterprises.models import Enterprise, Organisation
from enterprises.selectors import official_zone_ids, scope_key, visible_enterprises, year_end

from ..models import OrganisationRating, ZoneTarget
from ..totals import ensure_year
from .definitions import ACCEPTED, FIGURES, SHARES, UNKNOWN, YEAR_RETURNS, Counting
from .figures import (
    BREAKDOWN_FIGURES,
    NO_RETURN,
    NO_RETURN_LABEL,
    SIZE_BANDS,
    no_figures,
    share,
    shares_of,
    source_text,
    sum_groups,
    top_zones,
    year_groups,
)
from .indicators import complete_share, indicator_rows
from .returns import visible_returns
from .totals import GROUPED_BY, counts_to_cut_off, in_zones, kept_counts, kept_ratings

SHAPE = 2
"""The version of the assessment's shape. A final review keeps the shape it was frozen in, and
the templates read every shape (figures without `shape` are shape 1: before the indicators'
"đạt X %", completeness and cut-off dates)."""

SERIES_FIGURES = (
    "enterprises_operating",
    "employees",
    "enterprises_with_party_org",
    "party_members",
    "enterprises_with_trade_union",
    "union_members",
    "new_party_members",
)


@dataclass(frozen=True)
class YearFigures:
    """Every figure of a year (FIGURES and SHARES) in the viewer's scope, and the counts they
    add up from by zone, by ownership and by size band."""

    metrics: dict
    by_zone: dict[int, dict]
    by_ownership: dict[str, dict]
    by_band: dict[str, dict]


def scope_zones(user) -> set[int] | None:
    """The zones of visible_enterprises (None: every zone)."""
    return None if sees_everything(user) else official_zone_ids(user)


def year_figures(*, user, counting: Counting) -> YearFigures:
    """The year's figures in the viewer's scope, cached until a write in its zones and year."""
    return _year_figures(scope_zones(user), scope=scope_key(user), counting=counting)


def province_figures(*, counting: Counting) -> YearFigures:
    """The year's figures of every enterprise: an official's comparison, never linked."""
    return _year_figures(None, scope="all", counting=counting)


def from_totals(counting: Counting) -> bool:
    """Whether the totals give the figures: they count the returns accepted by now (and, less
    the few enterprises recounted, by a cut-off date), not those submitted (a preview)."""
    return not counting.preview


def _year_figures(zones: set[int] | None, *, scope: str, counting: Counting) -> YearFigures:
    def compute() -> YearFigures:
        if from_totals(counting):
            ensure_year(counting.year)
            by = kept_counts(zones, counting.year)
            if counting.cut_off is not None:
                by = counts_to_cut_off(by, zones, counting)
        else:
            groups = year_groups(in_zones(Enterprise.objects.all(), zones), counting)
            by = {name: sum_groups(groups, itemgetter(name)) for name in GROUPED_BY}
        totals = sum_groups(by["zone"].values(), lambda counts: "all").get("all") or no_figures()
        return YearFigures({**totals, **shares_of(totals)}, by["zone"], by["ownership"], by["band"])

    covering = covers(zones, [counting.year])
    return cached(f"year-figures:{scope}:{counting}", compute, covering=covering)


def completeness_of(metrics: dict) -> dict:
    """How complete the figures are: those from the year's returns as the accepted returns of
    the enterprises expected to return it; each from the latest returns as the enterprises
    operating that it can tell about (definitions.Figure.unknown), by figure."""
    operating = metrics["enterprises_operating"]
    return {
        YEAR_RETURNS: share(metrics["returns_accepted"], metrics["returns_expected"]),
        **{
            key: share(operating - metrics[key + UNKNOWN], operating)
            for key, figure in FIGURES.items()
            if figure.unknown
        },
    }


def _breakdown_row(key, label: str, figures: dict | None) -> dict:
    figures = figures or no_figures()
    shares = shares_of(figures)
    return {
        "key": key,
        "label": label,
        **{name: figures[figure] for name, figure in BREAKDOWN_FIGURES.items()},
        "party_coverage": shares["party_org_coverage_pct"],
        "union_coverage": shares["union_coverage_pct"],
    }


def by_top_zone(figures: YearFigures, top_of: dict[int, int]) -> dict:
    """The counts by top-level zone, each with the parks inside it."""
    sums: dict = {}
    for zone, counts in figures.by_zone.items():
        total = sums.setdefault(top_of[zone], no_figures())
        for name, value in counts.items():
            total[name] += value
    return sums


def _breakdowns(figures: YearFigures, zones: tuple[list[dict], dict[int, int]]) -> dict:
    """Rows by top-level zone (each with the parks inside it), by ownership and by workforce
    size band, every row listed even when empty."""
    zones_shown, top_of = zones
    by_zone = by_top_zone(figures, top_of)
    by_ownership = figures.by_ownership
    by_band = figures.by_band
    return {
        "zone": [_breakdown_row(z["pk"], z["name"], by_zone.get(z["pk"])) for z in zones_shown],
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


def assessment_years(programme: Programme) -> range:
    """The years with figures: from the earliest baseline year (or the programme's start) to
    its end."""
    first = min(
        [
            programme.start_year,
            *programme.indicators.values_list("baseline_year", flat=True),
        ]
    )
    return range(first, programme.end_year + 1)


def _ratings(user, counting: Counting) -> dict:
    """The year's ratings of the organisations in the viewer's scope, by kind."""
    ratings = {
        kind: dict.fromkeys(OrganisationRating.Rating.values, 0)
        for kind in Organisation.Kind.values
    }
    if from_totals(counting):  # the totals are built: year_figures read them first
        rows = kept_ratings(scope_zones(user), counting.year)
    else:
        rows = (
            OrganisationRating.objects.filter(
                year=counting.year, organisation__enterprise__in=visible_enterprises(user)
            )
            .values_list("organisation__kind", "rating")
            .annotate(count=Count("pk"))
            .order_by()
        )
    for kind, rating, count in rows:
        ratings[kind][rating] = count
    return ratings


def overdue_cutoff(year: int) -> datetime.date:
    """Tasks count as overdue as of the end of the year or today, whichever is earlier
    (Task.is_overdue_on's rule)."""
    return min(year_end(year), timezone.localdate())


def _task_progress(programme: Programme, year: int) -> list[dict]:
    """Tasks per content area by status, overdue as of overdue_cutoff."""
    cutoff = overdue_cutoff(year)
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


def zone_targets(indicators: list[Indicator], *, user, year: int, end_year: int) -> dict:
    """An official's reference for each indicator that has targets for every top-level zone
    they see: the sum of those zones' targets (a share only for a single zone), for the year and
    the programme's end. Indicators without them are left out: their figures get no status."""
    zones_shown, _top_of = top_zones(user)
    zone_ids = {zone["pk"] for zone in zones_shown}
    if not zone_ids:
        return {}
    targets: dict = {}
    rows = ZoneTarget.objects.filter(
        indicator__in=indicators, zone_id__in=zone_ids, year__in={year, end_year}
    ).values_list("indicator_id", "zone_id", "year", "value")
    for indicator_id, zone_id, target_year, value in rows:
        targets.setdefault((indicator_id, target_year), {})[zone_id] = value
    references = {}
    for indicator in indicators:
        if indicator.metric in SHARES and len(zone_ids) > 1:
            continue
        pair = []
        for target_year in (year, end_year):
            by_zone = targets.get((indicator.pk, target_year), {})
            pair.append(sum(by_zone.values()) if set(by_zone) == zone_ids else None)
        if pair != [None, None]:
            references[indicator.pk] = tuple(pair)
    return references


def assessment(
    *,
    programme: Programme,
    year: int,
    user,
    cut_off: datetime.date | None = None,
    preview: bool = False,
) -> dict:
    """The programme's figures for a year within the viewer's scope, JSON-serialisable (a final
    review freezes it; see SHAPE). The registry counts as it stands on 31 December of the year;
    the returns counted are the year's returns accepted on or before `cut_off` (by now when
    None), and in a `preview` also those submitted. docs/indicators.md defines each figure.

    An official's indicators are judged against their zones' own targets where there are any,
    and `province_indicators` gives the province's totals against the province's targets.
    A fixed number of queries, however many enterprises, zones or years."""
    counting = Counting(year, cut_off, preview)
    figures = year_figures(user=user, counting=counting)
    metrics = figures.metrics
    completeness = completeness_of(metrics)
    zones = top_zones(user)
    indicators = list(programme.indicators.prefetch_related("targets").order_by("code"))
    years = [y for y in assessment_years(programme) if y <= year]
    series = [
        (
            y,
            metrics
            if y == year
            else year_figures(user=user, counting=counting.for_year(y)).metrics,
        )
        for y in years
    ]
    everything = sees_everything(user)
    rows_kwargs = {"programme": programme, "year": year}
    if everything:
        indicators_shown = indicator_rows(
            indicators, metrics=metrics, completeness=completeness, **rows_kwargs
        )
        province = None
    else:
        indicators_shown = indicator_rows(
            indicators,
            metrics=metrics,
            completeness=completeness,
            targets=zone_targets(indicators, user=user, year=year, end_year=programme.end_year),
            **rows_kwargs,
        )
        province_metrics = province_figures(counting=counting).metrics
        province = indicator_rows(
            indicators,
            metrics=province_metrics,
            completeness=completeness_of(province_metrics),
            **rows_kwargs,
        )
    return {
        "shape": SHAPE,
        "programme": {
            "id": programme.pk,
            "title": programme.title,
            "start_year": programme.start_year,
            "end_year": programme.end_year,
        },
        "year": year,
        "as_of": year_end(year).isoformat(),
        "baseline_year": year < programme.start_year,
        "counting": {
            "cut_off": cut_off.isoformat() if cut_off else None,
            "preview": preview,
            "complete_share": str(complete_share()),
        },
        "scope": {
            "all": everything,
            "zones": [] if everything else [zone["name"] for zone in zones[0]],
        },
        "returns": {
            "expected": metrics["returns_expected"],
            "accepted": metrics["returns_accepted"],
            "not_accepted": metrics["returns_not_accepted"],
            "missing": metrics["returns_missing"],
        },
        "completeness": completeness,
        "metrics": metrics,
        "indicators": indicators_shown,
        "province_indicators": province,
        "breakdowns": _breakdowns(figures, zones),
        "ratings": _ratings(user, counting),
        "tasks": _task_progress(programme, year),
        "series": [
            {
                "year": y,
                **{name: values[name] for name in SERIES_FIGURES},
                "completeness": completeness_of(values)[YEAR_RETURNS],
            }
            for y, values in series
        ],
    }


def assessment_key(
    *, programme: Programme, year: int, user, cut_off=None, preview: bool = False
) -> str:
    """What an assessment depends on besides the data: the programme, the year and what it
    counts, the viewer's scope and, through the overdue tasks, today while the year lasts. It
    holds no translated text (templates translate by key), so the language is not part of it."""
    return (
        f"assessment:{programme.pk}:{year}:{cut_off}:{preview}:{scope_key(user)}:"
        f"{overdue_cutoff(year)}"
    )


def cached_assessment(
    *, programme: Programme, year: int, user, cut_off=None, preview: bool = False
) -> dict:
    """assessment() for a page, computed once until the next write."""
    arguments = {
        "programme": programme,
        "year": year,
        "user": user,
        "cut_off": cut_off,
        "preview": preview,
    }
    covering = assessment_covers(programme=programme, year=year, user=user)
    return cached(assessment_key(**arguments), lambda: assessment(**arguments), covering=covering)


def assessment_covers(*, programme: Programme, year: int, user) -> Covers:
    """What an assessment is made of, for the cache: the viewer's zones in the years of its
    series."""
    return covers(scope_zones(user), [y for y in assessment_years(programme) if y <= year])


@dataclass(frozen=True)
class AssessmentYear:
    year: int
    years: range
    problem: str = ""
    """Why the year asked for is not shown, for the page to say."""


def assessment_year(*, programme: Programme, user, requested: str | None = None) -> AssessmentYear:
    """The year asked for (as the query string spells it) if the programme has figures for it
    (its years and its indicators' baseline years), else the latest programme year with an
    accepted return in the viewer's scope, else the current year within the programme."""
    years = assessment_years(programme)
    problem = ""
    if requested:
        if parse_int(requested) in years:
            return AssessmentYear(parse_int(requested), years)
        problem = gettext("There are figures for %(first)s to %(last)s only.") % {
            "first": years[0],
            "last": years[-1],
        }
    today = timezone.localdate()
    latest = cached(
        f"latest-accepted-year:{programme.pk}:{scope_key(user)}",
        lambda: _latest_accepted_year(programme=programme, user=user),
        covering=covers(scope_zones(user), years),
    )
    default = latest or min(max(today.year, programme.start_year), programme.end_year)
    return AssessmentYear(default, years, problem)


def _latest_accepted_year(*, programme: Programme, user) -> int | None:
    accepted = visible_returns(user).filter(
        status=ACCEPTED, year__range=(programme.start_year, programme.end_year)
    )
    return accepted.aggregate(latest=Max("year"))["latest"]
