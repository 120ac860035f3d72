"""The returns workflow: an official saves a draft and submits it; a reviewer accepts it or
returns it with a reason; an accepted return is read-only until a reviewer returns (reopens) it;
every step keeps its history."""

import pytest
from django.test import Client
from django.urls import reverse

from reviews.models import AnnualReturn
from reviews.services import returns as services

from . import factories

YEAR = 2024
Status = AnnualReturn.Status


def edit_url(annual_return):
    return reverse("return_edit", args=[annual_return.enterprise_id, annual_return.year])


def review_url(annual_return):
    return reverse("return_review", args=[annual_return.enterprise_id, annual_return.year])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_status(enterprise, status, **fields):
    return factories.AnnualReturnFactory(enterprise=enterprise, year=YEAR, status=status, **fields)


def test_an_official_saves_and_submits_in_one_step(official_a, enterprise_a):
    url = reverse("return_edit", args=[enterprise_a.pk, YEAR])
    response = logged_in(official_a).post(url, factories.return_form_data(action="submit"))
    assert response.status_code == 302
    saved = AnnualReturn.objects.get()
    assert saved.status == Status.SUBMITTED
    assert saved.submitted_by == official_a
    assert saved.submitted_at is not None


def test_a_reviewer_accepts_a_submitted_return(reviewer, enterprise_a):
    annual_return = in_status(enterprise_a, Status.SUBMITTED)
    data = {"action": "accept", "seen_version": annual_return.version}
    response = logged_in(reviewer).post(review_url(annual_return), data, follow=True)
    annual_return.refresh_from_db()
    assert annual_return.status == Status.ACCEPTED
    assert annual_return.reviewed_by == reviewer
    assert annual_return.reviewed_at is not None
    assert "accepted" in response.content.decode()


def test_returning_needs_a_reason(reviewer, enterprise_a):
    annual_return = in_status(enterprise_a, Status.SUBMITTED)
    data = {"action": "return", "seen_version": annual_return.version, "return_reason": " "}
    response = logged_in(reviewer).post(review_url(annual_return), data)
    assert response.status_code == 200
    assert "return_reason" in response.context["review_form"].errors
    assert "Say why the return goes back." in response.content.decode()
    annual_return.refresh_from_db()
    assert annual_return.status == Status.SUBMITTED


def test_a_returned_return_shows_its_reason_and_can_be_resubmitted(
    reviewer, official_a, enterprise_a
):
    annual_return = in_status(enterprise_a, Status.SUBMITTED)
    data = {
        "action": "return",
        "seen_version": annual_return.version,
        "return_reason": "Female employees look too low.",
    }
    logged_in(reviewer).post(review_url(annual_return), data)
    annual_return.refresh_from_db()
    assert annual_return.status == Status.RETURNED
    assert annual_return.reviewed_by == reviewer

    official = logged_in(official_a)
    page = official.get(edit_url(annual_return)).content.decode()
    assert "Female employees look too low." in page
    assert 'value="submit"' in page
    resubmit = factories.return_form_data(
        action="submit", seen_version=annual_return.version, female_employees=80
    )
    official.post(edit_url(annual_return), resubmit)
    annual_return.refresh_from_db()
    assert annual_return.status == Status.SUBMITTED
    assert annual_return.female_employees == 80


def test_an_accepted_return_is_read_only(official_a, enterprise_a):
    annual_return = in_status(enterprise_a, Status.ACCEPTED, employees=100)
    client = logged_in(official_a)
    page = client.get(edit_url(annual_return)).content.decode()
    assert 'name="employees"' not in page
    assert "read-only" in page

    data = factories.return_form_data(employees=500, seen_version=annual_return.version)
    response = client.post(edit_url(annual_return), data, follow=True)
    assert "read-only until a reviewer returns it" in response.content.decode()
    annual_return.refresh_from_db()
    assert annual_return.employees == 100
    assert annual_return.version == 1


def test_the_service_refuses_to_change_an_accepted_return(official_a, enterprise_a):
    annual_return = in_status(enterprise_a, Status.ACCEPTED)
    with pytest.raises(services.ReturnLocked):
        services.save_return(
            user=official_a,
            enterprise=enterprise_a,
            year=YEAR,
            figures=factories.return_form_data(),
            ratings={},
            version=annual_return.version,
        )


def test_a_reviewer_reopens_an_accepted_return(reviewer, official_a, enterprise_a):
    annual_return = in_status(enterprise_a, Status.ACCEPTED)
    page = logged_in(reviewer).get(edit_url(annual_return)).content.decode()
    assert "Reopen" in page
    assert 'value="accept"' not in page
    services.send_back_return(
        user=reviewer,
        annual_return=annual_return,
        version=annual_return.version,
        reason="The union figure changed.",
    )
    page = logged_in(official_a).get(edit_url(annual_return)).content.decode()
    assert 'name="employees"' in page


@pytest.mark.parametrize(
    ("status", "transition"),
    [
        (Status.SUBMITTED, "submit"),
        (Status.ACCEPTED, "submit"),
        (Status.DRAFT, "accept"),
        (Status.RETURNED, "accept"),
        (Status.DRAFT, "return"),
        (Status.RETURNED, "return"),
    ],
)
def test_transitions_from_the_wrong_status_are_refused(
    administrator, enterprise_a, status, transition
):
    annual_return = in_status(enterprise_a, status)
    calls = {
        "submit": services.submit_return,
        "accept": services.accept_return,
        "return": lambda **kwargs: services.send_back_return(reason="Why", **kwargs),
    }
    with pytest.raises(services.ReturnNotAllowed):
        calls[transition](
            user=administrator, annual_return=annual_return, version=annual_return.version
        )
    annual_return.refresh_from_db()
    assert annual_return.status == status


def test_a_reviewer_may_not_change_the_figures(reviewer, enterprise_a):
    annual_return = in_status(enterprise_a, Status.SUBMITTED, employees=100)
    client = logged_in(reviewer)
    assert 'name="employees"' not in client.get(edit_url(annual_return)).content.decode()
    data = factories.return_form_data(employees=5, seen_version=annual_return.version)
    assert client.post(edit_url(annual_return), data).status_code == 403
    annual_return.refresh_from_db()
    assert annual_return.employees == 100


def test_an_official_may_not_accept(official_a, enterprise_a):
    annual_return = in_status(enterprise_a, Status.SUBMITTED)
    page = logged_in(official_a).get(edit_url(annual_return)).content.decode()
    assert 'value="accept"' not in page
    data = {"action": "accept", "seen_version": annual_return.version}
    assert logged_in(official_a).post(review_url(annual_return), data).status_code == 403
    annual_return.refresh_from_db()
    assert annual_return.status == Status.SUBMITTED


def test_the_page_shows_who_submitted_and_reviewed(reviewer, official_a, enterprise_a):
    annual_return = in_status(enterprise_a, Status.DRAFT)
    official_a.first_name, official_a.last_name = "Lan", "Nguyễn"
    official_a.save()
    annual_return = services.submit_return(
        user=official_a, annual_return=annual_return, version=annual_return.version
    )
    services.accept_return(
        user=reviewer, annual_return=annual_return, version=annual_return.version
    )
    page = logged_in(reviewer).get(edit_url(annual_return)).content.decode()
    assert "Lan Nguyễn" in page
    assert "reviewer" in page
    assert "Accepted" in page


def test_every_step_keeps_its_history(reviewer, official_a, enterprise_a):
    client = logged_in(official_a)
    url = reverse("return_edit", args=[enterprise_a.pk, YEAR])
    client.post(url, factories.return_form_data())
    annual_return = AnnualReturn.objects.get()
    client.post(url, factories.return_form_data(action="submit", seen_version=1, employees=130))
    annual_return.refresh_from_db()
    services.accept_return(
        user=reviewer, annual_return=annual_return, version=annual_return.version
    )
    history = list(annual_return.history.order_by("history_date", "history_id"))
    assert [(h.status, h.employees, h.history_user) for h in history] == [
        (Status.DRAFT, 120, official_a),
        (Status.DRAFT, 130, official_a),
        (Status.SUBMITTED, 130, official_a),
        (Status.ACCEPTED, 130, reviewer),
    ]


def test_workflow_posts_need_the_csrf_token(reviewer, enterprise_a):
    annual_return = in_status(enterprise_a, Status.SUBMITTED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    data = {"action": "accept", "seen_version": annual_return.version}
    assert client.post(review_url(annual_return), data).status_code == 403
    assert "csrfmiddlewaretoken" in client.get(edit_url(annual_return)).content.decode()
