"""Bulk review on the returns queue: a reviewer accepts or returns many submitted returns (ticked,
or all that match the filters); each gets its own result, stamp, version and history row; one
changed meanwhile is left alone, one with open data-quality flags is held back unless the
reviewer accepts flagged ones too; 1,000 returns in under 5 s; officials cannot."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise
from reviews.models import AnnualReturn
from reviews.selectors.returns import visible_returns
from reviews.services.cycle import bulk_review
from reviews.services.returns import save_return

from . import factories

YEAR = 2024
Status = AnnualReturn.Status


def submitted(zone, count: int) -> list[AnnualReturn]:
    return [
        factories.AnnualReturnFactory(
            enterprise=factories.EnterpriseFactory(zone=zone),
            year=YEAR,
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for _ in range(count)
    ]


def ticked(*returns) -> list[str]:
    return [f"{r.pk}:{r.version}" for r in returns]


def test_a_reviewer_accepts_the_ticked_returns(reviewer, zone_a):
    first, second, untouched = submitted(zone_a, 3)
    response = factories.logged_in(reviewer).post(
        reverse("return_list"),
        {"action": "accept", "selected": ticked(first, second), "seen_at": timezone.now()},
    )
    assert response.status_code == 200
    assert "Accepted: <strong>2</strong>" in response.content.decode()
    for annual_return in (first, second):
        annual_return.refresh_from_db()
        assert annual_return.status == Status.ACCEPTED
        assert annual_return.reviewed_by == reviewer
        assert annual_return.accepted_at is not None
        assert annual_return.version == 2
        latest = annual_return.history.first()
        assert (latest.status, latest.history_user, latest.version) == ("accepted", reviewer, 2)
    untouched.refresh_from_db()
    assert untouched.status == Status.SUBMITTED


def test_a_return_changed_meanwhile_is_left_alone(reviewer, official_a, zone_a):
    changed, fine = submitted(zone_a, 2)
    seen = ticked(changed, fine)
    save_return(
        user=official_a,
        enterprise=changed.enterprise,
        year=YEAR,
        figures=factories.return_form_data(employees=120),
        ratings={},
        version=changed.version,
    )
    response = factories.logged_in(reviewer).post(
        reverse("return_list"), {"action": "accept", "selected": seen, "seen_at": timezone.now()}
    )
    page = response.content.decode()
    assert "it changed after the list was opened" in page
    assert changed.enterprise.name in page
    changed.refresh_from_db()
    fine.refresh_from_db()
    assert changed.status == Status.SUBMITTED
    assert changed.employees == 120
    assert fine.status == Status.ACCEPTED


def test_all_matching_leaves_alone_what_changed_after_the_list_was_seen(
    reviewer, official_a, zone_a
):
    changed, fine = submitted(zone_a, 2)
    seen_at = timezone.now()
    save_return(
        user=official_a,
        enterprise=changed.enterprise,
        year=YEAR,
        figures=factories.return_form_data(employees=120),
        ratings={},
        version=changed.version,
    )
    results = bulk_review(
        user=reviewer, returns=visible_returns(reviewer), seen_at=seen_at, accept=True
    )
    assert {r.annual_return_id: r.outcome for r in results} == {
        changed.pk: "changed",
        fine.pk: "accepted",
    }


def test_flagged_returns_are_held_back_unless_the_reviewer_accepts_them_too(reviewer, zone_a):
    flagged, clean = submitted(zone_a, 2)
    factories.QualityFlagFactory(annual_return=flagged)
    seen = ticked(flagged, clean)
    client = factories.logged_in(reviewer)
    page = client.post(
        reverse("return_list"), {"action": "accept", "selected": seen, "seen_at": timezone.now()}
    ).content.decode()
    assert "Held back" in page
    flagged.refresh_from_db()
    assert flagged.status == Status.SUBMITTED
    client.post(
        reverse("return_list"),
        {
            "action": "accept",
            "selected": ticked(flagged),
            "accept_flagged": "on",
            "seen_at": timezone.now(),
        },
    )
    flagged.refresh_from_db()
    assert flagged.status == Status.ACCEPTED


def test_returning_many_needs_one_reason_which_each_gets(reviewer, zone_a):
    returns = submitted(zone_a, 2)
    client = factories.logged_in(reviewer)
    data = {"action": "return", "selected": ticked(*returns), "seen_at": timezone.now()}
    client.post(reverse("return_list"), data)
    assert not AnnualReturn.objects.filter(status=Status.RETURNED).exists()
    client.post(reverse("return_list"), data | {"return_reason": "Thiếu số đoàn viên"})
    for annual_return in returns:
        annual_return.refresh_from_db()
        assert annual_return.status == Status.RETURNED
        assert annual_return.return_reason == "Thiếu số đoàn viên"


def test_all_matching_the_filters_reviews_only_those(reviewer, zone_a, zone_b):
    in_a = submitted(zone_a, 3)
    in_b = submitted(zone_b, 2)
    drafts = factories.AnnualReturnFactory(
        enterprise=factories.EnterpriseFactory(zone=zone_a), year=YEAR
    )
    url = reverse("return_list") + f"?zone={zone_a.pk}"
    response = factories.logged_in(reviewer).post(
        url, {"action": "accept", "everything": "on", "seen_at": timezone.now()}
    )
    assert response.context["summary"]["counts"] == [("Accepted", 3)]  # the draft is no result
    assert {r.pk for r in AnnualReturn.objects.filter(status=Status.ACCEPTED)} == {
        r.pk for r in in_a
    }
    assert all(AnnualReturn.objects.get(pk=r.pk).status == Status.SUBMITTED for r in in_b)
    drafts.refresh_from_db()
    assert drafts.status == Status.DRAFT


def test_officials_cannot_review_in_bulk(official_a, zone_a):
    (annual_return,) = submitted(zone_a, 1)
    response = factories.logged_in(official_a).post(
        reverse("return_list"),
        {"action": "accept", "selected": ticked(annual_return), "seen_at": timezone.now()},
    )
    assert response.status_code == 403
    annual_return.refresh_from_db()
    assert annual_return.status == Status.SUBMITTED
    assert (
        'name="selected"'
        not in factories.logged_in(official_a).get(reverse("return_list")).content.decode()
    )


def test_a_ticked_return_outside_the_filters_is_not_reviewed(reviewer, zone_a, zone_b):
    (in_b,) = submitted(zone_b, 1)
    factories.logged_in(reviewer).post(
        reverse("return_list") + f"?zone={zone_a.pk}",
        {"action": "accept", "selected": ticked(in_b), "seen_at": timezone.now()},
    )
    in_b.refresh_from_db()
    assert in_b.status == Status.SUBMITTED


@pytest.mark.django_db
def test_a_thousand_returns_are_accepted_in_under_five_seconds(reviewer, zone_a):
    enterprises = factories.EnterpriseFactory.build_batch(1000, zone=zone_a)
    for number, enterprise in enumerate(enterprises):
        enterprise.tax_code = f"{9000000000 + number}"
    Enterprise.objects.bulk_create(enterprises)
    AnnualReturn.objects.bulk_create(
        AnnualReturn(
            enterprise=enterprise, year=YEAR, status=Status.SUBMITTED, submitted_at=timezone.now()
        )
        for enterprise in Enterprise.objects.filter(zone=zone_a)
    )
    started = time.perf_counter()
    response = factories.logged_in(reviewer).post(
        reverse("return_list"),
        {"action": "accept", "everything": "on", "seen_at": timezone.now()},
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert AnnualReturn.objects.filter(status=Status.ACCEPTED).count() == 1000
    assert AnnualReturn.history.filter(status=Status.ACCEPTED).count() == 1000
    assert elapsed < 5, f"{elapsed:.2f} s"
