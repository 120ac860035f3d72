"""Finalising a review: reviewers only; it freezes the assessment as a reviewer sees it (every
zone) and makes the review read-only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reviews.models import ProgrammeReview
from reviews.selectors.assessment import assessment
from reviews.services.programme_reviews import ReviewLocked, finalise_review

from . import factories


@pytest.fixture
def review(db):
    return factories.written_review(factories.joint_programme())


@pytest.fixture
def returns(enterprise_a, enterprise_b):
    for enterprise in (enterprise_a, enterprise_b):
        factories.AnnualReturnFactory(enterprise=enterprise, year=2023, status="accepted")


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_reviewers_finalise_and_freeze_every_zone(client, request, persona, review, returns):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(reverse("review_finalise", args=[review.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("review_detail", args=[review.pk])
    review.refresh_from_db()
    assert review.status == ProgrammeReview.Status.FINAL
    assert review.finalised_by == user
    assert review.finalised_at is not None
    frozen = dict(review.frozen_figures)
    issuers = frozen.pop("issuers")
    assert review.cut_off_on == review.held_on - datetime.timedelta(days=1)
    assert frozen == assessment(
        programme=review.programme, year=2023, user=user, cut_off=review.cut_off_on
    )
    assert [issuer["symbol"] for issuer in issuers] == [
        signature.body.symbol for signature in review.signatures.order_by("position")
    ]
    assert review.frozen_figures["metrics"]["enterprises_operating"] == 2
    assert review.frozen_figures["scope"]["all"] is True


def test_officials_may_not_finalise(client, official_a, review, returns):
    client.force_login(official_a)
    response = client.post(reverse("review_finalise", args=[review.pk]))
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == ProgrammeReview.Status.DRAFT
    assert review.frozen_figures is None


def test_the_service_refuses_officials(official_a, review):
    with pytest.raises(PermissionDenied):
        finalise_review(review=review, user=official_a)
    review.refresh_from_db()
    assert not review.is_final


def test_a_get_asks_to_confirm_and_says_what_it_freezes(client, reviewer, review, returns):
    """One click on "Finalise" does not finalise: the page asks, and only its POST acts."""
    client.force_login(reviewer)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("review_finalise", args=[review.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Finalise the review?" in page
    assert "the figures of 2023 as they stand now" in page
    assert "15/05/2024" in page or "05/15/2024" in page  # the cut-off: the day before 16 May
    assert "can no longer be edited" in page
    assert 'method="post"' in page
    review.refresh_from_db()
    assert not review.is_final


def test_the_review_page_links_to_the_confirmation(client, reviewer, review):
    client.force_login(reviewer)
    page = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    assert f'href="{reverse("review_finalise", args=[review.pk])}"' in page
    assert f'action="{reverse("review_finalise", args=[review.pk])}"' not in page


def test_a_final_review_is_not_offered_again(client, reviewer, review):
    finalise_review(review=review, user=reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("review_finalise", args=[review.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("review_detail", args=[review.pk])


def test_finalising_again_keeps_the_first_figures(client, reviewer, review, returns, zone_a):
    """A second finalisation (a stale page, a double click) is refused with a message."""
    finalise_review(review=review, user=reviewer)
    review.refresh_from_db()
    frozen, finalised_at = review.frozen_figures, review.finalised_at
    factories.EnterpriseFactory(zone=zone_a, founded_on=datetime.date(2020, 1, 1))

    client.force_login(reviewer)
    response = client.post(reverse("review_finalise", args=[review.pk]), follow=True)
    assert "This review is final: it can no longer be changed." in response.content.decode()
    review.refresh_from_db()
    assert (review.frozen_figures, review.finalised_at) == (frozen, finalised_at)
    with pytest.raises(ReviewLocked):
        finalise_review(review=review, user=reviewer)


def test_unknown_review_is_404(client, reviewer):
    client.force_login(reviewer)
    assert client.post(reverse("review_finalise", args=[999])).status_code == 404
