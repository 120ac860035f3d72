"""`make load` fails unless every return the simulated officials saved is in the database as
they saved it, and unless no request failed: the checks behind that verdict."""

import json

import pytest

from load import writes
from load.check import lost_writes
from load.results import (
    PageStats,
    Results,
    read_results,
    server_complaints,
    server_times,
    verdict,
)
from reviews.models import AnnualReturn
from reviews.services import returns as services

from . import factories

YEAR = 2024
FIRST = {"employees": 120, "union_members": 100}
SECOND = {"employees": 150, "union_members": 90}


def save(user, enterprise, figures: dict, version: int | None) -> AnnualReturn:
    return services.save_return(
        user=user,
        enterprise=enterprise,
        year=YEAR,
        figures=factories.return_form_data(**figures),
        ratings={},
        version=version,
    )


@pytest.fixture
def saved_twice(official_a, enterprise_a) -> list[writes.Write]:
    """A return created and then changed through the service, as the load's officials do."""
    created = save(official_a, enterprise_a, FIRST, None)
    save(official_a, enterprise_a, SECOND, created.version)
    return [writes.Write(enterprise_a.pk, YEAR, FIRST), writes.Write(enterprise_a.pk, YEAR, SECOND)]


def test_saves_in_the_history_in_order_pass(saved_twice):
    assert lost_writes(saved_twice) == []


def test_a_save_missing_from_the_history_is_reported(saved_twice, enterprise_a):
    third = writes.Write(enterprise_a.pk, YEAR, {"employees": 200})
    assert lost_writes([*saved_twice, third]) == [
        f"enterprise {enterprise_a.pk}, return {YEAR}: saved 3×, 2 in its history"
    ]


def test_a_save_stored_with_other_figures_is_reported(saved_twice, enterprise_a):
    mismatched = [saved_twice[0], writes.Write(enterprise_a.pk, YEAR, {"employees": 151})]
    assert lost_writes(mismatched) == [
        f"enterprise {enterprise_a.pk}, return {YEAR}: save 2 of 2: employees 151 saved, "
        "150 stored in its history"
    ]


def test_a_row_overwritten_behind_the_history_is_reported(saved_twice, enterprise_a):
    """A queryset update writes no history: the row no longer holds the last save."""
    AnnualReturn.objects.filter(enterprise=enterprise_a, year=YEAR).update(employees=140)
    assert lost_writes(saved_twice) == [
        f"enterprise {enterprise_a.pk}, return {YEAR}: the last save is not what the row "
        "holds: employees 150 saved, 140 stored"
    ]


def test_a_return_that_was_never_stored_is_reported(enterprise_b):
    assert lost_writes([writes.Write(enterprise_b.pk, YEAR, FIRST)]) == [
        f"enterprise {enterprise_b.pk}, return {YEAR}: saved 1×, but no return in the database"
    ]


def test_history_from_before_the_load_is_allowed(official_a, enterprise_a):
    """A return that existed before the run: only its last saves must be the load's."""
    created = save(official_a, enterprise_a, FIRST, None)
    save(official_a, enterprise_a, SECOND, created.version)
    assert lost_writes([writes.Write(enterprise_a.pk, YEAR, SECOND)]) == []


def test_writes_round_trip_through_the_file(tmp_path):
    path = tmp_path / "writes.jsonl"
    assert writes.read(path) == []
    saved = [writes.Write(1, YEAR, FIRST), writes.Write(2, YEAR, SECOND)]
    for write in saved:
        writes.append(path, write)
    assert writes.read(path) == saved


def locust_page(name: str, requests: int = 10, failures: int = 0) -> dict:
    """A page's statistics as the locustfile writes them when it quits."""
    return {
        "name": name,
        "requests": requests,
        "failures": failures,
        "per_second": 1.0,
        "p50_ms": 5,
        "p95_ms": 9,
        "max_ms": 12,
    }


def page(name: str, requests: int = 10, failures: int = 0) -> PageStats:
    return PageStats(**locust_page(name, requests, failures))


def test_results_are_read_in_page_order_with_the_total_last(tmp_path):
    path = tmp_path / "results.json"
    pages = [
        locust_page("Aggregated", 30),
        locust_page("return save"),
        locust_page("enterprise list"),
        locust_page("other"),
    ]
    path.write_text(
        json.dumps(
            {
                "people": {"Official": 9, "Reviewer": 1},
                "pages": pages,
                "errors": ["return save: not saved (×1)"],
                "exceptions": ["KeyError (×2)"],
            }
        )
    )
    results = read_results(path, {"return save": (150, 900)})
    assert [p.name for p in results.pages] == [
        "enterprise list",
        "return save",
        "other",
        "Aggregated",
    ]
    assert results.total.requests == 30
    assert (results.pages[1].server_p50_ms, results.pages[1].server_p95_ms) == (150, 900)
    assert results.exceptions == ["exception in the locustfile: KeyError (×2)"]


def test_server_times_come_from_gunicorns_access_log_by_page(tmp_path):
    log = tmp_path / "gunicorn.log"
    log.write_text(
        "[2026-11-29 20:00:00 +0700] [1] [INFO] Booting worker with pid: 2\n"
        'LOAD "GET /enterprises/?page=3 HTTP/1.1" 200 120000\n'
        'LOAD "GET /enterprises/ HTTP/1.1" 200 80000\n'
        'LOAD "GET /enterprises/7/ HTTP/1.1" 200 40000\n'
        'LOAD "POST /enterprises/7/returns/2026/ HTTP/1.1" 302 150000\n'
        'LOAD "GET /reviews/1/report.pdf HTTP/1.1" 200 9000000\n'
        'LOAD "GET /healthz HTTP/1.1" 200 1000\n'
    )
    times = server_times(log)
    assert times["enterprise list"] == (120, 120)
    assert times["enterprise page"] == (40, 40)
    assert times["return save"] == (150, 150)
    assert times["review PDF"] == (9000, 9000)
    assert "return form" not in times
    assert times["Aggregated"] == (120, 9000), "every request counts in the total"


def test_what_the_server_logged_besides_requests_is_listed_once_with_a_count(tmp_path):
    log = tmp_path / "gunicorn.log"
    warning = "Failed to load stylesheet at http://127.0.0.1:1/static/css/report.css"
    log.write_text(
        "[2026-11-29 20:00:00 +0700] [1] [INFO] Booting worker with pid: 2\n"
        'LOAD "GET /enterprises/ HTTP/1.1" 200 80000\n'
        f"{warning}\n{warning}\n"
    )
    assert server_complaints(log) == [f"{warning} (×2)"]


def test_a_run_passes_only_with_requests_saves_and_nothing_failed_or_lost():
    saved = [writes.Write(1, YEAR, FIRST)]
    clean = Results(people={}, pages=[page("Aggregated")], errors=[], exceptions=[])
    lean = [(180.0, 240.0), (175.0, 231.0)]
    assert verdict(clean, saved, [], lean) == []

    failed = Results(people={}, pages=[page("Aggregated", 10, 1)], errors=["x"], exceptions=[])
    assert verdict(failed, saved, [], lean) == ["1 of 10 requests failed"]
    assert verdict(clean, saved, ["lost"], lean) == ["returns not in the database as saved: 1"]
    assert verdict(clean, [], [], lean) == ["no return was saved"]
    assert verdict(
        Results(people={}, pages=[], errors=[], exceptions=["boom"]), saved, [], lean
    ) == [
        "no request was made",
        "exceptions in the locustfile: 1",
    ]
    assert verdict(clean, saved, [], [(180.0, 240.0), (310.0, 330.0)]) == [
        "a worker's resident memory ended above 300 MB"
    ]
