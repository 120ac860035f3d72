"""The demo data set: the seed's programme in Lào Cai, its parks, about 150 invented enterprises
with their organisations and returns for 2022–2024, the one-year review and three users.

Everything is generated from a fixed random seed and written by natural key, saving a row only
when it differs, so that a second run changes nothing (not even a history row)."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import Q, Sum

from coordination.models import (
    Body,
    ContentArea,
    Indicator,
    IndicatorTarget,
    Programme,
    ProgrammeBody,
    Task,
)
from coordination.roles import ADMINISTRATORS, OFFICIALS, REVIEWERS
from enterprises.models import Enterprise, Organisation, Zone
from enterprises.selectors import has_organisation_on, operating_on, year_end

from .models import (
    AnnualReturn,
    OrganisationRating,
    ProgrammeReview,
    ReviewSection,
    ReviewSignature,
)
from .selectors import UNION_THRESHOLD

SEED = 2024
DEMO_PASSWORD = "laocai-demo-2024"
YEARS = (2022, 2023, 2024)
BASELINE_YEAR = 2022
PROGRAMME_NUMBER = "03-CTr/ĐUK-BQLKKT"
UTC = datetime.UTC

Kind = Organisation.Kind
Status = AnnualReturn.Status

# --- Bodies and the programme -------------------------------------------------------------------

PROVINCIAL_PARTY = "Đảng bộ tỉnh Lào Cai"
PROVINCIAL_PEOPLES_COMMITTEE = "Ủy ban nhân dân tỉnh Lào Cai"
BLOC_COMMITTEE = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Lào Cai"
ZONE_BOARD = "Ban Quản lý Khu kinh tế tỉnh Lào Cai"

BODIES = [
    # name, short name, kind, parent, symbol, document style
    (PROVINCIAL_PARTY, "Đảng bộ tỉnh", Body.Kind.PARTY_COMMITTEE, None, "TU", "party"),
    (
        PROVINCIAL_PEOPLES_COMMITTEE,
        "UBND tỉnh",
        Body.Kind.STATE_AGENCY,
        None,
        "UBND",
        "state",
    ),
    (
        BLOC_COMMITTEE,
        "Đảng ủy Khối",
        Body.Kind.PARTY_COMMITTEE,
        PROVINCIAL_PARTY,
        "ĐUK",
        "party",
    ),
    (
        ZONE_BOARD,
        "Ban Quản lý Khu kinh tế",
        Body.Kind.STATE_AGENCY,
        PROVINCIAL_PEOPLES_COMMITTEE,
        "BQLKKT",
        "state",
    ),
]

PROGRAMME = {
    "title": (
        "Chương trình phối hợp công tác giữa Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh "
        "và Ban Quản lý Khu kinh tế tỉnh Lào Cai giai đoạn 2023 - 2025"
    ),
    "start_year": 2023,
    "end_year": 2025,
    "signed_on": datetime.date(2023, 5, 12),
    "purpose": (
        "Là cơ sở để Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh và Ban Quản lý Khu kinh tế "
        "tỉnh tham mưu cho Tỉnh ủy, Ban Chỉ đạo Đề án 24-ĐA/TU về phát triển đảng viên, tổ chức "
        "cơ sở đảng và các tổ chức chính trị - xã hội trong doanh nghiệp tại các khu công nghiệp, "
        "khu chức năng thuộc khu kinh tế của tỉnh."
    ),
    "steering_committee": "Ban Chỉ đạo Đề án 24-ĐA/TU của Tỉnh ủy Lào Cai",
}

CONTENT_AREAS = [
    (
        "Tuyên truyền, phổ biến chủ trương của Đảng, chính sách, pháp luật của Nhà nước cho "
        "người lao động và chủ doanh nghiệp",
        "Vận động cán bộ, đảng viên, công nhân, người lao động và chủ doanh nghiệp chấp hành chủ "
        "trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước và nội quy, quy chế của "
        "doanh nghiệp; tuyên truyền chủ trương phát triển tổ chức cơ sở đảng, đảng viên và các "
        "đoàn thể trong đơn vị kinh tế tư nhân.",
    ),
    (
        "Rà soát, thống kê, đánh giá thực trạng doanh nghiệp trong các khu công nghiệp, khu "
        "chức năng",
        "Nắm số lượng, tình hình hoạt động, lao động, đảng viên và tổ chức đoàn thể của các "
        "doanh nghiệp trong các khu công nghiệp, khu chức năng của tỉnh.",
    ),
    (
        "Xây dựng, thành lập tổ chức đảng và các tổ chức chính trị - xã hội trong doanh nghiệp",
        "Hướng dẫn xây dựng, thành lập tổ chức đảng, công đoàn, đoàn thanh niên và các đoàn thể "
        "tại doanh nghiệp có đủ điều kiện.",
    ),
    (
        "Phát triển đảng viên và đoàn viên trong doanh nghiệp",
        "Tạo nguồn, bồi dưỡng nhận thức về Đảng, kết nạp đảng viên mới và phát triển đoàn viên "
        "công đoàn, đoàn viên thanh niên trong doanh nghiệp.",
    ),
]

# (area position, title, lead, due on, status, completed on, result); the other body coordinates.
TASKS = [
    (
        1,
        "Tổ chức hội nghị tuyên truyền Đề án 24-ĐA/TU cho chủ doanh nghiệp trong các khu công "
        "nghiệp",
        BLOC_COMMITTEE,
        datetime.date(2023, 9, 30),
        Task.Status.DONE,
        datetime.date(2023, 9, 12),
        "Tổ chức 03 hội nghị với 215 lượt chủ doanh nghiệp, cán bộ quản lý tham dự.",
    ),
    (
        1,
        "Biên soạn, phát hành tài liệu hỏi - đáp về chính sách, pháp luật lao động cho người lao "
        "động",
        ZONE_BOARD,
        datetime.date(2023, 12, 31),
        Task.Status.DONE,
        datetime.date(2023, 12, 20),
        "Phát hành 2.000 cuốn tài liệu đến các doanh nghiệp.",
    ),
    (
        1,
        "Tuyên truyền thường xuyên trên trang thông tin điện tử của hai cơ quan",
        ZONE_BOARD,
        None,
        Task.Status.IN_PROGRESS,
        None,
        "",
    ),
    (
        2,
        "Rà soát, thống kê doanh nghiệp đang hoạt động, lao động và đảng viên trong các khu "
        "công nghiệp",
        ZONE_BOARD,
        datetime.date(2023, 6, 30),
        Task.Status.DONE,
        datetime.date(2023, 6, 28),
        "Hoàn thành danh sách doanh nghiệp, số lao động, số đảng viên theo từng khu.",
    ),
    (
        2,
        "Xây dựng cơ sở dữ liệu doanh nghiệp, tổ chức đảng và đoàn thể trong khu kinh tế",
        ZONE_BOARD,
        datetime.date(2024, 3, 31),
        Task.Status.IN_PROGRESS,
        None,
        "",
    ),
    (
        2,
        "Cập nhật số liệu hằng năm về tổ chức đảng, đảng viên, đoàn thể trong doanh nghiệp",
        BLOC_COMMITTEE,
        None,
        Task.Status.IN_PROGRESS,
        None,
        "",
    ),
    (
        3,
        "Khảo sát, lựa chọn doanh nghiệp đủ điều kiện thành lập tổ chức đảng",
        BLOC_COMMITTEE,
        datetime.date(2023, 8, 31),
        Task.Status.DONE,
        datetime.date(2023, 8, 25),
        "Lựa chọn 08 doanh nghiệp để chỉ đạo điểm.",
    ),
    (
        3,
        "Hướng dẫn thành lập chi bộ cơ sở tại doanh nghiệp có từ 03 đảng viên chính thức",
        BLOC_COMMITTEE,
        None,
        Task.Status.IN_PROGRESS,
        None,
        "",
    ),
    (
        3,
        "Phối hợp thành lập công đoàn cơ sở, chi đoàn tại doanh nghiệp đủ điều kiện",
        ZONE_BOARD,
        None,
        Task.Status.IN_PROGRESS,
        None,
        "",
    ),
    (
        4,
        "Mở lớp bồi dưỡng nhận thức về Đảng cho quần chúng ưu tú trong doanh nghiệp",
        BLOC_COMMITTEE,
        datetime.date(2023, 11, 30),
        Task.Status.DONE,
        datetime.date(2023, 11, 15),
        "01 lớp, 42 học viên hoàn thành chương trình.",
    ),
    (
        4,
        "Giới thiệu công nhân ưu tú, chủ doanh nghiệp đủ điều kiện để tổ chức đảng xem xét kết nạp",
        ZONE_BOARD,
        None,
        Task.Status.IN_PROGRESS,
        None,
        "",
    ),
    (
        4,
        "Tọa đàm về kết nạp đảng viên là chủ doanh nghiệp tư nhân",
        BLOC_COMMITTEE,
        datetime.date(2024, 4, 30),
        Task.Status.CANCELLED,
        None,
        "Lồng ghép vào hội nghị sơ kết 01 năm thực hiện Chương trình.",
    ),
]

# (code, area position, name, metric, yearly additions to the baseline (2023, 2024, 2025))
COMPUTED_INDICATORS = [
    (
        "CT01",
        3,
        "Số doanh nghiệp có tổ chức đảng",
        Indicator.Metric.ENTERPRISES_WITH_PARTY_ORG,
        (3, 6, 9),
    ),
    (
        "CT02",
        3,
        "Tỷ lệ doanh nghiệp có tổ chức đảng (%)",
        Indicator.Metric.PARTY_ORG_COVERAGE_PCT,
        (2, 4, 6),
    ),
    (
        "CT03",
        3,
        "Số doanh nghiệp có công đoàn cơ sở",
        Indicator.Metric.ENTERPRISES_WITH_TRADE_UNION,
        (4, 8, 12),
    ),
    (
        "CT04",
        3,
        "Tỷ lệ doanh nghiệp có công đoàn cơ sở (%)",
        Indicator.Metric.UNION_COVERAGE_PCT,
        (3, 6, 10),
    ),
    ("CT05", 4, "Số đảng viên trong doanh nghiệp", Indicator.Metric.PARTY_MEMBERS, (8, 16, 25)),
    (
        "CT06",
        4,
        "Số đảng viên mới kết nạp trong năm",
        Indicator.Metric.NEW_PARTY_MEMBERS,
        (2, 4, 5),
    ),
    (
        "CT07",
        4,
        "Số quần chúng ưu tú được bồi dưỡng nhận thức về Đảng",
        Indicator.Metric.AWARENESS_TRAINEES,
        (5, 8, 10),
    ),
]
MANUAL_INDICATOR = {
    "code": "CT08",
    "area": 1,
    "name": "Số hội nghị, lớp tuyên truyền chính sách, pháp luật cho người lao động và chủ "
    "doanh nghiệp",
    "baseline": 6,
    "targets": {2023: (8, 9), 2024: (10, 11), 2025: (12, None)},
}

# --- Zones ---------------------------------------------------------------------------------------

ECONOMIC_ZONE = "KKTCK-LC"
ZONES = [
    # code, name, kind, parent, area (ha)
    (ECONOMIC_ZONE, "Khu kinh tế cửa khẩu Lào Cai", Zone.Kind.ECONOMIC_ZONE, None, None),
    ("KCN-BDH", "Khu công nghiệp Bắc Duyên Hải", Zone.Kind.INDUSTRIAL_PARK, ECONOMIC_ZONE, 85),
    ("KCN-DPM", "Khu công nghiệp Đông Phố Mới", Zone.Kind.INDUSTRIAL_PARK, ECONOMIC_ZONE, 100),
    (
        "KTMCN-KT",
        "Khu Thương mại - Công nghiệp Kim Thành",
        Zone.Kind.FUNCTIONAL_ZONE,
        ECONOMIC_ZONE,
        184,
    ),
    ("KCN-TL", "Khu công nghiệp Tằng Loỏng", Zone.Kind.INDUSTRIAL_PARK, None, 1100),
]

# How many enterprises each zone holds, and the trades found there: (word in the name, sector,
# share of women in the workforce).
ZONE_TRADES = {
    "KCN-TL": (
        40,
        [
            ("Hóa chất", "Sản xuất hóa chất cơ bản", 0.2),
            ("Phân bón", "Sản xuất phân bón", 0.2),
            ("Luyện kim", "Luyện kim màu", 0.15),
            ("Khoáng sản", "Tuyển, chế biến khoáng sản", 0.15),
            ("Cơ khí", "Gia công cơ khí", 0.15),
            ("Phốt pho", "Sản xuất phốt pho vàng", 0.2),
        ],
    ),
    "KCN-BDH": (
        38,
        [
            ("Điện tử", "Lắp ráp linh kiện điện tử", 0.6),
            ("May mặc", "May trang phục", 0.75),
            ("Chế biến nông sản", "Chế biến nông sản", 0.55),
            ("Thực phẩm", "Sản xuất thực phẩm", 0.55),
            ("Dược liệu", "Chế biến dược liệu", 0.5),
            ("Chè", "Chế biến chè", 0.6),
        ],
    ),
    "KCN-DPM": (
        30,
        [
            ("Vật liệu xây dựng", "Sản xuất vật liệu xây dựng", 0.25),
            ("Gạch Tuynel", "Sản xuất gạch", 0.25),
            ("Chế biến gỗ", "Chế biến gỗ", 0.3),
            ("Bao bì", "Sản xuất bao bì", 0.45),
            ("In", "In ấn", 0.4),
            ("Nước giải khát", "Sản xuất đồ uống", 0.45),
        ],
    ),
    "KTMCN-KT": (
        35,
        [
            ("Logistics", "Kho bãi và dịch vụ logistics", 0.3),
            ("Xuất nhập khẩu", "Kinh doanh xuất nhập khẩu", 0.4),
            ("Thương mại", "Bán buôn hàng hóa", 0.45),
            ("Vận tải", "Vận tải hàng hóa đường bộ", 0.15),
            ("Kho vận", "Kho bãi", 0.3),
        ],
    ),
    ECONOMIC_ZONE: (
        7,
        [
            ("Dịch vụ cửa khẩu", "Dịch vụ hỗ trợ xuất nhập khẩu", 0.4),
            ("Du lịch", "Dịch vụ du lịch", 0.55),
        ],
    ),
}

BRANDS = [
    "Hồng Hà", "Phú Thịnh", "Hoàng Liên", "Việt Trung", "Sông Hồng", "Tây Bắc", "An Phát",
    "Minh Quang", "Thành Đạt", "Phương Nam", "Kim Thành", "Duyên Hải", "Bảo Thắng", "Cốc Lếu",
    "Phố Mới", "Hưng Thịnh", "Đại Việt", "Trường Sơn", "Bình Minh", "Thái Dương", "Vạn Xuân",
    "Long Phú", "Tân Hưng", "Hải Đăng", "Tiến Thành", "Đức Long", "Fansipan", "Sa Pa", "Bắc Hà",
    "Mường Khương", "Nậm Thi", "Ngòi Đường", "Gia Phú", "Xuân Giao", "Thiên Phúc", "Quang Minh",
    "Lam Sơn", "Hoàng Gia", "Nam Việt", "Đông Dương",
]  # fmt: skip
FOREIGN_BRANDS = {
    "Trung Quốc": ["Hoa Hạ", "Vân Long", "Thiên Hồng", "Hồng Hải", "Kim Lộc", "Hưng Nghiệp",
                   "Đại Hoa", "Vĩnh Xương", "Côn Minh", "Hà Khẩu"],
    "Hàn Quốc": ["Daesung", "Hanil", "Seojin", "Samjin", "Kumho Lào Cai"],
    "Nhật Bản": ["Takara", "Yamato", "Sakura", "Tohoku"],
    "Đài Loan (Trung Quốc)": ["Đài Phát", "Hòa Thái"],
    "Singapore": ["Lion Star", "Marina"],
}  # fmt: skip
FOREIGN_WEIGHTS = {
    "Trung Quốc": 60,
    "Hàn Quốc": 15,
    "Nhật Bản": 12,
    "Đài Loan (Trung Quốc)": 8,
    "Singapore": 5,
}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Lò",
            "Giàng", "Vàng", "Hà", "Lục", "Sần", "Dương", "Lý"]  # fmt: skip
MIDDLE_NAMES = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Quang", "Ngọc", "Thu", "Xuân"]
GIVEN_NAMES = ["Hùng", "Lan", "Tuấn", "Hương", "Dũng", "Hải", "Mai", "Sơn", "Hà", "Thắng",
               "Phương", "Long", "Linh", "Cường", "Hoa", "Nam", "Trang", "Bình", "Seo", "Chiến"]  # fmt: skip

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

    @property
    def tax_code(self) -> str:
        return self.values["tax_code"]

    def active(self, kind: str, year: int) -> OrganisationPlan | None:
        return next(
            (o for o in self.organisations if o.kind == kind and o.active_at_end_of(year)), None
        )

    def return_years(self) -> list[int]:
        """Years at whose end it was operating (the rule of enterprises.selectors.operating_on)."""
        values = self.values
        if values["status"] == Enterprise.Status.BUILDING:
            return []
        return [
            year
            for year in YEARS
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
        zone_names = {code: name for code, name, *_rest in ZONES}
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
                plan.organisations.append(
                    OrganisationPlan(
                        Kind.PARTY, self.founding_date(plan, young or rng.random() < 0.25)
                    )
                )
            union_chance = 1.0 if state else 0.95 if big else 0.8 if peak >= 50 else 0.4
            if peak >= 10 and rng.random() < union_chance:
                plan.organisations.append(
                    OrganisationPlan(
                        Kind.TRADE_UNION,
                        self.founding_date(plan, young or rng.random() < 0.2),
                        members=rng.uniform(0.55, 0.95),
                    )
                )
            youth_chance = 0.75 if big else 0.35 if peak >= 50 else 0.08
            if peak >= 15 and rng.random() < youth_chance:
                plan.organisations.append(
                    OrganisationPlan(
                        Kind.YOUTH_UNION,
                        self.founding_date(plan, young or rng.random() < 0.2),
                        members=rng.uniform(0.08, 0.3),
                    )
                )
            if peak * plan.female_share >= 30 and rng.random() < 0.15:
                plan.organisations.append(
                    OrganisationPlan(
                        Kind.WOMEN_UNION,
                        self.founding_date(plan, young),
                        members=rng.uniform(0.5, 0.9),
                    )
                )
            if (state or big) and rng.random() < 0.3:
                plan.organisations.append(
                    OrganisationPlan(Kind.VETERANS, self.founding_date(plan, young))
                )
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
            return self.rng.choices([Status.ACCEPTED, Status.SUBMITTED], [94, 6])[0]
        return self.rng.choices(
            [Status.ACCEPTED, Status.SUBMITTED, Status.RETURNED, Status.DRAFT], [45, 25, 10, 20]
        )[0]

    def rating(self) -> str:
        ratings = OrganisationRating.Rating
        return self.rng.choices(
            [ratings.EXCELLENT, ratings.GOOD, ratings.FULFILLED, ratings.NOT_FULFILLED],
            [15, 50, 30, 5],
        )[0]


ORGANISATION_NAMES = {
    Kind.PARTY: ("Chi bộ", "Bí thư Chi bộ"),
    Kind.TRADE_UNION: ("Công đoàn cơ sở", "Chủ tịch Công đoàn"),
    Kind.YOUTH_UNION: ("Chi đoàn", "Bí thư Chi đoàn"),
    Kind.WOMEN_UNION: ("Chi hội Phụ nữ", "Chi hội trưởng"),
    Kind.VETERANS: ("Chi hội Cựu chiến binh", "Chi hội trưởng"),
}

REVIEW = {
    "title": "Báo cáo sơ kết 01 năm thực hiện Chương trình phối hợp giai đoạn 2023 - 2025",
    "number": "01",
    "held_on": datetime.date(2024, 5, 16),
    "place": "Lào Cai",
    "venue": "Hội trường Ban Quản lý Khu kinh tế tỉnh Lào Cai",
    "chaired_by": "Phó Bí thư Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh; Phó Trưởng Ban "
    "Quản lý Khu kinh tế tỉnh",
    "participants": "Lãnh đạo, các ban xây dựng Đảng của Đảng ủy Khối; lãnh đạo, các phòng "
    "chuyên môn của Ban Quản lý Khu kinh tế tỉnh; đại diện một số doanh nghiệp trong các khu "
    "công nghiệp.",
    "summary": "Sau một năm thực hiện, căn cứ chức năng, nhiệm vụ, quyền hạn, hai bên đã xác định "
    "nội dung phối hợp trong từng lĩnh vực phù hợp với tình hình thực tế. Các nội dung phối hợp "
    "được triển khai với tinh thần, trách nhiệm của từng cán bộ, đảng viên, cơ quan tham mưu, "
    "phòng chuyên môn của hai đơn vị.",
    "recommendations": "Đề nghị Ban Chỉ đạo Đề án 24-ĐA/TU tiếp tục chỉ đạo các cấp ủy, chính "
    "quyền địa phương phối hợp vận động chủ doanh nghiệp tạo điều kiện thành lập tổ chức đảng, "
    "tổ chức chính trị - xã hội trong doanh nghiệp.",
    "recipients": "- Thường trực Tỉnh ủy (b/c);\n- Ban Chỉ đạo Đề án 24-ĐA/TU (b/c);\n"
    "- Ban Tổ chức Tỉnh ủy;\n- Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh;\n"
    "- Ban Quản lý Khu kinh tế tỉnh;\n- Lưu VT.",
}

SECTIONS = {
    1: {
        "results": "Hai bên đã chủ động phối hợp vận động cán bộ, đảng viên, công nhân, người lao "
        "động và chủ doanh nghiệp chấp hành chủ trương, đường lối của Đảng, chính sách, pháp "
        "luật của Nhà nước và nội quy, quy chế của doanh nghiệp; tuyên truyền chủ trương phát "
        "triển tổ chức cơ sở đảng, đảng viên và các đoàn thể trong đơn vị kinh tế tư nhân.",
        "limitations": "Hình thức tuyên truyền chưa đa dạng; một bộ phận chủ doanh nghiệp, nhất "
        "là doanh nghiệp có vốn đầu tư nước ngoài, chưa quan tâm đến công tác xây dựng Đảng.",
        "causes": "Khách quan: người lao động làm việc theo ca, biến động thường xuyên. Chủ quan: "
        "việc nắm bắt tư tưởng người lao động có lúc chưa kịp thời.",
        "solutions": "Đổi mới nội dung, hình thức tuyên truyền; tăng cường đối thoại với chủ "
        "doanh nghiệp về lợi ích của việc thành lập tổ chức đảng, đoàn thể.",
    },
    2: {
        "results": "Hoàn thành rà soát, thống kê, đánh giá thực trạng các doanh nghiệp đang hoạt "
        "động trong các khu công nghiệp, khu chức năng: số lượng, loại hình, lao động, đảng viên "
        "và tổ chức đoàn thể trong từng doanh nghiệp.",
        "limitations": "Cơ sở dữ liệu doanh nghiệp chưa hoàn thành theo kế hoạch; số liệu một số "
        "doanh nghiệp cập nhật chưa kịp thời.",
        "causes": "Một số doanh nghiệp chậm báo cáo; chưa có phần mềm dùng chung giữa hai cơ quan.",
        "solutions": "Hoàn thành cơ sở dữ liệu dùng chung; cập nhật số liệu định kỳ hằng năm.",
    },
    3: {
        "results": "Trên cơ sở kết quả rà soát, hai bên đã hướng dẫn xây dựng, thành lập tổ chức "
        "đảng, công đoàn cơ sở, chi đoàn tại các doanh nghiệp có đủ điều kiện.",
        "limitations": "Việc thành lập tổ chức đảng ở doanh nghiệp có vốn đầu tư nước ngoài còn "
        "khó khăn; một số doanh nghiệp có đủ 03 đảng viên nhưng chưa thành lập được chi bộ.",
        "causes": "Chủ doanh nghiệp chưa đồng thuận; đảng viên làm việc không ổn định, thường "
        "xuyên chuyển đổi nơi làm việc.",
        "solutions": "Tập trung chỉ đạo điểm tại các doanh nghiệp đã lựa chọn; phối hợp với cấp "
        "ủy nơi cư trú để giới thiệu đảng viên về sinh hoạt.",
    },
    4: {
        "results": "Phối hợp tạo nguồn, bồi dưỡng nhận thức về Đảng cho quần chúng ưu tú; kết "
        "nạp đảng viên mới và phát triển đoàn viên công đoàn trong doanh nghiệp.",
        "limitations": "Số đảng viên mới là công nhân trực tiếp sản xuất và chủ doanh nghiệp còn "
        "ít.",
        "causes": "Thời gian làm việc của công nhân kéo dài, ít thời gian tham gia học tập, sinh "
        "hoạt.",
        "solutions": "Phát hiện, bồi dưỡng quần chúng ưu tú ngay tại doanh nghiệp; tổ chức lớp "
        "bồi dưỡng vào thời gian phù hợp với ca làm việc.",
    },
}

SIGNATURES = [
    (BLOC_COMMITTEE, 1, "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Minh Đức"),
    (ZONE_BOARD, 2, "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Hoàng Thị Thu Hương"),
]

USERS = [
    # username, family and middle names, given name (so get_full_name reads in Vietnamese
    # order), group, superuser
    ("admin", "Quản trị", "viên", ADMINISTRATORS, True),
    ("official", "Nguyễn Thị", "Lan", OFFICIALS, False),
    ("reviewer", "Phạm Văn", "Hùng", REVIEWERS, False),
]

USERNAMES = [username for username, *_rest in USERS]


def share_pct(numerator: int, denominator: int) -> Decimal:
    if not denominator:
        return Decimal("0.00")
    return (Decimal(100 * numerator) / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)


class Loader:
    """Writes rows by natural key, saving only what differs, and counts what it wrote."""

    def __init__(self) -> None:
        self.created = 0
        self.updated = 0
        self.history_user = None

    @staticmethod
    def _plain(value):
        return value.pk if isinstance(value, models.Model) else value

    def index(self, queryset, *key_fields: str) -> dict:
        """Existing rows by natural key, in one query."""
        attnames = [queryset.model._meta.get_field(name).attname for name in key_fields]
        return {tuple(getattr(row, a) for a in attnames): row for row in queryset}

    def sync(self, model, keys: dict, values: dict, *, existing: dict | None = None):
        key = tuple(self._plain(v) for v in keys.values())
        obj = existing.get(key) if existing is not None else model.objects.filter(**keys).first()
        if obj is None:
            obj = model(**keys, **values)
            self.created += 1
        else:
            changed = {
                name: value
                for name, value in values.items()
                if getattr(obj, model._meta.get_field(name).attname) != self._plain(value)
            }
            if not changed:
                return obj
            for name, value in changed.items():
                setattr(obj, name, value)
            self.updated += 1
        obj._history_user = self.history_user
        obj.save()
        return obj

    def sync_m2m(self, manager, objects) -> None:
        if {o.pk for o in manager.all()} != {o.pk for o in objects}:
            manager.set(objects)
            self.updated += 1


@dataclass
class Summary:
    enterprises: int
    zones: int
    organisations: int
    returns: int
    created: int
    updated: int


def load() -> Summary:
    """Loads the demo data set; running it again writes nothing."""
    loader = Loader()
    with transaction.atomic():
        users = load_users(loader)
        loader.history_user = users["admin"]
        bodies = load_bodies(loader)
        programme, areas = load_programme(loader, bodies)
        zones = load_zones(loader, users["official"])
        plans = Generator().enterprises()
        enterprises = load_enterprises(loader, plans, zones)
        organisations = load_organisations(loader, plans, enterprises, bodies)
        returns = load_returns(loader, plans, enterprises, organisations, users)
        load_indicators(loader, programme, areas, zones)
        load_review(loader, programme, areas, bodies)
    return Summary(
        enterprises=len(enterprises),
        zones=len(zones),
        organisations=len(organisations),
        returns=returns,
        created=loader.created,
        updated=loader.updated,
    )


def load_users(loader: Loader) -> dict:
    """The three demo users, sharing one password hash: hashing is slow by design, and the demo
    should load in a few seconds."""
    users = {}
    verified: set[str] = set()
    for username, first_name, last_name, group_name, superuser in USERS:
        user = loader.sync(
            get_user_model(),
            {"username": username},
            {
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": superuser,
                "is_superuser": superuser,
                "is_active": True,
            },
        )
        known = user.password in verified or (
            user.password and user.check_password(DEMO_PASSWORD)  # empty for a new user
        )
        if not known:
            user.password = next(iter(verified), None) or make_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            loader.updated += 1
        verified.add(user.password)
        group = Group.objects.get(name=group_name)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            loader.updated += 1
        users[username] = user
    return users


def load_bodies(loader: Loader) -> dict[str, Body]:
    bodies: dict[str, Body] = {}
    for name, short_name, kind, parent, symbol, style in BODIES:
        bodies[name] = loader.sync(
            Body,
            {"name": name},
            {
                "short_name": short_name,
                "kind": kind,
                "parent": bodies.get(parent),
                "symbol": symbol,
                "document_style": style,
            },
        )
    return bodies


def load_programme(loader: Loader, bodies: dict) -> tuple[Programme, dict[int, ContentArea]]:
    programme = loader.sync(Programme, {"number": PROGRAMME_NUMBER}, PROGRAMME)
    for position, (name, role) in enumerate(
        [(BLOC_COMMITTEE, ProgrammeBody.Role.LEAD), (ZONE_BOARD, ProgrammeBody.Role.COORDINATING)],
        start=1,
    ):
        loader.sync(
            ProgrammeBody,
            {"programme": programme, "body": bodies[name]},
            {"role": role, "position": position},
        )
    areas = {
        position: loader.sync(
            ContentArea,
            {"programme": programme, "position": position},
            {"title": title, "description": description},
        )
        for position, (title, description) in enumerate(CONTENT_AREAS, start=1)
    }
    partner = {BLOC_COMMITTEE: ZONE_BOARD, ZONE_BOARD: BLOC_COMMITTEE}
    for position, title, lead, due_on, status, completed_on, result in TASKS:
        task = loader.sync(
            Task,
            {"content_area": areas[position], "title": title},
            {
                "lead_body": bodies[lead],
                "due_on": due_on,
                "status": status,
                "completed_on": completed_on,
                "result": result,
            },
        )
        loader.sync_m2m(task.coordinating_bodies, [bodies[partner[lead]]])
    return programme, areas


def load_zones(loader: Loader, official) -> dict[str, Zone]:
    zones: dict[str, Zone] = {}
    for code, name, kind, parent, area in ZONES:
        zones[code] = loader.sync(
            Zone,
            {"code": code},
            {"name": name, "kind": kind, "parent": zones.get(parent), "area_ha": area},
        )
    economic_zone = zones[ECONOMIC_ZONE]
    if not economic_zone.officials.filter(pk=official.pk).exists():
        economic_zone.officials.add(official)
        loader.updated += 1
    return zones


def load_enterprises(loader: Loader, plans: list[EnterprisePlan], zones: dict) -> dict:
    existing = loader.index(
        Enterprise.objects.filter(tax_code__in=[p.tax_code for p in plans]), "tax_code"
    )
    enterprises = {}
    for plan in plans:
        values = {k: v for k, v in plan.values.items() if k not in ("tax_code", "zone_code")}
        values["zone"] = zones[plan.values["zone_code"]]
        enterprises[plan.tax_code] = loader.sync(
            Enterprise, {"tax_code": plan.tax_code}, values, existing=existing
        )
    return enterprises


def load_organisations(loader: Loader, plans, enterprises: dict, bodies: dict) -> dict:
    """Returns the organisations keyed by (tax code, kind, founded on)."""
    generator = Generator(SEED + 1)
    rng = generator.rng
    existing = loader.index(
        Organisation.objects.filter(enterprise__in=enterprises.values()),
        "enterprise",
        "kind",
        "founded_on",
    )
    organisations = {}
    for plan in plans:
        enterprise = enterprises[plan.tax_code]
        for number, organisation in enumerate(plan.organisations, start=1):
            prefix, leader_title = ORGANISATION_NAMES[organisation.kind]
            party = organisation.kind == Kind.PARTY
            committee = party and max(plan.party_members.values()) >= 30
            if committee:
                prefix, leader_title = "Đảng bộ", "Bí thư Đảng ủy"
            form = ""
            if party:
                form = (
                    Organisation.Form.GRASSROOTS_COMMITTEE
                    if committee
                    else Organisation.Form.GRASSROOTS_CELL
                )
            organisations[(plan.tax_code, organisation.kind, organisation.founded_on)] = (
                loader.sync(
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
                        "superior_body": bodies[BLOC_COMMITTEE] if party else None,
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
        values["explanation"] = (
            f"Doanh nghiệp có {party_members} đảng viên đang sinh hoạt ghép tại chi bộ khác; "
            "đang hoàn thiện hồ sơ thành lập chi bộ."
        )
    return values


def workflow_values(status: str, year: int, day: int, users: dict) -> dict:
    """Who submitted and reviewed the return, and when (fixed instants, so reruns match)."""
    submitted = status != Status.DRAFT
    reviewed = status in (Status.ACCEPTED, Status.RETURNED)
    submitted_at = datetime.datetime(year + 1, 1 + day % 3, 1 + day % 28, 2, 0, tzinfo=UTC)
    return {
        "status": status,
        "submitted_by": users["official"] if submitted else None,
        "submitted_at": submitted_at if submitted else None,
        "reviewed_by": users["reviewer"] if reviewed else None,
        "reviewed_at": submitted_at + datetime.timedelta(days=7) if reviewed else None,
        "return_reason": (
            "Số đoàn viên công đoàn chưa khớp với báo cáo của công đoàn cấp trên; đề nghị kiểm "
            "tra lại."
            if status == Status.RETURNED
            else ""
        ),
    }


def load_returns(loader: Loader, plans, enterprises: dict, organisations: dict, users) -> int:
    """Each year's return and the ratings of the organisations active that year."""
    generator = Generator(SEED + 2)
    rng = generator.rng
    existing_returns = loader.index(
        AnnualReturn.objects.filter(enterprise__in=enterprises.values()), "enterprise", "year"
    )
    existing_ratings = loader.index(
        OrganisationRating.objects.filter(organisation__in=organisations.values()),
        "organisation",
        "year",
    )
    count = 0
    for day, plan in enumerate(plans):
        enterprise = enterprises[plan.tax_code]
        for year in plan.return_years():
            status = generator.return_status(year)
            loader.sync(
                AnnualReturn,
                {"enterprise": enterprise, "year": year},
                return_values(plan, year, rng) | workflow_values(status, year, day, users),
                existing=existing_returns,
            )
            count += 1
            if status == Status.DRAFT:
                continue
            for organisation in plan.organisations:
                if organisation.active_at_end_of(year):
                    key = (plan.tax_code, organisation.kind, organisation.founded_on)
                    loader.sync(
                        OrganisationRating,
                        {"organisation": organisations[key], "year": year},
                        {"rating": generator.rating()},
                        existing=existing_ratings,
                    )
    return count


def baseline_figures(zones: dict) -> dict[str, Decimal]:
    """The demo's own 2022 figures, so that the indicators start where the data start;
    counted as reviews.selectors.assessment counts them (union coverage over the enterprises
    eligible for a union)."""
    day = year_end(BASELINE_YEAR)
    operating = Enterprise.objects.filter(operating_on(day), zone__in=zones.values())
    enterprises = operating.count()
    has_union = Q(has_organisation_on(Kind.TRADE_UNION, day))
    with_party = operating.filter(has_organisation_on(Kind.PARTY, day)).count()
    with_union = operating.filter(has_union).count()
    accepted = AnnualReturn.objects.filter(
        enterprise__in=operating, year=BASELINE_YEAR, status=Status.ACCEPTED
    )
    meets_union = accepted.filter(
        Q(employees__gte=UNION_THRESHOLD) | Q(union_members__gte=UNION_THRESHOLD)
    )
    union_eligible = operating.filter(has_union | Q(returns__in=meets_union)).distinct().count()
    sums = accepted.aggregate(
        party_members=Sum("party_members"),
        new_party_members=Sum("new_party_members"),
        awareness_trainees=Sum("awareness_trainees"),
    )
    metric = Indicator.Metric
    return {
        metric.ENTERPRISES_WITH_PARTY_ORG: Decimal(with_party),
        metric.PARTY_ORG_COVERAGE_PCT: share_pct(with_party, enterprises),
        metric.ENTERPRISES_WITH_TRADE_UNION: Decimal(with_union),
        metric.UNION_COVERAGE_PCT: share_pct(with_union, union_eligible),
        metric.PARTY_MEMBERS: Decimal(sums["party_members"] or 0),
        metric.NEW_PARTY_MEMBERS: Decimal(sums["new_party_members"] or 0),
        metric.AWARENESS_TRAINEES: Decimal(sums["awareness_trainees"] or 0),
    }


def load_indicators(loader: Loader, programme, areas: dict, zones: dict) -> None:
    baselines = baseline_figures(zones)
    years = list(programme.years)
    for code, position, name, metric, additions in COMPUTED_INDICATORS:
        baseline = baselines[metric]
        targets = [baseline + addition for addition in additions]
        indicator = loader.sync(
            Indicator,
            {"programme": programme, "code": code},
            {
                "content_area": areas[position],
                "name": name,
                "metric": metric,
                "direction": Indicator.Direction.UP,
                "baseline_year": BASELINE_YEAR,
                "baseline_value": baseline,
                "target_value": targets[-1],
            },
        )
        for year, value in zip(years, targets, strict=True):
            loader.sync(IndicatorTarget, {"indicator": indicator, "year": year}, {"value": value})
    manual = MANUAL_INDICATOR
    indicator = loader.sync(
        Indicator,
        {"programme": programme, "code": manual["code"]},
        {
            "content_area": areas[manual["area"]],
            "name": manual["name"],
            "metric": Indicator.Metric.MANUAL,
            "direction": Indicator.Direction.UP,
            "baseline_year": BASELINE_YEAR,
            "baseline_value": manual["baseline"],
            "target_value": manual["targets"][programme.end_year][0],
        },
    )
    for year, (value, actual) in manual["targets"].items():
        loader.sync(
            IndicatorTarget,
            {"indicator": indicator, "year": year},
            {"value": value, "actual_value": actual},
        )


def load_review(loader: Loader, programme, areas: dict, bodies: dict) -> ProgrammeReview:
    review = loader.sync(
        ProgrammeReview,
        {"programme": programme, "kind": ProgrammeReview.Kind.ONE_YEAR, "as_of_year": 2023},
        {**REVIEW, "status": ProgrammeReview.Status.DRAFT},
    )
    for position, texts in SECTIONS.items():
        loader.sync(ReviewSection, {"review": review, "content_area": areas[position]}, texts)
    for body_name, position, authority, title, name in SIGNATURES:
        loader.sync(
            ReviewSignature,
            {"review": review, "body": bodies[body_name]},
            {
                "position": position,
                "authority": authority,
                "signer_title": title,
                "signer_name": name,
            },
        )
    return review
