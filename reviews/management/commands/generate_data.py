"""`manage.py generate_data`: the synthetic national-scale data set for benchmarks (see
reviews.sample_data.synthetic)."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviews.sample_data import synthetic


class Command(BaseCommand):
    help = (
        "Generates deterministic synthetic data for benchmarks (same arguments, same data): "
        "zones, enterprises, organisations, yearly returns, ratings, and a programme with a "
        "draft review unless one covers the last year. Bulk inserts: no history is recorded "
        f"for these rows. The zones' codes start with {synthetic.SYNTHETIC_PREFIX}; a second run "
        "needs --replace, which deletes that data first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        synthetic.add_scale_arguments(parser)
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
