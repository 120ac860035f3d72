"""Recounts the totals the assessment reads (reviews.totals) from the rows, for every year kept
and the years asked for: after a restore from an old backup, or to keep a new year at once."""

from django.core.management.base import BaseCommand, CommandError

from reviews.totals import rebuild_totals


def year_range(text: str) -> range:
    """2022-2025 or 2024."""
    first, _, last = text.partition("-")
    try:
        return range(int(first), int(last or first) + 1)
    except ValueError as error:
        raise CommandError(f"Not a year or a range of years: {text}") from error


class Command(BaseCommand):
    help = "Recounts the totals of every year kept (and of --years) from the rows."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--years", type=year_range, default=range(0), help="e.g. 2022-2025")

    def handle(self, *args, years: range, **options) -> None:
        kept = rebuild_totals(years=years)
        self.stdout.write(f"Totals recounted for {', '.join(map(str, kept)) or 'no year'}.")
