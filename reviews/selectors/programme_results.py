"""The whole programme year by year, for its final review (tổng kết): each indicator's actual and
completeness in every year from its baseline to the programme's end, each zone's main figures in
every year, and the tasks over the whole programme with those carried into the next one. Every
year counts by the same definitions (selectors.definitions) and the same cut-off."""

import datetime

from django.utils import timezone
from django.utils.translation import ngettext

from coordination.cache import Covers, cached, covers
from coordination.models import Programme, Task
from enterprises.selectors import scope_key

from .assessment import (
    YearFigures,
    assessment_years,
    by_top_zone,
    completeness_of,
    scope_zones,
    year_figures,
)
from .definitions import Counting
from .figures import no_figures, shares_of, sum_groups, top_zones
from .indicators import achieved_pct, indicator_actual, indicator_rows

END_KEYS = (
    "id",
    "code",
    "name",
    "metric",
    "direction",
    "baseline_year",
    "baseline_value",
    "target_end",
    "achieved_end",
    "status",
)
"""What a programme's result shows of each indicator's row for the programme's last year."""

ZONE_FIGURES = (
    "enterprises_operating",
    "enterprises_with_party_org",
    "enterprises_with_trade_union",
    "party_members",
    "union_members",
)


def _indicator_years(indicators, programme, years, by_year) -> list[dict]:
    """Each indicator with its actual and completeness in every year, and its standing at the
    programme's end (đạt X % of the end target, status) as the end year's row gives it."""
    end = programme.end_year
    end_rows = {
        row["id"]: row
        for row in indicator_rows(
            indicators,
            programme=programme,
            year=end,
            metrics=by_year[end]["metrics"],
            completeness=by_year[end]["completeness"],
        )
    }
    rows = []
    for indicator in indicators:
        actuals = []
        for year in years:
            actual, known = indicator_actual(
                indicator, year, by_year[year]["metrics"], by_year[year]["completeness"]
            )
            actuals.append(
                {
                    "year": year,
                    "actual": None if actual is None else str(actual),
                    "completeness": known,
                    "achieved_end": achieved_pct(
                        actual=actual, target=indicator.target_value, direction=indicator.direction
                    ),
                }
            )
        rows.append({**{key: end_rows[indicator.pk][key] for key in END_KEYS}, "years": actuals})
    return rows


def _zone_cells(years, figures_of) -> list[dict]:
    cells = []
    for year in years:
        figures = figures_of(year)
        shares = shares_of(figures)
        cells.append(
            {
                "year": year,
                **{name: figures[name] for name in ZONE_FIGURES},
                "party_coverage": shares["party_org_coverage_pct"],
                "union_coverage": shares["union_coverage_pct"],
            }
        )
    return cells


def _zone_years(user, years, figures: dict[int, YearFigures], rows_shown: int) -> list[dict]:
    """Each top zone's figures year by year; with more zones than rows_shown, those with the
    most operating enterprises in the last year and a row that adds up the others (its
    `others` their number), as the report's zone table does."""
    zones, top_of = top_zones(user)
    by_year = {year: by_top_zone(f, top_of) for year, f in figures.items()}
    others = []
    if len(zones) > rows_shown:
        last = by_year[years[-1]]
        ranked = sorted(
            zones, key=lambda z: -(last.get(z["pk"]) or no_figures())["enterprises_operating"]
        )
        zones, others = ranked[: rows_shown - 1], ranked[rows_shown - 1 :]
    rows = [
        {
            "key": zone["pk"],
            "label": zone["name"],
            "years": _zone_cells(
                years, lambda y, pk=zone["pk"]: by_year[y].get(pk) or no_figures()
            ),
        }
        for zone in zones
    ]
    if others:
        keys = {zone["pk"] for zone in others}

        def added_up(year: int) -> dict:
            return (
                sum_groups(
                    [figures for pk, figures in by_year[year].items() if pk in keys], lambda _: 0
                ).get(0)
                or no_figures()
            )

        rows.append({"key": None, "others": len(others), "years": _zone_cells(years, added_up)})
    return rows


def zone_label(row: dict) -> str:
    """A zone row's name, or "N other zones" for the row that adds them up (translated when
    shown, so the cached and frozen figures hold no text in one language)."""
    if row.get("others"):
        count = row["others"]
        return ngettext("%(count)s other zone", "%(count)s other zones", count) % {"count": count}
    return row["label"]


def _tasks(programme: Programme, day: datetime.date) -> dict:
    """The programme's tasks by status, overdue as of the day, and those still open (carried
    into the next programme)."""
    status = Task.Status
    tasks = Task.objects.filter(content_area__programme=programme).select_related("content_area")
    open_tasks = [t for t in tasks if t.status in (status.PLANNED, status.IN_PROGRESS)]
    counts = {value: 0 for value in status.values}
    for task in tasks:
        counts[task.status] += 1
    return {
        "counts": counts,
        "total": sum(counts.values()),
        "overdue": sum(1 for t in open_tasks if t.is_overdue_on(day)),
        "open": [
            {
                "title": task.title,
                "content_area": task.content_area.title,
                "status": task.status,
                "due_on": task.due_on.isoformat() if task.due_on else None,
                "overdue": task.is_overdue_on(day),
            }
            for task in open_tasks
        ],
    }


def programme_results(
    *,
    programme: Programme,
    user,
    zone_rows: int,
    cut_off: datetime.date | None = None,
    preview: bool = False,
) -> dict:
    """The programme's results year by year as plain data (a final review freezes it), counted
    as of `cut_off` like the review's own year, with at most zone_rows rows of zones."""
    years = list(assessment_years(programme))
    indicators = list(programme.indicators.prefetch_related("targets").order_by("code"))
    figures = {
        year: year_figures(user=user, counting=Counting(year, cut_off, preview)) for year in years
    }
    by_year = {
        year: {"metrics": f.metrics, "completeness": completeness_of(f.metrics)}
        for year, f in figures.items()
    }
    day = min(cut_off or timezone.localdate(), timezone.localdate())
    return {
        "years": years,
        "indicators": _indicator_years(indicators, programme, years, by_year),
        "zones": _zone_years(user, years, figures, zone_rows),
        "returns": [
            {"year": year, "completeness": by_year[year]["completeness"]["year_returns"]}
            for year in years
        ],
        "tasks": _tasks(programme, day),
    }


def cached_programme_results(*, programme: Programme, user, **arguments) -> dict:
    """programme_results() for a page, computed once until a write in the viewer's zones in the
    programme's years (and the next day, through the overdue tasks)."""
    cut_off = arguments.get("cut_off")
    day = min(cut_off or timezone.localdate(), timezone.localdate())
    counted = ":".join(f"{name}={value}" for name, value in sorted(arguments.items()))
    return cached(
        f"programme-results:{programme.pk}:{scope_key(user)}:{counted}:{day}",
        lambda: programme_results(programme=programme, user=user, **arguments),
        covering=programme_results_covers(programme=programme, user=user),
    )


def programme_results_covers(*, programme: Programme, user) -> Covers:
    """What a programme's results are made of, for the cache: the viewer's zones in every year
    of the programme."""
    return covers(scope_zones(user), assessment_years(programme))
