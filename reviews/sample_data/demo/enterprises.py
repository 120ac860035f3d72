"""Writing the demo's enterprise side from the plans: the zones, the enterprises, their
organisations, and each year's return with the ratings of the organisations active that year."""

import datetime
import random

from enterprises.models import Enterprise, Organisation, Zone
from reviews.models import AnnualReturn, OrganisationRating

from . import content
from .plan import LATEST_YEAR, SEED, EnterprisePlan, Generator
from .writer import NaturalKeyWriter

UTC = datetime.UTC

Kind = Organisation.Kind
Status = AnnualReturn.Status


def write_zones(writer: NaturalKeyWriter, users: dict) -> dict[str, Zone]:
    """The zones by code, with their officials among the demo users."""
    zones: dict[str, Zone] = {}
    for zone in content.ZONES:  # each after its parent
        values = {name: zone.get(name) for name in ("name", "kind", "area_ha")}
        values["parent"] = zones.get(zone.get("parent"))
        zones[zone["code"]] = writer.sync(Zone, {"code": zone["code"]}, values)
    for user in content.USERS:
        for code in user.get("zones", []):
            writer.include(zones[code].officials, users[user["username"]])
    return zones


def write_enterprises(writer: NaturalKeyWriter, plans: list[EnterprisePlan], zones: dict) -> dict:
    existing = writer.index(
        Enterprise.objects.filter(tax_code__in=[p.tax_code for p in plans]), "tax_code"
    )
    enterprises = {}
    for plan in plans:
        values = {k: v for k, v in plan.values.items() if k not in ("tax_code", "zone_code")}
        values["zone"] = zones[plan.values["zone_code"]]
        enterprises[plan.tax_code] = writer.sync(
            Enterprise, {"tax_code": plan.tax_code}, values, existing=existing
        )
    return enterprises


def write_organisations(writer: NaturalKeyWriter, plans, enterprises: dict, bodies: dict) -> dict:
    """Returns the organisations keyed by (tax code, kind, founded on)."""
    generator = Generator(SEED + 1)
    rng = generator.rng
    existing = writer.index(
        Organisation.objects.filter(enterprise__in=enterprises.values()),
        "enterprise",
        "kind",
        "founded_on",
    )
    organisations = {}
    for plan in plans:
        enterprise = enterprises[plan.tax_code]
        for number, organisation in enumerate(plan.organisations, start=1):
            prefix, leader_title = content.ORGANISATION_NAMES[organisation.kind]
            party = organisation.kind == Kind.PARTY
            committee = party and max(plan.party_members.values()) >= 30
            if committee:
                prefix, leader_title = content.PARTY_COMMITTEE_NAMES
            form = ""
            if party:
                form = (
                    Organisation.Form.GRASSROOTS_COMMITTEE
                    if committee
                    else Organisation.Form.GRASSROOTS_CELL
                )
            organisations[(plan.tax_code, organisation.kind, organisation.founded_on)] = (
                writer.sync(
                    Organisation,
                    {
                        "enterprise": enterprise,
                        "kind": organisation.kind,
                        "founded_on": organisation.founded_on,
                    },
                    {
                        "form": form,
                        "name": f"{prefix} {enterprise.name}",
                        "dissolved_on": organisation.dissolved_on,
                        "superior_body": bodies[content.PARTY_SUPERIOR_BODY] if party else None,
                        "founding_decision": (
                            f"Quyết định số {organisation.founded_on.year % 100}{number:02d}"
                            f"{rng.randint(10, 99)}-QĐ/ĐUK"
                            if party
                            else ""
                        ),
                        "leader_name": generator.person(),
                        "leader_title": leader_title,
                    },
                    existing=existing,
                )
            )
    return organisations


def return_values(plan: EnterprisePlan, year: int, rng: random.Random) -> dict:
    """A year's figures that obey every hard rule and the founding thresholds."""
    employees = plan.workforce[year]
    female = min(employees, round(employees * plan.female_share * rng.uniform(0.8, 1.2)))
    party_members = plan.party_members[year]
    new_members = plan.new_party_members[year]
    has_party = plan.active(Kind.PARTY, year) is not None
    candidates = rng.randint(1, 5) if has_party else rng.choice([0, 0, 0, 1])
    values = {
        "employees": employees,
        "female_employees": female,
        "party_members": party_members,
        "new_party_members": new_members,
        "new_members_owners": int(
            new_members > 0
            and plan.values["ownership"] == Enterprise.Ownership.PRIVATE
            and rng.random() < 0.15
        ),
        "party_candidates": candidates,
        "awareness_trainees": rng.randint(0, candidates),
        "explanation": "",
    }
    for kind, field_name, base, floor in (
        (Kind.TRADE_UNION, "union_members", employees, 5),
        (Kind.YOUTH_UNION, "youth_members", employees, 3),
        (Kind.WOMEN_UNION, "women_members", female, 1),
    ):
        organisation = plan.active(kind, year)
        values[field_name] = (
            min(base, max(floor, round(base * organisation.members))) if organisation else 0
        )
    if party_members >= 3 and not has_party:
        values["explanation"] = content.RETURN_EXPLANATION.format(party_members=party_members)
    return values


def workflow_values(status: str, year: int, day: int, users: dict) -> dict:
    """Who submitted and reviewed the return, and when (fixed instants, so reruns match)."""
    submitted = status != Status.DRAFT
    reviewed = status in (Status.ACCEPTED, Status.RETURNED)
    submitted_at = datetime.datetime(year + 1, 1 + day % 3, 1 + day % 28, 2, 0, tzinfo=UTC)
    reviewed_at = submitted_at + datetime.timedelta(days=7) if reviewed else None
    return {
        "status": status,
        "submitted_by": users["official"] if submitted else None,
        "submitted_at": submitted_at if submitted else None,
        "reviewed_by": users["reviewer"] if reviewed else None,
        "reviewed_at": reviewed_at,
        "accepted_at": reviewed_at if status == Status.ACCEPTED else None,
        "return_reason": content.RETURN_REASON if status == Status.RETURNED else "",
    }


def settled_workflow_values(status: str, year: int, day: int, users: dict) -> dict:
    """An earlier year's return, reviewed long since: accepted. One still waiting when the
    one-year review of 2023 was held (cut-off 15 May 2024) was accepted in June 2024, so that
    review's figures count it as not yet accepted."""
    values = workflow_values(Status.ACCEPTED, year, day, users)
    if status == Status.ACCEPTED:
        return values
    if year == content.REVIEW["held_on"].year - 1:
        accepted = datetime.datetime(year + 1, 6, 3 + day % 20, 2, 0, tzinfo=UTC)
        values |= {"reviewed_at": accepted, "accepted_at": accepted}
    return values


def latest_workflow_values(status: str, day: int, users: dict) -> dict:
    """The LATEST_YEAR's returns were submitted from 5 January to 7 February 2026 (some after
    the due date of 31 January) and accepted within a week, all before the final review's
    cut-off (1 March 2026); a returned one went back within a week."""
    submitted_at = datetime.datetime(LATEST_YEAR + 1, 1, 5, 2, 0, tzinfo=UTC) + datetime.timedelta(
        days=(day * 7) % 34
    )
    values = workflow_values(status, LATEST_YEAR, day, users)
    if values["submitted_at"] is None:
        return values
    reviewed = values["reviewed_at"] and submitted_at + datetime.timedelta(days=4 + day % 4)
    return values | {
        "submitted_at": submitted_at,
        "reviewed_at": reviewed or None,
        "accepted_at": reviewed if status == Status.ACCEPTED else None,
    }


def write_returns(
    writer: NaturalKeyWriter, plans, enterprises: dict, organisations: dict, users
) -> int:
    """Each year's return and the ratings of the organisations active that year."""
    generator = Generator(SEED + 2)
    existing_returns = writer.index(
        AnnualReturn.objects.filter(enterprise__in=enterprises.values()), "enterprise", "year"
    )
    existing_ratings = writer.index(
        OrganisationRating.objects.filter(organisation__in=organisations.values()),
        "organisation",
        "year",
    )
    count = 0

    def write(
        plan, year: int, workflow: dict, generator: Generator, ratings: Generator | None = None
    ) -> None:
        writer.sync(
            AnnualReturn,
            {"enterprise": enterprises[plan.tax_code], "year": year},
            return_values(plan, year, generator.rng) | workflow,
            existing=existing_returns,
        )
        if workflow["status"] == Status.DRAFT:
            return
        ratings = ratings or generator
        for organisation in plan.organisations:
            if organisation.active_at_end_of(year):
                key = (plan.tax_code, organisation.kind, organisation.founded_on)
                writer.sync(
                    OrganisationRating,
                    {"organisation": organisations[key], "year": year},
                    {"rating": ratings.rating()},
                    existing=existing_ratings,
                )

    # The earlier years' returns were drafted, submitted or returned as the generator says, and
    # all accepted since; returns that were drafts take their ratings from a source of their own,
    # so that the draws of the figures stay as they were.
    settled = Generator(SEED + 3)
    for day, plan in enumerate(plans):
        for year in plan.return_years():
            status = generator.return_status(year)
            workflow = settled_workflow_values(status, year, day, users)
            write(plan, year, workflow, generator, settled if status == Status.DRAFT else None)
            count += 1
    latest = Generator(SEED + LATEST_YEAR + 2)  # its own source: the years above stay as they are
    for day, plan in enumerate(plans):
        for year in plan.return_years((LATEST_YEAR,)):
            status = plan.latest_status
            write(plan, year, latest_workflow_values(status, day, users), latest)
            count += 1
    return count
