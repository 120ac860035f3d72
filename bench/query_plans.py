"""EXPLAIN (ANALYZE, BUFFERS) of the enterprise list's main queries (the page of rows and the
count), as the view runs them for the reviewer: captured, not rewritten here."""

from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from .personas import Personas

VARIANTS = (
    ("first page", ""),
    ("search", "q=dien+tu"),
    ("deep page", "sort=name&page=500"),
)


def explain_list(personas: Personas, say: Callable[[str], None]) -> list[tuple[str, str, str]]:
    """(title, SQL, plan) of each query of each variant of the list."""
    cache.clear()  # the list's queries run only when its page is not cached
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(personas.reviewer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = personas.device.persistent_id
    session.save()
    plans = []
    for label, query in VARIANTS:
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
            say(f"\nEXPLAIN (ANALYZE, BUFFERS), enterprise list, {title}:\n{plan}")
    return plans
