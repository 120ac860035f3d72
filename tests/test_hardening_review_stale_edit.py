"""Issue 12, item 3: a lost update on programme reviews. Two people opened /reviews/<pk>/edit/;
the first saved a new summary and section text; the second saved the form as loaded, changing
only the title: both saw "saved", and the first one's text was gone. One version (the review's)
now guards the page: the second save is refused with the conflict page, which shows the
review's fields and the section and signature texts that differ; nothing is overwritten."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from coordination.roles import REVIEWERS
from reviews.models import ProgrammeReview
from reviews.services.programme_reviews import create_review, finalise_review

from . import factories
from .test_reviews import form_inputs


@pytest.fixture
def review(reviewer):
    return create_review(
        user=reviewer,
        programme=factories.joint_programme(),
        kind=ProgrammeReview.Kind.ONE_YEAR,
        title="Sơ kết 01 năm",
        summary="Tóm tắt ban đầu.",
        as_of_year=2023,
    )


@pytest.fixture
def second_reviewer(db):
    user = factories.UserFactory(username="reviewer2")
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


def opened(client, user, review) -> dict:
    """The edit page's inputs as a browser would send them back."""
    client.force_login(user)
    return form_inputs(client.get(reverse("review_edit", args=[review.pk])))


def save(client, user, review, inputs: dict):
    client.force_login(user)
    return client.post(reverse("review_edit", args=[review.pk]), inputs)


def test_the_second_save_of_a_page_opened_before_the_first_is_refused(
    client, reviewer, second_reviewer, review
):
    """The attacker's steps: both open; the first saves a summary and a section's results; the
    second saves the page as loaded with a new title."""
    first, second = opened(client, reviewer, review), opened(client, second_reviewer, review)
    first |= {"summary": "Tóm tắt của người thứ nhất.", "sections-0-results": "Kết quả mới."}
    assert save(client, reviewer, review, first).status_code == 302

    second |= {"title": "Sơ kết (sửa tiêu đề)"}
    response = save(client, second_reviewer, review, second)

    assert response.status_code == 200
    review.refresh_from_db()
    assert review.summary == "Tóm tắt của người thứ nhất."
    assert review.title == "Sơ kết 01 năm"
    assert review.sections.order_by("content_area__position").first().results == "Kết quả mới."
    conflict = response.context["conflict"]
    assert conflict["by"] == reviewer
    rows = {row["label"]: row for row in conflict["rows"]}
    assert rows["Summary"] == {
        "label": "Summary",
        "before": "Tóm tắt ban đầu.",
        "theirs": "Tóm tắt của người thứ nhất.",
        "yours": "Tóm tắt ban đầu.",
        "changed_by_them": True,
    }
    [results] = [row for label, row in rows.items() if label.endswith(": Results")]
    assert (results["before"], results["theirs"], results["yours"]) == ("", "Kết quả mới.", "")
    assert rows["Title"]["yours"] == "Sơ kết (sửa tiêu đề)"
    assert "Someone else saved this while you were editing" in response.content.decode()


def test_the_refused_page_saves_knowingly_over_the_stored_version(
    client, reviewer, second_reviewer, review
):
    first, second = opened(client, reviewer, review), opened(client, second_reviewer, review)
    save(client, reviewer, review, first | {"summary": "Của người thứ nhất."})
    refused = save(client, second_reviewer, review, second | {"title": "Tiêu đề mới"})
    again = form_inputs(refused)
    assert again["title"] == "Tiêu đề mới"
    assert again["summary"] == "Tóm tắt ban đầu.", "the form keeps what this person typed"
    assert int(again["seen_version"]) == ProgrammeReview.objects.get().version
    assert save(client, second_reviewer, review, again).status_code == 302
    review.refresh_from_db()
    assert (review.title, review.summary) == ("Tiêu đề mới", "Tóm tắt ban đầu.")


def test_a_changed_signature_is_shown_too(client, reviewer, second_reviewer, review):
    first, second = opened(client, reviewer, review), opened(client, second_reviewer, review)
    save(client, reviewer, review, first | {"signatures-0-signer_name": "Trần Minh Đức"})
    response = save(client, second_reviewer, review, second | {"title": "Khác"})
    [signer] = [row for row in response.context["conflict"]["rows"] if "name" in row["label"]]
    assert (signer["before"], signer["theirs"], signer["yours"]) == ("", "Trần Minh Đức", "")
    assert review.signatures.order_by("position").first().signer_name == "Trần Minh Đức"


def test_each_save_moves_the_version_on_and_keeps_its_history(client, reviewer, review):
    assert review.version == 1
    save(client, reviewer, review, opened(client, reviewer, review) | {"summary": "Một."})
    save(
        client,
        reviewer,
        review,
        opened(client, reviewer, review) | {"signatures-0-signer_name": "A"},
    )
    review.refresh_from_db()
    assert review.version == 3
    assert list(review.history.values_list("version", flat=True)) == [3, 2, 1]
    signature = review.signatures.order_by("position").first()
    assert [row.signer_name for row in signature.history.all()] == ["A", ""]


def test_a_review_finalised_meanwhile_is_not_saved(client, reviewer, second_reviewer, review):
    inputs = opened(client, second_reviewer, review)
    finalise_review(review=review, user=reviewer)
    response = save(client, second_reviewer, review, inputs | {"title": "Khác"})
    assert response["Location"] == reverse("review_detail", args=[review.pk])
    review.refresh_from_db()
    assert review.title == "Sơ kết 01 năm"
