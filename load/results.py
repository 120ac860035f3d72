"""What a load run left behind, read after it: locust's statistics by page, the time gunicorn's
workers spent on each (from the access log), what else the server logged, the verdict, and the
table."""

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.throughput import percentile

from . import writes

# gunicorn's access log line for each request, with the time the worker spent on it (µs)
ACCESS_LOG_FORMAT = 'LOAD "%(r)s" %(s)s %(D)s'
ACCESS_LOG_LINE = re.compile(r'LOAD "(?P<method>[A-Z]+) (?P<path>[^ ?]*)[^"]*" \d+ (?P<us>\d+)')
# The locustfile's page names by method and path
ROUTES = (
    ("GET", r"/accounts/login/", "login page"),
    ("POST", r"/accounts/login/", "log in"),
    ("GET", r"/enterprises/", "enterprise list"),
    ("GET", r"/enterprises/\d+/", "enterprise page"),
    ("GET", r"/enterprises/\d+/returns/\d+/", "return form"),
    ("POST", r"/enterprises/\d+/returns/\d+/", "return save"),
    ("GET", r"/", "dashboard"),
    ("GET", r"/reviews/\d+/report/", "review report"),
    ("GET", r"/reviews/\d+/report\.pdf", "review PDF"),
)
TOTAL = "Aggregated"  # locust's name for all requests together
PAGES = (
    "login page",
    "log in",
    "enterprise list",
    "enterprise page",
    "return form",
    "return save",
    "dashboard",
    "review report",
    "review PDF",
)


@dataclass(frozen=True)
class PageStats:
    name: str
    requests: int
    failures: int
    per_second: float
    p50_ms: int
    p95_ms: int
    max_ms: int
    # the time in a gunicorn worker, without the wait for a free one (from its access log)
    server_p50_ms: int | None = None
    server_p95_ms: int | None = None


@dataclass(frozen=True)
class Results:
    people: dict[str, int]  # simulated people by kind (Official, Reviewer)
    pages: list[PageStats]
    errors: list[str]  # failed requests, by page and error
    exceptions: list[str]  # raised in the locustfile

    @property
    def total(self) -> PageStats | None:
        return next((page for page in self.pages if page.name == TOTAL), None)


def read_results(path: Path, server: dict[str, tuple[int, int]]) -> Results:
    """What the locustfile wrote when it quit: statistics by page (in the order of PAGES, the
    total last, with the server's times by page), failed requests and exceptions."""
    if not path.exists():
        return Results(people={}, pages=[], errors=[], exceptions=[])
    written = json.loads(path.read_text())
    pages = {}
    for page in written["pages"]:
        p50, p95 = server.get(page["name"], (None, None))
        pages[page["name"]] = PageStats(**page, server_p50_ms=p50, server_p95_ms=p95)
    order = [name for name in PAGES if name in pages]
    order += sorted(name for name in pages if name not in PAGES and name != TOTAL)
    order += [TOTAL] if TOTAL in pages else []
    return Results(
        people=written["people"],
        pages=[pages[name] for name in order],
        errors=written["errors"],
        exceptions=[f"exception in the locustfile: {message}" for message in written["exceptions"]],
    )


def server_times(log: Path) -> dict[str, tuple[int, int]]:
    """p50 and p95 (ms) of the time gunicorn's workers spent on each page, and on all of them,
    from the access log lines in ACCESS_LOG_FORMAT."""
    times: dict[str, list[float]] = {}
    lines = log.read_text().splitlines() if log.exists() else []
    for match in filter(None, map(ACCESS_LOG_LINE.match, lines)):
        page = page_of(match["method"], match["path"])
        milliseconds = int(match["us"]) / 1000
        for name in (page, TOTAL) if page else (TOTAL,):
            times.setdefault(name, []).append(milliseconds)
    return {
        name: (round(percentile(values, 0.50)), round(percentile(values, 0.95)))
        for name, values in times.items()
    }


def server_complaints(log: Path) -> list[str]:
    """What gunicorn and the app logged besides requests and gunicorn's own [INFO] lines
    (warnings, errors), each once with how often; not failures, but worth reading."""
    lines = log.read_text().splitlines() if log.exists() else []
    counts = Counter(
        line for line in lines if not ACCESS_LOG_LINE.match(line) and "[INFO]" not in line
    )
    return [f"{line} (×{count})" for line, count in counts.most_common()]


def page_of(method: str, path: str) -> str | None:
    for route_method, pattern, name in ROUTES:
        if method == route_method and re.fullmatch(pattern, path):
            return name
    return None


MEMORY_LIMIT_MB = 300
"""A worker's resident memory after the load, at most (docs/load.md)."""


def verdict(
    results: Results,
    saved: list[writes.Write],
    problems: list[str],
    memory: list[tuple[float, float]],
) -> list[str]:
    """Why the run failed, or nothing: it made requests and saved returns, no request failed,
    the locustfile raised nothing, every save is in the database, and no worker's resident
    memory (now, peak) ended above MEMORY_LIMIT_MB."""
    total = results.total
    reasons = []
    if total is None or not total.requests:
        reasons.append("no request was made")
    elif total.failures:
        reasons.append(f"{total.failures:,} of {total.requests:,} requests failed")
    if results.exceptions:
        reasons.append(f"exceptions in the locustfile: {len(results.exceptions)}")
    if not saved:
        reasons.append("no return was saved")
    if problems:
        reasons.append(f"returns not in the database as saved: {len(problems):,}")
    if any(now > MEMORY_LIMIT_MB for now, _ in memory):
        reasons.append(f"a worker's resident memory ended above {MEMORY_LIMIT_MB} MB")
    return reasons


def stats_table(pages: list[PageStats]) -> str:
    lines = [
        "| Page | Requests | Failures | Requests/s | p50 ms | p95 ms | Max ms "
        "| Server p50 ms | Server p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in pages:
        name = "**all pages**" if page.name == TOTAL else page.name
        server = (
            f"{ms:,}" if ms is not None else "" for ms in (page.server_p50_ms, page.server_p95_ms)
        )
        lines.append(
            f"| {name} | {page.requests:,} | {page.failures:,} | {page.per_second:.1f} "
            f"| {page.p50_ms:,} | {page.p95_ms:,} | {page.max_ms:,} | {' | '.join(server)} |"
        )
    return "\n".join(lines)
