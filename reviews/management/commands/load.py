"""`manage.py load` (`make load`): the load test at national scale; the harness is in load/."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from load.run import Options, main
from reviews.sample_data.synthetic import Scale, year_span


class Command(BaseCommand):
    help = (
        "Serves the national-scale data set of `manage.py bench` (PostgreSQL database "
        "coordination_bench, loaded once) with gunicorn, loads it from a second process on "
        "127.0.0.1 with locust (officials reading and entering returns, reviewers reading the "
        "dashboard and printing the report), prints requests, failures and p50/p95 by page, and "
        "checks that every return saved is in the database. Fails if any request failed."
    )
    requires_system_checks = []  # the inner run checks; the outer one only relaunches

    def add_arguments(self, parser: CommandParser) -> None:
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
        # The data set, as for `manage.py bench` (another scale replaces the one in the database).
        parser.add_argument("--enterprises", type=int, default=50000)
        parser.add_argument("--zones", type=int, default=400)
        parser.add_argument("--years", type=year_span, default=year_span("2022-2025"))
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options) -> None:
        scale = Scale(
            enterprises=options["enterprises"],
            zones=options["zones"],
            years=options["years"],
            seed=options["seed"],
        )
        passed = main(
            Options(
                scale=scale,
                users=options["users"],
                seconds=options["seconds"],
                keep=options["keep"],
            ),
            self.stdout.write,
        )
        if not passed:
            raise CommandError("The load test failed: see the failures above.")
