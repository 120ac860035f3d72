"""A reviewer's season in the browser: the completeness page, then the returns queue, where two
submitted returns are ticked and accepted at once and a flagged one is held back; the to-check
queue closes the flag with a note; the exceptions, reminders and dashboard pages open. Every page
visited passes axe-core."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import AnnualReturn, QualityFlag

from .. import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
YEAR = 2024


def test_a_reviewer_accepts_many_returns_and_closes_a_flag(
    browser_contexts, log_in, accessible, reviewer, zone_a
):
    returns = [
        factories.AnnualReturnFactory(
            enterprise=factories.EnterpriseFactory(zone=zone_a, name=f"Công ty Số {number}"),
            year=YEAR,
            status=AnnualReturn.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for number in range(3)
    ]
    factories.QualityFlagFactory(annual_return=returns[2])
    page = browser_contexts()
    log_in(page, "reviewer")

    page.goto(f"/returns/completeness/?year={YEAR}")
    expect(page.get_by_role("heading", name="By zone")).to_be_visible()
    accessible(page)

    page.goto(f"/returns/?year={YEAR}")
    accessible(page)
    for annual_return in returns:
        page.get_by_label(f"Select {annual_return.enterprise.name}, {YEAR}").check()
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.get_by_role("heading", name="Review results")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Held back: it has open data-quality flags")
    ).to_be_visible()
    accessible(page)
    statuses = list(AnnualReturn.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["accepted", "accepted", "submitted"]

    page.goto("/returns/checks/")
    accessible(page)
    page.get_by_label("Note").fill("Đã xác minh với doanh nghiệp")
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_text("The flag is closed.")).to_be_visible()
    assert QualityFlag.objects.get().note == "Đã xác minh với doanh nghiệp"

    for address in ("/returns/exceptions/", "/accounts/reminders/", "/"):
        page.goto(address)
        accessible(page)
