"""`python -m load` (`make load`): the load test at national scale (see docs/load.md)."""

import argparse
import sys

from bench.cli import harness_options, set_up_and_parse

DESCRIPTION = (
    "Serves the national-scale data set of `python -m bench` (PostgreSQL "
    "database coordination_bench, loaded once) with gunicorn, loads it from a second "
    "process on 127.0.0.1 with locust (officials reading and entering returns, reviewers "
    "reading the dashboard and printing the report), prints requests, failures and p50/p95 "
    "by page, and checks that every return saved is in the database. Fails if any request "
    "failed."
)


def parser() -> argparse.ArgumentParser:
    from reviews.sample_data.synthetic import add_scale_arguments  # once Django is set up

    parser = argparse.ArgumentParser(prog="python -m load", description=DESCRIPTION)
    parser.add_argument("--users", type=int, default=50, help="Concurrent simulated people.")
    parser.add_argument(
        "--seconds", type=int, default=120, help="Seconds of load once all have started."
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="Keep the returns the load saved (deleted after the check by default, so that "
        "the data set stays as generated).",
    )
    parser.add_argument(
        "--redis",
        nargs="?",
        const="redis://127.0.0.1:6379/12",
        default="",
        help="Cache in Redis (CACHE_URL; default redis://127.0.0.1:6379/12, emptied first) "
        "rather than in each worker's memory.",
    )
    # The data set, as for `python -m bench` (another scale replaces the one in the database).
    add_scale_arguments(parser)
    return parser


def main(args: list[str]) -> None:
    arguments = set_up_and_parse(parser, args)
    from .run import Options
    from .run import main as run

    if not run(harness_options(Options, arguments), print, args):
        raise SystemExit("The load test failed: see the failures above.")


if __name__ == "__main__":
    main(sys.argv[1:])
