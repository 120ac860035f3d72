"""`python -m bench` (`make bench`): the national-scale benchmark (see docs/benchmarks.md)."""

import argparse
import sys

from .cli import harness_options, set_up_and_parse

DESCRIPTION = (
    "Loads the synthetic national-scale data set into the PostgreSQL database "
    "coordination_bench (once; reused while its counts match), serves it with gunicorn as "
    "in production, measures the main pages from a second process on 127.0.0.1, and "
    "writes the table to docs/benchmarks.md."
)


def page_keys(text: str) -> frozenset[str]:
    return frozenset(filter(None, text.split(",")))


def parser() -> argparse.ArgumentParser:
    from reviews.sample_data.synthetic import add_scale_arguments  # once Django is set up

    parser = argparse.ArgumentParser(prog="python -m bench", description=DESCRIPTION)
    add_scale_arguments(parser)
    parser.add_argument(
        "--seconds", type=int, default=8, help="Seconds of load per page (after 2 of warm-up)."
    )
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--reload", action="store_true", help="Generate the data set again (timed)."
    )
    parser.add_argument(
        "--only",
        type=page_keys,
        default=frozenset(),
        help="Measure only these pages (comma-separated keys, e.g. list,list-search,pdf); "
        "/healthz is always measured, and docs/benchmarks.md is not rewritten.",
    )
    return parser


def main(args: list[str]) -> None:
    arguments = set_up_and_parse(parser, args)
    from .options import Options
    from .run import main as run

    run(harness_options(Options, arguments), print, args)


if __name__ == "__main__":
    main(sys.argv[1:])
