"""The assessment on a hand-built data set: every expected figure below was worked out by hand
from the data in `hand_built`, not by the code under test."""

import datetime
import json

import pytest

from coordination.models import Indicator, Task
from enterprises.models import Enterprise, Organisation
from reviews.models import AnnualReturn, OrganisationRating
from reviews.selectors.assessment import assessment
from reviews.selectors.figures import share

from . import factories

D = datetime.date
PARTY = Organisation.Kind.PARTY
UNION = Organisation.Kind.TRADE_UNION
YOUTH = Organisation.Kind.YOUTH_UNION
WOMEN = Organisation.Kind.WOMEN_UNION
ACCEPTED = AnnualReturn.Status.ACCEPTED


def _org(enterprise, kind, founded_on, dissolved_on=None):
    return factories.OrganisationFactory(
        enterprise=enterprise, kind=kind, founded_on=founded_on, dissolved_on=dissolved_on
    )


def _return(enterprise, year, status=ACCEPTED, **figures):
    defaults = {"employees": 0, "female_employees": 0, "party_members": 0}
    defaults |= {"new_party_members": 0, "union_members": 0}
    return factories.AnnualReturnFactory(
        enterprise=enterprise, year=year, status=status, **(defaults | figures)
    )


@pytest.fixture
def hand_built(zone_a, zone_b):
    """Eight enterprises around the 2023 year boundary.

    Zone A holds park A1. Operating on 31 Dec 2023: E1, E2, E3, E7 (zone A) and E4, E8 (zone B);
    E5 closed on 30 June 2023, E6 is still being built."""
    park_a1 = factories.ZoneFactory(name="Park A1", code="A1", parent=zone_a)
    programme = factories.ProgrammeFactory(start_year=2023, end_year=2025)

    def enterprise(name, zone, ownership, **extra):
        return factories.EnterpriseFactory(name=name, zone=zone, ownership=ownership, **extra)

    own = Enterprise.Ownership
    e1 = enterprise("E1", zone_a, own.PRIVATE)
    e2 = enterprise("E2", park_a1, own.FDI)
    e3 = enterprise("E3", zone_a, own.FDI)
    e4 = enterprise("E4", zone_b, own.STATE)
    e5 = enterprise(
        "E5", zone_b, own.PRIVATE, status=Enterprise.Status.CLOSED, closed_on=D(2023, 6, 30)
    )
    e6 = enterprise(
        "E6", zone_b, own.PRIVATE, status=Enterprise.Status.BUILDING, founded_on=D(2023, 2, 1)
    )
    e7 = enterprise("E7", zone_a, own.PRIVATE)
    e8 = enterprise("E8", zone_b, own.PRIVATE)

    e1_party = _org(e1, PARTY, D(2020, 1, 1))
    _org(e1, UNION, D(2023, 3, 1))
    _org(e1, YOUTH, D(2021, 1, 1))
    e2_union = _org(e2, UNION, D(2019, 1, 1))
    _org(e2, WOMEN, D(2019, 1, 1))
    _org(e3, PARTY, D(2024, 1, 1))  # founded after the year: neither stock nor flow in 2023
    _org(e4, PARTY, D(2018, 1, 1), dissolved_on=D(2023, 12, 31))  # gone on 31 December
    e4_union = _org(e4, UNION, D(2015, 1, 1))
    _org(e4, YOUTH, D(2023, 6, 1))
    _org(e5, PARTY, D(2010, 1, 1), dissolved_on=D(2023, 6, 30))
    _org(e6, PARTY, D(2023, 5, 1))  # founded in a building enterprise: a flow, not a stock
    _org(e7, PARTY, D(2023, 12, 31))  # founded on 31 December: stands that day
    _org(e7, UNION, D(2022, 5, 1))

    _return(
        e1,
        2023,
        employees=120,
        party_members=10,
        new_party_members=2,
        union_members=100,
        awareness_trainees=4,
    )
    _return(
        e2,
        2023,
        employees=40,
        party_members=3,
        new_party_members=1,
        union_members=30,
        awareness_trainees=2,
    )
    _return(
        e3,
        2023,
        AnnualReturn.Status.SUBMITTED,
        employees=600,
        party_members=4,
        new_party_members=3,
        awareness_trainees=7,
    )
    _return(e4, 2023, employees=350, party_members=2, union_members=300)
    _return(e5, 2023, employees=50, party_members=5, new_party_members=1, awareness_trainees=3)
    _return(e8, 2023, employees=8)
    _return(e1, 2022, employees=100, party_members=8, new_party_members=1, union_members=90)
    _return(e4, 2022, employees=340, party_members=3, union_members=280)
    _return(e5, 2022, employees=60, party_members=5, new_party_members=2)
    _return(e2, 2022, AnnualReturn.Status.DRAFT, employees=999, party_members=99)

    rating = factories.OrganisationRatingFactory
    rating(organisation=e1_party, year=2023, rating=OrganisationRating.Rating.EXCELLENT)
    rating(organisation=e1_party, year=2022, rating=OrganisationRating.Rating.GOOD)
    rating(organisation=e2_union, year=2023, rating=OrganisationRating.Rating.GOOD)
    rating(organisation=e4_union, year=2023, rating=OrganisationRating.Rating.GOOD)

    area = factories.ContentAreaFactory(programme=programme, position=1, title="Party building")
    factories.ContentAreaFactory(programme=programme, position=2, title="Unions")
    status = Task.Status
    for task_status, due_on, completed_on in (
        (status.DONE, D(2023, 6, 30), D(2023, 6, 1)),
        (status.IN_PROGRESS, D(2023, 6, 30), None),  # overdue
        (status.PLANNED, D(2023, 12, 30), None),  # overdue
        (status.PLANNED, D(2024, 3, 1), None),  # due after the year
        (status.CANCELLED, D(2023, 1, 1), None),  # cancelled is never overdue
    ):
        factories.TaskFactory(
            content_area=area, status=task_status, due_on=due_on, completed_on=completed_on
        )

    def indicator(code, metric, baseline, end, year_target=None, direction="up", actual=None):
        made = factories.IndicatorFactory(
            programme=programme,
            code=code,
            metric=metric,
            direction=direction,
            baseline_year=2022,
            baseline_value=baseline,
            target_value=end,
        )
        if year_target is not None:
            factories.IndicatorTargetFactory(
                indicator=made, year=2023, value=year_target, actual_value=actual
            )

    metric = Indicator.Metric
    indicator("I1", metric.ENTERPRISES_WITH_PARTY_ORG, 1, 2, 2)
    indicator("I2", metric.PARTY_MEMBERS, 10, 30, 14)
    indicator("I3", metric.UNION_COVERAGE_PCT, 70, 95, 85)
    indicator("I4", metric.ELIGIBLE_WITHOUT_PARTY_ORG, 4, 0, 2, direction="down")
    indicator("I5", metric.MANUAL, 0, 10, 6, actual=5)
    indicator("I6", metric.MANUAL, 0, 10)
    return programme


@pytest.fixture
def figures(hand_built, reviewer):
    return assessment(programme=hand_built, year=2023, user=reviewer)


def test_returns_are_expected_of_every_enterprise_that_operated_during_the_year(figures):
    """E1 E2 E3 E4 E7 E8 operate on 31 December and E5 operated until June (E6, still being
    built, did not): 7 expected; accepted E1 E2 E4 E5 E8; E3's is submitted; E7 has none."""
    assert figures["returns"] == {"expected": 7, "accepted": 5, "not_accepted": 1, "missing": 1}


def test_completeness_says_how_much_of_each_figure_is_known(figures):
    """5 of 7 expected returns; E3 alone (no accepted return yet, no trade union and no party
    organisation) is one whose eligibility for a union or a party cell is unknown: 5 of 6."""
    completeness = figures["completeness"]
    assert completeness["year_returns"] == {"numerator": 5, "denominator": 7, "pct": "71.43"}
    five_of_six = {"numerator": 5, "denominator": 6, "pct": "83.33"}
    assert completeness["union_eligible"] == five_of_six
    assert completeness["eligible_without_party_org"] == five_of_six


def test_stock_metrics_stand_on_31_december_from_accepted_returns(figures):
    metrics = figures["metrics"]
    assert metrics["enterprises_operating"] == 6  # E1 E2 E3 E4 E7 E8
    assert metrics["employees"] == 518  # accepted: E1 120 + E2 40 + E4 350 + E8 8
    assert metrics["party_members"] == 15  # 10 + 3 + 2 + 0
    assert metrics["union_members"] == 430  # 100 + 30 + 300 + 0
    assert metrics["enterprises_with_party_org"] == 2  # E1, and E7 founded on 31 December
    assert metrics["enterprises_with_trade_union"] == 4  # E1 E2 E4 E7
    assert metrics["enterprises_with_youth_union"] == 2
    assert metrics["enterprises_with_women_union"] == 1
    assert metrics["eligible_without_party_org"] == 1  # E2: 3 party members, no organisation


def test_coverage_shares_carry_numerator_and_denominator(figures):
    metrics = figures["metrics"]
    assert metrics["party_org_coverage_pct"] == {"numerator": 2, "denominator": 6, "pct": "33.33"}
    assert metrics["union_coverage_pct"] == {"numerator": 4, "denominator": 5, "pct": "80.00"}


def test_flow_metrics_count_what_happened_during_the_year(figures):
    metrics = figures["metrics"]
    assert metrics["party_orgs_founded"] == 2  # E6 (building) and E7
    assert metrics["party_orgs_dissolved"] == 2  # E4 on 31 December, E5 on closing
    assert metrics["unions_founded"] == 1
    assert metrics["youth_unions_founded"] == 1
    assert metrics["new_party_members"] == 4  # E1 2 + E2 1 + E5 1 (closed in June)
    assert metrics["awareness_trainees"] == 9  # E1 4 + E2 2 + E5 3; E3's 7 not accepted


def _row(rows, key):
    return next(row for row in rows if row["key"] == key)


def test_zone_breakdown_rolls_parks_into_their_zone(figures, zone_a, zone_b):
    rows = figures["breakdowns"]["zone"]
    assert [row["label"] for row in rows] == ["Zone A", "Zone B"]
    assert _row(rows, zone_a.pk) == {
        "key": zone_a.pk,
        "label": "Zone A",
        "enterprises": 4,
        "employees": 160,
        "with_party_org": 2,
        "party_members": 13,
        "with_trade_union": 3,
        "union_members": 130,
        "party_coverage": {"numerator": 2, "denominator": 4, "pct": "50.00"},
        "union_coverage": {"numerator": 3, "denominator": 3, "pct": "100.00"},
    }
    zone_b_row = _row(rows, zone_b.pk)
    assert (zone_b_row["enterprises"], zone_b_row["employees"]) == (2, 358)
    assert zone_b_row["party_coverage"] == {"numerator": 0, "denominator": 2, "pct": "0.00"}
    assert zone_b_row["union_coverage"] == {"numerator": 1, "denominator": 2, "pct": "50.00"}


def test_ownership_breakdown_lists_every_ownership(figures):
    rows = figures["breakdowns"]["ownership"]
    assert [row["key"] for row in rows] == ["state", "private", "fdi", "joint_venture"]
    private = _row(rows, "private")
    assert (private["enterprises"], private["employees"], private["party_members"]) == (3, 128, 10)
    assert private["party_coverage"] == {"numerator": 2, "denominator": 3, "pct": "66.67"}
    assert private["union_coverage"] == {"numerator": 2, "denominator": 3, "pct": "66.67"}
    fdi = _row(rows, "fdi")
    assert fdi["union_coverage"] == {"numerator": 1, "denominator": 1, "pct": "100.00"}
    assert _row(rows, "joint_venture")["party_coverage"] == {
        "numerator": 0,
        "denominator": 0,
        "pct": None,
    }
    assert _row(rows, "state")["label"] == "State-owned"


def test_size_bands_follow_the_accepted_return(figures):
    rows = figures["breakdowns"]["size_band"]
    assert [(row["key"], row["enterprises"], row["employees"]) for row in rows] == [
        ("lt50", 2, 48),
        ("50_299", 1, 120),
        ("300_499", 1, 350),
        ("500plus", 0, 0),
        ("none", 2, 0),
    ]
    assert _row(rows, "none")["with_party_org"] == 1


def test_ratings_count_the_year_by_organisation_kind(figures):
    ratings = figures["ratings"]
    assert ratings["party"] == {"excellent": 1, "good": 0, "fulfilled": 0, "not_fulfilled": 0}
    assert ratings["trade_union"]["good"] == 2
    assert sum(ratings["youth_union"].values()) == 0


def test_task_progress_per_content_area(figures):
    first, second = figures["tasks"]
    assert first | {"content_area_id": None} == {
        "content_area_id": None,
        "position": 1,
        "title": "Party building",
        "total": 5,
        "done": 1,
        "in_progress": 1,
        "planned": 2,
        "cancelled": 1,
        "overdue": 2,
    }
    assert (second["title"], second["total"], second["overdue"]) == ("Unions", 0, 0)


def _indicator(figures, code):
    return next(row for row in figures["indicators"] if row["code"] == code)


def test_indicator_met_when_end_target_reached(figures):
    """From the registry: complete, whatever the returns."""
    row = _indicator(figures, "I1")
    assert (row["actual"], row["baseline_value"], row["change"]) == ("2.00", "1.00", "+1.00")
    assert (row["target_year"], row["target_end"]) == ("2.00", "2.00")
    assert (row["achieved_year"], row["achieved_end"]) == ("100.00", "100.00")
    assert (row["completeness"], row["status"]) == (None, "met")


def test_achievement_is_the_actual_divided_by_the_target(figures):
    """đạt X %: 15 of 14 is 107.14 %, of 30 is 50 %; never progress from the baseline."""
    row = _indicator(figures, "I2")
    assert (row["actual"], row["change"]) == ("15.00", "+5.00")
    assert (row["achieved_year"], row["achieved_end"]) == ("107.14", "50.00")


def test_an_incomplete_year_reads_incomplete_not_behind(figures):
    """5 of 7 returns (71.43 %) is below the 90 % the setting asks for."""
    row = _indicator(figures, "I2")
    assert row["completeness"] == {"numerator": 5, "denominator": 7, "pct": "71.43"}
    assert row["status"] == "incomplete"


def test_with_enough_returns_the_targets_decide(hand_built, reviewer, settings):
    settings.RETURNS_COMPLETE_SHARE = 70
    figures = assessment(programme=hand_built, year=2023, user=reviewer)
    assert _indicator(figures, "I2")["status"] == "on_track"  # 15 ≥ 14, < 30
    assert _indicator(figures, "I3")["status"] == "behind"  # 80 % < 85 %
    assert _indicator(figures, "I4")["status"] == "on_track"  # 1 ≤ 2, > 0 (down is good)


def test_a_share_is_judged_by_what_its_base_knows(figures):
    """Union coverage 4 / 5 = 80 %: 80 of 85 is 94.12 %, of 95 is 84.21 %; its base knows 5 of
    the 6 operating enterprises."""
    row = _indicator(figures, "I3")
    assert (row["actual"], row["change"]) == ("80.00", "+10.00")
    assert (row["achieved_year"], row["achieved_end"]) == ("94.12", "84.21")
    assert row["completeness"]["pct"] == "83.33"
    assert row["status"] == "incomplete"


def test_where_down_is_good_the_target_is_divided_by_the_actual(figures):
    """A target of 2 with 1 left is 200 % achieved; an end target of 0 with 1 left, 0 %."""
    row = _indicator(figures, "I4")
    assert (row["actual"], row["change"]) == ("1.00", "-3.00")
    assert (row["achieved_year"], row["achieved_end"]) == ("200.00", "0.00")


def test_an_actual_below_its_baseline_is_never_a_negative_percentage(hand_built, reviewer):
    factories.IndicatorFactory(
        programme=hand_built,
        code="I7",
        metric=Indicator.Metric.PARTY_MEMBERS,
        baseline_year=2022,
        baseline_value=40,
        target_value=60,
    )
    row = _indicator(assessment(programme=hand_built, year=2023, user=reviewer), "I7")
    assert (row["actual"], row["change"], row["achieved_end"]) == ("15.00", "-25.00", "25.00")


def test_manual_indicator_takes_typed_actual(figures):
    row = _indicator(figures, "I5")
    assert (row["actual"], row["achieved_year"], row["achieved_end"]) == ("5.00", "83.33", "50.00")
    assert (row["completeness"], row["status"]) == (None, "behind")


def test_manual_indicator_without_actual_has_no_data(figures):
    row = _indicator(figures, "I6")
    assert (row["actual"], row["change"], row["status"]) == (None, None, "no_data")


def test_year_without_accepted_returns_has_no_data_from_returns(hand_built, reviewer):
    """2024 has no accepted return: party members read "no data", never 0 or 100 %; the
    registry still counts (E1, E3 founded on 1 January 2024, E7), and union coverage uses the
    latest accepted figures up to the year (2023's), and says how much it knows."""
    figures = assessment(programme=hand_built, year=2024, user=reviewer)
    assert figures["returns"]["accepted"] == 0
    party_members = _indicator(figures, "I2")
    assert (party_members["actual"], party_members["status"]) == (None, "no_data")
    assert party_members["completeness"]["pct"] == "0.00"
    assert _indicator(figures, "I1")["actual"] == "3.00"
    coverage = _indicator(figures, "I3")
    assert coverage["actual"] == "80.00"
    assert coverage["completeness"]["pct"] == "83.33"


def test_a_share_with_an_empty_base_has_no_data(reviewer):
    programme = factories.ProgrammeFactory(start_year=2023, end_year=2025)
    factories.IndicatorFactory(
        programme=programme,
        code="C",
        metric=Indicator.Metric.PARTY_ORG_COVERAGE_PCT,
        baseline_year=2022,
        baseline_value=10,
        target_value=20,
    )
    row = assessment(programme=programme, year=2023, user=reviewer)["indicators"][0]
    assert (row["actual"], row["status"]) == (None, "no_data")


def test_series_runs_from_the_earliest_baseline_year(figures):
    assert figures["series"] == [
        {
            "year": 2022,
            "enterprises_operating": 7,
            "employees": 500,
            "enterprises_with_party_org": 3,
            "party_members": 16,
            "enterprises_with_trade_union": 3,
            "union_members": 370,
            "new_party_members": 3,
            "completeness": {"numerator": 3, "denominator": 7, "pct": "42.86"},
        },
        {
            "year": 2023,
            "enterprises_operating": 6,
            "employees": 518,
            "enterprises_with_party_org": 2,
            "party_members": 15,
            "enterprises_with_trade_union": 4,
            "union_members": 430,
            "new_party_members": 4,
            "completeness": {"numerator": 5, "denominator": 7, "pct": "71.43"},
        },
    ]


def test_official_sees_only_their_zone(hand_built, official_a):
    figures = assessment(programme=hand_built, year=2023, user=official_a)
    assert figures["scope"] == {"all": False, "zones": ["Zone A"]}
    assert figures["returns"] == {"expected": 4, "accepted": 2, "not_accepted": 1, "missing": 1}
    metrics = figures["metrics"]
    assert (metrics["employees"], metrics["party_members"], metrics["union_members"]) == (
        160,
        13,
        130,
    )
    assert metrics["party_org_coverage_pct"]["pct"] == "50.00"
    assert (metrics["party_orgs_founded"], metrics["party_orgs_dissolved"]) == (1, 0)
    assert (metrics["new_party_members"], metrics["awareness_trainees"]) == (3, 6)
    assert [row["label"] for row in figures["breakdowns"]["zone"]] == ["Zone A"]
    assert figures["ratings"]["trade_union"]["good"] == 1


def test_it_is_json_serialisable(figures):
    """A final review stores it in a JSONField."""
    assert json.loads(json.dumps(figures)) == figures
    assert figures["as_of"] == "2023-12-31"


@pytest.mark.parametrize(
    ("numerator", "denominator", "pct"),
    [
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (1, 8, "12.50"),
        (1, 32, "3.13"),
        (1, 160, "0.63"),
        (70, 91, "76.92"),
        (0, 5, "0.00"),
        (3, 0, None),
    ],
)
def test_shares_round_half_up(numerator, denominator, pct):
    """3.125 and 0.625 round up (banker's rounding and floats would give 3.12 and 0.62)."""
    assert share(numerator, denominator) == {
        "numerator": numerator,
        "denominator": denominator,
        "pct": pct,
    }


def _populate(zones, count):
    """`count` enterprises per zone, each with a return and organisations in two years."""
    for zone in zones:
        for _ in range(count):
            enterprise = factories.EnterpriseFactory(zone=zone)
            _org(enterprise, PARTY, D(2021, 1, 1))
            _org(enterprise, UNION, D(2023, 2, 1))
            for year in (2022, 2023):
                _return(enterprise, year, employees=60, party_members=4, union_members=50)


ASSESSMENT_QUERIES = 14
"""Per year: whether its totals are kept, and its totals by zone, ownership and band."""


@pytest.mark.parametrize("per_zone", [1, 8])
def test_query_count_does_not_grow_with_enterprises(
    hand_built, official_a, zone_a, zone_b, per_zone, django_assert_max_num_queries
):
    _populate([zone_a, zone_b, factories.ZoneFactory(parent=zone_a)], per_zone)
    assessment(programme=hand_built, year=2023, user=official_a)  # builds the years' totals
    with django_assert_max_num_queries(ASSESSMENT_QUERIES):
        assessment(programme=hand_built, year=2023, user=official_a)


def test_in_the_last_year_the_end_target_is_the_years_target(hand_built, reviewer):
    figures = assessment(programme=hand_built, year=2025, user=reviewer)
    row = _indicator(figures, "I2")
    assert (row["target_year"], row["target_end"]) == ("30.00", "30.00")


def test_a_middle_year_without_a_target_has_none(hand_built, reviewer):
    row = _indicator(assessment(programme=hand_built, year=2024, user=reviewer), "I2")
    assert row["target_year"] is None
