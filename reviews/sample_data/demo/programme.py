"""Writing the demo's programme side: the bodies, the programme with its content areas and tasks,
its indicators (whose baselines are the demo's own 2022 figures) and the one-year review."""

from decimal import Decimal

from coordination import models as coordination
from enterprises.models import Enterprise, Organisation
from enterprises.services import allow_likely_superior_kinds
from reviews.models import ProgrammeReview, ReviewSection, ReviewSignature
from reviews.selectors.definitions import FIGURES, Counting
from reviews.selectors.figures import shares_of, sum_groups, year_groups

from . import content
from .writer import NaturalKeyWriter

BASELINE_YEAR = 2022

Kind = Organisation.Kind


def write_bodies(writer: NaturalKeyWriter) -> dict[str, coordination.Body]:
    """The bodies by their key in programme.toml."""
    bodies: dict[str, coordination.Body] = {}
    for body in content.BODIES:  # each after its parent
        values = {name: body[name] for name in ("short_name", "kind", "symbol", "document_style")}
        values["parent"] = bodies.get(body.get("parent"))
        bodies[body["key"]] = writer.sync(coordination.Body, {"name": body["name"]}, values)
        allow_likely_superior_kinds(bodies[body["key"]])
    return bodies


def write_programme(
    writer: NaturalKeyWriter, bodies: dict
) -> tuple[coordination.Programme, dict[int, coordination.ContentArea]]:
    programme = writer.sync(
        coordination.Programme, {"number": content.PROGRAMME_NUMBER}, content.PROGRAMME
    )
    lead, coordinating = content.LEAD_BODY, content.COORDINATING_BODY
    for position, (key, role) in enumerate(
        [
            (lead, coordination.ProgrammeBody.Role.LEAD),
            (coordinating, coordination.ProgrammeBody.Role.COORDINATING),
        ],
        start=1,
    ):
        writer.sync(
            coordination.ProgrammeBody,
            {"programme": programme, "body": bodies[key]},
            {"role": role, "position": position},
        )
    areas = {
        position: writer.sync(
            coordination.ContentArea,
            {"programme": programme, "position": position},
            {"title": area["title"], "description": area["description"]},
        )
        for position, area in enumerate(content.CONTENT_AREAS, start=1)
    }
    partner = {lead: coordinating, coordinating: lead}
    for task in content.TASKS:
        written = writer.sync(
            coordination.Task,
            {"content_area": areas[task["area"]], "title": task["title"]},
            {
                "lead_body": bodies[task["lead"]],
                "due_on": task.get("due_on"),
                "status": task["status"],
                "completed_on": task.get("completed_on"),
                "result": task["result"],
            },
        )
        writer.sync_m2m(written.coordinating_bodies, [bodies[partner[task["lead"]]]])
    return programme, areas


def baseline_figures(zones: dict) -> dict[str, Decimal]:
    """The demo's own 2022 figures, counted by the assessment's own definitions
    (reviews.selectors.definitions), so that the indicators start where the data start."""
    enterprises = Enterprise.objects.filter(zone__in=zones.values())
    groups = year_groups(enterprises, Counting(BASELINE_YEAR))
    totals = sum_groups(groups, lambda group: "all").get("all") or dict.fromkeys(FIGURES, 0)
    metrics = {**totals, **shares_of(totals)}
    return {
        metric: Decimal(value["pct"] or 0) if isinstance(value, dict) else Decimal(value)
        for metric, value in metrics.items()
    }


def write_indicators(writer: NaturalKeyWriter, programme, areas: dict, zones: dict) -> None:
    baselines = baseline_figures(zones)
    years = list(programme.years)
    for computed in content.COMPUTED_INDICATORS:
        baseline = baselines[computed["metric"]]
        targets = [baseline + addition for addition in computed["additions"]]
        indicator = writer.sync(
            coordination.Indicator,
            {"programme": programme, "code": computed["code"]},
            {
                "content_area": areas[computed["area"]],
                "name": computed["name"],
                "metric": computed["metric"],
                "direction": coordination.Indicator.Direction.UP,
                "baseline_year": BASELINE_YEAR,
                "baseline_value": baseline,
                "target_value": targets[-1],
            },
        )
        for year, value in zip(years, targets, strict=True):
            writer.sync(
                coordination.IndicatorTarget,
                {"indicator": indicator, "year": year},
                {"value": value},
            )
    manual = content.MANUAL_INDICATOR
    targets = {target["year"]: target for target in manual["targets"]}
    indicator = writer.sync(
        coordination.Indicator,
        {"programme": programme, "code": manual["code"]},
        {
            "content_area": areas[manual["area"]],
            "name": manual["name"],
            "metric": coordination.Indicator.Metric.MANUAL,
            "direction": coordination.Indicator.Direction.UP,
            "baseline_year": BASELINE_YEAR,
            "baseline_value": manual["baseline"],
            "target_value": targets[programme.end_year]["value"],
        },
    )
    for year, target in targets.items():
        writer.sync(
            coordination.IndicatorTarget,
            {"indicator": indicator, "year": year},
            {"value": target["value"], "actual_value": target.get("actual")},
        )


def write_final_review(writer: NaturalKeyWriter, programme, bodies: dict) -> ProgrammeReview:
    """The draft final review of the programme, held early in 2026 with the same signatories."""
    review = writer.sync(
        ProgrammeReview,
        {"programme": programme, "kind": ProgrammeReview.Kind.FINAL, "as_of_year": 2025},
        {**content.FINAL_REVIEW, "status": ProgrammeReview.Status.DRAFT},
    )
    _write_signatures(writer, review, bodies)
    return review


def _write_signatures(writer: NaturalKeyWriter, review, bodies: dict) -> None:
    for signature in content.SIGNATURES:
        writer.sync(
            ReviewSignature,
            {"review": review, "body": bodies[signature["body"]]},
            {
                "position": signature["position"],
                "authority": signature["authority"],
                "signer_title": signature["signer_title"],
                "signer_name": signature["signer_name"],
            },
        )


def write_review(writer: NaturalKeyWriter, programme, areas: dict, bodies: dict) -> ProgrammeReview:
    review = writer.sync(
        ProgrammeReview,
        {"programme": programme, "kind": ProgrammeReview.Kind.ONE_YEAR, "as_of_year": 2023},
        {**content.REVIEW, "status": ProgrammeReview.Status.DRAFT},
    )
    for position, texts in content.SECTIONS.items():
        writer.sync(ReviewSection, {"review": review, "content_area": areas[position]}, texts)
    _write_signatures(writer, review, bodies)
    return review
