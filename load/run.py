"""`python -m load` (`make load`): serve the national-scale data set with gunicorn as in
production and load it from a second process on loopback with locust (load/locustfile.py), then
print requests, failures and p50/p95 by page (results.py), and check that every return saved is
in the database (check.py).

Like `python -m bench`, the harness re-runs itself inside the benchmark's environment (database
`coordination_bench`, DEBUG off, bench.settings); the data set and gunicorn come from bench/."""

import importlib.metadata
import json
import math
import os
import random
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import redis
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from bench import environment
from bench.dataset import ensure_data
from bench.personas import largest_economic_zones, person, startable_returns
from bench.report import machine
from bench.server import WORKERS, Gunicorn
from coordination.roles import OFFICIALS, REVIEWERS
from enterprises.selectors import visible_enterprises
from reviews.models import AnnualReturn, ProgrammeReview
from reviews.sample_data import synthetic

from . import writes
from .check import lost_writes
from .results import (
    ACCESS_LOG_FORMAT,
    MEMORY_LIMIT_MB,
    read_results,
    server_complaints,
    server_times,
    stats_table,
    verdict,
)

BASE_DIR = environment.BASE_DIR
WORK_DIR = environment.WORK_DIR / "load"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
OFFICIAL, REVIEWER = "load_official", "load_reviewer"
OFFICIAL_ZONES = 3  # the economic zones with the most enterprises
ENTERPRISES_TO_READ = 2000
SPAWN_RATE = 2  # people arriving a second (each logs in); the run is longer by the ramp
STOP_TIMEOUT = 60  # seconds a person may take to finish what it is doing when time is up


@dataclass(frozen=True)
class Options:
    scale: synthetic.Scale
    users: int
    seconds: int
    keep: bool
    redis: str


def main(options: Options, say: Callable[[str], None], args: list[str]) -> bool:
    """True when the run passed (see verdict); outside the benchmark's environment, runs
    `python -m load args` inside it."""
    if not environment.inside():
        environment.relaunch("load", args, WORK_DIR)
    return LoadTest(options, say).run()


class LoadTest:
    def __init__(self, options: Options, say: Callable[[str], None]) -> None:
        self.options = options
        self.say = say
        self.plan_file = WORK_DIR / "plan.json"
        self.writes_file = WORK_DIR / "writes.jsonl"
        self.results_file = WORK_DIR / "results.json"

    def run(self) -> bool:
        started = time.monotonic()
        self.say(f"Migrating {settings.DATABASES['default']['NAME']} …")
        call_command("migrate", interactive=False, verbosity=0)
        data_set = self.prepare_data_set()
        call_command("collectstatic", interactive=False, clear=True, verbosity=0)
        plan = self.make_plan()
        load_at_start = os.getloadavg()
        try:
            failing = self.load_and_check(plan, load_at_start, data_set, started)
        finally:
            if not self.options.keep:
                self.delete_returns()
        return not failing

    def load_and_check(self, plan: dict, load_at_start, data_set: str, started: float) -> list[str]:
        env = {
            **os.environ,
            # Reviewers log in with a second factor in production; simulated ones cannot.
            "TWO_FACTOR_REQUIRED_GROUPS": "",
            "GUNICORN_CMD_ARGS": f"--access-logformat='{ACCESS_LOG_FORMAT}'",
        }
        if self.options.redis:
            env["CACHE_URL"] = self.options.redis
            redis.Redis.from_url(self.options.redis).flushdb()  # a cold start, as with LocMem
        server_log = WORK_DIR / "gunicorn.log"
        with Gunicorn(base_dir=BASE_DIR, env=env, log=server_log) as server:
            locust_log = self.run_locust(server.base_url)
            memory = server.worker_memory_mb()
        results = read_results(self.results_file, server_times(server_log))
        complaints = server_complaints(server_log)
        saved = writes.read(self.writes_file)
        problems = lost_writes(saved)
        facts = {**machine(load_at_start=load_at_start), "data set": data_set}
        self.report(facts, plan, results, saved, problems, memory, time.monotonic() - started)
        if complaints:
            self.say("\n**What the server logged besides requests:**")
            self.say("\n".join(f"- {complaint}" for complaint in complaints[:20]))
        failing = verdict(results, saved, problems, memory)
        if failing:
            self.say(f"\nFAILED: {'; '.join(failing)}. locust's output: {locust_log}")
        return failing

    def prepare_data_set(self) -> str:
        """The data set of `python -m bench`, loaded by bench's own code unless it is there."""
        note = ensure_data(self.options.scale, reload=False, say=self.say)
        counts = synthetic.existing_counts()
        return (
            f"{counts.zones:,} zones, {counts.enterprises:,} enterprises, "
            f"{counts.organisations:,} organisations, {counts.returns:,} returns; {note}"
        )

    # Before: the people and what they work on ----------------------------------------------------

    def make_plan(self) -> dict:
        """An official of the economic zones with the most enterprises and a reviewer (a new
        password each run); the enterprises the official may start this year's return of (none
        exists yet, so the load's returns are all its own); the review whose report is printed."""
        password = secrets.token_urlsafe(18)
        official = person(OFFICIAL, OFFICIALS, password)
        reviewer = person(REVIEWER, REVIEWERS, password)
        zones = largest_economic_zones()[:OFFICIAL_ZONES]
        official.official_zones.set(zones)
        year = timezone.localdate().year
        to_write = startable_returns(official, year)
        rng = random.Random(self.options.scale.seed)
        rng.shuffle(to_write)
        readable = list(visible_enterprises(official).order_by("pk").values_list("pk", flat=True))
        reviews = ProgrammeReview.objects.order_by("-pk")
        # a draft prints from live figures: the costly case
        review = reviews.filter(status=ProgrammeReview.Status.DRAFT).first() or reviews.first()
        plan = {
            "official": official.username,
            "reviewer": reviewer.username,
            "password": password,
            "zones": [zone.name for zone in zones],
            "year": year,
            "enterprises_to_write": to_write,
            "enterprises_to_read": rng.sample(readable, min(ENTERPRISES_TO_READ, len(readable))),
            "enterprises_in_scope": len(readable),
            "review": review.pk if review else None,
            "writes": str(self.writes_file),
            "results": str(self.results_file),
        }
        self.plan_file.write_text(json.dumps(plan))
        self.writes_file.unlink(missing_ok=True)
        self.results_file.unlink(missing_ok=True)
        return plan

    # During: locust in a process of its own -------------------------------------------------------

    def run_locust(self, base_url: str) -> Path:
        """Runs the users for --seconds once all have started (SPAWN_RATE a second), then lets
        each finish what it is doing (at most STOP_TIMEOUT s); bounded in time."""
        ramp = math.ceil(self.options.users / SPAWN_RATE)
        run_time = ramp + self.options.seconds
        log = WORK_DIR / "locust.log"
        command = [
            str(Path(sys.executable).with_name("locust")),
            f"--locustfile={LOCUSTFILE}",
            "--headless",
            f"--users={self.options.users}",
            f"--spawn-rate={SPAWN_RATE}",
            f"--run-time={run_time}s",
            f"--stop-timeout={STOP_TIMEOUT}",
            f"--host={base_url}",
            "--only-summary",
            "--loglevel=WARNING",
        ]
        self.say(
            f"Load: {self.options.users} users ({SPAWN_RATE} started a second), "
            f"{run_time} s in all, against {base_url} …"
        )
        env = {**os.environ, "LOAD_PLAN": str(self.plan_file), "PYTHONPATH": str(BASE_DIR)}
        with log.open("w") as output:
            subprocess.run(
                command,
                cwd=BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                check=False,
                timeout=run_time + STOP_TIMEOUT + 120,
            )
        return log

    # After: the report, the check and the clean-up -----------------------------------------------

    def report(self, facts, plan, results, saved, problems, memory, elapsed) -> None:
        returns = {write.key for write in saved}
        people = results.people
        cache = f"Redis ({self.options.redis})" if self.options.redis else "each worker's memory"
        lines = [
            f"Run of {facts.pop('date')}, {elapsed / 60:.1f} minutes; cache: {cache}.",
            "",
            "| Machine and run | |",
            "| --- | --- |",
            *(f"| {name} | {value} |" for name, value in facts.items()),
            f"| server | gunicorn, {WORKERS} sync workers, DEBUG off, PostgreSQL on the same "
            "machine |",
            f"| load | locust {importlib.metadata.version('locust')} in a second process on "
            f"127.0.0.1: {self.options.users} users ({SPAWN_RATE} started a second), then "
            f"{self.options.seconds} s with all of them |",
            f"| people | officials: {people.get('Official', 0)}, as {plan['official']} "
            f"(Officials of {', '.join(plan['zones'])}: {plan['enterprises_in_scope']:,} "
            f"enterprises), 1–3 s between requests; reviewers: {people.get('Reviewer', 0)}, as "
            f"{plan['reviewer']}, 3–10 s between requests |",
            "",
            stats_table(results.pages),
            "",
            "p50, p95 and Max are what the simulated people waited, a free worker included; "
            "Server p50 and p95 are the time a gunicorn worker spent on the request (its access "
            "log).",
            "",
            f"Returns saved during the load: {len(saved):,} saves of {len(returns):,} returns "
            f"for {plan['year']}.",
        ]
        if problems:
            lines.append(f"**Not in the database as saved ({len(problems)}):**")
            lines += [f"- {problem}" for problem in problems[:20]]
        elif saved:
            lines.append(
                "Every one is in the database: each save is a row of its return's history, in "
                "order, and each return's row holds its last save."
            )
        lines += [
            "",
            "The workers' resident memory after the load (VmRSS), and at its peak (VmHWM): "
            + "; ".join(f"{now:.0f} MB ({peak:.0f} MB at the peak)" for now, peak in memory)
            + f" (at most {MEMORY_LIMIT_MB} MB).",
        ]
        failures = results.errors + results.exceptions
        if failures:
            lines += ["", "**Failures:**", *(f"- {failure}" for failure in failures[:20])]
        self.say("\n".join(lines))

    def delete_returns(self) -> None:
        """The returns the load official created (in this run or in one that stopped early) go,
        with their history, so that the data set stays as generated; --keep keeps them."""
        # A list, not a subquery: delete_rows deletes the history rows first.
        created = list(
            AnnualReturn.history.filter(
                history_user__username=OFFICIAL, history_type="+"
            ).values_list("id", flat=True)
        )
        deleted = synthetic.delete_rows(AnnualReturn.objects.filter(pk__in=created))
        self.say(f"\nDeleted the {deleted:,} returns the load saved (--keep keeps them).")
