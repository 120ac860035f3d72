"""Layout an official can work with: every page of theirs fits a 390 px phone without sideways
scrolling (tables scroll inside themselves), form fields are sized to their content, and the
enterprise list prints as a list (no navigation or filters, the filters as a line, the table
within A4 landscape)."""

import datetime
import re

import pytest
from django.urls import reverse

from reviews.models import AnnualReturn

from .. import factories
from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
YEAR = datetime.date.today().year


@pytest.fixture
def office(zone_a, official_a):
    """An enterprise with long names, organisations and returns, many others in its zone,
    and the programme the dashboard assesses."""
    factories.joint_programme()
    enterprise = factories.EnterpriseFactory(
        zone=zone_a,
        name="Công ty Trách nhiệm hữu hạn Điện tử và Công nghệ Cao Bắc Duyên Hải Lào Cai",
        address="Lô B5-B6, Khu công nghiệp Bắc Duyên Hải, phường Duyên Hải, thành phố Lào Cai",
        representative="Nguyễn Văn Thành",
        email="lienhe.dientu.bacduyenhai@example.vn",
        phone="0214 3840 111",
    )
    organisation = factories.OrganisationFactory(enterprise=enterprise)
    factories.OrganisationFactory(enterprise=enterprise, kind="trade_union", form="")
    for year in (YEAR - 2, YEAR - 1):
        factories.AnnualReturnFactory(
            enterprise=enterprise, year=year, status=AnnualReturn.Status.ACCEPTED
        )
    for number in range(40):
        factories.EnterpriseFactory(
            zone=zone_a, name=f"Công ty Cổ phần Sản xuất Thương mại số {number} Lào Cai"
        )
    return {"enterprise": enterprise, "organisation": organisation}


def logged_in(browser, live_server, *, viewport, username="official_a"):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=viewport)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").wait_for()
    return page


def official_pages(office) -> list[str]:
    enterprise, organisation = office["enterprise"], office["organisation"]
    return [
        reverse("dashboard"),
        reverse("enterprise_list"),
        reverse("enterprise_detail", args=[enterprise.pk]),
        reverse("enterprise_edit", args=[enterprise.pk]),
        reverse("organisation_create", args=[enterprise.pk]),
        reverse("organisation_edit", args=[organisation.pk]),
        reverse("return_edit", args=[enterprise.pk, YEAR]),
        reverse("return_edit", args=[enterprise.pk, YEAR - 1]),
    ]


def test_every_page_of_an_official_fits_a_phone(browser, live_server, office):
    page = logged_in(browser, live_server, viewport=PHONE)
    too_wide = {}
    for address in official_pages(office):
        page.goto(address)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[address] = width
    assert not too_wide, f"wider than {PHONE['width']} px: {too_wide}"


def test_fields_are_sized_to_their_content(browser, live_server, office):
    page = logged_in(browser, live_server, viewport={"width": 1280, "height": 900})
    enterprise = office["enterprise"]
    page.goto(reverse("return_edit", args=[enterprise.pk, YEAR]))
    form_width = page.locator("#return-form-heading").bounding_box()["width"]
    explanation = page.get_by_label(re.compile("^Explanation")).bounding_box()["width"]
    assert explanation >= 0.9 * form_width, (explanation, form_width)
    page.goto(reverse("enterprise_edit", args=[enterprise.pk]))
    for name in ("name", "address"):
        field = page.locator(f"input[name={name}]")
        shown = field.bounding_box()["width"]
        needed = field.evaluate("element => element.scrollWidth")
        assert shown >= min(needed, 700), (name, shown, needed)


def test_the_enterprise_list_prints_as_a_list(browser, live_server, office, zone_a):
    page = logged_in(browser, live_server, viewport={"width": 1280, "height": 900})
    page.goto(f"{reverse('enterprise_list')}?zone={zone_a.pk}")
    page.emulate_media(media="print")
    for hidden in (".site-header", "form.filters", ".page-actions", ".pagination"):
        assert not page.locator(hidden).first.is_visible(), hidden
    line = page.locator(".print-filters")
    assert line.is_visible()
    assert f"Zone: {zone_a.name}" in line.inner_text()
    pdf = page.pdf(format="A4", landscape=True, print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages <= 2, f"41 rows on {pages} pages"
    table = page.locator(".enterprise-table")
    page.set_viewport_size({"width": 1047, "height": 740})  # A4 landscape within its margins
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1")


def test_the_returns_queue_prints_as_a_list(browser, live_server, office):
    page = logged_in(browser, live_server, viewport={"width": 1280, "height": 900})
    page.goto(f"{reverse('return_list')}?year={YEAR - 1}")
    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible()
    assert f"Year: {YEAR - 1}" in page.locator(".print-filters").inner_text()
