"""Switching the language in the browser: the page, and every page after it, speaks it, and
the choice comes back when the person logs in again elsewhere."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _switch_to(page, language_code: str) -> None:
    page.locator("#language-select").select_option(language_code)
    page.locator("form.language-switch button").click()


def test_an_official_switches_to_vietnamese_and_it_is_remembered(
    browser_contexts, log_in, accessible, official_a
):
    page = browser_contexts()
    log_in(page, "official_a")
    _switch_to(page, "vi")
    navigation = page.get_by_role("navigation")
    expect(navigation.get_by_role("link", name="Doanh nghiệp")).to_be_visible()
    accessible(page)

    navigation.get_by_role("link", name="Doanh nghiệp").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_label("Ngôn ngữ")).to_have_value("vi")

    elsewhere = browser_contexts()
    elsewhere.goto("/accounts/login/")
    elsewhere.get_by_label("Username").fill("official_a")
    elsewhere.get_by_label("Password").fill("correct-horse-battery")
    elsewhere.get_by_role("button", name="Log in").click()
    expect(
        elsewhere.get_by_role("navigation").get_by_role("link", name="Doanh nghiệp")
    ).to_be_visible()


def test_the_login_page_switches_to_hindi(browser_contexts, accessible, db):
    page = browser_contexts()
    page.goto("/accounts/login/")
    _switch_to(page, "hi")
    expect(page.get_by_role("heading", level=1)).to_have_text("लॉग इन करें")
    accessible(page)
