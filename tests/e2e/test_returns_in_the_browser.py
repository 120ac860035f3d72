"""An official's day in the browser: log in, find an enterprise typing without diacritics, edit
it, enter a return that raises a warning, explain it and submit it by keyboard; a reviewer
accepts it. Two people saving the same form: the second is refused with the other's values.
Every page visited passes axe-core without serious or critical violations."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from coordination.roles import OFFICIALS
from enterprises.models import Enterprise
from reviews.models import AnnualReturn

from .. import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def field_label(text: str) -> re.Pattern:
    """A form field's label, which reads e.g. "Employees: *" (suffix and required mark)."""
    return re.compile(rf"^{re.escape(text)}:")


@pytest.fixture
def colleague(zone_a):
    """A second official of zone A, who edits the same records."""
    user = factories.UserFactory(username="colleague", first_name="Hoa", last_name="Trần")
    user.groups.add(Group.objects.get(name=OFFICIALS))
    zone_a.officials.add(user)
    return user


def test_an_official_submits_a_return_and_a_reviewer_accepts_it(
    browser_contexts, log_in, accessible, official_a, reviewer, enterprise_a
):
    year = datetime.date.today().year
    official = browser_contexts()
    log_in(official, "official_a")

    official.get_by_role("navigation", name="Main").get_by_role("link", name="Enterprises").click()
    accessible(official)
    official.get_by_label("Name or tax code").fill("dien tu bac duyen hai")
    official.get_by_role("button", name="Filter").click()
    official.get_by_role("link", name="Công ty Điện tử Bắc Duyên Hải").click()
    accessible(official)

    official.get_by_role("link", name="Edit", exact=True).click()
    accessible(official)
    official.get_by_label("Phone").fill("0214 3840 123")
    official.get_by_role("button", name="Save", exact=True).click()
    expect(official.get_by_role("link", name="0214 3840 123")).to_be_visible()
    accessible(official)

    official.get_by_role("link", name=f"Enter the {year} return").click()
    accessible(official)
    for label, value in [
        ("Employees", "60"),
        ("Female employees", "30"),
        ("Party members", "4"),
        ("New party members", "1"),
        ("Trade union members", "50"),
        ("Youth union members", "20"),
    ]:
        official.get_by_label(field_label(label)).fill(value)
    # Every count must be typed, 0 included: a blank one stops the form in the browser.
    official.get_by_role("button", name="Save and submit").click()
    assert not AnnualReturn.objects.exists()
    for name in ("new_members_owners", "awareness_trainees", "party_candidates", "women_members"):
        official.locator(f"input[name={name}]").fill("0")
    official.get_by_role("button", name="Save and submit").click()
    expect(official.get_by_text("no party organisation active on 31 December")).to_be_visible()
    accessible(official)
    assert not AnnualReturn.objects.exists()

    official.get_by_label("Explanation").fill("Members are attached to the park's cell.")
    official.keyboard.press("Tab")
    expect(official.get_by_role("button", name="Save draft")).to_be_focused()
    official.keyboard.press("Tab")
    expect(official.get_by_role("button", name="Save and submit")).to_be_focused()
    official.keyboard.press("Enter")
    expect(official.get_by_text("It is submitted to the reviewers.")).to_be_visible()
    accessible(official)

    review = browser_contexts()
    log_in(review, "reviewer")
    review.get_by_role("navigation", name="Main").get_by_role("link", name="Returns").click()
    accessible(review)
    review.get_by_role("link", name="Công ty Điện tử Bắc Duyên Hải").click()
    expect(review.get_by_text("Members are attached to the park's cell.")).to_be_visible()
    accessible(review)
    review.get_by_role("button", name="Accept").click()
    expect(review.get_by_text("The return is accepted")).to_be_visible()
    accessible(review)

    official.reload()
    expect(official.get_by_text("Accepted", exact=True)).to_be_visible()
    expect(official.get_by_label(field_label("Employees"))).to_have_count(0)
    accessible(official)
    saved = AnnualReturn.objects.get()
    assert (saved.status, saved.party_members, saved.submitted_by, saved.reviewed_by) == (
        AnnualReturn.Status.ACCEPTED,
        4,
        official_a,
        reviewer,
    )


def test_the_second_save_of_a_return_is_refused_with_the_others_values(
    browser_contexts, log_in, accessible, official_a, colleague, enterprise_a
):
    factories.AnnualReturnFactory(
        enterprise=enterprise_a, year=2024, employees=100, party_members=2
    )
    first, second = browser_contexts(), browser_contexts()
    log_in(first, "official_a")
    log_in(second, "colleague")
    for page in (first, second):
        page.goto(f"/enterprises/{enterprise_a.pk}/returns/2024/")
    accessible(first)

    first.get_by_label(field_label("Employees")).fill("140")
    first.get_by_role("button", name="Save draft").click()
    expect(first.get_by_text("The return for 2024 is saved.")).to_be_visible()
    accessible(first)

    second.get_by_label(field_label("Employees")).fill("150")
    second.get_by_role("button", name="Save draft").click()
    conflict = second.get_by_role("alert").filter(has_text="Someone else saved this")
    expect(conflict).to_be_visible()
    expect(conflict.get_by_role("row", name="Employees 100 140 150")).to_be_visible()
    accessible(second)
    assert AnnualReturn.objects.get().employees == 140


def test_the_second_save_of_an_enterprise_is_refused_with_the_others_values(
    browser_contexts, log_in, accessible, official_a, colleague, enterprise_a
):
    first, second = browser_contexts(), browser_contexts()
    log_in(first, "official_a")
    log_in(second, "colleague")
    for page in (first, second):
        page.goto(f"/enterprises/{enterprise_a.pk}/edit/")

    first.get_by_label("Phone").fill("0214 1111 111")
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.get_by_role("link", name="0214 1111 111")).to_be_visible()

    second.get_by_label("Phone").fill("0214 2222 222")
    second.get_by_role("button", name="Save", exact=True).click()
    conflict = second.get_by_role("alert").filter(has_text="Someone else saved this")
    expect(conflict).to_be_visible()
    expect(conflict.get_by_text("0214 1111 111")).to_be_visible()
    accessible(second)
    assert Enterprise.objects.get().phone == "0214 1111 111"
