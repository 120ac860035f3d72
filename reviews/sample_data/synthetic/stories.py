"""The synthetic enterprises and what happens in them, as rows not yet written (a Story each):
the enterprise with its Vietnamese name, its party and mass organisations, one return per year
with plausible counts and a realistic status mix, and the ratings of its organisations."""

import datetime
import random
from dataclasses import dataclass, field

from enterprises.models import Enterprise, Organisation, Zone
from enterprises.selectors import year_end
from reviews.models import AnnualReturn, OrganisationRating

from .content import (
    ATTACHED_ELSEWHERE,
    BRAND_SYLLABLES,
    FAMILY_NAMES,
    FOREIGN_SYLLABLES,
    GIVEN_NAMES,
    INVESTOR_COUNTRIES,
    INVESTOR_WEIGHTS,
    MIDDLE_NAMES,
    RETURN_REASON,
    SECTOR_WEIGHTS,
    SECTORS,
)

Row = dict[str, object]

# The first two digits of a tax code are the province's; 53 (Lào Cai, the demo) is left out so
# that synthetic tax codes never collide with the demo's.
TAX_PROVINCES = ("01", "02", "03", "04", "22", "23", "25", "27", "28", "31", "35", "36", "37")

Ownership = Enterprise.Ownership
Status = AnnualReturn.Status
Kind = Organisation.Kind
OWNERSHIPS = (Ownership.PRIVATE, Ownership.FDI, Ownership.JOINT_VENTURE, Ownership.STATE)
OWNERSHIP_WEIGHTS = (55, 35, 6, 4)
ENTERPRISE_STATUSES = tuple(Enterprise.Status)  # operating, building, suspended, closed
ENTERPRISE_STATUS_WEIGHTS = (85, 6, 4, 5)
# Workforce size bands (under 50, 50–299, 300–499, 500 and more) by ownership.
SIZE_BANDS = ((3, 49), (50, 299), (300, 499), (500, 500))
SIZE_WEIGHTS = {
    Ownership.PRIVATE: (65, 28, 4, 3),
    Ownership.FDI: (35, 40, 10, 15),
    Ownership.JOINT_VENTURE: (40, 40, 10, 10),
    Ownership.STATE: (30, 45, 12, 13),
}
# Party members as a share of employees, the chance that an enterprise with 3 or more members
# has its own party organisation (FDI enterprises are the hardest place to found one), and the
# chance of a trade union.
PARTY_RATE = {
    Ownership.PRIVATE: (0.002, 0.02),
    Ownership.FDI: (0.0, 0.005),
    Ownership.JOINT_VENTURE: (0.003, 0.03),
    Ownership.STATE: (0.05, 0.15),
}
PARTY_ORG_CHANCE = {
    Ownership.PRIVATE: 0.85,
    Ownership.FDI: 0.65,
    Ownership.JOINT_VENTURE: 0.85,
    Ownership.STATE: 0.97,
}
TRADE_UNION_CHANCE = {
    Ownership.PRIVATE: 0.5,
    Ownership.FDI: 0.8,
    Ownership.JOINT_VENTURE: 0.8,
    Ownership.STATE: 0.97,
}
RETURN_STATUSES = (Status.ACCEPTED, Status.SUBMITTED, Status.RETURNED, Status.DRAFT)
PAST_STATUS_WEIGHTS = (95, 2, 1, 2)  # most returns of past years are accepted
LATEST_STATUS_WEIGHTS = (45, 30, 5, 20)
RATINGS = tuple(OrganisationRating.Rating)  # excellent, good, fulfilled, not fulfilled
RATING_WEIGHTS = (15, 50, 30, 5)


def draw_tax_codes(rng: random.Random, count: int) -> list[str]:
    """Unique 10-digit codes; about 2 % are branches (`-001`) of an enterprise listed earlier."""
    serials = rng.sample(range(10**8), count)
    codes: list[str] = []
    branches: dict[str, int] = {}
    for serial in serials:
        if codes and rng.random() < 0.02:
            head = rng.choice(codes)[:10]
            branches[head] = branches.get(head, 0) + 1
            codes.append(f"{head}-{branches[head]:03d}")
        else:
            codes.append(f"{rng.choice(TAX_PROVINCES)}{serial:08d}")
    return codes


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def _pick(rng: random.Random, values, weights):
    return rng.choices(values, weights=weights)[0]


def _random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _enterprise(rng: random.Random, zone: Zone, tax_code: str, years: range) -> tuple[Row, str]:
    """The enterprise's row and its short name (which names its organisations)."""
    ownership = _pick(rng, OWNERSHIPS, OWNERSHIP_WEIGHTS)
    sector = _pick(rng, SECTORS, SECTOR_WEIGHTS)
    if ownership in (Ownership.FDI, Ownership.JOINT_VENTURE):
        short = "".join(rng.sample(FOREIGN_SYLLABLES, 2)).capitalize()
        legal = "Công ty TNHH" if ownership == Ownership.FDI else "Công ty Liên doanh"
        name = f"{legal} {short} {sector} Việt Nam"
        country = _pick(rng, INVESTOR_COUNTRIES, INVESTOR_WEIGHTS)
    else:
        short = " ".join(rng.sample(BRAND_SYLLABLES, 2))
        legal = rng.choice(("Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"))
        name = f"{legal} {sector} {short}"
        country = ""
    if len(tax_code) > 10:
        name = f"Chi nhánh {name}"
    latest = year_end(years[-1])
    founded = _random_day(rng, datetime.date(1995, 1, 1), datetime.date(years[-1], 6, 30))
    status = _pick(rng, ENTERPRISE_STATUSES, ENTERPRISE_STATUS_WEIGHTS)
    closed = None
    if status == Enterprise.Status.BUILDING:
        founded = _random_day(rng, datetime.date(years[-1] - 1, 1, 1), latest)
    elif status == Enterprise.Status.CLOSED:
        closed = _random_day(rng, max(founded, datetime.date(years[0] - 2, 1, 1)), latest)
    row = {
        "name": name,
        "tax_code": tax_code,
        "zone_id": zone.pk,
        "address": f"Lô {rng.choice('ABCDEFGH')}{rng.randint(1, 60)}, {zone.name}",
        "ownership": ownership,
        "investor_country": country,
        "sector": sector,
        "founded_on": founded,
        "closed_on": closed,
        "status": status,
        "representative": _person(rng),
        "phone": f"02{rng.randint(10, 99)}{rng.randint(1000000, 9999999)}",
        "email": f"lienhe.{tax_code.replace('-', '.')}@example.com",
        "search_text": Enterprise(name=name, tax_code=tax_code).compute_search_text(),
    }
    return row, short


def _workforce(rng: random.Random, ownership: str, years: range) -> list[int]:
    low, high = _pick(rng, SIZE_BANDS, SIZE_WEIGHTS[ownership])
    employees = rng.randint(low, high)
    if low == 500:
        employees = min(20000, int(500 * rng.paretovariate(1.6)))
    series = []
    for _ in years:
        series.append(employees)
        employees = max(1, round(employees * rng.uniform(0.92, 1.12)))
    return series


@dataclass
class Story:
    """One enterprise with its organisations, returns and ratings, as rows not yet written; a
    rating points at its organisation by position in `organisations`."""

    enterprise: Row
    organisations: list[Row] = field(default_factory=list)
    returns: list[Row] = field(default_factory=list)
    ratings: list[tuple[int, Row]] = field(default_factory=list)


def active_at_end(organisation: Row | None, year: int) -> bool:
    if organisation is None:
        return False
    day = year_end(year)
    dissolved = organisation["dissolved_on"]
    return organisation["founded_on"] <= day and (dissolved is None or dissolved > day)


def _organisation(
    rng: random.Random,
    story: Story,
    kind: str,
    name: str,
    years: range,
    *,
    before_chance: float,
    leader_title: str,
    form: str = "",
) -> Row:
    """Founded before the first year (with before_chance) or during the years, never after the
    enterprise closed; dissolved when it closed, and otherwise rarely."""
    enterprise = story.enterprise
    latest = enterprise["closed_on"] or year_end(years[-1])
    earliest = min(max(enterprise["founded_on"], datetime.date(2005, 1, 1)), latest)
    before_end = min(datetime.date(years[0] - 1, 12, 31), latest)
    if earliest <= before_end and (latest.year < years[0] or rng.random() < before_chance):
        founded = _random_day(rng, earliest, before_end)
    else:
        founded = _random_day(rng, max(earliest, datetime.date(years[0], 1, 1)), latest)
    dissolved = enterprise["closed_on"]
    if dissolved is None and rng.random() < 0.02:
        dissolved = _random_day(rng, founded, latest)
    organisation = {
        "kind": kind,
        "form": form,
        "name": name,
        "founded_on": founded,
        "dissolved_on": dissolved,
        "founding_decision": f"{rng.randint(1, 999)}-QĐ/ĐU" if kind == Kind.PARTY else "",
        "leader_name": _person(rng),
        "leader_title": leader_title,
    }
    story.organisations.append(organisation)
    return organisation


def draw_story(rng: random.Random, zone: Zone, tax_code: str, years: range) -> Story:
    row, short = _enterprise(rng, zone, tax_code, years)
    story = Story(row)
    ownership = row["ownership"]
    employees = _workforce(rng, ownership, years)
    rate = rng.uniform(*PARTY_RATE[ownership])
    party = [round(n * rate + rng.choice((0, 0, 0, 0, 1, 2))) for n in employees]
    biggest = max(employees)
    female_share = rng.uniform(0.35, 0.8)
    party_org = trade_union = youth_union = women_union = None
    if max(party) >= 3 and rng.random() < PARTY_ORG_CHANCE[ownership]:
        committee = max(party) >= 30
        party_org = _organisation(
            rng,
            story,
            Kind.PARTY,
            f"{'Đảng bộ' if committee else 'Chi bộ'} {short}",
            years,
            before_chance=0.6,
            leader_title="Bí thư",
            form=Organisation.Form.GRASSROOTS_COMMITTEE
            if committee
            else Organisation.Form.GRASSROOTS_CELL,
        )
    if biggest >= 5 and rng.random() < TRADE_UNION_CHANCE[ownership]:
        trade_union = _organisation(
            rng,
            story,
            Kind.TRADE_UNION,
            f"Công đoàn cơ sở {short}",
            years,
            before_chance=0.75,
            leader_title="Chủ tịch",
        )
    if biggest >= 20 and rng.random() < (0.45 if biggest >= 300 else 0.15):
        youth_union = _organisation(
            rng,
            story,
            Kind.YOUTH_UNION,
            f"Chi đoàn {short}",
            years,
            before_chance=0.6,
            leader_title="Bí thư",
        )
    if rng.random() < (0.3 if biggest * female_share >= 100 else 0.08):
        women_union = _organisation(
            rng,
            story,
            Kind.WOMEN_UNION,
            f"Ban nữ công {short}",
            years,
            before_chance=0.6,
            leader_title="Trưởng ban",
        )
    if rng.random() < (0.2 if ownership == Ownership.STATE else 0.02):
        _organisation(
            rng,
            story,
            Kind.VETERANS,
            f"Chi hội Cựu chiến binh {short}",
            years,
            before_chance=0.7,
            leader_title="Chi hội trưởng",
        )

    for index, year in enumerate(years):
        latest_year = year == years[-1]
        if not _reports_in(row, year) or rng.random() < (0.12 if latest_year else 0.03):
            continue  # a missing return
        staff = employees[index]
        female = round(staff * female_share)
        members = party[index]
        has_party_org = active_at_end(party_org, year)
        if has_party_org:
            members = max(members, 3)
        new_members = rng.randint(0, members // 6) if members else 0
        status = _pick(
            rng, RETURN_STATUSES, LATEST_STATUS_WEIGHTS if latest_year else PAST_STATUS_WEIGHTS
        )
        submitted_at = reviewed_at = None
        if status != Status.DRAFT:
            submitted_at = datetime.datetime(
                year + 1, 1, rng.randint(5, 31), 9, tzinfo=datetime.UTC
            ) + datetime.timedelta(minutes=rng.randint(0, 480))
        if status in (Status.ACCEPTED, Status.RETURNED):
            reviewed_at = submitted_at + datetime.timedelta(days=rng.randint(1, 40))
        union = active_at_end(trade_union, year)
        youth = active_at_end(youth_union, year)
        women = active_at_end(women_union, year)
        story.returns.append(
            {
                "year": year,
                "status": status,
                "employees": staff,
                "female_employees": female,
                "party_members": members,
                "new_party_members": new_members,
                "new_members_owners": int(new_members > 0 and rng.random() < 0.1),
                "awareness_trainees": new_members + rng.randint(0, 3) if members else 0,
                "party_candidates": rng.randint(0, 4) if members else rng.randint(0, 1),
                "union_members": round(staff * rng.uniform(0.6, 0.95)) if union else 0,
                "youth_members": max(3, round(staff * rng.uniform(0.1, 0.35))) if youth else 0,
                "women_members": round(female * rng.uniform(0.3, 0.9)) if women else 0,
                "explanation": ATTACHED_ELSEWHERE if members >= 3 and not has_party_org else "",
                "return_reason": RETURN_REASON if status == Status.RETURNED else "",
                "submitted_at": submitted_at,
                "reviewed_at": reviewed_at,
                "accepted_at": reviewed_at if status == Status.ACCEPTED else None,
            }
        )
        if status != Status.DRAFT:
            story.ratings.extend(
                (position, {"year": year, "rating": _pick(rng, RATINGS, RATING_WEIGHTS)})
                for position, organisation in enumerate(story.organisations)
                if active_at_end(organisation, year)
            )
    return story


def _reports_in(enterprise: Row, year: int) -> bool:
    """Founded by the year's end, not closed before it began, and no longer under construction."""
    closed = enterprise["closed_on"]
    return (
        enterprise["status"] != Enterprise.Status.BUILDING
        and enterprise["founded_on"].year <= year
        and (closed is None or closed.year >= year)
    )
