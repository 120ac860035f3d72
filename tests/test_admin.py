"""The admin is the administrators' working tool: every page opens, lists stay cheap however many
rows they hold, foreign keys are searched rather than listed, and final reviews stay final."""

import inspect
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.core import checks
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factory.django import DjangoModelFactory
from simple_history.admin import SimpleHistoryAdmin

from coordination.models import (
    Body,
    ContentArea,
    Indicator,
    IndicatorTarget,
    ProgrammeBody,
    Task,
)
from enterprises.models import Organisation, Zone
from reviews.models import OrganisationRating, ProgrammeReview, ReviewSection, ReviewSignature

from . import factories

pytestmark = pytest.mark.django_db

# Every registered model, django-axes' and django-otp's included: administrators unlock accounts
# and reset lost two-factor devices.
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
OUR_APPS = {"coordination", "enterprises", "reviews"}
OURS = [
    (model, model_admin) for model, model_admin in REGISTRY if model._meta.app_label in OUR_APPS
]


def ids(pairs):
    return [model._meta.label for model, _model_admin in pairs]


class _Superuser:
    """Stands in for a superuser when asking an admin what it allows by design."""

    is_active = is_staff = is_superuser = True

    def has_perm(self, perm, obj=None) -> bool:
        return True


def allowed_by_design(model_admin, permission: str) -> bool:
    """Some admins refuse even a superuser (django-axes' logs take no additions)."""
    request = RequestFactory().get("/")
    request.user = _Superuser()
    return getattr(model_admin, f"has_{permission}_permission")(request)


def factory_for(model):
    for candidate in vars(factories).values():
        if (
            inspect.isclass(candidate)
            and issubclass(candidate, DjangoModelFactory)
            and not candidate._meta.abstract
            and candidate._meta.get_model_class() is model
        ):
            return candidate
    raise LookupError(f"tests/factories.py has no factory for {model._meta.label}; add one")


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def staff_client(client, administrator):
    """An administrator: staff, in the Administrators group, not a superuser."""
    client.force_login(administrator)
    return client


def test_the_admin_passes_its_system_checks():
    """Autocomplete targets need search_fields, list columns must exist, and so on."""
    assert checks.run_checks(tags=[checks.Tags.admin]) == []


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=ids(REGISTRY))
def test_the_changelist_opens_and_searches(staff_client, model, model_admin):
    factory_for(model)()
    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    if model_admin.search_fields:
        response = staff_client.get(admin_url(model, "changelist"), {"q": "Lào Cai 53"})
        assert response.status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=ids(REGISTRY))
def test_the_add_page_opens(staff_client, model, model_admin):
    expected = 200 if allowed_by_design(model_admin, "add") else 403
    assert staff_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=ids(REGISTRY))
def test_the_change_and_history_pages_open(staff_client, model, model_admin):
    obj = factory_for(model)()
    assert staff_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert staff_client.get(admin_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=ids(REGISTRY))
def test_a_changelist_runs_as_many_queries_for_five_rows_as_for_one(
    staff_client, model, model_admin
):
    factory = factory_for(model)
    url = admin_url(model, "changelist")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url).status_code == 200
        return len(captured)

    factory()
    queries()  # the first request after logging in also writes the session
    one = queries()
    factory.create_batch(4)
    assert queries() == one


@pytest.mark.parametrize(("model", "model_admin"), OURS, ids=ids(OURS))
def test_every_list_has_columns_filters_and_search(model, model_admin):
    assert model_admin.list_display != ("__str__",)
    assert model_admin.list_filter
    assert model_admin.search_fields


def _relations(model_admin) -> list[str]:
    """The foreign keys and many-to-many fields a person picks in the admin's form."""
    model = model_admin.model
    parent_key = getattr(model_admin, "fk_name", None) or next(
        (
            f.name
            for f in model._meta.get_fields()
            if isinstance(model_admin, admin.options.InlineModelAdmin)
            and f.many_to_one
            and f.related_model is model_admin.parent_model
        ),
        None,
    )
    shown = set(model_admin.fields or [f.name for f in model._meta.get_fields()])
    shown |= {
        name for item in (model_admin.fields or []) if isinstance(item, tuple) for name in item
    }
    return [
        f.name
        for f in model._meta.get_fields()
        if f.concrete
        and (f.many_to_one or (f.many_to_many and f.remote_field.through._meta.auto_created))
        and f.editable
        and f.name != parent_key
        and f.name not in model_admin.readonly_fields
        and f.name in shown
    ]


ADMINS_AND_INLINES = [
    pytest.param(candidate, id=f"{model._meta.label}:{type(candidate).__name__}")
    for model, model_admin in OURS
    for candidate in [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]
]


@pytest.mark.parametrize("model_admin", ADMINS_AND_INLINES)
def test_related_objects_are_picked_by_search(model_admin):
    """A select of every enterprise or user would be useless and slow: autocomplete instead."""
    assert set(_relations(model_admin)) <= set(model_admin.autocomplete_fields)


@pytest.mark.parametrize("model_admin", ADMINS_AND_INLINES)
def test_every_autocomplete_answers(staff_client, model_admin):
    for field_name in model_admin.autocomplete_fields:
        query = {
            "app_label": model_admin.model._meta.app_label,
            "model_name": model_admin.model._meta.model_name,
            "field_name": field_name,
            "term": "a",
        }
        response = staff_client.get(f"{reverse('admin:autocomplete')}?{urlencode(query)}")
        assert response.status_code == 200, field_name


@pytest.mark.parametrize(("model", "model_admin"), OURS, ids=ids(OURS))
def test_history_is_visible_where_it_is_kept(model, model_admin):
    has_history = hasattr(model._meta, "simple_history_manager_attribute")
    assert isinstance(model_admin, SimpleHistoryAdmin) == has_history


@pytest.mark.parametrize(
    ("parent_factory", "child"),
    [
        (factories.ProgrammeFactory, ProgrammeBody),
        (factories.ProgrammeFactory, ContentArea),
        (factories.ProgrammeFactory, Indicator),
        (factories.ContentAreaFactory, Task),
        (factories.IndicatorFactory, IndicatorTarget),
        (factories.ZoneFactory, Zone),
        (factories.EnterpriseFactory, Organisation),
        (factories.OrganisationFactory, OrganisationRating),
        (factories.ProgrammeReviewFactory, ReviewSection),
        (factories.ProgrammeReviewFactory, ReviewSignature),
    ],
    ids=lambda value: value.__name__,
)
def test_children_are_edited_under_their_parent(staff_client, parent_factory, child):
    parent = parent_factory()
    response = staff_client.get(admin_url(type(parent), "change", parent.pk))
    inline_models = {formset.opts.model for formset in response.context["inline_admin_formsets"]}
    assert child in inline_models


@pytest.mark.parametrize(
    ("factory", "not_in_form"),
    [
        (factories.EnterpriseFactory, {"version", "search_text"}),
        (factories.OrganisationFactory, {"version"}),
        (
            factories.AnnualReturnFactory,
            {"version", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"},
        ),
        (
            factories.ProgrammeReviewFactory,
            {"status", "frozen_figures", "finalised_by", "finalised_at"},
        ),
    ],
    ids=["enterprise", "organisation", "return", "review"],
)
def test_bookkeeping_fields_are_shown_but_not_editable(staff_client, factory, not_in_form):
    obj = factory()
    response = staff_client.get(admin_url(type(obj), "change", obj.pk))
    assert not set(response.context["adminform"].form.fields) & not_in_form
    shown = {
        field.field["name"]
        for fieldset in response.context["adminform"]
        for line in fieldset
        for field in line
        if field.is_readonly
    }
    assert not_in_form - {"search_text"} <= shown


class TestFinalReview:
    @pytest.fixture
    def final_review(self):
        review = factories.ProgrammeReviewFactory(
            status=ProgrammeReview.Status.FINAL, frozen_figures={"year": 2023}, title="Sơ kết"
        )
        factories.ReviewSectionFactory(review=review, results="Kết quả")
        return review

    def test_it_is_shown_read_only(self, staff_client, final_review):
        response = staff_client.get(admin_url(ProgrammeReview, "change", final_review.pk))
        assert response.status_code == 200
        assert response.context["has_change_permission"] is False
        assert not response.context["adminform"].form.fields

    def test_a_post_changes_nothing(self, staff_client, final_review):
        response = staff_client.post(
            admin_url(ProgrammeReview, "change", final_review.pk), {"title": "Changed"}
        )
        assert response.status_code == 403
        final_review.refresh_from_db()
        assert final_review.title == "Sơ kết"

    def test_its_sections_cannot_be_changed_on_their_own(self, staff_client, final_review):
        section = final_review.sections.get()
        response = staff_client.post(
            admin_url(ReviewSection, "change", section.pk), {"results": "Changed"}
        )
        assert response.status_code == 403
        section.refresh_from_db()
        assert section.results == "Kết quả"

    def test_a_draft_review_can_be_changed(self, staff_client):
        review = factories.ProgrammeReviewFactory()
        response = staff_client.get(admin_url(ProgrammeReview, "change", review.pk))
        assert response.context["has_change_permission"] is True


def test_the_body_admin_edits_the_kinds_of_organisation_it_stands_above(staff_client):
    body = factories.BodyFactory(superior_kinds=["party", "veterans"])
    page = staff_client.get(admin_url(Body, "change", body.pk)).content.decode()
    assert 'name="superior_kinds-1-kind"' in page
    assert 'name="superior_kinds-2-kind"' not in page
