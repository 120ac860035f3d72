"""An indicator's status and its "đạt X %" come from its figures by the rule written on the page,
never typed: each branch of the rule, for indicators where up is good and where down is good."""

from decimal import Decimal

import pytest

from reviews.selectors.indicators import achieved_pct, indicator_status

D = Decimal


def status(direction, actual, target_year, target_end, completeness=None):
    return indicator_status(
        direction=direction,
        actual=actual,
        target_year=target_year,
        target_end=target_end,
        completeness=completeness,
    )


@pytest.mark.parametrize(
    ("actual", "target_year", "expected"),
    [
        (None, D(15), "no_data"),
        (D(20), D(15), "met"),  # reaches the end target exactly
        (D(25), None, "met"),
        (D(15), D(15), "on_track"),  # reaches the year's target exactly
        (D("14.99"), D(15), "behind"),
        (D(19), None, "behind"),  # no target for the year: only the end target counts
    ],
)
def test_up_is_good(actual, target_year, expected):
    assert status("up", actual, target_year, D(20)) == expected


@pytest.mark.parametrize(
    ("actual", "target_year", "expected"),
    [
        (None, D(6), "no_data"),
        (D(2), D(6), "met"),  # at or below the end target
        (D(1), D(6), "met"),
        (D(6), D(6), "on_track"),
        (D(5), D(6), "on_track"),
        (D("6.01"), D(6), "behind"),
    ],
)
def test_down_is_good(actual, target_year, expected):
    assert status("down", actual, target_year, D(2)) == expected


def test_incomplete_figures_are_not_judged_against_targets(settings):
    """Below the setting (90 % by default) the status says so, whatever the targets."""
    assert status("up", D(25), D(15), D(20), completeness="89.99") == "incomplete"
    assert status("up", D(25), D(15), D(20), completeness="90.00") == "met"
    settings.RETURNS_COMPLETE_SHARE = 50
    assert status("up", D(1), D(15), D(20), completeness="60.00") == "behind"


def test_no_data_comes_before_incomplete():
    assert status("up", None, D(15), D(20), completeness="10.00") == "no_data"


def test_without_any_target_there_is_no_status():
    """A zone's figures without targets of their own are shown, not judged."""
    assert status("up", D(5), None, None) is None


def test_achieved_is_the_actual_divided_by_the_target():
    assert achieved_pct(actual=D(15), target=D(20), direction="up") == "75.00"
    assert achieved_pct(actual=D(8), target=D(10), direction="up") == "80.00"
    assert achieved_pct(actual=D(25), target=D(20), direction="up") == "125.00"


def test_below_the_baseline_is_still_a_share_of_the_target_never_negative():
    """The old progress-from-baseline gave −637.5 % here; đạt is 165 of 283."""
    assert achieved_pct(actual=D(165), target=D(283), direction="up") == "58.30"


def test_where_down_is_good_the_target_is_divided_by_the_actual():
    assert achieved_pct(actual=D(4), target=D(2), direction="down") == "50.00"
    assert achieved_pct(actual=D(1), target=D(2), direction="down") == "200.00"


def test_achieved_rounds_half_up():
    assert achieved_pct(actual=D(1), target=D(32), direction="up") == "3.13"
    assert achieved_pct(actual=D(1), target=D(160), direction="up") == "0.63"


def test_achieved_is_undefined_without_an_actual_a_target_or_a_divisor():
    assert achieved_pct(actual=None, target=D(10), direction="up") is None
    assert achieved_pct(actual=D(3), target=None, direction="up") is None
    assert achieved_pct(actual=D(3), target=D(0), direction="up") is None
    assert achieved_pct(actual=D(0), target=D(2), direction="down") is None
