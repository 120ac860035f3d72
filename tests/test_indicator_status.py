"""An indicator's status comes from its direction and progress, never typed: each branch of the
rule, for indicators where up is good and where down is good."""

from decimal import Decimal

import pytest

from reviews.selectors.assessment import indicator_status, progress_pct

D = Decimal


@pytest.mark.parametrize(
    ("actual", "target_year", "status"),
    [
        (None, D(15), "no_data"),
        (D(20), D(15), "met"),  # reaches the end target exactly
        (D(25), None, "met"),
        (D(15), D(15), "on_track"),  # reaches the year's target exactly
        (D("14.99"), D(15), "behind"),
        (D(19), None, "behind"),  # no target for the year: only the end target counts
    ],
)
def test_up_is_good(actual, target_year, status):
    assert (
        indicator_status(direction="up", actual=actual, target_year=target_year, target_end=D(20))
        == status
    )


@pytest.mark.parametrize(
    ("actual", "target_year", "status"),
    [
        (None, D(6), "no_data"),
        (D(2), D(6), "met"),  # at or below the end target
        (D(1), D(6), "met"),
        (D(6), D(6), "on_track"),
        (D(5), D(6), "on_track"),
        (D("6.01"), D(6), "behind"),
    ],
)
def test_down_is_good(actual, target_year, status):
    assert (
        indicator_status(direction="down", actual=actual, target_year=target_year, target_end=D(2))
        == status
    )


def test_progress_runs_from_the_baseline_to_the_goal():
    assert progress_pct(actual=D(15), baseline=D(10), goal=D(20)) == "50.00"
    assert progress_pct(actual=D(10), baseline=D(10), goal=D(20)) == "0.00"
    assert progress_pct(actual=D(8), baseline=D(10), goal=D(20)) == "-20.00"


def test_progress_is_mirrored_where_down_is_good():
    """From 10 down toward 4: reaching 7 is half the way."""
    assert progress_pct(actual=D(7), baseline=D(10), goal=D(4)) == "50.00"
    assert progress_pct(actual=D(3), baseline=D(10), goal=D(4)) == "116.67"


def test_progress_rounds_half_up():
    assert progress_pct(actual=D("10.125"), baseline=D(10), goal=D(11)) == "12.50"
    assert progress_pct(actual=D(1), baseline=D(0), goal=D(32)) == "3.13"


def test_progress_is_undefined_without_an_actual_or_a_distance():
    assert progress_pct(actual=None, baseline=D(10), goal=D(20)) is None
    assert progress_pct(actual=D(12), baseline=D(10), goal=D(10)) is None
