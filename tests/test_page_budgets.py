"""Every page that `make bench` measures runs a fixed number of queries, however many zones,
enterprises, organisations, returns and ratings there are (issue #7): each page is counted on a
small data set, then again after the data has grown, and may not run more the second time."""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from coordination.roles import OFFICIALS
from enterprises.models import Organisation
from reviews.models import AnnualReturn

from . import factories

YEAR = 2024
BUDGET = 45
"""No benchmarked page may need more queries than this even on the small data set."""


def grow(zone, count: int) -> list:
    """count enterprises in the zone and a new park inside it, each with a party cell, a trade
    union, ratings and two years of returns (an accepted one and one still to be reviewed)."""
    park = factories.ZoneFactory(parent=zone)
    factories.ZoneFactory()  # another top-level zone for the breakdowns
    made = []
    for number in range(count):
        enterprise = factories.EnterpriseFactory(zone=park if number % 2 else zone)
        party = factories.OrganisationFactory(enterprise=enterprise)
        factories.OrganisationFactory(enterprise=enterprise, kind=Organisation.Kind.TRADE_UNION)
        for year, status in ((YEAR - 1, "accepted"), (YEAR, "submitted")):
            annual_return = factories.AnnualReturnFactory(
                enterprise=enterprise, year=year, status=status
            )
            factories.OrganisationRatingFactory(organisation=party, year=year)
        factories.QualityFlagFactory(annual_return=annual_return)
        factories.LockExceptionFactory(enterprise=enterprise, year=YEAR)
        official = factories.UserFactory()
        official.groups.add(Group.objects.get(name=OFFICIALS))
        zone.officials.add(official)
        made.append(enterprise)
    return made


def grow_enterprise(enterprise) -> None:
    """More organisations (dissolved ones, other kinds) and history for one enterprise."""
    for kind in (Organisation.Kind.YOUTH_UNION, Organisation.Kind.WOMEN_UNION):
        factories.OrganisationFactory(enterprise=enterprise, kind=kind)
    for number in range(3):
        factories.OrganisationFactory(
            enterprise=enterprise, name=f"Old cell {number}", dissolved_on="2021-01-01"
        )
    for number in range(3):
        enterprise.phone = f"0900 000 00{number}"
        enterprise.save()


@dataclass
class World:
    enterprise: object = None
    review: object = None
    zone: object = None
    extra: dict = field(default_factory=dict)


@pytest.fixture
def world(zone_a, zone_b):
    programme = factories.joint_programme()
    review = factories.written_review(programme, as_of_year=YEAR)
    # over one page of the list (50 rows), so that a second page exists
    factories.EnterpriseFactory.create_batch(51, zone=zone_a)
    enterprise = grow(zone_a, 2)[0]
    grow(zone_b, 2)
    AnnualReturn.objects.filter(enterprise=enterprise, year=YEAR).update(status="draft")
    return World(enterprise=enterprise, review=review, zone=zone_a)


@dataclass(frozen=True)
class Page:
    key: str
    user: str
    url_name: str
    args: str = ""
    query: str = ""

    def url(self, world: World) -> str:
        args = {
            "": (),
            "enterprise": (world.enterprise.pk,),
            "return": (world.enterprise.pk, YEAR),
            "review": (world.review.pk,),
        }[self.args]
        query = self.query.format(zone=world.zone.pk, year=YEAR)
        return reverse(self.url_name, args=args) + (f"?{query}" if query else "")


PAGES = [
    Page("list", "reviewer", "enterprise_list"),
    Page(
        "list-filtered",
        "reviewer",
        "enterprise_list",
        query="zone={zone}&ownership=private&trade_union=yes&year={year}",
    ),
    Page("list-deep", "reviewer", "enterprise_list", query="sort=name&page=2"),
    Page("list-search", "reviewer", "enterprise_list", query="q=cong+ty"),
    Page("list-returns", "reviewer", "enterprise_list", query="year={year}&return_status=draft"),
    Page("list-official", "official_a", "enterprise_list"),
    Page("enterprise", "official_a", "enterprise_detail", args="enterprise"),
    Page("return", "official_a", "return_edit", args="return"),
    Page("dashboard", "reviewer", "dashboard"),
    Page("dashboard-official", "official_a", "dashboard"),
    Page("gaps", "reviewer", "gaps"),
    Page("report", "reviewer", "review_report", args="review"),
    Page("pdf", "reviewer", "review_report_pdf", args="review"),
    Page("docx", "reviewer", "review_report_docx", args="review"),
    Page("export-csv", "reviewer", "enterprise_list", query="_export=csv"),
    Page("export-xlsx", "reviewer", "enterprise_list", query="_export=xlsx"),
    Page("gaps-export", "reviewer", "gaps", query="_export=xlsx"),
    Page("completeness", "reviewer", "returns_completeness", query="year={year}"),
    Page("completeness-official", "official_a", "returns_completeness", query="year={year}"),
    Page("completeness-export", "reviewer", "returns_completeness", query="_export=xlsx"),
    Page("returns", "reviewer", "return_list"),
    Page("returns-late", "reviewer", "return_list", query="year={year}&timeliness=late"),
    Page("checks", "reviewer", "quality_checks"),
    Page("exceptions", "reviewer", "lock_exceptions"),
]


def fetch(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize("page", PAGES, ids=[page.key for page in PAGES])
def test_queries_do_not_grow_with_the_data(
    page, world, zone_a, zone_b, client, request, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(page.user))
    url = page.url(world)
    fetch(client, url)  # whatever a first request does once
    with django_assert_max_num_queries(BUDGET) as small:
        fetch(client, url)
    grow(zone_a, 6)
    grow(zone_b, 6)
    grow_enterprise(world.enterprise)
    with django_assert_max_num_queries(len(small.captured_queries)):
        fetch(client, url)
