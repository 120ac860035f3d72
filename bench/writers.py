"""Officials saving returns while the pages are measured a second time (the table's "while
writing" column): WRITERS threads, each logged in as `bench_writer` (an official of the
WRITER_ZONES largest economic zones, two writers a zone), save this year's return of one of
their zone's enterprises in turn, together about SAVES_PER_SECOND a second, as officials do in the
returns season; meanwhile a thread samples PostgreSQL's lock waits, to show whether saves wait
on each other. The returns they made go afterwards, with their history."""

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from coordination.roles import OFFICIALS
from load.writes import random_figures
from reviews.models import AnnualReturn
from reviews.sample_data import synthetic

from .personas import largest_economic_zones, person, startable_returns
from .server import Session, logged_in

WRITERS = 8
WRITER_ZONES = 4
SAVES_PER_SECOND = 5
SAMPLE_SECONDS = 0.05
WRITER = "bench_writer"

LOCK_WAITS = """
    SELECT count(*), coalesce(string_agg(DISTINCT l.locktype || ' ' ||
        coalesce(l.relation::regclass::text, ''), ', '), '')
    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE NOT l.granted AND a.datname = current_database()
"""
"""Backends of this database waiting for a lock, and on what (a table, a row, a transaction)."""


@dataclass
class Writing:
    """What the writers did (`counts`: saves, failures, lock samples and those in which a
    backend waited) and what saves waited on."""

    seconds: float = 0.0
    counts: Counter = field(default_factory=Counter)
    most_waiting: int = 0
    waited_on: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        count = self.counts
        rate = count["saves"] / self.seconds if self.seconds else 0.0
        on = ", ".join(f"{what} ({n})" for what, n in self.waited_on.most_common(4)) or "nothing"
        return (
            f"{WRITERS} officials in {WRITER_ZONES} zones saved {count['saves']:,} returns in "
            f"{self.seconds:.0f} s ({rate:.1f} a second; {count['failures']} refused or failed). "
            f"PostgreSQL's locks, sampled every {SAMPLE_SECONDS * 1000:.0f} ms: a backend "
            f"waited in {count['waiting']:,} of {count['samples']:,} samples (at most "
            f"{self.most_waiting} at once), on {on}."
        )


class Writers:
    """`with Writers(base_url, password) as writing:` saves returns until the block ends."""

    def __init__(self, base_url: str, password: str):
        self.base_url, self.password = base_url, password
        self.year = timezone.localdate().year
        self.writing = Writing()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> Writing:
        queues = self._enterprises_to_write()
        self.started = time.monotonic()
        for number, queue in enumerate(queues):
            session = logged_in(self.base_url, WRITER, self.password)
            self._start(self._write, session, queue, random.Random(number))
        self._start(self._sample_locks)
        return self.writing

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()
        self.writing.seconds = time.monotonic() - self.started
        delete_written_returns()

    def _start(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _enterprises_to_write(self) -> list[list[int]]:
        """The writer official, and for each writer the enterprises of its zone whose return of
        the year it may start (none exists yet, so every save is a writer's own)."""
        writer = person(WRITER, OFFICIALS, self.password)
        zones = list(largest_economic_zones()[:WRITER_ZONES].values_list("pk", flat=True))
        writer.official_zones.set(zones)
        per_zone = WRITERS // len(zones)
        startable = {zone: startable_returns(writer, self.year, {zone}) for zone in zones}
        return [
            startable[zones[number % len(zones)]][number // len(zones) :: per_zone]
            for number in range(WRITERS)
        ]

    def _write(self, session: Session, queue: list[int], rng: random.Random) -> None:
        """Opens a return form, reads its token and version, saves valid figures; paced so that
        the writers together save about SAVES_PER_SECOND a second."""
        interval, due = WRITERS / SAVES_PER_SECOND, time.monotonic()
        while queue and not self.stop.is_set():
            path = reverse("return_edit", args=[queue.pop(), self.year])
            form = session.get(path)
            fields = {
                **random_figures(rng),
                "explanation": "",
                "seen_version": Session.hidden_value(form.body, "seen_version"),
                "action": "save",
                "csrfmiddlewaretoken": Session.hidden_value(form.body, "csrfmiddlewaretoken"),
            }
            saved = session.request(
                "POST",
                path,
                body=urlencode(fields).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            with self.lock:
                self.writing.counts["saves" if saved.status == 302 else "failures"] += 1
            due += interval
            self.stop.wait(max(0.0, due - time.monotonic()))

    def _sample_locks(self) -> None:
        try:
            with connection.cursor() as cursor:
                while not self.stop.wait(SAMPLE_SECONDS):
                    cursor.execute(LOCK_WAITS)
                    waiting, on = cursor.fetchone()
                    w = self.writing
                    w.counts["samples"] += 1
                    if waiting:
                        w.counts["waiting"] += 1
                        w.most_waiting = max(w.most_waiting, waiting)
                        w.waited_on.update(filter(None, (x.strip() for x in on.split(","))))
        finally:
            connection.close()  # this thread's own connection


def delete_written_returns() -> int:
    """The returns the writer created (in this run or one that stopped early), with their
    history, so that the data set stays as generated."""
    # A list, not a subquery: delete_rows deletes the history rows first.
    created = list(
        AnnualReturn.history.filter(history_user__username=WRITER, history_type="+").values_list(
            "id", flat=True
        )
    )
    return synthetic.delete_rows(AnnualReturn.objects.filter(pk__in=created))
