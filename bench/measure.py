"""Measuring a page on the running server: a first request (which computes what the page caches),
then throughput under load, a few requests one after another (the PDF), a download's time and
peak memory, or the import; and each throughput as a ratio to /healthz's."""

import math
from collections.abc import Callable

from django.urls import NoReverseMatch, reverse

from enterprises.models import Zone

from .bulk import measure_bulk_accept
from .options import Options
from .pages import PDF, Page
from .results import Result
from .server import WORKERS, Gunicorn, Session
from .throughput import Throughput, measure, percentile
from .upload import measure_import

PDF_SAMPLES = 5  # 2 when one misses the target
SLOW = 1  # seconds a request from which a page is loaded with one connection per worker
LONGEST_RUN = 60  # seconds of load for the slowest page


def measure_page(
    page: Page,
    session: Session,
    server: Gunicorn,
    *,
    options: Options,
    zone: Zone,
    say: Callable[[str], None],
) -> Result:
    """The page's result; `zone` is the official's, into a park of which the import goes."""
    result = Result(page.label, page.user, page.target)
    if None in page.args:
        result.note = "nothing of the kind in the data"
        return result
    try:
        path = reverse(page.url_name, args=page.args)
    except NoReverseMatch:
        result.note = "not built"
        return result
    result.path = path + (f"?{page.query}" if page.query else "")
    if page.kind == "upload":
        return measure_import(result, session, server, zone)
    if page.kind == "bulk":
        return measure_bulk_accept(result, session, server, page.year)
    probe = session.get(result.path, keep_body=False)
    result.first_ms = probe.seconds * 1000
    if page.kind == "throughput" and probe.status == 200:
        probe = session.get(result.path, keep_body=False)  # the first one warmed a worker
    say(f"    one request: HTTP {probe.status}, {probe.seconds:.2f} s, {probe.size:,} bytes")
    if probe.status != 200:
        result.refuse(f"HTTP {probe.status}")
        return result
    if page.kind == "throughput":
        url = server.base_url + result.path
        result.throughput = under_load(url, session, probe.seconds, options)
        if result.throughput.errors:
            result.note = f"{result.throughput.errors} errors"
        if probe.seconds >= SLOW:
            result.note = f"{WORKERS} connections, {result.throughput.requests} requests"
    elif page.kind == "latency":
        samples = PDF_SAMPLES if probe.seconds < PDF.seconds else 2
        # the first request counts too: later ones may come from the cache
        times = [probe.seconds, *(session.get(result.path).seconds for _ in range(samples))]
        result.throughput = Throughput(
            requests=len(times),
            seconds=sum(times),
            p50_ms=percentile(times, 0.5) * 1000,
            p95_ms=max(times) * 1000,
            errors=0,
        )
        result.seconds = max(times)
    else:
        measured = server.reset_peak_memory()
        download = session.get(result.path, keep_body=False)
        result.seconds = download.seconds
        result.megabytes = server.peak_memory_mb() if measured else None
        result.note = f"{download.size / 1e6:.1f} MB file"
    return result


def under_load(url: str, session: Session, probe_seconds: float, options: Options) -> Throughput:
    """After a warm-up, load for --seconds with --connections; a page slower than SLOW
    seconds gets one connection per worker (more would only queue) and a run long enough
    for a few requests to finish."""
    cookie, seconds = session.cookie_header, options.seconds
    if probe_seconds >= SLOW:
        seconds = min(LONGEST_RUN, max(seconds, math.ceil(4 * probe_seconds)))
        return measure(url, cookie=cookie, seconds=seconds, connections=WORKERS)
    connections = options.connections
    measure(url, cookie=cookie, seconds=2, connections=connections)  # warms both workers
    return measure(url, cookie=cookie, seconds=seconds, connections=connections)


def measure_while_writing(result: Result, session: Session, server: Gunicorn, options: Options):
    """The page's load again, while officials save returns (writers.py): the first request
    after a write included, since every save lands in the middle of it."""
    probe_seconds = result.throughput.p50_ms / 1000
    result.writing = under_load(server.base_url + result.path, session, probe_seconds, options)


def add_ratios(results: list[Result]) -> None:
    """Each throughput as a share of /healthz's (the first result)."""
    healthz = results[0].throughput
    for result in results:
        if result.throughput and healthz and result.target.ratio is not None:
            result.ratio = result.throughput.per_second / healthz.per_second
    if healthz:
        results[0].ratio = 1.0


def summary(result: Result) -> str:
    """One line of what was measured, printed as the run goes."""
    if result.note and not (result.throughput or result.seconds):
        return result.note
    if result.throughput and result.seconds is None:
        t = result.throughput
        return f"{t.per_second:.1f}/s, p50 {t.p50_ms:.0f} ms, p95 {t.p95_ms:.0f} ms"
    memory = f", peak {result.megabytes:.0f} MB" if result.megabytes else ""
    return f"{result.seconds:.2f} s{memory} {result.note}"
