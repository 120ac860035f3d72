"""Issue 14: "Follow with a new programme". An administrator makes the 2026–2030 programme from
the ended one: the bodies as they are when it starts, the content areas and indicators copied,
baselines from the old programme's last year (the final review's frozen figures once final),
and the old programme, its reviews and their figures untouched. The dashboard opens on the
current programme, with earlier ones a click away."""

import datetime

import pytest
from django.urls import reverse

from coordination.models import Indicator, Programme
from reviews.models import ProgrammeReview
from reviews.services.programme_reviews import finalise_review

from . import factories

FOLLOW = {
    "title": "Chương trình phối hợp giai đoạn 2026–2030",
    "start_year": 2026,
    "end_year": 2030,
}


@pytest.fixture
def ended(enterprise_a):
    """The 2023–2025 programme, its Party Committee merged on 1 July 2025, two indicators, and
    2025 returns with 5 and 7 party members."""
    programme = factories.joint_programme()
    lead = programme.programme_bodies.get(position=1).body
    lead.successor = factories.BodyFactory(name="Đảng ủy các cơ quan Đảng tỉnh", symbol="ĐUCQĐ")
    lead.succeeded_on = datetime.date(2025, 7, 1)
    lead.save()
    area = programme.content_areas.get(position=1)
    factories.IndicatorFactory(
        programme=programme, content_area=area, code="CT01", metric="party_members"
    )
    factories.IndicatorFactory(
        programme=programme, code="CT09", metric="manual", baseline_value=3, baseline_year=2022
    )
    other = factories.EnterpriseFactory(zone=enterprise_a.zone)
    for enterprise, members in ((enterprise_a, 5), (other, 7)):
        factories.AnnualReturnFactory(
            enterprise=enterprise, year=2025, status="accepted", party_members=members
        )
    return programme


def follow(client, user, programme, **changes):
    client.force_login(user)
    return client.post(reverse("programme_follow", args=[programme.pk]), FOLLOW | changes)


def test_the_follower_carries_bodies_contents_and_baselines(client, administrator, ended):
    response = follow(client, administrator, ended)
    follower = Programme.objects.get(follows=ended)
    assert response["Location"] == reverse("programme_detail", args=[follower.pk])
    assert (follower.start_year, follower.end_year) == (2026, 2030)
    signing = [(pb.body.symbol, pb.role) for pb in follower.programme_bodies.order_by("position")]
    assert signing == [("ĐUCQĐ", "lead"), ("BQLKKT", "coordinating")]
    assert list(follower.content_areas.values_list("position", "title")) == list(
        ended.content_areas.values_list("position", "title")
    )
    carried = {i.code: i for i in follower.indicators.select_related("content_area")}
    assert (carried["CT01"].baseline_year, carried["CT01"].baseline_value) == (2025, 12)
    assert carried["CT01"].content_area.programme == follower
    assert carried["CT01"].carried_from == ended.indicators.get(code="CT01")
    # nothing known of a manual indicator's 2025: its old baseline stays, for editing
    assert (carried["CT09"].baseline_year, carried["CT09"].baseline_value) == (2022, 3)


def test_the_old_programme_stays_untouched(client, administrator, ended):
    before = list(ended.indicators.values("code", "baseline_year", "baseline_value"))
    follow(client, administrator, ended)
    assert list(ended.indicators.values("code", "baseline_year", "baseline_value")) == before
    assert ended.programme_bodies.get(position=1).body.symbol == "ĐUK"


def test_a_final_review_gives_the_baselines_of_record(client, administrator, reviewer, ended):
    review = factories.written_review(
        ended,
        kind=ProgrammeReview.Kind.FINAL,
        as_of_year=2025,
        held_on=datetime.date(2026, 3, 10),
    )
    finalise_review(review=review, user=reviewer)
    old_indicator = ended.indicators.get(code="CT01")
    factories.AnnualReturnFactory(year=2025, status="accepted", party_members=100)  # a late one
    follow(client, administrator, ended)
    carried = Indicator.objects.get(carried_from=old_indicator)
    assert carried.baseline_value == 12


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_year": 2025}, "must start after 2025"),
        ({"start_year": 2027, "end_year": 2026}, ""),
        ({"title": ""}, ""),
    ],
)
def test_bad_years_are_refused_and_nothing_is_made(client, administrator, ended, changes, message):
    response = follow(client, administrator, ended, **changes)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert message in response.content.decode()
    assert not Programme.objects.filter(follows=ended).exists()


@pytest.mark.parametrize("persona", ["official_a", "reviewer"])
def test_only_administrators_follow(client, request, ended, persona):
    response = follow(client, request.getfixturevalue(persona), ended)
    assert response.status_code == 403
    assert Programme.objects.count() == 1


def test_the_dashboard_opens_on_the_current_programme_with_the_earlier_a_click_away(
    client, administrator, ended
):
    follow(client, administrator, ended)
    follower = Programme.objects.get(follows=ended)
    page = client.get(reverse("dashboard"))
    assert page.context["programme"] == follower
    assert f"?programme={ended.pk}" in page.content.decode()
    earlier = client.get(reverse("dashboard"), {"programme": ended.pk})
    assert earlier.context["programme"] == ended
    ignored = client.get(reverse("dashboard"), {"programme": "x"})
    assert ignored.context["programme"] == follower


def test_the_programme_page_and_review_list_link_the_two(client, administrator, ended):
    review = factories.ProgrammeReviewFactory(programme=ended, title="Sơ kết 01 năm")
    follow(client, administrator, ended)
    follower = Programme.objects.get(follows=ended)
    page = client.get(reverse("programme_detail", args=[follower.pk])).content.decode()
    assert reverse("programme_detail", args=[ended.pk]) in page
    assert "carried from" in page
    reviews = client.get(reverse("review_list"), {"programme": ended.pk})
    assert list(reviews.context["reviews"]) == [review]
    assert not client.get(reverse("review_list"), {"programme": follower.pk}).context["reviews"]
