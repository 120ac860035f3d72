"""The demo's enterprises, drawn from one seeded random source in a fixed order: their names,
zones, ownership, workforce, organisations, party members and the years they filed returns;
plans only, which install.py writes."""

import datetime
import random
from dataclasses import dataclass, field

from enterprises.models import Enterprise, Organisation
from enterprises.selectors import year_end
from reviews.models import AnnualReturn, OrganisationRating

from .content import (
    BRANDS,
    FOREIGN_BRANDS,
    FOREIGN_WEIGHTS,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    SURNAMES,
    ZONE_TRADES,
    ZONES,
)

SEED = 2024
YEARS = (2022, 2023, 2024)
LATEST_YEAR = 2025
"""The year whose returns are filed in early 2026. It is drawn after the others from a random
source of its own, so that the earlier years (and docs/indicators.md's worked example) stay as
they were."""

Kind = Organisation.Kind
Status = AnnualReturn.Status

# Exact mixes for 150 enterprises, so the demo always has each kind.
OWNERSHIP_MIX = {"private": 85, "fdi": 47, "joint_venture": 10, "state": 8}
SIZE_MIX = {(5, 49): 102, (50, 299): 38, (300, 499): 6, (500, 900): 4}
BUILDING, SUSPENDED, CLOSED = 5, 4, 4
BRANCHES = 3
NEW_IN_2023, NEW_IN_2024 = 8, 4


@dataclass
class OrganisationPlan:
    kind: str
    founded_on: datetime.date
    dissolved_on: datetime.date | None = None
    members: float = 0.0  # the share of the workforce (of women, for women's unions) who join

    def active_at_end_of(self, year: int) -> bool:
        day = year_end(year)
        return self.founded_on <= day and (self.dissolved_on is None or self.dissolved_on > day)


@dataclass
class EnterprisePlan:
    values: dict
    female_share: float
    workforce: dict[int, int] = field(default_factory=dict)
    organisations: list[OrganisationPlan] = field(default_factory=list)
    party_members: dict[int, int] = field(default_factory=dict)
    new_party_members: dict[int, int] = field(default_factory=dict)
    missing_returns: set[int] = field(default_factory=set)
    latest_status: str = Status.ACCEPTED
    """The status of the LATEST_YEAR return."""

    @property
    def tax_code(self) -> str:
        return self.values["tax_code"]

    def active(self, kind: str, year: int) -> OrganisationPlan | None:
        return next(
            (o for o in self.organisations if o.kind == kind and o.active_at_end_of(year)), None
        )

    def return_years(self, years=YEARS) -> list[int]:
        """Years at whose end it was operating (the rule of enterprises.selectors.operating_on)."""
        values = self.values
        if values["status"] == Enterprise.Status.BUILDING:
            return []
        return [
            year
            for year in years
            if values["founded_on"] <= year_end(year)
            and (values["closed_on"] is None or values["closed_on"] > year_end(year))
            and year not in self.missing_returns
        ]


def with_check_digit(first_nine: str) -> str:
    """A tax code whose tenth digit is its mod-11 check digit (Circular 105/2020/TT-BTC);
    empty where the nine digits admit none."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    check = 10 - sum(int(d) * w for d, w in zip(first_nine, weights, strict=True)) % 11
    return f"{first_nine}{check}" if check < 10 else ""


class Generator:
    """Draws the whole data set from one seeded random source, in a fixed order."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.names: set[str] = set()
        self.tax_codes: set[str] = set()

    def person(self) -> str:
        rng = self.rng
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def tax_code(self, province: str) -> str:
        while True:
            code = with_check_digit(f"{province}{self.rng.randint(0, 10**7 - 1):07d}")
            if code and code not in self.tax_codes:
                self.tax_codes.add(code)
                return code

    def deck(self, mix: dict) -> list:
        """Each choice as many times as the mix says, shuffled."""
        cards = [choice for choice, count in mix.items() for _ in range(count)]
        self.rng.shuffle(cards)
        return cards

    def name(self, ownership: str, country: str, word: str, branch: bool) -> str:
        rng = self.rng
        while True:
            if ownership == Enterprise.Ownership.FDI:
                name = f"Công ty TNHH {word} {rng.choice(FOREIGN_BRANDS[country])} Việt Nam"
            elif ownership == Enterprise.Ownership.JOINT_VENTURE:
                name = f"Công ty TNHH Liên doanh {word} {rng.choice(BRANDS)}"
            elif ownership == Enterprise.Ownership.STATE:
                name = f"Công ty TNHH MTV {word} {rng.choice(BRANDS)} Lào Cai"
            else:
                form = rng.choice(["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"])
                name = f"{form} {word} {rng.choice(BRANDS)}"
            if branch:
                name = f"Chi nhánh {name} tại Lào Cai"
            if name not in self.names:
                self.names.add(name)
                return name

    def enterprises(self) -> list[EnterprisePlan]:
        rng = self.rng
        ownerships = self.deck(OWNERSHIP_MIX)
        sizes = self.deck(SIZE_MIX)
        slots = [code for code, (count, _trades) in ZONE_TRADES.items() for _ in range(count)]
        lives = self.deck(
            {
                "building": BUILDING,
                "suspended": SUSPENDED,
                "closed": CLOSED,
                "new2023": NEW_IN_2023,
                "new2024": NEW_IN_2024,
                "": len(slots) - BUILDING - SUSPENDED - CLOSED - NEW_IN_2023 - NEW_IN_2024,
            }
        )
        domestic = [i for i, o in enumerate(ownerships) if o in ("private", "state")]
        branches = set(rng.sample(domestic, BRANCHES))
        countries, weights = zip(*FOREIGN_WEIGHTS.items(), strict=True)
        zone_names = {zone["code"]: zone["name"] for zone in ZONES}
        plans = []
        for index, zone_code in enumerate(slots):
            ownership, life = ownerships[index], lives[index]
            foreign = ownership in (Enterprise.Ownership.FDI, Enterprise.Ownership.JOINT_VENTURE)
            country = rng.choices(countries, weights)[0] if foreign else ""
            word, sector, female_share = rng.choice(ZONE_TRADES[zone_code][1])
            branch = index in branches
            founded_on, closed_on = self.life_dates(life)
            values = {
                "name": self.name(ownership, country, word, branch),
                "tax_code": (
                    f"{self.tax_code(rng.choice(['01', '02']))}-001"
                    if branch
                    else self.tax_code("53")
                ),
                "zone_code": zone_code,
                "ownership": ownership,
                "investor_country": country,
                "sector": sector,
                "founded_on": founded_on,
                "closed_on": closed_on,
                "status": {
                    "building": Enterprise.Status.BUILDING,
                    "suspended": Enterprise.Status.SUSPENDED,
                    "closed": Enterprise.Status.CLOSED,
                }.get(life, Enterprise.Status.OPERATING),
                "address": f"Lô {rng.choice('ABCDEFGH')}{rng.randint(1, 30)}, "
                f"{zone_names[zone_code]}, tỉnh Lào Cai",
                "representative": self.person(),
                "phone": f"0214 {rng.randint(3500000, 3899999)}",
            }
            plan = EnterprisePlan(values=values, female_share=female_share)
            self.workforce(plan, sizes[index])
            plans.append(plan)
        self.organisations(plans)
        self.missing(plans)
        return plans

    def life_dates(self, life: str) -> tuple[datetime.date, datetime.date | None]:
        """When an enterprise was founded and, if it closed, when."""
        date = datetime.date
        if life == "closed":
            return (
                self.date_between(date(2008, 1, 1), date(2019, 12, 31)),
                self.date_between(date(2023, 3, 1), date(2024, 9, 30)),
            )
        start, end = {
            "new2023": (date(2023, 1, 10), date(2023, 9, 30)),
            "new2024": (date(2024, 1, 10), date(2024, 9, 30)),
            "building": (date(2023, 6, 1), date(2024, 10, 1)),
        }.get(life, (date(2006, 1, 1), date(2021, 12, 31)))
        return self.date_between(start, end), None

    def workforce(self, plan: EnterprisePlan, size: tuple[int, int]) -> None:
        low, high = size
        employees = round(self.rng.triangular(low, high, low))  # small firms are the many
        for year in reversed(YEARS):
            plan.workforce[year] = max(employees, 1)
            employees = round(employees / (1 + self.rng.uniform(-0.05, 0.12)))
        founded = plan.values["founded_on"].year
        if founded in YEARS:
            plan.workforce[founded] = max(round(plan.workforce[founded] * 0.6), 1)

    def founding_date(self, plan: EnterprisePlan, new: bool) -> datetime.date:
        """Mostly before the programme; `new` ones during it (its results), but never in an
        enterprise that has closed since."""
        start = max(plan.values["founded_on"], datetime.date(2008, 1, 1))
        if new and plan.values["closed_on"] is None:
            start = max(start, datetime.date(2023, 1, 1))
            return self.date_between(start, datetime.date(2024, 11, 30))
        return self.date_between(start, max(start, datetime.date(2021, 12, 31)))

    def found(
        self, plan: EnterprisePlan, kind: str, new: bool, members: tuple[float, float] | None = None
    ) -> None:
        """Plans an organisation of the kind (founded during the programme if `new`), joined by
        a share of the workforce drawn between `members`."""
        founded_on = self.founding_date(plan, new)
        share = self.rng.uniform(*members) if members else 0.0
        plan.organisations.append(OrganisationPlan(kind, founded_on, members=share))

    def organisations(self, plans: list[EnterprisePlan]) -> None:
        rng = self.rng
        for plan in plans:
            values = plan.values
            if values["status"] == Enterprise.Status.BUILDING:
                continue
            peak = max(plan.workforce.values())
            big = peak >= 300
            state = values["ownership"] == Enterprise.Ownership.STATE
            young = values["founded_on"].year >= 2023
            closed = values["closed_on"] is not None
            chance = {
                Enterprise.Ownership.STATE: 0.9,
                Enterprise.Ownership.JOINT_VENTURE: 0.4,
                Enterprise.Ownership.PRIVATE: 0.75 if big else 0.4 if peak >= 50 else 0.15,
                Enterprise.Ownership.FDI: 0.4 if big else 0.2 if peak >= 50 else 0.03,
            }[values["ownership"]]
            if peak >= 10 and rng.random() < chance:
                self.found(plan, Kind.PARTY, young or rng.random() < 0.25)
            union_chance = 1.0 if state else 0.95 if big else 0.8 if peak >= 50 else 0.4
            if peak >= 10 and rng.random() < union_chance:
                self.found(plan, Kind.TRADE_UNION, young or rng.random() < 0.2, (0.55, 0.95))
            youth_chance = 0.75 if big else 0.35 if peak >= 50 else 0.08
            if peak >= 15 and rng.random() < youth_chance:
                self.found(plan, Kind.YOUTH_UNION, young or rng.random() < 0.2, (0.08, 0.3))
            if peak * plan.female_share >= 30 and rng.random() < 0.15:
                self.found(plan, Kind.WOMEN_UNION, young, (0.5, 0.9))
            if (state or big) and rng.random() < 0.3:
                self.found(plan, Kind.VETERANS, young)
            if closed:
                for organisation in plan.organisations:
                    organisation.dissolved_on = values["closed_on"]
        self.dissolutions([p for p in plans if p.values["status"] == Enterprise.Status.OPERATING])
        for plan in plans:
            self.party_members(plan)

    def dissolutions(self, operating: list[EnterprisePlan]) -> None:
        """One enterprise reorganised: its old union dissolved and a new one was founded. In
        another, members moved away and the party cell was dissolved."""
        old_unions = [p for p in operating if p.active(Kind.TRADE_UNION, 2021)]
        union = old_unions[0].active(Kind.TRADE_UNION, 2021)
        union.dissolved_on = datetime.date(2023, 3, 31)
        old_unions[0].organisations.append(
            OrganisationPlan(Kind.TRADE_UNION, datetime.date(2023, 6, 15), members=union.members)
        )
        small_cells = [
            p for p in operating if p.active(Kind.PARTY, 2021) and max(p.workforce.values()) < 100
        ]
        small_cells[0].active(Kind.PARTY, 2021).dissolved_on = datetime.date(2024, 6, 30)

    def party_members(self, plan: EnterprisePlan) -> None:
        """Yearly head counts and admissions, year by year: 3 or more wherever a party
        organisation stands; before a cell is founded its members are fewer, and a few
        enterprises have 3 or more and no cell (a gap to close)."""
        rng = self.rng
        party = next((o for o in plan.organisations if o.kind == Kind.PARTY), None)
        workforce = plan.workforce
        if party and party.active_at_end_of(YEARS[0]):
            low = 30 if workforce[YEARS[0]] >= 500 else 3  # a grassroots party committee
            members = rng.randint(low, max(low, min(40, 4 + workforce[YEARS[0]] // 15)))
        else:
            members = rng.choices([0, 1, 2, 3], [1, 4, 4, 0] if party else [80, 13, 6, 1])[0]
        for year in YEARS:
            cell_year = party and party.founded_on.year <= year
            new = rng.choice([0, 0, 1, 1, 2, 3] if cell_year else [0, 0, 0, 0, 0, 1])
            leavers = rng.choice([0, 0, 1]) if year > YEARS[0] else 0
            members = min(max(members - leavers, 0) + new, workforce[year])
            if party and party.dissolved_on and party.dissolved_on.year == year:
                members = min(members, 2)  # its members moved away
            if party and party.active_at_end_of(year) and members < 3:
                new, members = new + 3 - members, 3
            plan.party_members[year] = members
            plan.new_party_members[year] = min(new, members)

    def missing(self, plans: list[EnterprisePlan]) -> None:
        """A few enterprises have not filed a return, mostly for the latest year."""
        operating = [p for p in plans if p.values["status"] == Enterprise.Status.OPERATING]
        for plan in self.rng.sample(operating, 6):
            plan.missing_returns.add(2024)
        for plan in self.rng.sample(operating, 2):
            plan.missing_returns.add(2023)
        suspended = [p for p in plans if p.values["status"] == Enterprise.Status.SUSPENDED]
        for plan in suspended[:2]:
            plan.missing_returns.add(2024)

    def return_status(self, year: int) -> str:
        if year == 2022:
            return Status.ACCEPTED
        if year == 2023:
            return self.rng.choices([Status.ACCEPTED, Status.SUBMITTED], [98, 2])[0]
        return self.rng.choices(
            [Status.ACCEPTED, Status.SUBMITTED, Status.RETURNED, Status.DRAFT], [45, 25, 10, 20]
        )[0]

    def rating(self) -> str:
        ratings = OrganisationRating.Rating
        return self.rng.choices(
            [ratings.EXCELLENT, ratings.GOOD, ratings.FULFILLED, ratings.NOT_FULFILLED],
            [15, 50, 30, 5],
        )[0]


OFFICIAL_ZONES = ("KKTCK-LC", "KCN-BDH", "KCN-DPM", "KTMCN-KT")
"""The demo official's zones (users.toml): the economic zone and what lies in it."""


def extend_to_latest_year(plans: list[EnterprisePlan], seed: int = SEED + LATEST_YEAR) -> None:
    """The LATEST_YEAR's workforce, party members and return status of each enterprise, from
    the year before. Nearly every return is accepted by the final review's cut-off; a few in
    the official's zones are missing, returned or still a draft (the reminders of 15 February
    2026 have something to say), and one is missing elsewhere."""
    rng = random.Random(seed)
    year, before = LATEST_YEAR, LATEST_YEAR - 1
    filing = [p for p in plans if p.return_years((year,))]
    for plan in filing:
        plan.workforce[year] = max(round(plan.workforce[before] * rng.uniform(0.95, 1.10)), 1)
        party = plan.active(Kind.PARTY, year)
        new = rng.choice([0, 1, 1, 2, 3] if party else [0, 0, 0, 0, 1])
        members = max(plan.party_members[before] - rng.choice([0, 0, 1]), 0) + new
        members = min(members, plan.workforce[year])
        if party and members < 3:
            new, members = new + 3 - members, 3
        plan.party_members[year] = members
        plan.new_party_members[year] = min(new, members)
    operating = [p for p in filing if p.values["status"] == Enterprise.Status.OPERATING]
    official = [p for p in operating if p.values["zone_code"] in OFFICIAL_ZONES]
    elsewhere = [p for p in operating if p.values["zone_code"] not in OFFICIAL_ZONES]
    chosen = rng.sample(official, 5)
    for plan in chosen[:2]:
        plan.missing_returns.add(year)
    chosen[2].latest_status = Status.RETURNED
    chosen[3].latest_status = Status.DRAFT
    chosen[4].latest_status = Status.SUBMITTED
    rng.choice(elsewhere).missing_returns.add(year)
