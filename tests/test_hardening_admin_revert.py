"""Issue 12, item 4: an administrator could un-finalise a final review through the admin's
history "Revert" (POST /admin/reviews/programmereview/<pk>/history/<history_id>/): the row went
back to draft, its frozen figures and finaliser gone. Final reviews (their sections and
signatures too), accepted returns and their history cannot be reverted; a revert that is allowed
moves the record's version on, so that a form opened before it is refused. Reopening a final
review is no admin action at all."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from reviews.models import AnnualReturn, ProgrammeReview
from reviews.services import returns as return_services
from reviews.services.programme_reviews import create_review, finalise_review, update_review

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, administrator):
    client.force_login(administrator)
    return client


def history_url(obj, record) -> str:
    meta = obj._meta
    return reverse(
        f"admin:{meta.app_label}_{meta.model_name}_simple_history", args=[obj.pk, record.pk]
    )


def revert(client, obj, record):
    """GETs the historical row's page and POSTs its form back, as the Revert button does."""
    form = client.get(history_url(obj, record)).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return client.post(history_url(obj, record), data)


@pytest.fixture
def final_review(reviewer):
    review = create_review(
        user=reviewer,
        programme=factories.joint_programme(),
        kind="one_year",
        title="Sơ kết",
        as_of_year=2023,
    )
    return finalise_review(review=review, user=reviewer)


def test_a_final_review_cannot_be_reverted_to_its_draft(staff_client, final_review, reviewer):
    """The attacker's POST, word for word: refused, the review final as it was."""
    draft = final_review.history.order_by("history_date").first()
    assert draft.status == ProgrammeReview.Status.DRAFT
    response = revert(staff_client, final_review, draft)
    assert response.status_code == 403
    final_review.refresh_from_db()
    assert final_review.is_final
    assert final_review.frozen_figures and final_review.finalised_by == reviewer


def test_its_history_page_offers_no_revert(staff_client, final_review):
    draft = final_review.history.order_by("history_date").first()
    response = staff_client.get(history_url(final_review, draft))
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True


def test_its_sections_and_signatures_cannot_be_reverted(staff_client, final_review):
    for part in (final_review.sections.first(), final_review.signatures.first()):
        record = part.history.order_by("history_date").first()
        assert revert(staff_client, part, record).status_code == 403


@pytest.fixture
def accepted_return(enterprise_a, official_a, reviewer):
    annual_return = factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024)
    return_services.submit_return(
        user=official_a, annual_return=annual_return, version=annual_return.version
    )
    annual_return.refresh_from_db()
    return return_services.accept_return(
        user=reviewer, annual_return=annual_return, version=annual_return.version
    )


def test_an_accepted_return_cannot_be_reverted(staff_client, accepted_return):
    submitted = accepted_return.history.get(status=AnnualReturn.Status.SUBMITTED)
    assert revert(staff_client, accepted_return, submitted).status_code == 403
    accepted_return.refresh_from_db()
    assert accepted_return.status == AnnualReturn.Status.ACCEPTED


def test_no_revert_makes_a_return_accepted(staff_client, accepted_return, reviewer):
    """A return a reviewer sent back cannot be made accepted again from its history."""
    returned = return_services.send_back_return(
        user=reviewer,
        annual_return=accepted_return,
        version=accepted_return.version,
        reason="Sai số liệu.",
    )
    accepted = returned.history.get(status=AnnualReturn.Status.ACCEPTED)
    assert revert(staff_client, returned, accepted).status_code == 403
    returned.refresh_from_db()
    assert returned.status == AnnualReturn.Status.RETURNED


def test_an_accepted_return_is_read_only_in_the_admin(staff_client, accepted_return):
    url = reverse("admin:reviews_annualreturn_change", args=[accepted_return.pk])
    assert staff_client.get(url).context["has_change_permission"] is False
    assert staff_client.post(url, {"employees": 1}).status_code == 403


def test_a_draft_review_is_still_reverted_and_its_version_moves_on(
    staff_client, reviewer, final_review
):
    review = create_review(
        user=reviewer, programme=final_review.programme, kind="final", title="A", as_of_year=2025
    )
    review.title = "B"
    update_review(review=review, user=reviewer, seen_version=1, sections=[], signatures=[])
    first = review.history.order_by("history_date").first()
    assert revert(staff_client, review, first).status_code == 302
    review.refresh_from_db()
    assert (review.title, review.version) == ("A", 3)


def test_an_enterprise_reverted_is_a_new_version(staff_client, enterprise_a, official_a):
    """A revert brings back the old values, not the old version number: a form opened at the
    version before the revert is then refused."""
    first = enterprise_a.history.get()
    Enterprise.objects.filter(pk=enterprise_a.pk).update(version=5, name="Đổi tên")
    assert revert(staff_client, enterprise_a, first).status_code == 302
    enterprise_a.refresh_from_db()
    assert (enterprise_a.name, enterprise_a.version) == ("Công ty Điện tử Bắc Duyên Hải", 6)
