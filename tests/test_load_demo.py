"""`load_demo` gives a newcomer the seed's programme with believable data, and running it again
(as `make run` does on every start) changes nothing."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings

from coordination.models import Programme, ProgrammeBody, Task
from coordination.roles import ADMINISTRATORS, OFFICIALS, REVIEWERS
from enterprises.models import Enterprise, Organisation, Zone
from enterprises.selectors import operated_during, visible_enterprises, year_end
from reviews.models import AnnualReturn, OrganisationRating, ProgrammeReview
from reviews.sample_data import demo

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row of every table the project owns, history included."""
    labels = {"coordination", "enterprises", "reviews", "auth"}
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in labels
    }


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Loaded once for the module (it takes seconds), inside a transaction rolled back at the
    end; each test runs in a savepoint within it."""
    fast_hash = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hash, transaction.atomic():
        yield load()
        transaction.set_rollback(True)


def test_it_prints_where_and_how_to_log_in(loaded):
    assert "http://127.0.0.1:8000/" in loaded
    assert demo.DEMO_PASSWORD in loaded
    assert "Demo only" in loaded


def test_it_prints_the_address_make_run_serves_on(loaded, settings):
    settings.SITE_URL = "http://127.0.0.1:8765"  # make run PORT=8765
    assert "http://127.0.0.1:8765/" in load()


def test_the_programme_is_the_seeds(loaded):
    programme = Programme.objects.get(number=demo.PROGRAMME_NUMBER)
    assert (programme.start_year, programme.end_year) == (2023, 2025)
    signing = [
        (pb.body.symbol, pb.role, pb.body.document_style, pb.body.parent.name)
        for pb in programme.programme_bodies.select_related("body__parent")
    ]
    assert signing == [
        ("ĐUK", ProgrammeBody.Role.LEAD, "party", "Đảng bộ tỉnh Lào Cai"),
        ("BQLKKT", ProgrammeBody.Role.COORDINATING, "state", "Ủy ban nhân dân tỉnh Lào Cai"),
    ]
    assert list(programme.content_areas.values_list("position", flat=True)) == [1, 2, 3, 4]
    tasks = Task.objects.filter(content_area__programme=programme)
    assert all(area.tasks.exists() for area in programme.content_areas.all())
    assert tasks.filter(status=Task.Status.DONE, completed_on__isnull=False).exists()
    assert tasks.filter(status=Task.Status.IN_PROGRESS).exists()
    assert len([t for t in tasks if t.is_overdue_on(datetime.date(2024, 12, 31))]) == 1
    assert all(task.coordinating_bodies.exists() for task in tasks)


def test_indicators_have_baselines_and_a_target_for_each_year(loaded):
    programme = Programme.objects.get(number=demo.PROGRAMME_NUMBER)
    indicators = programme.indicators.prefetch_related("targets")
    assert {"manual", "party_members", "union_coverage_pct"} <= {i.metric for i in indicators}
    for indicator in indicators:
        assert indicator.baseline_year == 2022
        assert [t.year for t in indicator.targets.all()] == [2023, 2024, 2025]
        assert indicator.target_value == indicator.targets.get(year=2025).value


def test_the_zones_of_lao_cai(loaded):
    zones = {z.code: z for z in Zone.objects.select_related("parent")}
    assert len(zones) == 5
    economic_zone = zones["KKTCK-LC"]
    assert economic_zone.kind == Zone.Kind.ECONOMIC_ZONE
    inside = {z.name: (z.kind, z.area_ha) for z in zones.values() if z.parent == economic_zone}
    assert inside == {
        "Khu công nghiệp Bắc Duyên Hải": (Zone.Kind.INDUSTRIAL_PARK, 85),
        "Khu công nghiệp Đông Phố Mới": (Zone.Kind.INDUSTRIAL_PARK, 100),
        "Khu Thương mại - Công nghiệp Kim Thành": (Zone.Kind.FUNCTIONAL_ZONE, 184),
    }
    assert (zones["KCN-TL"].parent, zones["KCN-TL"].area_ha) == (None, 1100)


def test_about_150_enterprises_with_a_realistic_mix(loaded):
    enterprises = Enterprise.objects.all()
    assert 140 <= enterprises.count() <= 160
    by_ownership = {o: enterprises.filter(ownership=o).count() for o in Enterprise.Ownership}
    assert by_ownership["private"] + by_ownership["fdi"] > 0.75 * enterprises.count()
    assert all(by_ownership.values())
    fdi = enterprises.filter(ownership=Enterprise.Ownership.FDI)
    assert not fdi.filter(investor_country="").exists()
    assert {"Trung Quốc", "Hàn Quốc", "Nhật Bản"} <= set(
        fdi.values_list("investor_country", flat=True)
    )
    assert all(enterprises.filter(status=s).exists() for s in Enterprise.Status)
    assert enterprises.filter(tax_code__regex=r"^53[0-9]{8}$").count() > 0.9 * enterprises.count()
    assert enterprises.filter(tax_code__endswith="-001").exists()
    sizes = list(AnnualReturn.objects.filter(year=2024).values_list("employees", flat=True))
    assert sum(n < 50 for n in sizes) > len(sizes) / 2
    assert any(n >= 500 for n in sizes) and any(300 <= n < 500 for n in sizes)


def test_the_data_obey_the_rules(loaded):
    """A party organisation only with 3 or more members; members within the workforce;
    ratings only for organisations active that year; the years before the last all accepted."""
    returns = AnnualReturn.objects.select_related("enterprise")
    for annual_return in returns:
        day = year_end(annual_return.year)
        party = annual_return.enterprise.organisations.filter(
            kind=Organisation.Kind.PARTY, founded_on__lte=day
        ).exclude(dissolved_on__lte=day)
        if party.exists():
            assert annual_return.party_members >= 3, annual_return
    for field in ("party_members", "union_members", "youth_members", "women_members"):
        assert not returns.filter(**{f"{field}__gt": F("employees")}).exists(), field
    for rating in OrganisationRating.objects.select_related("organisation"):
        assert rating.organisation.is_active_on(year_end(rating.year)), rating
    for year in (2022, 2023, 2024):
        assert set(returns.filter(year=year).values_list("status", flat=True)) == {"accepted"}
    organisations = Organisation.objects.all()
    assert organisations.filter(dissolved_on__isnull=False).exists()
    assert organisations.filter(founded_on__year__in=[2023, 2024]).exists()
    with_party = organisations.filter(kind="party").values("enterprise").distinct().count()
    assert 0.15 < with_party / Enterprise.objects.count() < 0.35


def test_the_one_year_review(loaded):
    review = ProgrammeReview.objects.get(kind=ProgrammeReview.Kind.ONE_YEAR)
    assert (review.kind, review.as_of_year, review.held_on, review.number, review.place) == (
        ProgrammeReview.Kind.ONE_YEAR,
        2023,
        datetime.date(2024, 5, 16),
        "01",
        "Lào Cai",
    )
    assert review.status == ProgrammeReview.Status.DRAFT
    expected = Enterprise.objects.filter(operated_during(2023))
    accepted = AnnualReturn.objects.filter(year=2023, enterprise__in=expected)
    cut_off = datetime.datetime(2024, 5, 16, tzinfo=datetime.UTC)  # the end of 15 May 2024
    # docs/indicators.md's worked example: 132 of 141 accepted by the cut-off, 6 after it
    assert (expected.count(), accepted.filter(accepted_at__lt=cut_off).count()) == (141, 132)
    assert accepted.filter(accepted_at__gte=cut_off).count() == 6
    sections = review.sections.order_by("content_area__position")
    assert [s.content_area.position for s in sections] == [1, 2, 3, 4]
    assert all(s.results and s.limitations and s.causes and s.solutions for s in sections)
    signatures = [
        (s.body.symbol, s.authority, s.signer_title)
        for s in review.signatures.select_related("body").order_by("position")
    ]
    assert signatures == [
        ("ĐUK", "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"),
        ("BQLKKT", "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
    ]
    assert review.recipients.splitlines()[-1].strip("- .") == "Lưu VT"


def test_a_draft_final_review_early_in_2026(loaded):
    review = ProgrammeReview.objects.get(kind=ProgrammeReview.Kind.FINAL)
    assert (review.as_of_year, review.held_on, review.cut_off_on, review.status) == (
        2025,
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 1),
        ProgrammeReview.Status.DRAFT,
    )
    assert review.title.startswith("Báo cáo tổng kết thực hiện Chương trình phối hợp")
    assert review.signatures.count() == 2


def test_nearly_every_2025_return_is_accepted_by_the_final_reviews_cut_off(loaded):
    expected = Enterprise.objects.filter(operated_during(2025))
    cut_off = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    accepted = AnnualReturn.objects.filter(
        year=2025, status="accepted", accepted_at__lt=cut_off, enterprise__in=expected
    )
    assert accepted.count() >= 0.95 * expected.count()
    not_accepted = AnnualReturn.objects.filter(year=2025).exclude(status="accepted")
    assert {"draft", "returned"} <= set(not_accepted.values_list("status", flat=True))
    assert expected.exclude(returns__year=2025).exists()  # a few are missing
    submitted = AnnualReturn.objects.filter(year=2025, submitted_at__isnull=False)
    due = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    assert submitted.filter(submitted_at__gte=due).exists()  # some late
    assert submitted.filter(submitted_at__lt=due).count() > submitted.count() / 2


def test_on_15_february_2026_the_official_is_reminded_of_2025(loaded, settings):
    settings.RETURNS_OPEN, settings.RETURNS_DUE, settings.RETURNS_LOCK = "01-01", "01-31", "03-31"
    call_command("send_reminders", date="2026-02-15", stdout=StringIO())
    official = get_user_model().objects.get(username="official")
    (message,) = [m for m in mail.outbox if m.to == [official.email]]
    assert "/returns/2025/" in message.body
    assert "/returns/2024/" not in message.body  # 2024 is locked by then


def test_three_users_in_their_groups(loaded):
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}
    expected = {"admin": ADMINISTRATORS, "official": OFFICIALS, "reviewer": REVIEWERS}
    for username, group in expected.items():
        assert [g.name for g in users[username].groups.all()] == [group]
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert users["official"].check_password(demo.DEMO_PASSWORD)
    assert all(user.email for user in users.values())


def test_the_official_sees_the_economic_zones_parks(loaded):
    official = get_user_model().objects.get(username="official")
    seen = set(visible_enterprises(official).values_list("zone__code", flat=True))
    assert seen == {"KKTCK-LC", "KCN-BDH", "KCN-DPM", "KTMCN-KT"}
    assert not visible_enterprises(official).filter(zone__code="KCN-TL").exists()


def test_a_second_run_changes_nothing(loaded):
    """Not a row, not a field, not a history entry."""
    before = snapshot()
    second = load()
    assert snapshot() == before
    assert "0 rows created, 0 updated" in second


def test_it_restores_what_was_changed(loaded):
    """Natural keys, not luck: a changed demo enterprise is put back, nothing is duplicated."""
    enterprise = Enterprise.objects.order_by("tax_code").first()
    name, count = enterprise.name, Enterprise.objects.count()
    Enterprise.objects.filter(pk=enterprise.pk).update(name="Renamed")
    load()
    assert Enterprise.objects.get(pk=enterprise.pk).name == name
    assert Enterprise.objects.count() == count
