"""`python -m bench`: load the national-scale data set into PostgreSQL once, serve it with
gunicorn as in production, measure the main pages from a second process on loopback, and write
the table to docs/benchmarks.md.

The harness re-runs itself in the benchmark's environment (environment.py: database
`coordination_bench`, DEBUG off, bench.settings) so that everything below runs against that
database."""

import os
import time
from collections.abc import Callable

from django.core.management import call_command
from django.db import connection

from . import environment
from .dataset import ensure_data
from .measure import add_ratios, measure_page, measure_while_writing, summary
from .options import Options
from .pages import pages_to_measure
from .personas import create_personas, log_in
from .query_plans import explain_list
from .report import write_report
from .results import Result
from .server import Gunicorn, Session
from .writers import Writers


def main(options: Options, say: Callable[[str], None], args: list[str]) -> None:
    """Runs the benchmark; outside its environment, runs `python -m bench args` inside it."""
    if environment.inside():
        run(options, say)
    else:
        environment.relaunch("bench", args)


def run(options: Options, say: Callable[[str], None]) -> None:
    started, load_at_start = time.monotonic(), os.getloadavg()
    say(f"Migrating {connection.settings_dict['NAME']} …")
    call_command("migrate", interactive=False, verbosity=0)
    data_set_note = ensure_data(options.scale, reload=options.reload, say=say)
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    personas = create_personas()
    pages = pages_to_measure(personas, options.scale.years, options.only)
    with Gunicorn(
        base_dir=environment.BASE_DIR,
        env=dict(os.environ),
        log=environment.WORK_DIR / "gunicorn.log",
    ) as server:
        sessions = {
            "anonymous": Session(server.base_url),
            **{role: log_in(personas, server.base_url, role) for role in ("reviewer", "official")},
        }
        results = []
        for page in pages:
            say(f"  {page.label} …")
            try:
                result = measure_page(
                    page, sessions[page.user], server, options=options, zone=personas.zone, say=say
                )
            except OSError as error:  # no answer within the request timeout
                result = Result(page.label, page.user, page.target, note=f"no answer: {error!r}")
            results.append(result)
            say(f"    {summary(result)}")
        writing = None
        if any(page.kind == "throughput" for page in pages[1:]):
            say("While officials save returns:")
            with Writers(server.base_url, personas.password) as writing:
                for page, result in zip(pages, results, strict=True):
                    if page.kind == "throughput" and result.throughput:
                        say(f"  {page.label} …")
                        measure_while_writing(result, sessions[page.user], server, options)
            say(f"  {writing.describe()}")
    add_ratios(results)
    plans = explain_list(personas, say)
    write_report(
        results,
        plans,
        options=options,
        data_set_note=data_set_note,
        writing=writing,
        elapsed=time.monotonic() - started,
        load_at_start=load_at_start,
        say=say,
    )
