"""The benchmark's report: the table, the machine it ran on, the data set, the list's query
plans, and their place in docs/benchmarks.md."""

import datetime
import os
import platform
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import django
from django.db import connection

from reviews.sample_data import synthetic

from .environment import BASE_DIR
from .measure import PDF_SAMPLES
from .options import Options
from .pages import PDF
from .results import Result
from .writers import Writing

DOCS = BASE_DIR / "docs" / "benchmarks.md"
START = "<!-- bench:start (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"


def _cell(value: float | None, template: str) -> str:
    return "" if value is None else template.format(value)


def table(results: list[Result]) -> str:
    lines = [
        "| Page | As | First ms | Requests/s | p50 ms | p95 ms | p95 ms while writing "
        "| × /healthz | Time s | Peak MB | Target | Met |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        t = r.throughput
        met = {True: "yes", False: "**no**", None: ""}[r.met]
        ratio = "" if r.ratio is None else f"1/{1 / r.ratio:.1f}" if r.ratio else "0"
        lines.append(
            f"| {r.label}{f' ({r.note})' if r.note else ''} | {r.user} "
            f"| {_cell(r.first_ms, '{:.0f}')} | {_cell(t and t.per_second, '{:.1f}')} | {_cell(t and t.p50_ms, '{:.0f}')} "
            f"| {_cell(t and t.p95_ms, '{:.0f}')} | {_cell(r.writing and r.writing.p95_ms, '{:.0f}')} "
            f"| {ratio} | {_cell(r.seconds, '{:.2f}')} "
            f"| {_cell(r.megabytes, '{:.0f}')} | {r.target.describe()} | {met} |"
        )
    return "\n".join(lines)


def machine(*, load_at_start: tuple[float, float, float]) -> dict[str, str]:
    """What the run ran on, with the load average at its start and end: other work on the
    machine lowers every number."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPUs (nproc)": str(len(os.sched_getaffinity(0))),
        "CPU": model[1].strip() if model else platform.processor(),
        "memory": f"{int(memory[1]) / 1024 / 1024:.1f} GiB" if memory else "unknown",
        "PostgreSQL": postgres.split()[0],
        "Python / Django": f"{platform.python_version()} / {django.get_version()}",
        "load average (1, 5, 15 min), start / end": " / ".join(
            ", ".join(f"{value:.1f}" for value in load) for load in (load_at_start, os.getloadavg())
        ),
    }


def write_section(path: Path, section: str) -> None:
    """Replaces what lies between the markers (or appends it), keeping the rest of the page."""
    block = f"{START}\n{section.strip()}\n{END}"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def write_report(
    results: list[Result],
    plans: list[tuple[str, str, str]],
    *,
    options: Options,
    data_set_note: str,
    writing: Writing | None,
    elapsed: float,
    load_at_start: tuple[float, float, float],
    say: Callable[[str], None],
) -> None:
    """Prints the table and writes the whole report between the markers of docs/benchmarks.md,
    unless only some pages were measured."""
    results_table = table(results)
    say("\n" + results_table)
    facts = machine(load_at_start=load_at_start)
    counts = synthetic.existing_counts()
    lines = [
        f"Run of {facts['date']}, {elapsed / 60:.1f} minutes.",
        "",
        "| Machine | |",
        "| --- | --- |",
        *(f"| {name} | {value} |" for name, value in facts.items() if name != "date"),
        f"| load generator | {'wrk' if shutil.which('wrk') else 'bench/throughput.py'}, "
        f"{options.connections} connections, {options.seconds} s a page "
        "after 2 s of warm-up |",
        "| server | gunicorn, 2 sync workers, DEBUG off, PostgreSQL on the same machine |",
        f"| data set | {counts.zones:,} zones, {counts.enterprises:,} enterprises, "
        f"{counts.organisations:,} organisations, {counts.returns:,} returns, "
        f"{counts.ratings:,} ratings; {data_set_note} |",
        "",
        results_table,
        "",
        "First ms is the page's first request of the run, which computes what the page "
        "caches (as the first request after any write does). "
        "Requests/s, p50 and p95 come from the load generator (a second process on "
        "loopback); × /healthz is a page's throughput divided by /healthz's in this run. "
        "The PDF and Word rows are each the first request and "
        f"{PDF_SAMPLES} more one after another (2 when the first takes over {PDF.seconds:g} s); "
        "its time is the slowest. Exports and "
        "the import are single requests; their peak memory is the largest peak resident "
        "memory (VmHWM) of a gunicorn worker, reset just before. "
        "p95 while writing is the same load measured again while officials save returns "
        "(`writers.py`): " + (writing.describe() if writing else "not measured in this run."),
    ]
    for label, sql, plan in plans:
        lines += [
            "",
            f"<details><summary>EXPLAIN (ANALYZE, BUFFERS) of the enterprise list, {label}"
            "</summary>",
            "",
            "```sql",
            sql,
            "```",
            "",
            "```",
            plan,
            "```",
            "",
            "</details>",
        ]
    if options.only:
        say("\n--only: a partial run; docs/benchmarks.md is left as it was.")
        return
    write_section(DOCS, "\n".join(lines))
    say(f"\nWritten to {DOCS.relative_to(BASE_DIR)}.")
