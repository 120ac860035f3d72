"""`manage.py generate_data`: the synthetic national-scale data set for benchmarks."""

import re
import sys
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coordination.models import MAX_YEAR, MIN_YEAR
from reviews import synthetic


def year_span(text: str) -> range:
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text)
    if not match:
        raise ValueError(text)
    first, last = int(match[1]), int(match[2] or match[1])
    if not MIN_YEAR <= first <= last <= MAX_YEAR:
        raise ValueError(text)
    return range(first, last + 1)


class Command(BaseCommand):
    help = (
        "Generates deterministic synthetic data for benchmarks (same arguments, same data): "
        "zones, enterprises, organisations, yearly returns, ratings, and a programme with a "
        "draft review unless one covers the last year. Bulk inserts: no history is recorded "
        f"for these rows. The zones' codes start with {synthetic.SYNTHETIC_PREFIX}; a second run "
        "needs --replace, which deletes that data first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=50000)
        parser.add_argument("--zones", type=int, default=400)
        parser.add_argument(
            "--years", type=year_span, default=year_span("2022-2025"), help="e.g. 2022-2025"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the synthetic data already in the database, then generate.",
        )

    def handle(self, *args, enterprises, zones, years, seed, replace, **options) -> None:
        if enterprises < 1 or zones < 1:
            raise CommandError("--enterprises and --zones must be at least 1.")
        present = synthetic.existing_counts()
        if present.zones and not replace:
            raise CommandError(
                f"The database already holds synthetic data ({self._describe(present)}). "
                "Run again with --replace to delete it and generate anew."
            )
        started = time.monotonic()
        if present.zones:
            deleted = synthetic.delete_synthetic_data()
            self.stdout.write(f"Deleted the previous synthetic data: {self._describe(deleted)}.")
        scale = synthetic.Scale(enterprises=enterprises, zones=zones, years=years, seed=seed)
        counts = synthetic.generate(scale, progress=self._progress(started))
        self.stdout.write(
            f"Generated {self._describe(counts)} for {years[0]}–{years[-1]} (seed {seed}) "
            f"in {time.monotonic() - started:.1f} s. No history was recorded for them."
        )

    def _progress(self, started: float):
        """A plain-text progress bar on stderr, rewritten in place on a terminal."""
        terminal = sys.stderr.isatty()

        def report(done: int, total: int) -> None:
            filled = round(30 * done / total)
            line = (
                f"enterprises [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,} "
                f"{time.monotonic() - started:5.1f} s"
            )
            if terminal:
                self.stderr.write(f"\r{line}", ending="\n" if done == total else "")
            else:
                self.stderr.write(line)
            self.stderr.flush()

        return report

    @staticmethod
    def _describe(counts: synthetic.Counts) -> str:
        return ", ".join(f"{value:,} {name}" for name, value in counts.as_dict().items())
