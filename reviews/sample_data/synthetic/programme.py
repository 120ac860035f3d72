"""The programme the synthetic data set is measured against: one that covers the data's last
year (the demo's, or one made earlier), or else a small one with tasks, indicators whose
baselines are the first year's figures, a draft one-year review and a draft final review."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from coordination.models import (
    Body,
    ContentArea,
    Indicator,
    IndicatorTarget,
    Programme,
    ProgrammeBody,
    Task,
)
from enterprises.models import Organisation
from reviews.models import AnnualReturn, ProgrammeReview, ReviewSection

from . import content
from .stories import Story, active_at_end

Kind = Organisation.Kind
Status = AnnualReturn.Status


@dataclass
class BaselineStats:
    """Figures of the first year, from which a new programme's indicators take their baselines."""

    year: int
    reporting: int = 0
    with_party_org: int = 0
    with_trade_union: int = 0
    party_members: int = 0
    new_party_members: int = 0
    eligible_without_party_org: int = 0

    def add(self, story: Story) -> None:
        accepted = [
            r for r in story.returns if r["year"] == self.year and r["status"] == Status.ACCEPTED
        ]
        if not accepted:
            return
        kinds = {o["kind"] for o in story.organisations if active_at_end(o, self.year)}
        members = accepted[0]["party_members"]
        self.reporting += 1
        self.with_party_org += Kind.PARTY in kinds
        self.with_trade_union += Kind.TRADE_UNION in kinds
        self.party_members += members
        self.new_party_members += accepted[0]["new_party_members"]
        self.eligible_without_party_org += members >= 3 and Kind.PARTY not in kinds


def covering_programme(years: range) -> Programme | None:
    return (
        Programme.objects.filter(start_year__lte=years[-1], end_year__gte=years[-1])
        .order_by("-start_year", "pk")
        .first()
    )


def ensure_programme(years: range, stats: BaselineStats) -> Programme:
    """Reuses a programme that covers the data's last year (the demo's, or one made earlier);
    otherwise makes a small one with tasks, indicators and a draft one-year review."""
    existing = covering_programme(years)
    if existing:
        ensure_final_review(existing)
        return existing
    party_body, state_body = [Body.objects.create(**body) for body in content.BODIES]
    start = min(years[0] + 1, years[-1])
    programme = Programme.objects.create(
        **content.PROGRAMME,
        start_year=start,
        end_year=years[-1],
        signed_on=datetime.date(start, 3, 1),
    )
    for position, (body, role) in enumerate(
        ((party_body, ProgrammeBody.Role.LEAD), (state_body, ProgrammeBody.Role.COORDINATING)),
        start=1,
    ):
        ProgrammeBody.objects.create(programme=programme, body=body, role=role, position=position)
    areas = []
    for position, (title, tasks) in enumerate(content.CONTENT_AREAS, start=1):
        area = ContentArea.objects.create(programme=programme, position=position, title=title)
        areas.append(area)
        for offset, task in enumerate(tasks):
            done = offset == 0
            Task.objects.create(
                content_area=area,
                title=task,
                lead_body=party_body if position % 2 else state_body,
                due_on=datetime.date(start + offset, 12, 31),
                status=Task.Status.DONE if done else Task.Status.IN_PROGRESS,
                completed_on=datetime.date(start, 11, 30) if done else None,
            )
    _indicators(programme, areas[2], stats)
    _review(programme, ProgrammeReview.Kind.ONE_YEAR, start, datetime.date(start + 1, 5, 16))
    ensure_final_review(programme)
    return programme


def ensure_final_review(programme: Programme) -> None:
    """A draft final review of the programme, held on 10 March after its last year (the
    benchmark measures its print view, PDF and Word copy); made once."""
    final = ProgrammeReview.Kind.FINAL
    if not programme.reviews.filter(kind=final).exists():
        held_on = datetime.date(programme.end_year + 1, 3, 10)
        _review(programme, final, programme.end_year, held_on)


def _review(programme: Programme, kind: str, year: int, held_on: datetime.date) -> None:
    texts = content.FINAL_REVIEW if kind == ProgrammeReview.Kind.FINAL else content.REVIEW
    review = ProgrammeReview.objects.create(
        programme=programme, kind=kind, as_of_year=year, held_on=held_on, **texts
    )
    ReviewSection.objects.bulk_create(
        ReviewSection(review=review, content_area=area, **content.SECTION)
        for area in programme.content_areas.all()
    )


def _indicators(programme: Programme, area: ContentArea, stats: BaselineStats) -> None:
    Metric = Indicator.Metric
    coverage = (
        Decimal(100 * stats.with_party_org) / stats.reporting if stats.reporting else Decimal(0)
    )
    specs = (  # code, metric, baseline, target at the end as a multiple of the baseline
        ("CT1", Metric.ENTERPRISES_WITH_PARTY_ORG, stats.with_party_org, "1.3"),
        ("CT2", Metric.PARTY_MEMBERS, stats.party_members, "1.2"),
        ("CT3", Metric.NEW_PARTY_MEMBERS, stats.new_party_members, "1.25"),
        ("CT4", Metric.ENTERPRISES_WITH_TRADE_UNION, stats.with_trade_union, "1.15"),
        ("CT5", Metric.PARTY_ORG_COVERAGE_PCT, coverage, "1.2"),
        ("CT6", Metric.ELIGIBLE_WITHOUT_PARTY_ORG, stats.eligible_without_party_org, "0.5"),
    )
    cents = Decimal("0.01")
    span = max(1, programme.end_year - stats.year)
    for code, metric, baseline, factor in specs:
        baseline = Decimal(baseline).quantize(cents)
        target = (baseline * Decimal(factor)).quantize(cents)
        indicator = Indicator.objects.create(
            programme=programme,
            content_area=area,
            code=code,
            name=str(Metric(metric).label),
            metric=metric,
            direction=Indicator.Direction.DOWN if Decimal(factor) < 1 else Indicator.Direction.UP,
            baseline_year=stats.year,
            baseline_value=baseline,
            target_value=target,
        )
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(
                indicator=indicator,
                year=year,
                value=(baseline + (target - baseline) * (year - stats.year) / span).quantize(cents),
            )
            for year in programme.years
        )
