"""Each indicator of a programme against its baseline and targets for a year: the actual, the
target of the year and the end target, "đạt X %" of each as Vietnamese reports write it, the
change from the baseline, the completeness of what it counts, and a status that follows from
these by the rule in STATUS_RULE."""

from decimal import Decimal

from django.conf import settings
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from coordination.models import Indicator, Programme

from .definitions import FIGURES, REGISTRY, SHARES, YEAR_RETURNS
from .figures import decimal_str


class IndicatorStatus(TextChoices):
    """What STATUS_RULE makes of an indicator's figures (frozen figures hold the values)."""

    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    INCOMPLETE = "incomplete", _("Incomplete data")
    NO_DATA = "no_data", _("No data")


STATUS_RULE = _(
    "Status: “no data” without an actual; “incomplete data” while fewer than %(share)s %% of "
    "what the figure counts is known (accepted returns of the year, or enterprises with an "
    "accepted return); “met” when the actual reaches the target for the end of the programme; "
    "“on track” when it reaches the year's target; “behind” otherwise. “Reaches” is “at "
    "least” where higher is better and “at most” where lower is better. “Achieved X %%” is the "
    "actual divided by the target (the target divided by the actual where lower is better)."
)


def completeness_key(metric: str) -> str | None:
    """Which completeness (assessment.completeness_of) a metric's figures are judged by: the
    year's returns, or its own for a figure from the latest returns (a share, its base's);
    None for one from the registry or entered by hand, which is complete."""
    figure = FIGURES.get(SHARES[metric].denominator if metric in SHARES else metric)
    if figure is None or figure.source == REGISTRY:
        return None
    return YEAR_RETURNS if figure.source == YEAR_RETURNS else figure.key


def complete_share() -> Decimal:
    """Below this share of known figures (a setting, in percent) a status reads "incomplete"."""
    return Decimal(str(settings.RETURNS_COMPLETE_SHARE))


def achieved_pct(*, actual, target, direction: str) -> str | None:
    """ "đạt X %" of a target: the actual divided by the target, or, where lower is better, the
    target divided by the actual; None where that divides by zero. Never negative: actuals and
    targets are counts and shares."""
    if actual is None or target is None:
        return None
    numerator, denominator = (
        (actual, target) if direction == Indicator.Direction.UP else (target, actual)
    )
    if not denominator:
        return None
    return decimal_str(Decimal(numerator) * 100 / Decimal(denominator))


def indicator_status(
    *, direction: str, actual, target_year, target_end, completeness: str | None
) -> str | None:
    """STATUS_RULE; None where the figures have no target to be judged against (a zone's
    figures without targets of their own)."""
    if actual is None:
        return IndicatorStatus.NO_DATA
    if completeness is not None and Decimal(completeness) < complete_share():
        return IndicatorStatus.INCOMPLETE
    if target_end is None and target_year is None:
        return None

    def reaches(goal) -> bool:
        return actual >= goal if direction == Indicator.Direction.UP else actual <= goal

    if target_end is not None and reaches(target_end):
        return IndicatorStatus.MET
    if target_year is not None and reaches(target_year):
        return IndicatorStatus.ON_TRACK
    return IndicatorStatus.BEHIND


def metric_actual(metric: str, metrics: dict, completeness: dict) -> tuple[Decimal | None, dict]:
    """A computed metric's value for the year and the completeness of what it counts (None:
    nothing to know, the registry is complete); no value where nothing is counted: a share
    with an empty base, a figure from returns while none is known."""
    known = completeness.get(completeness_key(metric))
    value = metrics.get(metric)
    if metric in SHARES:
        value = value["pct"]
    elif known is not None and not known["numerator"]:
        value = None
    return (None if value is None else Decimal(value)), known


def indicator_actual(
    indicator: Indicator, year: int, metrics: dict, completeness: dict
) -> tuple[Decimal | None, dict | None]:
    """The indicator's actual in the year and the completeness of what it counts: a manual
    indicator's as typed into its yearly target (prefetched `targets`), else the metric's."""
    if indicator.metric == Indicator.Metric.MANUAL:
        typed = next((t for t in indicator.targets.all() if t.year == year), None)
        return (typed.actual_value if typed else None), None
    return metric_actual(indicator.metric, metrics, completeness)


def _change(actual, baseline) -> str | None:
    """The change from the baseline, signed (+3.00, -102.00, 0.00)."""
    if actual is None:
        return None
    change = actual - baseline
    return f"+{decimal_str(change)}" if change > 0 else decimal_str(change)


def indicator_rows(
    indicators: list[Indicator],
    *,
    programme: Programme,
    year: int,
    metrics: dict,
    completeness: dict,
    targets: dict | None = None,
) -> list[dict]:
    """Each indicator for the year. The year's target is its yearly target, or in the
    programme's last year (and after) the end target. `targets`, by indicator pk, replaces the
    province's targets by others (a zone's, as (year's, end)); an indicator missing from it has
    none. A manual indicator takes the actual typed into its yearly target. A baseline year,
    before the programme, is judged against no target: it is the starting point."""
    rows = []
    for indicator in indicators:
        yearly = next((t for t in indicator.targets.all() if t.year == year), None)
        if year < programme.start_year:
            target_year = target_end = None
        elif targets is None:
            target_year = yearly.value if yearly else None
            target_end = indicator.target_value
            if target_year is None and year >= programme.end_year:
                target_year = target_end
        else:
            target_year, target_end = targets.get(indicator.pk, (None, None))
        actual, known = indicator_actual(indicator, year, metrics, completeness)
        completeness_pct = known["pct"] if known else None
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
                "target_end": decimal_str(target_end),
                "actual": decimal_str(actual),
                "achieved_year": achieved_pct(
                    actual=actual, target=target_year, direction=indicator.direction
                ),
                "achieved_end": achieved_pct(
                    actual=actual, target=target_end, direction=indicator.direction
                ),
                "change": _change(actual, indicator.baseline_value),
                "completeness": known,
                "status": indicator_status(
                    direction=indicator.direction,
                    actual=actual,
                    target_year=target_year,
                    target_end=target_end,
                    completeness=completeness_pct,
                ),
            }
        )
    return rows
