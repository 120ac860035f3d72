"""Cached figures and documents stay right after every write, and only what a write changed is
computed again: a save in a zone and year leaves other zones' values and earlier years' national
values alone; the stamps move on after the commit only, nothing computed inside an uncommitted
writing transaction is served to others, and a restore forgets everything. Tests of cache hits
commit their data (committed_groups makes them transactional), as another worker would. Marked
`cache`: CI runs them again against a real Redis (CACHE_URL)."""

import datetime
import re
import threading
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination import backups
from coordination.cache import ALL_ZONES, ANY_YEAR, EVERYTHING, NOTHING_SCOPED, cached
from coordination.models import IndicatorTarget, ProgrammeBody
from coordination.signals import ZONE_DATA, data_models
from enterprises.models import Enterprise, Organisation, Zone
from reviews.models import AnnualReturn
from reviews.selectors import assessment as selectors
from reviews.selectors.dashboard import todo_for
from reviews.views import report as report_views

from . import factories

pytestmark = pytest.mark.cache

YEAR = 2023
FACTORIES = {
    factory._meta.model: factory
    for factory in vars(factories).values()
    if isinstance(factory, type)
    and issubclass(factory, factories.factory.django.DjangoModelFactory)
}
THROUGH_DEFAULTS = {ProgrammeBody: {"role": ProgrammeBody.Role.LEAD}}


def in_another_transaction(write: Callable[[], object]) -> None:
    """Runs the write on a connection of its own, as another worker would, and commits it."""
    errors: list[Exception] = []

    def run() -> None:
        try:
            write()
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not errors, errors


@pytest.fixture
def computed(monkeypatch) -> list[str]:
    """The scope of every assessment actually computed (not read from the cache)."""
    calls: list[str] = []
    compute = selectors.assessment

    def counting(*, programme, year, user, **counted):
        calls.append(user.username)
        return compute(programme=programme, year=year, user=user, **counted)

    monkeypatch.setattr(selectors, "assessment", counting)
    return calls


@pytest.fixture
def programme(committed_groups, zone_a, zone_b):
    """Zone A: an operating enterprise with 100 employees in its accepted return, and a
    yearly target for the programme's indicator; zone B: one with 40."""
    programme = factories.ProgrammeFactory()
    indicator = factories.IndicatorFactory(programme=programme, metric="employees")
    factories.IndicatorTargetFactory(indicator=indicator, year=YEAR, value=150)
    for zone, employees in ((zone_a, 100), (zone_b, 40)):
        factories.AnnualReturnFactory(
            enterprise=factories.EnterpriseFactory(zone=zone),
            year=YEAR,
            status=AnnualReturn.Status.ACCEPTED,
            employees=employees,
            female_employees=0,
            union_members=0,
        )
    return programme


def page(client, url: str) -> str:
    """The page without its CSRF tokens, which change with every request."""
    html = client.get(url).text
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def figures_for(programme, user) -> dict:
    return selectors.cached_assessment(programme=programme, year=YEAR, user=user)


def test_the_assessment_is_reused_while_nothing_changes(programme, reviewer, computed):
    first = figures_for(programme, reviewer)
    assert figures_for(programme, reviewer) == first
    assert computed == ["reviewer"]
    assert first["metrics"]["employees"] == 140


def _zone_a_enterprise() -> Enterprise:
    return Enterprise.objects.get(zone__code="A")


def _close_enterprise() -> None:
    enterprise = _zone_a_enterprise()
    enterprise.status = Enterprise.Status.BUILDING
    enterprise.save()


def _change_return() -> None:
    annual_return = AnnualReturn.objects.get(enterprise=_zone_a_enterprise(), year=YEAR)
    annual_return.employees = 160
    annual_return.save()


def _found_party_organisation() -> None:
    factories.OrganisationFactory(
        enterprise=_zone_a_enterprise(),
        kind=Organisation.Kind.PARTY,
        founded_on=datetime.date(2020, 1, 1),
    )


def _rename_zone() -> None:
    zone = Zone.objects.get(code="A")
    zone.name = "Zone A, renamed"
    zone.save()


def _raise_target() -> None:
    target = IndicatorTarget.objects.get()
    target.value = 175
    target.save()


@pytest.mark.parametrize(
    ("write", "figure", "after"),
    [
        (_close_enterprise, lambda f: f["metrics"]["enterprises_operating"], 1),
        (_change_return, lambda f: f["metrics"]["employees"], 200),
        (_found_party_organisation, lambda f: f["metrics"]["enterprises_with_party_org"], 1),
        (_rename_zone, lambda f: f["breakdowns"]["zone"][0]["label"], "Zone A, renamed"),
        (_raise_target, lambda f: f["indicators"][0]["target_year"], "175.00"),
    ],
    ids=["enterprise", "return", "organisation", "zone", "indicator target"],
)
def test_a_save_in_another_transaction_recomputes_it(
    programme, reviewer, computed, write, figure, after
):
    before = figure(figures_for(programme, reviewer))
    in_another_transaction(write)
    assert figure(figures_for(programme, reviewer)) == after != before
    assert computed == ["reviewer", "reviewer"]


def test_different_scopes_never_share_an_entry(
    programme, reviewer, official_a, official_b, computed
):
    employees = {
        user.username: figures_for(programme, user)["metrics"]["employees"]
        for user in (reviewer, official_a, official_b, reviewer, official_a, official_b)
    }
    assert employees == {"reviewer": 140, "official_a": 100, "official_b": 40}
    assert computed == ["reviewer", "official_a", "official_b"]


def test_the_dashboard_follows_the_cached_assessment(client, programme, reviewer, computed):
    client.force_login(reviewer)
    first = page(client, reverse("dashboard"))
    assert page(client, reverse("dashboard")) == first
    assert computed == ["reviewer"]
    in_another_transaction(_change_return)
    assert ">200</a>" in page(client, reverse("dashboard"))
    assert ">200</a>" not in first


CACHED_PAGES = ["dashboard", "gaps", "review_report", "returns_completeness"]


def _url(url_name: str, programme) -> str:
    """The page, with a gap in each zone (a cell could be founded) and a draft review."""
    AnnualReturn.objects.update(party_members=4)
    review = factories.ProgrammeReviewFactory(programme=programme)
    return reverse(url_name, args=[review.pk] if url_name == "review_report" else [])


@pytest.mark.parametrize("url_name", CACHED_PAGES)
def test_cached_pages_show_a_write_made_elsewhere(client, programme, reviewer, url_name):
    url = _url(url_name, programme)
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as computing:
        before = page(client, url)
    with CaptureQueriesContext(connection) as cached:
        assert page(client, url) == before
    assert len(cached) < len(computing)
    in_another_transaction(_rename_zone)
    after = page(client, url)
    assert "Zone A, renamed" in after
    assert "Zone A, renamed" not in before


@pytest.mark.parametrize("url_name", CACHED_PAGES)
def test_scopes_never_share_a_page(client, programme, reviewer, official_a, url_name):
    url = _url(url_name, programme)
    client.force_login(reviewer)
    assert "Zone B" in page(client, url)
    client.force_login(official_a)
    assert "Zone B" not in page(client, url)
    assert "Zone A" in page(client, url)


def test_the_to_do_list_follows_a_write_made_elsewhere(committed_groups, official_a, enterprise_a):
    assert todo_for(user=official_a, year=YEAR)["official"]["counts"]["missing"] == 1
    in_another_transaction(
        lambda: factories.AnnualReturnFactory(
            enterprise=enterprise_a, year=YEAR, status=AnnualReturn.Status.DRAFT
        )
    )
    counts = todo_for(user=official_a, year=YEAR)["official"]["counts"]
    assert counts == {"missing": 0, "draft": 1, "returned": 0}


# Every write tells the cache what it changed


def _instance(model):
    factory = FACTORIES.get(model)
    assert factory, f"tests/factories.py needs a factory for {model._meta.label}"
    return factory()


SEEN_BY_EVERY_WRITE = [f"stamp:{EVERYTHING}", f"stamp:{ALL_ZONES}:{ANY_YEAR}"]
"""The stamps one of which every write moves on: what every value covers, or any zone's data."""


def _stamps() -> dict:
    return cache.get_many(SEEN_BY_EVERY_WRITE)


def _moved_on(write, capture) -> bool:
    before = _stamps()
    with capture(execute=True):
        write()
    return _stamps() != before


@pytest.mark.parametrize("model", data_models(), ids=lambda model: model._meta.label)
def test_saves_and_deletes_move_stamps_on(db, model, django_capture_on_commit_callbacks):
    instance = _instance(model)
    capture = django_capture_on_commit_callbacks
    assert _moved_on(instance.save, capture)
    assert _moved_on(instance.delete, capture)


@pytest.mark.parametrize(
    "field",
    [field for model in data_models() for field in model._meta.local_many_to_many],
    ids=lambda field: f"{field.model._meta.label}.{field.name}",
)
def test_many_to_many_changes_move_stamps_on(db, field, django_capture_on_commit_callbacks):
    manager = getattr(_instance(field.model), field.name)
    related = _instance(field.related_model)
    through = THROUGH_DEFAULTS.get(field.remote_field.through, {})
    capture = django_capture_on_commit_callbacks
    assert _moved_on(lambda: manager.add(related, through_defaults=through), capture)
    assert _moved_on(lambda: manager.remove(related), capture)


def test_rows_of_a_zone_leave_what_every_value_covers_alone(
    db, enterprise_a, django_capture_on_commit_callbacks
):
    annual_return = factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
    organisation = factories.OrganisationFactory(enterprise=enterprise_a)
    with django_capture_on_commit_callbacks(execute=True):
        factories.ZoneFactory()
    general = cache.get(f"stamp:{EVERYTHING}")
    with django_capture_on_commit_callbacks(execute=True):
        for row in (annual_return, organisation, enterprise_a):
            row.save()
    assert cache.get(f"stamp:{EVERYTHING}") == general
    assert {"enterprises.Enterprise", "reviews.AnnualReturn"} <= set(ZONE_DATA)


# Scoped: a write changes what covers its zone and year only


def test_a_save_in_one_zone_leaves_the_other_zones_values(
    programme, reviewer, official_a, official_b, computed
):
    for user in (reviewer, official_a, official_b):
        figures_for(programme, user)
    in_another_transaction(_change_return)  # zone A's return
    assert figures_for(programme, official_b)["metrics"]["employees"] == 40
    assert figures_for(programme, official_a)["metrics"]["employees"] == 160
    assert figures_for(programme, reviewer)["metrics"]["employees"] == 200
    assert computed == ["reviewer", "official_a", "official_b", "official_a", "reviewer"]


def test_a_return_of_a_later_year_leaves_earlier_national_values(programme, reviewer, computed):
    figures_for(programme, reviewer)
    in_another_transaction(
        lambda: factories.AnnualReturnFactory(enterprise=_zone_a_enterprise(), year=YEAR + 1)
    )
    figures_for(programme, reviewer)
    assert computed == ["reviewer"]
    in_another_transaction(_change_return)  # of YEAR
    figures_for(programme, reviewer)
    assert computed == ["reviewer", "reviewer"]


def test_a_return_of_a_later_year_leaves_a_one_year_reviews_documents(
    client, programme, reviewer, monkeypatch
):
    review = factories.ProgrammeReviewFactory(programme=programme, as_of_year=YEAR)
    rendered: list[int] = []
    render = report_views._html
    monkeypatch.setattr(
        report_views, "_html", lambda *args: rendered.append(review.pk) or render(*args)
    )
    url = reverse("review_report", args=[review.pk])
    client.force_login(reviewer)
    before = page(client, url)
    in_another_transaction(
        lambda: factories.AnnualReturnFactory(enterprise=_zone_a_enterprise(), year=YEAR + 1)
    )
    assert page(client, url) == before
    assert len(rendered) == 1
    in_another_transaction(_change_return)  # of the review's year
    assert page(client, url) != before
    assert len(rendered) == 2


def test_nothing_computed_inside_an_uncommitted_write_is_served_to_others(
    programme, reviewer, computed
):
    before = figures_for(programme, reviewer)["metrics"]["employees"]

    def write_then_roll_back() -> None:
        with pytest.raises(RuntimeError), transaction.atomic():
            _change_return()
            assert figures_for(programme, reviewer)["metrics"]["employees"] == 200
            raise RuntimeError("rolled back")
        assert figures_for(programme, reviewer)["metrics"]["employees"] == before

    in_another_transaction(write_then_roll_back)
    assert figures_for(programme, reviewer)["metrics"]["employees"] == before == 140


def test_stamps_move_on_after_the_commit_only(committed_groups, enterprise_a):
    stamps = []

    def read() -> list:
        return cached("stamps-seen", lambda: list(stamps), covering=NOTHING_SCOPED)

    assert read() == []
    stamps.append("new")
    with transaction.atomic():
        zone = enterprise_a.zone
        zone.name = "Renamed"
        zone.save()
        assert read() == ["new"]  # computed, not kept: this transaction wrote
        assert cache.get(f"stamp:{EVERYTHING}") is not None
        seen = cache.get(f"stamp:{EVERYTHING}")
    assert cache.get(f"stamp:{EVERYTHING}") != seen
    assert read() == ["new"]


def test_an_evicted_stamp_starts_afresh(committed_groups):
    values = iter(["first", "second"])
    assert cached("evicted", lambda: next(values), covering=NOTHING_SCOPED) == "first"
    cache.delete(f"stamp:{EVERYTHING}")
    assert cached("evicted", lambda: next(values), covering=NOTHING_SCOPED) == "second"


def test_a_restore_forgets_everything(committed_groups, tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite restore runs in-process; tests/test_backup_restore.py the rest")
    values = iter(["before", "after"])
    assert cached("restored", lambda: next(values), covering=NOTHING_SCOPED) == "before"
    target = backups.backup_database(target=tmp_path / "db.backup")
    backups.restore_database(source=target)
    assert cached("restored", lambda: next(values), covering=NOTHING_SCOPED) == "after"
