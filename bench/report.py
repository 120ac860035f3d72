"""The benchmark's table, the machine it ran on, and their place in docs/benchmarks.md."""

import datetime
import os
import platform
import re
from dataclasses import dataclass
from pathlib import Path

import django
from django.db import connection

from .throughput import Throughput

START = "<!-- bench:start (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"


@dataclass(frozen=True)
class Target:
    """A page's budget: throughput as a share of /healthz's, or a time and a peak memory."""

    ratio: float | None = None
    seconds: float | None = None
    megabytes: float | None = None

    def describe(self) -> str:
        parts = []
        if self.ratio:
            parts.append(f"≥ 1/{round(1 / self.ratio)}")
        if self.seconds:
            parts.append(f"< {self.seconds:g} s")
        if self.megabytes:
            parts.append(f"< {self.megabytes:g} MB")
        return ", ".join(parts)


@dataclass
class Result:
    label: str
    user: str
    target: Target
    path: str = ""
    note: str = ""
    throughput: Throughput | None = None
    ratio: float | None = None
    seconds: float | None = None
    megabytes: float | None = None
    first_ms: float | None = None
    """The page's first request of the run: its cached parts computed afresh, as after a write."""

    @property
    def met(self) -> bool | None:
        checks = []
        if self.target.ratio is not None and self.ratio is not None:
            checks.append(self.ratio >= self.target.ratio)
        if self.target.seconds is not None and self.seconds is not None:
            checks.append(self.seconds < self.target.seconds)
        if self.target.megabytes is not None and self.megabytes is not None:
            checks.append(self.megabytes < self.target.megabytes)
        return all(checks) if checks else None


def _cell(value: float | None, template: str) -> str:
    return "" if value is None else template.format(value)


def table(results: list[Result]) -> str:
    lines = [
        "| Page | As | First ms | Requests/s | p50 ms | p95 ms | × /healthz | Time s | Peak MB "
        "| Target | Met |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        t = r.throughput
        met = {True: "yes", False: "**no**", None: ""}[r.met]
        ratio = "" if r.ratio is None else f"1/{1 / r.ratio:.1f}" if r.ratio else "0"
        lines.append(
            f"| {r.label}{f' ({r.note})' if r.note else ''} | {r.user} "
            f"| {_cell(r.first_ms, '{:.0f}')} | {_cell(t and t.per_second, '{:.1f}')} | {_cell(t and t.p50_ms, '{:.0f}')} "
            f"| {_cell(t and t.p95_ms, '{:.0f}')} | {ratio} | {_cell(r.seconds, '{:.2f}')} "
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
