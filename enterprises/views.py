"""Views: thin wiring of requests to selectors, services and templates."""

import copy
import secrets
import tempfile
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coordination.query import int_param
from coordination.versioning import StaleEdit

from . import selectors
from .exports import (
    EXPORT_FORMATS,
    XLSX_CONTENT_TYPE,
    enterprise_table,
    export_response,
    organisation_table,
)
from .filters import EnterpriseFilter
from .forms import (
    DissolveForm,
    EnterpriseForm,
    ImportTemplateForm,
    ImportUploadForm,
    OrganisationExportForm,
    OrganisationForm,
)
from .imports.applying import apply_import
from .imports.planning import plan_import
from .imports.reading import read_upload
from .imports.sheet import ImportRefused, Upload
from .imports.template import write_template
from .rules import enterprise_hints
from .services import (
    RuleBroken,
    create_enterprise,
    found_organisation,
    update_enterprise,
    update_organisation,
)
from .tables import EnterpriseTable
from .year_figures import year_figures

T = TypeVar("T")
IMPORT_SESSION_KEY = "enterprise_import"


def enterprise_list(request: HttpRequest) -> HttpResponse:
    export = request.GET.get("_export")
    if export in EXPORT_FORMATS:
        filterset = _enterprise_filter(request)
        if not filterset.is_valid():
            return HttpResponseBadRequest(
                _("The filters are not valid."), content_type="text/plain"
            )
        table = enterprise_table(
            filterset.rows(), year=filterset.as_of_year, filters=filterset.described()
        )
        return export_response(table, export)
    filterset = _enterprise_filter(request)
    valid = filterset.is_valid()
    table = EnterpriseTable(
        filterset.rows(), year=filterset.as_of_year, order_by=request.GET.get("sort")
    )
    table.paginate_rows(
        int_param(request.GET, "page"),
        count=filterset.count,
        cache_key=filterset.matches_key,
        covering=filterset.covering,
    )
    context = {
        "filterset": filterset,
        "table": table,
        "may_create": selectors.may_write_enterprises(request.user),
        "export_formats": EXPORT_FORMATS if valid else (),
    }
    return render(request, "enterprises/enterprise_list.html", context)


def _enterprise_filter(request: HttpRequest) -> EnterpriseFilter:
    return EnterpriseFilter(
        request.GET, queryset=selectors.visible_enterprises(request.user), request=request
    )


def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_for(request.user, pk)
    may_write = selectors.may_write_enterprise(request.user, enterprise)
    today = timezone.localdate()
    organisations = selectors.organisations_of(enterprise)
    figures = year_figures()
    returns = figures.of_enterprise(enterprise)
    context = {
        "enterprise": enterprise,
        "may_write": may_write,
        # the current ones first, each with whether it is dissolved
        "organisations": sorted(
            ((o, _dissolved(o, today)) for o in organisations), key=lambda row: row[1]
        ),
        "return_years": selectors.return_years(
            returns=returns,
            years=selectors.current_programme_years(today),
        ),
        "hints": enterprise_hints(
            organisations=organisations,
            figures=figures.figures_of(returns[0]) if returns else None,
            day=today,
        ),
    }
    return render(request, "enterprises/enterprise_detail.html", context)


def _dissolved(organisation, day) -> bool:
    return organisation.dissolved_on is not None and organisation.dissolved_on <= day


def enterprise_history(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_for(request.user, pk)
    return render(
        request,
        "enterprises/enterprise_history.html",
        {"enterprise": enterprise, "entries": selectors.enterprise_history(enterprise=enterprise)},
    )


def _try_saving(form, save: Callable[[], T]) -> tuple[T | None, dict | None, forms.Form]:
    """save() for a valid form: what it saved; or, refused, the conflict of a stale save
    (coordination.versioning) or the database's refusal of a race on the form, with the form to
    show again."""
    try:
        return save(), None, form
    except StaleEdit as stale:
        conflict, form = form.refused(stale.current)
        return None, conflict, form
    except RuleBroken as broken:
        form.add_error(broken.field, broken.message)
        return None, None, form


def enterprise_create(request: HttpRequest) -> HttpResponse:
    if not selectors.may_write_enterprises(request.user):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        enterprise, _conflict, form = _try_saving(
            form, lambda: create_enterprise(data=form.model_values(), user=request.user)
        )
        if enterprise:
            messages.success(request, _("Enterprise “%(name)s” created.") % {"name": enterprise})
            return redirect("enterprise_detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form})


def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_for(request.user, pk, write=True)
    stored = copy.copy(enterprise)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict, form = _try_saving(
            form,
            lambda: update_enterprise(
                enterprise=enterprise,
                data=form.model_values(),
                seen_version=form.cleaned_data["seen_version"],
                user=request.user,
            ),
        )
        if saved:
            messages.success(request, _("Enterprise “%(name)s” saved.") % {"name": enterprise})
            return redirect("enterprise_detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/enterprise_form.html",
        {"form": form, "enterprise": stored, "conflict": conflict},
    )


def organisation_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_for(request.user, pk, write=True)
    form = OrganisationForm(
        request.POST or None,
        initial={"kind": request.GET.get("kind")},
        enterprise=enterprise,
        latest_figures=year_figures().latest_figures(enterprise),
    )
    if request.method == "POST" and form.is_valid():
        organisation, _conflict, form = _try_saving(
            form,
            lambda: found_organisation(
                enterprise=enterprise,
                data=form.model_values(),
                user=request.user,
                explanation=form.cleaned_data["explanation"],
            ),
        )
        if organisation:
            messages.success(
                request, _("Organisation “%(name)s” founded.") % {"name": organisation}
            )
            return redirect("enterprise_detail", pk=enterprise.pk)
    return render(
        request, "enterprises/organisation_form.html", {"form": form, "enterprise": enterprise}
    )


def _save_organisation(request: HttpRequest, organisation, form) -> tuple:
    """update_organisation from an organisation's form or its dissolve form (_try_saving)."""
    return _try_saving(
        form,
        lambda: update_organisation(
            organisation=organisation,
            data=form.model_values(),
            seen_version=form.cleaned_data["seen_version"],
            user=request.user,
            explanation=form.cleaned_data.get("explanation", ""),
            superior_since=form.cleaned_data.get("superior_body_since"),
        ),
    )


def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for(request.user, pk, write=True)
    stored = copy.copy(organisation)
    enterprise = organisation.enterprise
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        enterprise=enterprise,
        latest_figures=year_figures().latest_figures(enterprise),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict, form = _save_organisation(request, organisation, form)
        if saved:
            messages.success(request, _("Organisation “%(name)s” saved.") % {"name": organisation})
            return redirect("enterprise_detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/organisation_form.html",
        {"form": form, "enterprise": enterprise, "organisation": stored, "conflict": conflict},
    )


def organisation_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for(request.user, pk, write=True)
    stored = copy.copy(organisation)
    form = DissolveForm(request.POST or None, instance=organisation)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict, form = _save_organisation(request, organisation, form)
        if saved:
            messages.success(
                request,
                _("Organisation “%(name)s” dissolved on %(date)s.")
                % {
                    "name": organisation,
                    "date": date_format(organisation.dissolved_on, "SHORT_DATE_FORMAT"),
                },
            )
            return redirect("enterprise_detail", pk=organisation.enterprise_id)
    return render(
        request,
        "enterprises/organisation_dissolve.html",
        {"form": form, "organisation": stored, "conflict": conflict},
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for(request.user, pk)
    return render(
        request,
        "enterprises/organisation_detail.html",
        {
            "organisation": organisation,
            "enterprise": organisation.enterprise,
            "superiors": selectors.superior_history(organisation),
            "may_write": selectors.may_write_enterprise(request.user, organisation.enterprise),
        },
    )


def organisation_export(request: HttpRequest) -> HttpResponse:
    """The organisations of the viewer's enterprises founded by a day (`as_of`, today by
    default), each with its superior body on that day, as CSV or XLSX (`_export`)."""
    form = OrganisationExportForm(request.GET or None)
    day = form.cleaned_data["as_of"] if form.is_valid() and form.cleaned_data["as_of"] else None
    day = day or timezone.localdate()
    organisations = selectors.organisations_as_of(request.user, day)
    file_format = "xlsx" if request.GET.get("_export") == "xlsx" else "csv"
    return export_response(organisation_table(organisations, day=day), file_format)


def zone_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "enterprises/zone_list.html", {"nodes": selectors.zone_tree(request.user)}
    )


def zone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    zone = selectors.zone_for(request.user, pk)
    nodes = selectors.zone_tree(request.user, root=zone)
    return render(
        request,
        "enterprises/zone_detail.html",
        {"zone": zone, "node": nodes[0], "nodes": nodes[1:], "officials": zone.officials.all()},
    )


def enterprise_import(request: HttpRequest) -> HttpResponse:
    """Download a template (GET with zone and year), upload a file for a preview (POST), then
    confirm the preview (POST with its token) to apply it."""
    if not selectors.may_write_enterprises(request.user):
        raise PermissionDenied
    template_form = ImportTemplateForm(
        request.GET if "year" in request.GET else None,
        user=request.user,
        initial={"year": timezone.localdate().year},
    )
    if template_form.is_bound and template_form.is_valid():
        return _import_template(**template_form.cleaned_data)
    if request.method == "POST" and "token" in request.POST:
        return _confirm_import(request)
    upload_form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and upload_form.is_valid():
        zone = upload_form.cleaned_data["zone"]
        try:
            upload = read_upload(upload_form.cleaned_data["file"])
        except ImportRefused as refused:
            upload_form.add_error("file", str(refused))
        else:
            plan = plan_import(upload=upload, zone=zone, user=request.user)
            return _preview(request, upload, plan, zone)
    return render(
        request,
        "enterprises/enterprise_import.html",
        {"template_form": template_form, "upload_form": upload_form},
    )


def _import_template(*, zone, year: int) -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    write_template(spool, zone=zone, year=year)  # to a temporary file, not memory
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"enterprises-{zone.code}-{year}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _preview(request: HttpRequest, upload, plan, zone) -> HttpResponse:
    token = ""
    if not plan.errors:
        upload.remember_versions(plan)
        token = secrets.token_urlsafe(16)
        request.session[IMPORT_SESSION_KEY] = {
            "token": token,
            "zone": zone.pk,
            "upload": upload.as_session(),
        }
    return render(
        request,
        "enterprises/enterprise_import_preview.html",
        {"plan": plan, "zone": zone, "token": token},
    )


def _confirm_import(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored["token"] != request.POST["token"]:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("enterprise_import")
    zone = selectors.writable_zones(request.user).filter(pk=stored["zone"]).first()
    if zone is None:
        raise Http404
    upload = Upload.from_session(stored["upload"])
    try:
        plan = apply_import(upload=upload, zone=zone, user=request.user)
    except (StaleEdit, RuleBroken):
        messages.error(
            request, _("Someone saved an enterprise of this file meanwhile; nothing was imported.")
        )
        return redirect("enterprise_import")
    if plan.errors:
        messages.error(request, _("The file no longer fits the registry; nothing was imported."))
        return _preview(request, upload, plan, zone)
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        _("Imported: %(new)s new and %(changed)s changed enterprises; %(unchanged)s unchanged.")
        % {
            "new": len(plan.new_rows),
            "changed": len(plan.changed_rows),
            "unchanged": len(plan.unchanged_rows),
        },
    )
    return redirect(f"{reverse('enterprise_list')}?zone={zone.pk}")
