"""`manage.py bench`: load the national-scale data set into PostgreSQL once, serve it with
gunicorn as in production, measure the main pages from a second process on loopback, and write
the table to docs/benchmarks.md.

The command re-runs itself with the benchmark's environment (database `coordination_bench`,
DEBUG off, bench.settings) so that everything below runs against that database."""

import io
import math
import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import Workbook

from coordination.roles import OFFICIALS, REVIEWERS
from enterprises.models import Enterprise, Zone
from reviews.models import AnnualReturn, ProgrammeReview
from reviews.sample_data import synthetic

from . import report
from .report import Result, Target
from .server import WORKERS, Gunicorn, Session, logged_in
from .throughput import Throughput, measure, percentile

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coordination_bench"
)
WORK_DIR = Path(settings.BASE_DIR) / ".bench"
DOCS = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
IMPORT_ROWS = 5000
# Synthetic tax codes never start with 99: the imported rows are found (and deleted) by it.
IMPORT_TAX_PREFIX = "99"
PDF_SAMPLES = 5  # 2 when one misses the target
SLOW = 1  # seconds a request from which a page is loaded with one connection per worker
LONGEST_RUN = 60  # seconds of load for the slowest page

LIST = Target(ratio=1 / 10)
DETAIL = Target(ratio=1 / 6)
SUMMARY = Target(ratio=1 / 20)
PDF = Target(seconds=2)
EXPORT = Target(seconds=15, megabytes=300)
IMPORT = Target(seconds=30)
NO_TARGET = Target()


@dataclass(frozen=True)
class Options:
    scale: synthetic.Scale
    seconds: int
    connections: int
    reload: bool
    only: frozenset[str]


@dataclass(frozen=True)
class Personas:
    reviewer: AbstractBaseUser
    official: AbstractBaseUser
    zone: Zone  # the official's
    device: TOTPDevice  # the reviewer's second factor
    password: str


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    user: str  # anonymous, reviewer or official
    url_name: str
    args: tuple = ()
    query: str = ""
    kind: str = "load"  # load, latency, download or upload
    target: Target = NO_TARGET


def main(options: Options, write) -> None:
    if os.environ.get("DJANGO_SETTINGS_MODULE") != "bench.settings":
        relaunch()
    else:
        Benchmark(options, write).run()


# The outer run: the database and the environment ------------------------------------------------


def relaunch(command: str = "bench", work_dir: Path = WORK_DIR) -> None:
    """Creates the benchmark database if it is missing and runs the management command (this
    one, or `load`) again inside the benchmark's environment."""
    url = urlsplit(BENCH_DATABASE_URL)
    name = url.path.lstrip("/")
    try:
        with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL is not reachable at {BENCH_DATABASE_URL}: {error}") from error
    work_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": BENCH_DATABASE_URL,
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "SESSION_COOKIE_SECURE": "off",
        "CSRF_COOKIE_SECURE": "off",
        "SECURE_HSTS_SECONDS": "0",
        "BENCH_STATIC_ROOT": str(work_dir / "static"),
        "PYTHONUNBUFFERED": "1",
    }
    argv = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), command, *sys.argv[2:]]
    raise SystemExit(subprocess.run(argv, env=env, check=False).returncode)


# The inner run ----------------------------------------------------------------------------------


class Benchmark:
    def __init__(self, options: Options, write) -> None:
        self.options = options
        self.say = write
        self.years = options.scale.years

    def run(self) -> None:
        started, load_at_start = time.monotonic(), os.getloadavg()
        self.say(f"Migrating {connection.settings_dict['NAME']} …")
        call_command("migrate", interactive=False, verbosity=0)
        load_note = self.ensure_data()
        call_command("collectstatic", interactive=False, clear=True, verbosity=0)
        self.personas = self.create_personas()
        pages = self.pages()
        with Gunicorn(
            base_dir=Path(settings.BASE_DIR), env=dict(os.environ), log=WORK_DIR / "gunicorn.log"
        ) as server:
            sessions = {
                "anonymous": Session(server.base_url),
                **{role: self.log_in(server.base_url, role) for role in ("reviewer", "official")},
            }
            results = []
            for page in pages:
                self.say(f"  {page.label} …")
                try:
                    results.append(self.measure(page, sessions[page.user], server))
                except OSError as error:  # no answer within the request timeout
                    results.append(
                        Result(page.label, page.user, page.target, note=f"no answer: {error!r}")
                    )
                self.say(f"    {self.summary(results[-1])}")
        self.add_ratios(results)
        plans = self.explain_list()
        self.write(results, plans, load_note, time.monotonic() - started, load_at_start)

    # Data ---------------------------------------------------------------------------------------

    def ensure_data(self) -> str:
        """Reuses the data set when its counts match the requested scale."""
        scale = self.options.scale
        present = synthetic.existing_counts()
        if (
            not self.options.reload
            and present.enterprises == scale.enterprises
            and present.zones == scale.zones
        ):
            self.say(f"Reusing the data set ({present.enterprises:,} enterprises).")
            return "reused (loaded by an earlier run; `manage.py bench --reload` reloads it)"
        self.say("Loading the data set (generate_data) …")
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

    def create_personas(self) -> Personas:
        """A reviewer (with a TOTP device, since reviewers log in with two factors) and an
        official of the economic zone with the most enterprises; a new password each run."""
        password = secrets.token_urlsafe(18)
        zone = (
            synthetic.synthetic_zones()
            .filter(kind=Zone.Kind.ECONOMIC_ZONE)
            .annotate(enterprise_count=Count("children__enterprises"))
            .order_by("-enterprise_count", "pk")
            .first()
        )
        users = {}
        for group, username in ((REVIEWERS, "bench_reviewer"), (OFFICIALS, "bench_official")):
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group)])
            users[group] = user
        users[OFFICIALS].official_zones.set([zone])
        device, _ = TOTPDevice.objects.get_or_create(
            user=users[REVIEWERS], name="bench", defaults={"confirmed": True}
        )
        device.last_t = -1  # a code of the last 30 seconds may log in again
        device.save()
        return Personas(users[REVIEWERS], users[OFFICIALS], zone, device, password)

    def log_in(self, base_url: str, role: str) -> Session:
        personas = self.personas
        user = personas.reviewer if role == "reviewer" else personas.official
        session = logged_in(base_url, user.username, personas.password)
        if role == "reviewer":
            device = personas.device
            code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
            response = session.post_form(
                reverse("two_factor_verify"), {"token": f"{code:0{device.digits}d}"}
            )
            if response.status != 302:
                raise RuntimeError(f"The second factor was refused (HTTP {response.status})")
        return session

    # What is measured ---------------------------------------------------------------------------

    def pages(self) -> list[Page]:
        last = self.years[-1]
        enterprise = (
            Enterprise.objects.filter(
                zone__parent=self.personas.zone,
                returns__year=last,
                returns__status__in=[AnnualReturn.Status.DRAFT, AnnualReturn.Status.RETURNED],
            )
            .annotate(organisation_count=Count("organisations"))
            .order_by("-organisation_count", "pk")
            .first()
        )
        reviews = ProgrammeReview.objects.order_by("-pk")
        # a draft review prints from live figures: the costly case
        review = reviews.filter(status=ProgrammeReview.Status.DRAFT).first() or reviews.first()
        review_args = (review.pk if review else None,)
        filtered = urlencode(
            {"zone": self.personas.zone.pk, "ownership": "fdi", "trade_union": "no", "year": last}
        )
        pages = [
            Page("healthz", "/healthz", "anonymous", "healthz"),
            Page("list", "enterprise list, first page", "reviewer", "enterprise_list", target=LIST),
            Page(
                "list-filtered",
                "enterprise list, filtered",
                "reviewer",
                "enterprise_list",
                query=filtered,
                target=LIST,
            ),
            Page(
                "list-deep",
                "enterprise list, sorted deep page",
                "reviewer",
                "enterprise_list",
                query="sort=name&page=500",
                target=LIST,
            ),
            Page(
                "list-search",
                "enterprise list, search without diacritics",
                "reviewer",
                "enterprise_list",
                query="q=dien+tu",
                target=LIST,
            ),
            Page(
                "list-official",
                "enterprise list, an official's zone",
                "official",
                "enterprise_list",
                target=LIST,
            ),
            Page(
                "enterprise",
                "enterprise page",
                "official",
                "enterprise_detail",
                (enterprise.pk,),
                target=DETAIL,
            ),
            Page(
                "return",
                "return form",
                "official",
                "return_edit",
                (enterprise.pk, last),
                target=DETAIL,
            ),
            Page("dashboard", "dashboard", "reviewer", "dashboard", target=SUMMARY),
            Page("dashboard-official", "dashboard", "official", "dashboard", target=SUMMARY),
            Page("gaps", "gap lists", "reviewer", "gaps", target=SUMMARY),
            Page(
                "report",
                "review print view",
                "reviewer",
                "review_report",
                review_args,
                target=SUMMARY,
            ),
            Page(
                "pdf",
                "review PDF",
                "reviewer",
                "review_report_pdf",
                review_args,
                kind="latency",
                target=PDF,
            ),
            Page(
                "export-csv",
                "export of all enterprises, CSV",
                "reviewer",
                "enterprise_list",
                query="_export=csv",
                kind="download",
                target=EXPORT,
            ),
            Page(
                "export-xlsx",
                "export of all enterprises, XLSX",
                "reviewer",
                "enterprise_list",
                query="_export=xlsx",
                kind="download",
                target=EXPORT,
            ),
            Page(
                "import",
                f"import of {IMPORT_ROWS:,} rows (XLSX)",
                "official",
                "enterprise_import",
                kind="upload",
                target=IMPORT,
            ),
        ]
        only = self.options.only
        return [p for p in pages if not only or p.key in only or p.key == "healthz"]

    def measure(self, page: Page, session: Session, server: Gunicorn) -> Result:
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
            return self.measure_import(result, session, server)
        probe = session.get(result.path, keep_body=False)
        result.first_ms = probe.seconds * 1000
        if page.kind == "load" and probe.status == 200:
            probe = session.get(result.path, keep_body=False)  # the first one warmed a worker
        self.say(
            f"    one request: HTTP {probe.status}, {probe.seconds:.2f} s, {probe.size:,} bytes"
        )
        if probe.status != 200:
            result.note = f"HTTP {probe.status}"
            return result
        if page.kind == "load":
            result.throughput = self.load(server.base_url + result.path, session, probe.seconds)
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

    def load(self, url: str, session: Session, probe_seconds: float) -> Throughput:
        """After a warm-up, load for --seconds with --connections; a page slower than SLOW
        seconds gets one connection per worker (more would only queue) and a run long enough
        for a few requests to finish."""
        cookie, seconds = session.cookie_header, self.options.seconds
        if probe_seconds >= SLOW:
            seconds = min(LONGEST_RUN, max(seconds, math.ceil(4 * probe_seconds)))
            return measure(url, cookie=cookie, seconds=seconds, connections=WORKERS)
        connections = self.options.connections
        measure(url, cookie=cookie, seconds=2, connections=connections)  # warms both workers
        return measure(url, cookie=cookie, seconds=seconds, connections=connections)

    def measure_import(self, result: Result, session: Session, server: Gunicorn) -> Result:
        """Uploads 5,000 new enterprises into a park of the official's zone, confirms the
        preview, and deletes them again so the data set stays as generated."""
        park = self.personas.zone.children.order_by("pk").first()
        spreadsheet = self.import_file()
        measured = server.reset_peak_memory()
        try:
            started = time.monotonic()
            preview = session.post_multipart(
                result.path,
                {"zone": str(park.pk)},
                {"file": ("bench-import.xlsx", spreadsheet)},
            )
            token = Session.hidden_value(preview.body, "token")
            if preview.status != 200 or not token:
                result.note = f"preview: HTTP {preview.status} after {preview.seconds:.0f} s"
                return result
            confirmed = session.post_form(result.path, {"token": token})
            result.seconds = time.monotonic() - started
            result.megabytes = server.peak_memory_mb() if measured else None
            imported = Enterprise.objects.filter(tax_code__startswith=IMPORT_TAX_PREFIX).count()
            result.note = f"preview {preview.seconds:.1f} s; {imported:,} created"
            if confirmed.status != 302 or imported != IMPORT_ROWS:
                result.note += f"; confirmation: HTTP {confirmed.status}"
        finally:
            synthetic.delete_rows(Enterprise.objects.filter(tax_code__startswith=IMPORT_TAX_PREFIX))
        return result

    @staticmethod
    def import_file() -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Enterprises")
        sheet.append(["id", "tax_code", "name", "ownership", "sector", "status", "founded_on"])
        for number in range(IMPORT_ROWS):
            sheet.append(
                [
                    None,
                    f"{IMPORT_TAX_PREFIX}{number:08d}",
                    f"Công ty TNHH Nhập liệu Số {number + 1}",
                    "private",
                    "Cơ khí",
                    "operating",
                    "2020-01-15",
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def add_ratios(results: list[Result]) -> None:
        healthz = results[0].throughput
        for result in results:
            if result.throughput and healthz and result.target.ratio is not None:
                result.ratio = result.throughput.per_second / healthz.per_second
        if healthz:
            results[0].ratio = 1.0

    @staticmethod
    def summary(result: Result) -> str:
        if result.note and not (result.throughput or result.seconds):
            return result.note
        if result.throughput and result.seconds is None:
            t = result.throughput
            return f"{t.per_second:.1f}/s, p50 {t.p50_ms:.0f} ms, p95 {t.p95_ms:.0f} ms"
        memory = f", peak {result.megabytes:.0f} MB" if result.megabytes else ""
        return f"{result.seconds:.2f} s{memory} {result.note}"

    # The list's main query ----------------------------------------------------------------------

    def explain_list(self) -> list[tuple[str, str, str]]:
        """EXPLAIN (ANALYZE, BUFFERS) of the list's main queries (the page of rows and the
        count), as the view runs them for the reviewer: captured, not rewritten here."""
        cache.clear()  # the list's queries run only when its page is not cached
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(self.personas.reviewer)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = self.personas.device.persistent_id
        session.save()
        variants = (
            ("first page", ""),
            ("search", "q=dien+tu"),
            ("deep page", "sort=name&page=500"),
        )
        plans = []
        for label, query in variants:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse("enterprise_list"), QUERY_STRING=query)
            if response.status_code != 200:
                continue
            listing = [q["sql"] for q in captured if 'FROM "enterprises_enterprise"' in q["sql"]]
            rows = [sql for sql in listing if " LIMIT " in sql]
            counts = [sql for sql in listing if "COUNT(" in sql]
            for part, sql in (("rows", rows[:1]), ("count", counts[:1])):
                if not sql:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql[0])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                title = f"{label}{f' (?{query})' if query else ''}, {part}"
                plans.append((title, sql[0], plan))
                self.say(f"\nEXPLAIN (ANALYZE, BUFFERS), enterprise list, {title}:\n{plan}")
        return plans

    # The report ---------------------------------------------------------------------------------

    def write(
        self, results: list[Result], plans, load_note: str, elapsed: float, load_at_start
    ) -> None:
        table = report.table(results)
        self.say("\n" + table)
        machine = report.machine(load_at_start=load_at_start)
        counts = synthetic.existing_counts()
        lines = [
            f"Run of {machine['date']}, {elapsed / 60:.1f} minutes.",
            "",
            "| Machine | |",
            "| --- | --- |",
            *(f"| {name} | {value} |" for name, value in machine.items() if name != "date"),
            f"| load generator | {'wrk' if shutil.which('wrk') else 'bench/throughput.py'}, "
            f"{self.options.connections} connections, {self.options.seconds} s a page "
            "after 2 s of warm-up |",
            "| server | gunicorn, 2 sync workers, DEBUG off, PostgreSQL on the same machine |",
            f"| data set | {counts.zones:,} zones, {counts.enterprises:,} enterprises, "
            f"{counts.organisations:,} organisations, {counts.returns:,} returns, "
            f"{counts.ratings:,} ratings; {load_note} |",
            "",
            table,
            "",
            "First ms is the page's first request of the run, which computes what the page "
            "caches (as the first request after any write does). "
            "Requests/s, p50 and p95 come from the load generator (a second process on "
            "loopback); × /healthz is a page's throughput divided by /healthz's in this run. "
            "The PDF row is the first request and "
            f"{PDF_SAMPLES} more one after another (2 when the first takes over {PDF.seconds:g} s); "
            "its time is the slowest. Exports and "
            "the import are single requests; their peak memory is the largest peak resident "
            "memory (VmHWM) of a gunicorn worker, reset just before.",
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
        if self.options.only:
            self.say("\n--only: a partial run; docs/benchmarks.md is left as it was.")
            return
        report.write_section(DOCS, "\n".join(lines))
        self.say(f"\nWritten to {DOCS.relative_to(settings.BASE_DIR)}.")
