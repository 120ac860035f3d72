"""Throughput and latency of one URL, measured from a second process: wrk when it is installed,
else this module run as a script (threads, one connection per request, like wrk against
gunicorn's sync workers, which close the connection after each response)."""

import argparse
import http.client
import json
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")


@dataclass(frozen=True)
class Throughput:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def measure(url: str, *, cookie: str, seconds: int, connections: int) -> Throughput:
    """Keeps `connections` requests in flight for `seconds`; bounded in time, loopback only."""
    if urlsplit(url).hostname != "127.0.0.1":
        raise ValueError(f"The benchmark only loads 127.0.0.1, not {url}")
    if shutil.which("wrk"):
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s"]
        command += ["-s", str(WRK_SCRIPT), *(["-H", f"Cookie: {cookie}"] if cookie else []), url]
    else:
        command = [sys.executable, __file__, url, f"--seconds={seconds}"]
        command += [f"--connections={connections}", f"--cookie={cookie}"]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 120
    ).stdout
    report = json.loads(next(line for line in output.splitlines() if line.startswith("BENCH "))[6:])
    return Throughput(
        requests=report["requests"],
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p95_ms=report["p95_us"] / 1000,
        errors=report["errors"],
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _client(url: str, cookie: str, seconds: int, connections: int) -> dict:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Cookie": cookie} if cookie else {}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work() -> None:
        while time.monotonic() < deadline:
            started = time.monotonic()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                failed = response.status >= 400
            except OSError:
                failed = True
            finally:
                connection.close()
            with lock:
                latencies.append(time.monotonic() - started)
                errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=work) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "requests": len(latencies),
        "duration_us": round((time.monotonic() - started) * 1e6),
        "p50_us": round(percentile(latencies, 0.50) * 1e6),
        "p95_us": round(percentile(latencies, 0.95) * 1e6),
        "errors": errors[0],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--cookie", default="")
    args = parser.parse_args()
    report = _client(args.url, args.cookie, args.seconds, args.connections)
    print("BENCH " + json.dumps(report))
