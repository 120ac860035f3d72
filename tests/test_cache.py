"""Cached figures and pages stay right after every write: the assessment, the gap counts, the
to-do list and the rendered fragments are computed once per data version and scope, and again
after a save in another transaction (another worker). Tests of cache hits commit their data
(committed_groups makes them transactional): inside a transaction that has written, `cached`
never reads the cache."""

import datetime
import re
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coordination.cache import data_version
from coordination.models import IndicatorTarget, ProgrammeBody
from coordination.signals import data_models
from enterprises.models import Enterprise, Organisation, Zone
from reviews.models import AnnualReturn
from reviews.selectors import assessment as selectors
from reviews.selectors.dashboard import todo_for

from . import factories

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
    annual_return = AnnualReturn.objects.get(enterprise=_zone_a_enterprise())
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


def _render(text: str, **context) -> str:
    return Template("{% load assessment_tags %}" + text).render(Context(context))


FRAGMENT = "{% cached_fragment 'test' key %}{{ value }}{% endcached_fragment %}"


def test_a_fragment_is_cached_per_key_and_language(committed_groups):
    assert _render(FRAGMENT, key="k", value="first") == "first"
    assert _render(FRAGMENT, key="k", value="second") == "first"
    assert _render(FRAGMENT, key="other", value="second") == "second"
    with translation.override("vi"):
        assert _render(FRAGMENT, key="k", value="in Vietnamese") == "in Vietnamese"


def test_a_fragment_without_its_key_is_never_shared(committed_groups):
    assert _render(FRAGMENT, value="first") == "first"
    assert _render(FRAGMENT, key="", value="second") == "second"


# Every write moves the data version on


def _instance(model):
    factory = FACTORIES.get(model)
    assert factory, f"tests/factories.py needs a factory for {model._meta.label}"
    return factory()


@pytest.mark.parametrize("model", data_models(), ids=lambda model: model._meta.label)
def test_saves_and_deletes_move_the_data_version_on(db, model):
    instance = _instance(model)
    before = data_version()
    instance.save()
    saved = data_version()
    instance.delete()
    assert before < saved < data_version()


@pytest.mark.parametrize(
    "field",
    [field for model in data_models() for field in model._meta.local_many_to_many],
    ids=lambda field: f"{field.model._meta.label}.{field.name}",
)
def test_many_to_many_changes_move_the_data_version_on(db, field):
    manager = getattr(_instance(field.model), field.name)
    related = _instance(field.related_model)
    before = data_version()
    manager.add(related, through_defaults=THROUGH_DEFAULTS.get(field.remote_field.through, {}))
    added = data_version()
    manager.remove(related)
    assert before < added < data_version()
