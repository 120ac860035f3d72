"""factory_boy factories for every model; tests build their data from these."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.test import Client

from coordination.models import (
    Body,
    ContentArea,
    Indicator,
    IndicatorTarget,
    Programme,
    ProgrammeBody,
    Task,
)
from enterprises.models import (
    Enterprise,
    Organisation,
    OrganisationSuperior,
    SuperiorBodyKind,
    Zone,
)
from enterprises.services import allow_likely_superior_kinds
from reviews.models import (
    AnnualReturn,
    OrganisationRating,
    ProgrammeReview,
    ReviewSection,
    ReviewSignature,
    ZoneTarget,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Body {n}")
    short_name = factory.Sequence(lambda n: f"B{n}")
    kind = Body.Kind.PARTY_COMMITTEE
    symbol = factory.Sequence(lambda n: f"SYM{n}")

    @factory.post_generation
    def superior_kinds(body, create, kinds, **extra):
        """The kinds of organisation it stands above: as given, else what its kind suggests."""
        if not create:
            return
        if kinds is None:
            allow_likely_superior_kinds(body)
        for kind in kinds or ():
            SuperiorBodyKind.objects.create(body=body, kind=kind)


class SuperiorBodyKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuperiorBodyKind

    body = factory.SubFactory(BodyFactory, superior_kinds=[])
    kind = Organisation.Kind.TRADE_UNION


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    title = factory.Sequence(lambda n: f"Coordination programme {n}")
    number = "01-CTr/ĐUK-BQLKKT"
    start_year = 2023
    end_year = 2025
    signed_on = datetime.date(2023, 3, 1)


class ProgrammeBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeBody

    programme = factory.SubFactory(ProgrammeFactory)
    body = factory.SubFactory(BodyFactory)
    role = ProgrammeBody.Role.LEAD
    position = 1


class ContentAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentArea

    programme = factory.SubFactory(ProgrammeFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Content area {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    content_area = factory.SubFactory(ContentAreaFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    lead_body = factory.SubFactory(BodyFactory)
    due_on = datetime.date(2024, 12, 31)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"I{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    metric = Indicator.Metric.PARTY_MEMBERS
    baseline_year = 2022
    baseline_value = 10
    target_value = 20


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2023
    value = 15


class OrganisationSuperiorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationSuperior

    organisation = factory.SubFactory("tests.factories.OrganisationFactory")
    body = factory.SubFactory(BodyFactory)
    since = datetime.date(2023, 1, 1)


class ZoneTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZoneTarget

    indicator = factory.SubFactory(IndicatorFactory)
    zone = factory.SubFactory("tests.factories.ZoneFactory")
    year = 2023
    value = 10


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Industrial park {n}")
    code = factory.Sequence(lambda n: f"Z{n}")
    kind = Zone.Kind.INDUSTRIAL_PARK


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Công ty TNHH Số {n}")
    tax_code = factory.Sequence(lambda n: f"{5300000000 + n:010d}")
    zone = factory.SubFactory(ZoneFactory)
    ownership = Enterprise.Ownership.PRIVATE
    founded_on = datetime.date(2015, 1, 1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = Organisation.Kind.PARTY
    form = factory.LazyAttribute(
        lambda o: Organisation.Form.GRASSROOTS_CELL if o.kind == Organisation.Kind.PARTY else ""
    )
    name = factory.Sequence(lambda n: f"Organisation {n}")
    founded_on = datetime.date(2020, 1, 1)


class AnnualReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReturn

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2023
    status = AnnualReturn.Status.DRAFT
    employees = 100
    female_employees = 60
    party_members = 5
    new_party_members = 1
    union_members = 80
    # An accepted return was accepted early the next year, as returns are.
    accepted_at = factory.LazyAttribute(
        lambda annual_return: (
            datetime.datetime(annual_return.year + 1, 2, 1, tzinfo=datetime.UTC)
            if annual_return.status == AnnualReturn.Status.ACCEPTED
            else None
        )
    )


class QualityFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.QualityFlag"

    annual_return = factory.SubFactory(AnnualReturnFactory)
    rule = "zero_employees"
    figures = factory.LazyFunction(dict)


class ReportingYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReportingYear"
        django_get_or_create = ("year",)

    year = 2024
    opens_on = factory.LazyAttribute(lambda o: datetime.date(o.year + 1, 1, 1))
    due_on = factory.LazyAttribute(lambda o: datetime.date(o.year + 1, 1, 31))
    locks_on = factory.LazyAttribute(lambda o: datetime.date(o.year + 1, 3, 31))


class LockExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.LockException"

    year = 2024
    enterprise = factory.SubFactory(EnterpriseFactory)
    until = factory.LazyFunction(datetime.date.today)
    reason = "Late correction"
    created_by = factory.SubFactory(UserFactory)


class ReminderSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReminderSent"

    user = factory.SubFactory(UserFactory)
    day = datetime.date(2026, 2, 15)
    kind = "official"
    email = "someone@example.org"
    returns = 3


class OrganisationRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationRating

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2023
    rating = OrganisationRating.Rating.GOOD


class ProgrammeReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeReview

    programme = factory.SubFactory(ProgrammeFactory)
    kind = ProgrammeReview.Kind.ONE_YEAR
    title = "One-year review"
    as_of_year = 2023
    held_on = datetime.date(2024, 5, 16)
    place = "Lào Cai"


class ReviewSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewSection

    review = factory.SubFactory(ProgrammeReviewFactory)
    content_area = factory.SubFactory(
        ContentAreaFactory, programme=factory.SelfAttribute("..review.programme")
    )


class ReviewSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewSignature

    review = factory.SubFactory(ProgrammeReviewFactory)
    body = factory.SubFactory(BodyFactory)
    authority = "T/M BAN THƯỜNG VỤ"
    signer_title = "PHÓ BÍ THƯ"
    signer_name = "Nguyễn Văn A"


def joint_programme(**fields) -> Programme:
    """The seed's programme: the Bloc's Party Committee leads (party style, symbol ĐUK), the
    Economic Zone Management Board coordinates (state style, BQLKKT); each under its superior
    body, with two content areas."""
    programme = ProgrammeFactory(
        title="Chương trình phối hợp công tác giai đoạn 2023 - 2025", **fields
    )
    party = BodyFactory(
        name="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
        short_name="ĐUK",
        symbol="ĐUK",
        document_style=Body.DocumentStyle.PARTY,
        parent=BodyFactory(name="Đảng bộ tỉnh Lào Cai", symbol="TU"),
    )
    board = BodyFactory(
        name="Ban Quản lý Khu kinh tế tỉnh",
        short_name="BQLKKT",
        symbol="BQLKKT",
        kind=Body.Kind.STATE_AGENCY,
        document_style=Body.DocumentStyle.STATE,
        parent=BodyFactory(
            name="Ủy ban nhân dân tỉnh Lào Cai",
            symbol="UBND",
            kind=Body.Kind.STATE_AGENCY,
            document_style=Body.DocumentStyle.STATE,
        ),
    )
    ProgrammeBodyFactory(
        programme=programme, body=board, role=ProgrammeBody.Role.COORDINATING, position=2
    )
    ProgrammeBodyFactory(programme=programme, body=party, role=ProgrammeBody.Role.LEAD, position=1)
    ContentAreaFactory(programme=programme, position=2, title="Phát triển đảng viên")
    ContentAreaFactory(programme=programme, position=1, title="Tuyên truyền, phổ biến chính sách")
    return programme


def return_form_data(**overrides) -> dict:
    """A valid POST of the annual return form: plausible figures, no warning, a draft save."""
    data = {
        "employees": 120,
        "female_employees": 70,
        "party_members": 2,
        "new_party_members": 1,
        "new_members_owners": 0,
        "awareness_trainees": 3,
        "party_candidates": 4,
        "union_members": 100,
        "youth_members": 30,
        "women_members": 50,
        "explanation": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def written_review(programme: Programme, **fields) -> ProgrammeReview:
    """A one-year review of a joint programme as its report is printed: number 01, Lào Cai,
    16 May 2024, a section per content area and a signature block per signing body written in,
    and the recipients."""
    written = {
        "title": "Sơ kết 01 năm thực hiện Chương trình phối hợp",
        "number": "01",
        "summary": "Hai bên đã triển khai chương trình đến từng chi bộ.",
        "recommendations": "Đề nghị Ban Chỉ đạo Đề án 24 tiếp tục chỉ đạo.",
        "recipients": "- Thường trực Tỉnh ủy (b/c);\n- Ban Chỉ đạo Đề án 24;\nLưu VT.",
    }
    review = ProgrammeReviewFactory(programme=programme, **(written | fields))
    for area in programme.content_areas.order_by("position"):
        ReviewSectionFactory(
            review=review,
            content_area=area,
            results=f"Kết quả {area.position}.",
            limitations=f"Hạn chế {area.position}.",
            causes=f"Nguyên nhân {area.position}.",
            solutions=f"Giải pháp {area.position}.",
        )
    signers = {
        Body.DocumentStyle.PARTY: ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Minh Đức"),
        Body.DocumentStyle.STATE: ("KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Hoàng Thị Thu Hương"),
    }
    for signing in programme.programme_bodies.select_related("body").order_by("position"):
        authority, signer_title, signer_name = signers[signing.body.document_style]
        ReviewSignatureFactory(
            review=review,
            body=signing.body,
            position=signing.position,
            authority=authority,
            signer_title=signer_title,
            signer_name=signer_name,
        )
    return review


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.Group"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Group {n}")


class UserPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coordination.UserPreference"

    user = factory.SubFactory(UserFactory)
    language = "vi"


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "otp_totp.TOTPDevice"

    user = factory.SubFactory(UserFactory)
    name = "phone"


class AccessBaseFactory(factory.django.DjangoModelFactory):
    """django-axes' records of login attempts."""

    user_agent = "Mozilla/5.0"
    ip_address = "192.0.2.10"
    username = factory.Sequence(lambda n: f"user{n}")
    http_accept = "text/html"
    path_info = "/accounts/login/"


class AccessAttemptFactory(AccessBaseFactory):
    class Meta:
        model = "axes.AccessAttempt"

    get_data = ""
    post_data = "username=user"
    failures_since_start = 1


class AccessLogFactory(AccessBaseFactory):
    class Meta:
        model = "axes.AccessLog"


class AccessFailureLogFactory(AccessBaseFactory):
    class Meta:
        model = "axes.AccessFailureLog"


def logged_in(user) -> Client:
    """A test client with the user logged in (force_login: django-axes refuses login())."""
    client = Client()
    client.force_login(user)
    return client


def printed_review(enterprises) -> ProgrammeReview:
    """A written review of the joint programme with figures to print: one indicator (CT01,
    enterprises with a party organisation: baseline 0 in 2022, target 2 in 2023 and 4 at the
    end), the first enterprise with a party organisation, an accepted 2023 return of each, and
    a Hindi paragraph (Devanagari) in the first section's results."""
    programme = joint_programme()
    indicator = IndicatorFactory(
        programme=programme,
        code="CT01",
        name="Số doanh nghiệp có tổ chức đảng",
        metric="enterprises_with_party_org",
        baseline_year=2022,
        baseline_value=0,
        target_value=4,
    )
    IndicatorTargetFactory(indicator=indicator, year=2023, value=2)
    OrganisationFactory(enterprise=enterprises[0], founded_on=datetime.date(2021, 3, 1))
    for enterprise in enterprises:
        AnnualReturnFactory(enterprise=enterprise, year=2023, status="accepted")
    review = written_review(programme)
    review.sections.filter(content_area__position=1).update(
        results="समन्वय कार्यक्रम का एक वर्ष पूरा हुआ।"
    )
    return review


class SignedCopyFactory(factory.django.DjangoModelFactory):
    """A signed copy stored as it is (the service's checks are tested on their own)."""

    class Meta:
        model = "reviews.SignedCopy"

    review = factory.SubFactory(ProgrammeReviewFactory)
    file = factory.django.FileField(data=b"%PDF-1.7\n%%EOF\n", filename="copy.pdf")
    original_name = "bao-cao-da-ky.pdf"
    size = 15
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)


def signed_copy_of(review: ProgrammeReview, content: bytes = b"%PDF-1.7\n%%EOF\n"):
    return SignedCopyFactory(
        review=review, file__data=content, size=len(content), file__filename="copy.pdf"
    )
