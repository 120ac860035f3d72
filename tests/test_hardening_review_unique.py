"""Issue 12, item 11: two parallel POSTs to /reviews/new/ created two reviews. A programme has
one review of a kind for a year: a database rule, checked by the forms with a clear message; the
race that slips past the form's check meets the rule and gets the same message."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from reviews.models import ProgrammeReview
from reviews.services.programme_reviews import DuplicateReview, create_review

from . import factories
from .test_reviews import form_inputs

MESSAGE = "This programme already has a review of this kind for this year."


@pytest.fixture
def programme(db):
    return factories.joint_programme()


def new_review(programme, **overrides) -> dict:
    return {
        "programme": programme.pk,
        "kind": "one_year",
        "title": "Sơ kết 01 năm",
        "as_of_year": 2023,
        **overrides,
    }


def test_a_second_review_of_a_kind_and_year_is_refused_on_the_form(client, reviewer, programme):
    client.force_login(reviewer)
    assert client.post(reverse("review_create"), new_review(programme)).status_code == 302
    response = client.post(reverse("review_create"), new_review(programme))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [MESSAGE]
    assert ProgrammeReview.objects.count() == 1


def test_another_kind_or_year_is_a_review_of_its_own(client, reviewer, programme):
    client.force_login(reviewer)
    client.post(reverse("review_create"), new_review(programme))
    client.post(reverse("review_create"), new_review(programme, as_of_year=2024))
    client.post(reverse("review_create"), new_review(programme, kind="final"))
    assert ProgrammeReview.objects.count() == 3


def test_the_race_past_the_form_gets_the_message(client, reviewer, programme, monkeypatch):
    """The second of two parallel POSTs passed the form's check before the first was saved:
    simulated by a form that checks nothing; the database's rule refuses the second."""
    create_review(user=reviewer, programme=programme, kind="one_year", title="A", as_of_year=2023)
    monkeypatch.setattr(ProgrammeReview, "validate_constraints", lambda self, exclude=None: None)
    client.force_login(reviewer)
    response = client.post(reverse("review_create"), new_review(programme))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [MESSAGE]
    assert ProgrammeReview.objects.count() == 1


def test_editing_a_review_into_anothers_kind_and_year_is_refused(client, reviewer, programme):
    create_review(user=reviewer, programme=programme, kind="one_year", title="A", as_of_year=2023)
    other = create_review(
        user=reviewer, programme=programme, kind="one_year", title="B", as_of_year=2024
    )
    client.force_login(reviewer)
    url = reverse("review_edit", args=[other.pk])
    response = client.post(url, form_inputs(client.get(url)) | {"as_of_year": "2023"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [MESSAGE]
    other.refresh_from_db()
    assert other.as_of_year == 2024


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers: no race to lose"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committed_groups")
def test_two_simultaneous_creations_make_one_review():
    """Two threads, each with its own PostgreSQL connection, create the same review at once."""
    from .test_concurrent_saves import race

    programme = factories.joint_programme()
    user = factories.UserFactory(username="root", is_superuser=True)

    def create(barrier: threading.Barrier):
        barrier.wait()
        return create_review(
            user=user, programme=programme, kind="one_year", title="R", as_of_year=2023
        )

    outcomes = race(create, create)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "DuplicateReview",
        "ProgrammeReview",
    ]
    assert isinstance(next(o for o in outcomes if isinstance(o, Exception)), DuplicateReview)
    assert ProgrammeReview.objects.count() == 1
