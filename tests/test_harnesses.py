"""`make bench` and `make load` run `python -m bench` and `python -m load`: outside manage.py,
each sets Django up itself and takes the data set's arguments as generate_data does."""

import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(("harness", "own_option"), [("bench", "--only"), ("load", "--users")])
def test_it_lists_its_options(harness, own_option):
    completed = run(harness, "--help")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith(f"usage: python -m {harness}")
    for option in ("--enterprises", "--zones", "--years", "--seed", own_option):
        assert option in completed.stdout


@pytest.mark.parametrize("harness", ["bench", "load"])
def test_it_refuses_years_out_of_range_before_starting(harness):
    completed = run(harness, "--years", "1999-2025")
    assert completed.returncode == 2
    assert "--years: invalid year_span value: '1999-2025'" in completed.stderr
