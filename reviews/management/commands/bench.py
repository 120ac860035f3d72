"""`manage.py bench` (`make bench`): the national-scale benchmark; the harness is in bench/."""

from django.core.management.base import BaseCommand, CommandParser

from bench.run import Options, main
from reviews.sample_data.synthetic import Scale, year_span


class Command(BaseCommand):
    help = (
        "Loads the synthetic national-scale data set into the PostgreSQL database "
        "coordination_bench (once; reused while its counts match), serves it with gunicorn as "
        "in production, measures the main pages from a second process on 127.0.0.1, and writes "
        "the table to docs/benchmarks.md."
    )
    requires_system_checks = []  # the inner run checks; the outer one only relaunches

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=50000)
        parser.add_argument("--zones", type=int, default=400)
        parser.add_argument("--years", type=year_span, default=year_span("2022-2025"))
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--seconds", type=int, default=8, help="Seconds of load per page (after 2 of warm-up)."
        )
        parser.add_argument("--connections", type=int, default=4)
        parser.add_argument(
            "--reload", action="store_true", help="Generate the data set again (timed)."
        )
        parser.add_argument(
            "--only",
            default="",
            help="Measure only these pages (comma-separated keys, e.g. list,list-search,pdf); "
            "/healthz is always measured, and docs/benchmarks.md is not rewritten.",
        )

    def handle(self, *args, **options) -> None:
        scale = Scale(
            enterprises=options["enterprises"],
            zones=options["zones"],
            years=options["years"],
            seed=options["seed"],
        )
        main(
            Options(
                scale=scale,
                seconds=options["seconds"],
                connections=options["connections"],
                reload=options["reload"],
                only=frozenset(filter(None, options["only"].split(","))),
            ),
            self.stdout.write,
        )
