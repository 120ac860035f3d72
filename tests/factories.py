"""factory_boy factories for every model; tests build their data from these."""

import datetime

import factory
from django.contrib.auth import get_user_model

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
from reviews.models import (
    AnnualReturn,
    OrganisationRating,
    ProgrammeReview,
    ReviewSection,
    ReviewSignature,
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

    name = factory.Sequence(lambda n: f"Body {n}")
    short_name = factory.Sequence(lambda n: f"B{n}")
    kind = Body.Kind.PARTY_COMMITTEE
    symbol = factory.Sequence(lambda n: f"SYM{n}")


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
    employees = 100
    female_employees = 60
    party_members = 5
    new_party_members = 1
    union_members = 80


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
