"""Deterministic synthetic data at national scale, for benchmarks.

Zones (economic zones with the parks inside them, parks, clusters), enterprises with Vietnamese
names, their party and mass organisations, one return per year with plausible counts and a
realistic status mix, ratings, and a small programme with a draft review. The same arguments
give the same data. Rows go in with PostgreSQL's COPY (bulk_create elsewhere), which bypasses
`save()` and records no history; search_text is computed here for that reason. The zones' codes
start with `SYNTHETIC_PREFIX`: that is how the data is found again to be replaced.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, models, transaction
from django.db.models import QuerySet

from coordination.cache import bump_data_version
from coordination.models import (
    Body,
    ContentArea,
    Indicator,
    IndicatorTarget,
    Programme,
    ProgrammeBody,
    Task,
)
from enterprises.models import Enterprise, Organisation, Zone
from enterprises.selectors import year_end

from .models import AnnualReturn, OrganisationRating, ProgrammeReview, ReviewSection

SYNTHETIC_PREFIX = "SYN-"
CHUNK = 2000  # enterprises generated and written per step of the progress bar

Progress = Callable[[int, int], None]
Row = dict[str, object]


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


PLACES = _words("""
    Bắc Duyên Hải, Đông Phố Mới, Tằng Loỏng, Kim Thành, Phú Mỹ, Nhơn Trạch, Long Đức, Tân Uyên,
    Bàu Bàng, Mỹ Phước, Yên Phong, Quế Võ, Tiên Sơn, Đình Vũ, Tràng Duệ, Nam Cầu Kiền, Phố Nối,
    Thăng Long, Nội Bài, Quang Minh, Đồng Văn, Hòa Mạc, Khánh Phú, Gián Khẩu, Nghi Sơn,
    Hoàng Mai, Vũng Áng, Chân Mây, Điện Nam, Hòa Khánh, Dung Quất, Tịnh Phong, Nhơn Hội, Phú Tài,
    Suối Dầu, Cam Ranh, Hiệp Phước, Tân Tạo, Vĩnh Lộc, Long Hậu, Trà Nóc, Sa Đéc, Hòa Phú,
    Tâm Thắng, Chơn Thành, Minh Hưng, Sông Công, Điềm Thụy, Yên Bình, Đồng Soài, Lê Minh Xuân,
    Cái Mép, Châu Đức, Đất Đỏ, Mộc Bài, Phước Đông, Vân Đồn, Móng Cái, Cầu Treo
""")
SECTORS = _words("""
    Điện tử, Cơ khí, Dệt may, May mặc, Thực phẩm, Chế biến nông sản, Hóa chất, Phân bón,
    Vật liệu xây dựng, Chế biến gỗ, Nhựa, Bao bì, Thép, Linh kiện ô tô, Giày da, Dược phẩm,
    Năng lượng, Khoáng sản, Logistics, Xây dựng
""")
SECTOR_WEIGHTS = (12, 10, 9, 7, 8, 5, 4, 2, 6, 5, 5, 4, 3, 4, 5, 2, 2, 2, 4, 3)
BRAND_SYLLABLES = _words("""
    An, Bình, Phú, Thịnh, Hưng, Phát, Thành, Công, Đại, Việt, Hòa, Minh, Long, Tân, Đông, Nam,
    Bắc, Trường, Sơn, Hải, Quang, Huy, Hoàng, Kim, Ngọc, Bảo, Gia, Lộc, Tài, Đức, Tiến, Hồng,
    Hà, Thái, Vĩnh, Khánh, Nhật, Mỹ, Lợi, Thắng
""")
FOREIGN_SYLLABLES = _words("""
    Han, Dae, Sung, Jin, Kyo, Tai, Mei, Shin, Yu, Hwa, Lian, Kai, Sun, Tek, Ever, Hong, Wa, Toku,
    Chang, Ri
""")
INVESTOR_COUNTRIES = _words(
    "Hàn Quốc, Nhật Bản, Trung Quốc, Đài Loan, Singapore, Hồng Kông, Hoa Kỳ, Thái Lan, Đức"
)
INVESTOR_WEIGHTS = (35, 20, 15, 12, 6, 4, 3, 3, 2)
FAMILY_NAMES = _words(
    "Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý"
)
MIDDLE_NAMES = _words("Văn, Thị, Minh, Đức, Thanh, Ngọc, Quốc, Hữu, Thu, Xuân")
GIVEN_NAMES = _words("""
    An, Bình, Cường, Dũng, Giang, Hà, Hải, Hạnh, Hiếu, Hoa, Hùng, Hương, Khánh, Lan, Linh, Long,
    Mai, Nam, Nga, Phong, Phương, Quân, Sơn, Tâm, Thảo, Trang, Tuấn, Việt, Yến, Đạt
""")
# The first two digits of a tax code are the province's; 53 (Lào Cai, the demo) is left out so
# that synthetic tax codes never collide with the demo's.
TAX_PROVINCES = _words("01, 02, 03, 04, 22, 23, 25, 27, 28, 31, 35, 36, 37")

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
ATTACHED_ELSEWHERE = "Đảng viên sinh hoạt ghép tại chi bộ nơi cư trú; chưa đủ điều kiện thành lập."
RETURN_REASON = "Số đảng viên chưa khớp với báo cáo của đảng ủy cấp trên; đề nghị rà soát lại."


@dataclass(frozen=True)
class Scale:
    enterprises: int
    zones: int
    years: range
    seed: int


class SyntheticDataPresent(Exception):
    """Synthetic data is already in the database; replacing it has to be asked for."""


@dataclass
class Counts:
    zones: int = 0
    enterprises: int = 0
    organisations: int = 0
    returns: int = 0
    ratings: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def synthetic_zones() -> QuerySet[Zone]:
    return Zone.objects.filter(code__startswith=SYNTHETIC_PREFIX)


def synthetic_enterprises() -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(zone__code__startswith=SYNTHETIC_PREFIX)


def existing_counts() -> Counts:
    enterprises = synthetic_enterprises()
    return Counts(
        zones=synthetic_zones().count(),
        enterprises=enterprises.count(),
        organisations=Organisation.objects.filter(enterprise__in=enterprises).count(),
        returns=AnnualReturn.objects.filter(enterprise__in=enterprises).count(),
        ratings=OrganisationRating.objects.filter(organisation__enterprise__in=enterprises).count(),
    )


def delete_rows(queryset: QuerySet) -> int:
    """DELETE without loading rows or sending signals (each delete would write a history row),
    together with the history rows of those objects, if later edits made any."""
    model = queryset.model
    ids_sql, params = queryset.values("pk").query.sql_with_params()
    tables = [model.history.model._meta.db_table] if hasattr(model, "history") else []
    tables.append(model._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(table)} WHERE id IN ({ids_sql})", params
            )
        return cursor.rowcount


def delete_synthetic_data() -> Counts:
    """Deletes the synthetic zones and everything in them; the programme is kept for reuse."""
    enterprises = synthetic_enterprises()
    with transaction.atomic():
        deleted = Counts(
            ratings=delete_rows(
                OrganisationRating.objects.filter(organisation__enterprise__in=enterprises)
            ),
            returns=delete_rows(AnnualReturn.objects.filter(enterprise__in=enterprises)),
            organisations=delete_rows(Organisation.objects.filter(enterprise__in=enterprises)),
            enterprises=delete_rows(enterprises),
        )
        Zone.officials.through.objects.filter(zone__in=synthetic_zones()).delete()
        deleted.zones = delete_rows(synthetic_zones())
        bump_data_version()
    return deleted


def generate(scale: Scale, *, progress: Progress | None = None) -> Counts:
    """Writes the data set in one transaction; refuses when synthetic zones already exist."""
    if synthetic_zones().exists():
        raise SyntheticDataPresent
    rng = random.Random(scale.seed)
    counts = Counts()
    stats = BaselineStats(year=scale.years[0])
    with transaction.atomic():
        zones = _create_zones(rng, scale.zones)
        counts.zones = len(zones)
        hosts = [z for z in zones if z.kind != Zone.Kind.ECONOMIC_ZONE] or zones
        host_weights = [rng.lognormvariate(0, 0.9) for _ in hosts]
        placed = rng.choices(hosts, weights=host_weights, k=scale.enterprises)
        tax_codes = _tax_codes(rng, scale.enterprises)
        for start in range(0, scale.enterprises, CHUNK):
            stop = min(start + CHUNK, scale.enterprises)
            stories = [
                _story(rng, placed[number], tax_codes[number], scale.years)
                for number in range(start, stop)
            ]
            _write(stories, counts)
            for story in stories:
                stats.add(story)
            if progress:
                progress(stop, scale.enterprises)
        _ensure_programme(scale.years, stats)
        bump_data_version()
    return counts


# Zones ------------------------------------------------------------------------------------------

ZONE_KINDS = {
    Zone.Kind.ECONOMIC_ZONE: ("Khu kinh tế", "KKT", (1000, 20000)),
    Zone.Kind.INDUSTRIAL_PARK: ("Khu công nghiệp", "KCN", (50, 1500)),
    Zone.Kind.FUNCTIONAL_ZONE: ("Khu chức năng", "KCNG", (20, 300)),
    Zone.Kind.INDUSTRIAL_CLUSTER: ("Cụm công nghiệp", "CCN", (10, 75)),
}


def _create_zones(rng: random.Random, total: int) -> list[Zone]:
    """About 5 % economic zones, holding a quarter of the zones (parks and functional zones);
    the rest are parks and clusters on their own."""
    economic = max(1, round(total * 0.05))
    inside = min(total - economic, round(total * 0.25))
    names: dict[str, int] = {}

    def zone(kind: str, number: int, parent: Zone | None = None) -> Zone:
        label, abbreviation, (low, high) = ZONE_KINDS[kind]
        place = rng.choice(PLACES)
        names[place] = names.get(place, 0) + 1
        suffix = f" {names[place]}" if names[place] > 1 else ""
        return Zone(
            name=f"{label} {place}{suffix}",
            code=f"{SYNTHETIC_PREFIX}{abbreviation}-{number:04d}",
            kind=kind,
            parent=parent,
            area_ha=Decimal(rng.randint(low * 10, high * 10)) / 10,
        )

    parents = Zone.objects.bulk_create(
        [zone(Zone.Kind.ECONOMIC_ZONE, n + 1) for n in range(economic)]
    )
    others = []
    for n in range(total - economic):
        if n < inside:
            kind = rng.choices(
                (Zone.Kind.INDUSTRIAL_PARK, Zone.Kind.FUNCTIONAL_ZONE), weights=(80, 20)
            )[0]
            others.append(zone(kind, n + 1, parents[n % economic]))
        else:
            kind = rng.choices(
                (Zone.Kind.INDUSTRIAL_PARK, Zone.Kind.INDUSTRIAL_CLUSTER), weights=(75, 25)
            )[0]
            others.append(zone(kind, n + 1))
    return parents + Zone.objects.bulk_create(others)


# Enterprises and what happens in them -----------------------------------------------------------


def _tax_codes(rng: random.Random, count: int) -> list[str]:
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


def _active_at_end(organisation: Row | None, year: int) -> bool:
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


def _story(rng: random.Random, zone: Zone, tax_code: str, years: range) -> Story:
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
        has_party_org = _active_at_end(party_org, year)
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
        union = _active_at_end(trade_union, year)
        youth = _active_at_end(youth_union, year)
        women = _active_at_end(women_union, year)
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
            }
        )
        if status != Status.DRAFT:
            story.ratings.extend(
                (position, {"year": year, "rating": _pick(rng, RATINGS, RATING_WEIGHTS)})
                for position, organisation in enumerate(story.organisations)
                if _active_at_end(organisation, year)
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


# Writing ----------------------------------------------------------------------------------------


def _insert(model: type[models.Model], rows: list[Row]) -> list[int]:
    """Inserts rows (attribute name → value) and returns their ids, in order."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy(model, rows)
    created = model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)
    return [obj.pk for obj in created]


def _copy(model: type[models.Model], rows: list[Row]) -> list[int]:
    """PostgreSQL COPY, about ten times faster than bulk_create; the ids are taken from the
    table's sequence first. Fields a row leaves out get the model's default."""
    quote = connection.ops.quote_name
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    columns = ", ".join(quote(c) for c in ["id", *(f.column for f in fields)])
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy,
    ):
        for pk, row in zip(ids, rows, strict=True):
            copy.write_row([pk, *(row.get(f.attname, defaults[f.attname]) for f in fields)])
    return ids


def _write(stories: list[Story], counts: Counts) -> None:
    """Enterprises first, so that their ids reach their organisations and returns, and so on."""
    enterprise_ids = _insert(Enterprise, [s.enterprise for s in stories])
    organisations, returns = [], []
    for story, enterprise_id in zip(stories, enterprise_ids, strict=True):
        for row in (*story.organisations, *story.returns):
            row["enterprise_id"] = enterprise_id
        organisations.extend(story.organisations)
        returns.extend(story.returns)
    organisation_ids = iter(_insert(Organisation, organisations))
    ratings = []
    for story in stories:
        ids = [next(organisation_ids) for _ in story.organisations]
        for position, row in story.ratings:
            row["organisation_id"] = ids[position]
            ratings.append(row)
    _insert(AnnualReturn, returns)
    _insert(OrganisationRating, ratings)
    counts.enterprises += len(stories)
    counts.organisations += len(organisations)
    counts.returns += len(returns)
    counts.ratings += len(ratings)


# The programme ----------------------------------------------------------------------------------


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
        kinds = {o["kind"] for o in story.organisations if _active_at_end(o, self.year)}
        members = accepted[0]["party_members"]
        self.reporting += 1
        self.with_party_org += Kind.PARTY in kinds
        self.with_trade_union += Kind.TRADE_UNION in kinds
        self.party_members += members
        self.new_party_members += accepted[0]["new_party_members"]
        self.eligible_without_party_org += members >= 3 and Kind.PARTY not in kinds


CONTENT_AREAS = (
    (
        "Tuyên truyền, phổ biến chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
        ("Hội nghị tuyên truyền cho chủ doanh nghiệp", "Tài liệu tuyên truyền song ngữ"),
    ),
    (
        "Khảo sát, nắm tình hình doanh nghiệp trong các khu công nghiệp",
        ("Rà soát số liệu doanh nghiệp hằng năm", "Cập nhật cơ sở dữ liệu doanh nghiệp"),
    ),
    (
        "Phát triển đảng viên, thành lập tổ chức đảng, đoàn thể trong doanh nghiệp",
        (
            "Mở lớp bồi dưỡng nhận thức về Đảng",
            "Thành lập tổ chức đảng ở doanh nghiệp đủ điều kiện",
        ),
    ),
    (
        "Kiểm tra, sơ kết, tổng kết việc thực hiện chương trình phối hợp",
        ("Sơ kết 01 năm thực hiện chương trình", "Tổng kết chương trình giai đoạn"),
    ),
)


def _ensure_programme(years: range, stats: BaselineStats) -> Programme:
    """Reuses a programme that covers the data's last year (the demo's, or one made earlier);
    otherwise makes a small one with tasks, indicators and a draft one-year review."""
    existing = (
        Programme.objects.filter(start_year__lte=years[-1], end_year__gte=years[-1])
        .order_by("-start_year", "pk")
        .first()
    )
    if existing:
        return existing
    party_body = Body.objects.create(
        name="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
        short_name="Đảng ủy Khối",
        kind=Body.Kind.PARTY_COMMITTEE,
        symbol="ĐUK",
        document_style=Body.DocumentStyle.PARTY,
    )
    state_body = Body.objects.create(
        name="Ban Quản lý các khu kinh tế tỉnh",
        short_name="Ban Quản lý KKT",
        kind=Body.Kind.STATE_AGENCY,
        symbol="BQLKKT",
        document_style=Body.DocumentStyle.STATE,
    )
    start = min(years[0] + 1, years[-1])
    programme = Programme.objects.create(
        title="Chương trình phối hợp xây dựng tổ chức đảng, đoàn thể trong doanh nghiệp "
        "các khu công nghiệp (dữ liệu tổng hợp)",
        number="01-CTr/ĐUK-BQLKKT",
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
    for position, (title, tasks) in enumerate(CONTENT_AREAS, start=1):
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
    review = ProgrammeReview.objects.create(
        programme=programme,
        kind=ProgrammeReview.Kind.ONE_YEAR,
        title="Sơ kết 01 năm thực hiện Chương trình phối hợp",
        number="01",
        as_of_year=start,
        held_on=datetime.date(start + 1, 5, 16),
        place="Hà Nội",
        summary="Hai bên đã triển khai chương trình đến các cơ quan, đơn vị trực thuộc.",
        recipients="Thường trực Tỉnh ủy\nBan Chỉ đạo Đề án 24\nLưu VT",
    )
    ReviewSection.objects.bulk_create(
        ReviewSection(
            review=review,
            content_area=area,
            results="Các nội dung phối hợp được triển khai đúng kế hoạch.",
            limitations="Việc thành lập tổ chức đảng ở doanh nghiệp FDI còn khó khăn.",
            causes="Chủ doanh nghiệp chưa quan tâm; đảng viên ít, biến động.",
            solutions="Tăng cường khảo sát, tuyên truyền; phát triển đảng viên là công nhân.",
        )
        for area in areas
    )
    return programme


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
