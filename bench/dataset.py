"""The national-scale data set the benchmark and the load test run on: generated once by
`generate_data` (then VACUUM ANALYZE) and reused while its counts match the requested scale."""

import time
from collections.abc import Callable

from django.core.management import call_command
from django.db import connection

from reviews.sample_data import synthetic
from reviews.totals import ensure_year


def ensure_data(scale: synthetic.Scale, *, reload: bool, say: Callable[[str], None]) -> str:
    """Loads the data set unless it is there; says how it came to be, for the report."""
    present = synthetic.existing_counts()
    if not reload and present.enterprises == scale.enterprises and present.zones == scale.zones:
        say(f"Reusing the data set ({present.enterprises:,} enterprises).")
        if programme := synthetic.covering_programme(scale.years):
            synthetic.ensure_final_review(programme)  # data sets loaded before it had one
        for year in scale.years:  # data sets loaded before the totals were kept
            ensure_year(year)
        return "reused (loaded by an earlier run; `python -m bench --reload` reloads it)"
    say("Loading the data set (generate_data) …")
    started = time.monotonic()
    call_command(
        "generate_data",
        enterprises=scale.enterprises,
        zones=scale.zones,
        years=scale.years,
        seed=scale.seed,
        replace=bool(present.zones),
    )
    loaded = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return f"loaded in {loaded:.0f} s by this run (then VACUUM ANALYZE)"
