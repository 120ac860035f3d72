"""The simulated people of `make load`, run by locust in a process of its own against gunicorn on
127.0.0.1: officials read their zones' enterprise list and enterprise pages and enter returns;
reviewers read the dashboard and print the review's report (now and then as a PDF).

`python -m load` writes the plan (users, password, enterprises, year, review) to the JSON file
named by LOAD_PLAN and reads back the returns saved, one JSON line each, from its `writes` file,
and the statistics from its `results` file. Each official takes the enterprises it writes from a
shared pool, so no two officials write the same return and every confirmed save must be in the
database afterwards."""

import json
import os
import random
import re
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task
from locust.clients import ResponseContextManager

from load import writes

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
WRITES = Path(PLAN["writes"])
# Returns nobody has taken yet; each official keeps the ones it took.
UNTAKEN = deque(PLAN["enterprises_to_write"])
LIST_QUERIES = (
    "",
    "?page=3",
    "?q=dien+tu",
    "?return_status=missing",
    "?ownership=fdi&trade_union=no",
)
EDIT_SHARE = 0.3  # of return entries, the share that changes a return the official saved before
PEOPLE: dict[str, int] = {}  # simulated people by kind, once all have started


@events.quitting.add_listener
def _write_results(environment, **kwargs) -> None:
    """The final statistics by page and the failures, for `python -m load` to print: written
    when locust quits, after every user has stopped."""
    stats = environment.stats
    pages = [*sorted(stats.entries.values(), key=lambda entry: entry.name), stats.total]
    results = {
        "people": PEOPLE,
        "pages": [
            {
                "name": entry.name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "per_second": entry.total_rps,
                "p50_ms": entry.get_response_time_percentile(0.50),
                "p95_ms": entry.get_response_time_percentile(0.95),
                "max_ms": round(entry.max_response_time),
            }
            for entry in pages
        ],
        "errors": [
            f"{error.name}: {error.error} (×{error.occurrences})" for error in stats.errors.values()
        ],
        "exceptions": [
            f"{row['msg']} (×{row['count']})" for row in environment.runner.exceptions.values()
        ],
    }
    Path(PLAN["results"]).write_text(json.dumps(results))


@events.test_start.add_listener
def _loopback_only(environment, **kwargs) -> None:
    if urlsplit(environment.host).hostname != "127.0.0.1":
        raise SystemExit(f"The load test only targets 127.0.0.1, not {environment.host}")

    @events.spawning_complete.add_listener
    def _count_people(user_count: int, **kwargs) -> None:
        PEOPLE.update(environment.runner.user_classes_count)


def hidden_value(html: str, name: str) -> str:
    """The value of a form's input with this name, or "" (a new return has no version yet)."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match[1] if match else ""


def expect_page(response: ResponseContextManager, content_type: str = "text/html") -> None:
    """A 200 with the expected content; a redirect (to the login page, say) is a failure."""
    if response.status_code != 200:
        response.failure(f"HTTP {response.status_code}")
    elif not response.headers.get("Content-Type", "").startswith(content_type):
        response.failure(f"{response.headers.get('Content-Type')} instead of {content_type}")


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        with self.client.get("/accounts/login/", name="login page", catch_response=True) as page:
            expect_page(page)
            token = hidden_value(page.text, "csrfmiddlewaretoken")
        credentials = {"username": self.username, "password": PLAN["password"]}
        with self.client.post(
            "/accounts/login/",
            data={**credentials, "csrfmiddlewaretoken": token},
            name="log in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"not logged in: HTTP {response.status_code}")

    def page(self, path: str, name: str, content_type: str = "text/html") -> None:
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            expect_page(response, content_type)


class Official(Person):
    weight = 9
    username = PLAN["official"]

    def on_start(self) -> None:
        super().on_start()
        self.rng = random.Random()
        self.written: list[int] = []

    @task(3)
    def enterprise_list(self) -> None:
        self.page("/enterprises/" + self.rng.choice(LIST_QUERIES), "enterprise list")

    @task(3)
    def enterprise_page(self) -> None:
        pk = self.rng.choice(PLAN["enterprises_to_read"])
        self.page(f"/enterprises/{pk}/", "enterprise page")

    @task(2)
    def enter_return(self) -> None:
        """Opens the return form of one of its enterprises for the year and saves new figures,
        with the form's CSRF token and the version it was opened at."""
        if UNTAKEN and (not self.written or self.rng.random() > EDIT_SHARE):
            pk = UNTAKEN.popleft()
            self.written.append(pk)
        elif self.written:
            pk = self.rng.choice(self.written)
        else:
            return
        path = f"/enterprises/{pk}/returns/{PLAN['year']}/"
        with self.client.get(
            path, name="return form", allow_redirects=False, catch_response=True
        ) as form:
            expect_page(form)
            token = hidden_value(form.text, "csrfmiddlewaretoken")
            if form.status_code == 200 and not token:
                form.failure("no return form on the page")
            seen_version = hidden_value(form.text, "seen_version")
        if not token:
            return
        figures = writes.random_figures(self.rng)
        fields = {
            **figures,
            "explanation": "",
            "seen_version": seen_version,
            "action": "save",
            "csrfmiddlewaretoken": token,
        }
        with self.client.post(
            path, data=fields, name="return save", allow_redirects=False, catch_response=True
        ) as saved:
            if saved.status_code == 302 and urlsplit(saved.headers["Location"]).path == path:
                writes.append(WRITES, writes.Write(pk, PLAN["year"], figures))
            else:
                errors = re.findall(r'class="error"[^>]*>([^<]+)<', saved.text or "")
                saved.failure(f"not saved: HTTP {saved.status_code} {errors[:2]}")


class Reviewer(Person):
    """Reads what it opened for longer: the dashboard and the report are a province's figures."""

    weight = 1
    wait_time = between(3, 10)
    username = PLAN["reviewer"]

    @task(3)
    def dashboard(self) -> None:
        self.page("/", "dashboard")

    @task(2)
    def report(self) -> None:
        self.page(f"/reviews/{PLAN['review']}/report/", "review report")

    @task(1)
    def report_pdf(self) -> None:
        self.page(f"/reviews/{PLAN['review']}/report.pdf", "review PDF", "application/pdf")
