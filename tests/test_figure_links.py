"""Every number that links to the enterprise list opens exactly the enterprises behind it: a
count opens that many enterprises, a sum opens exactly the enterprises that add to it (none that
add zero) and they add up to it. Walked on every linked number of the dashboard, a draft review's
page and the gap lists, as a reviewer and as an official, for two years, on a varied hand-built
data set, the demo data and the synthetic data; and a property test keeps the figures and their
lists equal on random data."""

import csv
import datetime
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprises.models import Enterprise, Organisation
from enterprises.selectors import visible_enterprises
from reviews.models import AnnualReturn, ProgrammeReview
from reviews.selectors.assessment import year_figures
from reviews.selectors.definitions import FIGURES, Counting, figure_condition, for_year

from . import factories

D = datetime.date
LINK = re.compile(r'<a href="(/enterprises/\?[^"]*figure=[^"]*)">([0-9][0-9,]*)</a>')
RESULT_COUNT = re.compile(r'class="result-count"[^>]*>([0-9,]+) enterprise')
GAP_CELL = re.compile(r'href="\?year=\d+&amp;gap=([a-z_]+)(?:&amp;zone=(\d+))?">([0-9,]+)</a>')
OPEN_IN_LIST = re.compile(r'href="(/enterprises/\?[^"]*)">Open them in the enterprise list')


def linked_numbers(page: str) -> list[tuple[str, int]]:
    return [
        (html.unescape(url), int(number.replace(",", ""))) for url, number in LINK.findall(page)
    ]


def listed_ids(client, url: str) -> list[int]:
    response = client.get(f"{url}&_export=csv")
    assert response.status_code == 200, url
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [int(row["ID"]) for row in csv.DictReader(io.StringIO(text))]


def counting_of(url: str) -> tuple[str, Counting]:
    query = parse_qs(urlsplit(url).query)
    cut_off = query.get("cut_off", [None])[0]
    counting = Counting(
        int(query["year"][0]),
        D.fromisoformat(cut_off) if cut_off else None,
        query.get("preview", [""])[0] == "submitted",
    )
    return query["figure"][0], counting


def check_links(client, page: str) -> int:
    """Opens every linked number of the page and checks the list behind it; how many."""
    links = linked_numbers(page)
    for url, shown in set(links):
        figure, counting = counting_of(url)
        ids = listed_ids(client, url)
        definition = FIGURES[figure]
        if not definition.is_sum:
            assert len(ids) == shown, url
            listed = RESULT_COUNT.search(client.get(url).text)
            assert int(listed[1].replace(",", "")) == shown, url
            continue
        values = list(
            AnnualReturn.objects.filter(
                counting.counted(), enterprise_id__in=ids, year=counting.year
            ).values_list(definition.field, flat=True)
        )
        assert len(values) == len(ids), url
        assert all(value > 0 for value in values), url
        assert sum(values) == shown, url
    return len(links)


@pytest.fixture
def varied(zone_a, zone_b):
    """Enterprises of every kind around 2023 and 2024: closed in the middle of a year, being
    built, with organisations founded and dissolved, returns accepted, submitted, returned,
    missing, accepted after a review's cut-off, with figures at the thresholds and above."""
    programme = factories.joint_programme()
    park = factories.ZoneFactory(name="Park A1", code="A1", parent=zone_a)
    for code, metric in (
        ("CT01", "enterprises_with_party_org"),
        ("CT02", "party_members"),
        ("CT03", "union_coverage_pct"),
        ("CT04", "eligible_without_party_org"),
    ):
        factories.IndicatorFactory(programme=programme, code=code, metric=metric)
    kinds = Organisation.Kind
    shapes = [
        # (zone, status, closed_on, organisations, {year: (status, employees, party, union)})
        (
            zone_a,
            "operating",
            None,
            [(kinds.PARTY, D(2020, 1, 1), None)],
            {2023: ("accepted", 80, 6, 50), 2024: ("accepted", 90, 7, 60)},
        ),
        (
            park,
            "operating",
            None,
            [(kinds.TRADE_UNION, D(2023, 3, 1), None)],
            {2023: ("accepted", 40, 3, 30), 2024: ("submitted", 45, 3, 30)},
        ),
        (zone_a, "operating", None, [], {2023: ("submitted", 600, 4, 0)}),
        (
            zone_b,
            "operating",
            None,
            [
                (kinds.PARTY, D(2018, 1, 1), D(2023, 12, 31)),
                (kinds.TRADE_UNION, D(2015, 1, 1), None),
            ],
            {2023: ("accepted", 350, 2, 300), 2024: ("returned", 340, 2, 290)},
        ),
        (
            zone_b,
            "closed",
            D(2023, 6, 30),
            [(kinds.PARTY, D(2010, 1, 1), D(2023, 6, 30))],
            {2023: ("accepted", 50, 5, 0)},
        ),
        (zone_b, "building", None, [(kinds.PARTY, D(2023, 5, 1), None)], {}),
        (
            zone_a,
            "operating",
            None,
            [(kinds.PARTY, D(2023, 12, 31), None), (kinds.YOUTH_UNION, D(2024, 2, 1), None)],
            {2024: ("draft", 12, 1, 0)},
        ),
        (
            zone_b,
            "operating",
            None,
            [(kinds.WOMEN_UNION, D(2022, 1, 1), None)],
            {2023: ("accepted", 8, 0, 0), 2024: ("accepted", 4, 0, 0)},
        ),
        (park, "operating", None, [], {2023: ("accepted", 0, 0, 0), 2024: ("accepted", 5, 3, 5)}),
    ]
    for number, (zone, status, closed_on, organisations, returns) in enumerate(shapes):
        enterprise = factories.EnterpriseFactory(
            zone=zone, name=f"E{number}", status=status, closed_on=closed_on
        )
        for kind, founded_on, dissolved_on in organisations:
            factories.OrganisationFactory(
                enterprise=enterprise, kind=kind, founded_on=founded_on, dissolved_on=dissolved_on
            )
        for year, (return_status, employees, party, union) in returns.items():
            factories.AnnualReturnFactory(
                enterprise=enterprise,
                year=year,
                status=return_status,
                employees=employees,
                female_employees=0,
                party_members=party,
                new_party_members=min(party, 1),
                union_members=union,
                awareness_trainees=party,
            )
    # accepted on the day after the review's cut-off: counted live, not in the review
    late = AnnualReturn.objects.get(enterprise__name="E0", year=2023)
    late.accepted_at = datetime.datetime(2024, 5, 16, 3, tzinfo=datetime.UTC)
    late.save()
    review = factories.written_review(programme, as_of_year=2023)
    return review


@pytest.mark.parametrize("year", [2023, 2024])
@pytest.mark.parametrize("persona", ["reviewer", "official_a"])
def test_every_number_of_the_dashboard_opens_its_enterprises(
    client, request, varied, persona, year
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("dashboard"), {"year": year}).text
    assert check_links(client, page) > 20


@pytest.mark.parametrize("persona", ["reviewer", "official_a"])
def test_every_number_of_a_draft_review_opens_its_enterprises_as_of_its_cut_off(
    client, request, varied, persona
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("review_detail", args=[varied.pk])).text
    assert "cut_off=2024-05-15" in page
    assert check_links(client, page) > 5


def test_a_return_accepted_after_the_cut_off_counts_live_but_not_in_the_review(
    client, reviewer, varied
):
    client.force_login(reviewer)
    review_page = client.get(reverse("review_detail", args=[varied.pk])).text
    live = client.get(reverse("dashboard"), {"year": 2023}).context["figures"]
    in_review = client.get(reverse("review_detail", args=[varied.pk])).context["figures"]
    assert live["returns"]["accepted"] == in_review["returns"]["accepted"] + 1
    assert live["metrics"]["employees"] == in_review["metrics"]["employees"] + 80
    assert "cut_off=2024-05-15" in review_page


def test_the_preview_counts_submitted_returns_and_says_so(client, reviewer, varied):
    client.force_login(reviewer)
    plain = client.get(reverse("dashboard"), {"year": 2023}).context["figures"]
    response = client.get(reverse("dashboard"), {"year": 2023, "preview": "submitted"})
    preview = response.context["figures"]
    assert preview["metrics"]["employees"] == plain["metrics"]["employees"] + 600
    assert "Preview:" in response.text
    assert check_links(client, response.text) > 20


def test_officials_get_no_preview(client, official_a, varied):
    client.force_login(official_a)
    response = client.get(reverse("dashboard"), {"year": 2023, "preview": "submitted"})
    assert response.context["figures"]["counting"]["preview"] is False


@pytest.mark.parametrize("year", [2023, 2024])
@pytest.mark.parametrize("persona", ["reviewer", "official_a"])
def test_every_gap_count_opens_as_many_enterprises(client, request, varied, persona, year):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("gaps"), {"year": year})
    cells = GAP_CELL.findall(response.text)
    assert cells
    for gap, zone, count in cells:
        query = {"year": year, "gap": gap} | ({"zone": zone} if zone else {})
        listed = client.get(reverse("gaps"), query)
        assert listed.context["page"].paginator.count == int(count)
        list_url = html.unescape(OPEN_IN_LIST.search(listed.text)[1])
        assert len(listed_ids(client, list_url)) == int(count)


def test_the_programme_page_explains_each_indicator(client, reviewer, varied):
    client.force_login(reviewer)
    page = client.get(reverse("programme_detail", args=[varied.programme_id])).text
    assert "with a party organisation active that day" in page
    assert "latest accepted return up to the year" in page


# The demo and the synthetic data


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return ProgrammeReview.objects.get(kind=ProgrammeReview.Kind.ONE_YEAR)


@pytest.mark.parametrize("year", [2023, 2024])
def test_the_demos_numbers_open_their_enterprises(client, demo, year):
    users = get_user_model().objects
    for username in ("reviewer", "official"):
        client.force_login(users.get(username=username))
        page = client.get(reverse("dashboard"), {"year": year}).text
        assert check_links(client, page) > 20
    client.force_login(users.get(username="reviewer"))
    assert check_links(client, client.get(reverse("review_detail", args=[demo.pk])).text) > 5


def test_the_demos_one_year_review_counts_nearly_every_return_of_2023(client, demo):
    client.force_login(get_user_model().objects.get(username="reviewer"))
    figures = client.get(reverse("review_detail", args=[demo.pk])).context["figures"]
    assert figures["counting"]["cut_off"] == "2024-05-15"
    assert float(figures["completeness"]["year_returns"]["pct"]) >= 90  # complete enough
    assert "incomplete" not in {row["status"] for row in figures["indicators"]}


@pytest.mark.parametrize("year", [2023, 2024])
def test_the_synthetic_datas_numbers_open_their_enterprises(client, reviewer, year):
    call_command("generate_data", "--enterprises", "120", "--zones", "4", "--years", "2022-2024")
    client.force_login(reviewer)
    page = client.get(reverse("dashboard"), {"year": year}).text
    assert check_links(client, page) > 20


# The property


PROPERTY = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
enterprise_shapes = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["operating", "operating", "building", "suspended", "closed"]),
        "closed_on": st.one_of(st.none(), st.dates(D(2022, 1, 1), D(2025, 12, 31))),
        "organisations": st.lists(
            st.tuples(
                st.sampled_from(Organisation.Kind.values),
                st.dates(D(2019, 1, 1), D(2025, 6, 30)),
                st.one_of(st.none(), st.integers(0, 900)),
            ),
            max_size=3,
        ),
        "returns": st.dictionaries(
            st.sampled_from([2022, 2023, 2024]),
            st.tuples(
                st.sampled_from(AnnualReturn.Status.values),
                st.integers(0, 600),
                st.integers(0, 40),
                st.integers(0, 400),
            ),
            max_size=3,
        ),
    }
)


@PROPERTY
@given(
    shapes=st.lists(enterprise_shapes, min_size=1, max_size=8),
    year=st.sampled_from([2023, 2024]),
    cut_off=st.one_of(st.none(), st.dates(D(2024, 1, 1), D(2025, 6, 30))),
    preview=st.booleans(),
)
def test_figures_equal_their_lists_on_random_data(zone_a, reviewer, shapes, year, cut_off, preview):
    with transaction.atomic():
        for number, shape in enumerate(shapes):
            closed_on = shape["closed_on"] if shape["status"] == "closed" else None
            enterprise = Enterprise.objects.create(
                name=f"P{number}",
                tax_code=f"{5100000000 + number}",
                zone=zone_a,
                ownership="private",
                status=shape["status"],
                closed_on=closed_on,
                founded_on=D(2015, 1, 1),
            )
            used = set()
            for kind, founded_on, lasting in shape["organisations"]:
                dissolved_on = None if lasting is None else founded_on + datetime.timedelta(lasting)
                if dissolved_on is None and kind in used:
                    continue
                used |= {kind} if dissolved_on is None else set()
                Organisation.objects.create(
                    enterprise=enterprise,
                    kind=kind,
                    name=kind,
                    founded_on=founded_on,
                    dissolved_on=dissolved_on,
                )
            for return_year, (status, employees, party, union) in shape["returns"].items():
                AnnualReturn.objects.create(
                    enterprise=enterprise,
                    year=return_year,
                    status=status,
                    employees=employees,
                    party_members=party,
                    union_members=union,
                    new_party_members=min(party, 2),
                    accepted_at=datetime.datetime(return_year + 1, 3, 1, tzinfo=datetime.UTC)
                    if status == "accepted"
                    else None,
                    submitted_at=datetime.datetime(return_year + 1, 2, 1, tzinfo=datetime.UTC)
                    if status != "draft"
                    else None,
                )
        counting = Counting(year, cut_off, preview)
        totals = year_figures(user=reviewer, counting=counting).metrics
        enterprises = for_year(visible_enterprises(reviewer), counting)
        for key, definition in FIGURES.items():
            behind = enterprises.filter(figure_condition(key, counting))
            if definition.is_sum:
                values = list(behind.values_list(f"counted_return__{definition.field}", flat=True))
                assert sum(values) == totals[key], key
                assert all(value > 0 for value in values), key
            else:
                assert behind.count() == totals[key], key
        transaction.set_rollback(True)
