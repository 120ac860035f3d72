"""Views: thin wiring of requests to selectors, services and templates."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coordination.cache import cached_rendering
from coordination.models import Body
from coordination.roles import is_administrator, is_reviewer
from coordination.selectors import current_programme
from enterprises.exports import csv_response, xlsx_response
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_for, may_write_enterprise, zone_for

from .forms import (
    AnnualReturnForm,
    ReturnQueueFilterForm,
    ReturnReviewForm,
    ReviewCreateForm,
    ReviewForm,
    ReviewSectionFormSet,
    ReviewSignatureFormSet,
)
from .models import (
    COUNT_FIELDS,
    AnnualReturn,
    OrganisationRating,
    ProgrammeReview,
    ReviewSection,
    ReviewSignature,
)
from .pdf import render_pdf, report_filename
from .selectors import (
    DASHBOARD_ZONES,
    GAP_EXPORT_HEADER,
    GAP_LABELS,
    GAP_PAGE_ROWS,
    ZONE_EXPORT_HEADER,
    assessment_key,
    assessment_year,
    cached_assessment,
    gap_counts,
    gap_counts_key,
    gap_enterprises,
    gap_export_rows,
    largest_zones,
    last_change,
    organisations_to_rate,
    report_zone_rows,
    return_as_opened,
    return_for,
    return_queue,
    return_year_problem,
    review_issuers,
    todo_for,
    zone_export_rows,
)
from .services import (
    RETURNABLE,
    SUBMITTABLE,
    DuplicateReturn,
    ReturnError,
    ReturnLocked,
    ReviewLocked,
    StaleEdit,
    accept_return,
    create_review,
    finalise_review,
    return_return,
    return_warnings,
    save_return,
    submit_return,
    update_review,
)

# Dashboard


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The current programme at a glance for the viewer's scope, for a year of the programme."""
    programme = current_programme(day=timezone.localdate())
    if programme is None:
        context = {
            "programme": None,
            "can_administer": is_administrator(request.user),
            "todo": todo_for(user=request.user),
        }
        return render(request, "reviews/dashboard.html", context)
    year = assessment_year(
        programme=programme, user=request.user, requested=request.GET.get("year")
    )
    figures = cached_assessment(programme=programme, year=year, user=request.user)
    zones = "all" if request.GET.get("zones") == "all" else "largest"
    context = {
        "programme": programme,
        "year": year,
        "figures": figures,
        "figures_key": assessment_key(programme=programme, year=year, user=request.user),
        "zones": zones,
        "zone_rows": figures["breakdowns"]["zone"]
        if zones == "all"
        else largest_zones(figures["breakdowns"]["zone"], DASHBOARD_ZONES),
        "dashboard_zones": DASHBOARD_ZONES,
        "todo": todo_for(user=request.user, year=year),
    }
    return render(request, "reviews/dashboard.html", context)


# Gap lists


@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    """Where organisations could be founded, for a year: each gap counted per zone, and one
    gap's enterprises (`?gap=…`, in a zone with `&zone=…`) a page at a time; `?_export=csv|xlsx`
    downloads every enterprise of the three gaps."""
    programme = current_programme(day=timezone.localdate())
    year = (
        assessment_year(programme=programme, user=request.user, requested=request.GET.get("year"))
        if programme
        else timezone.localdate().year
    )
    file_format = request.GET.get("_export")
    if file_format in ("csv", "xlsx"):
        export = xlsx_response if file_format == "xlsx" else csv_response
        return export(
            filename=f"gaps-{year}.{file_format}",
            header=GAP_EXPORT_HEADER,
            rows=gap_export_rows(user=request.user, year=year),
        )
    context = {"year": year, "years": programme.years if programme else [year]}
    gap = request.GET.get("gap")
    if gap in GAP_LABELS:
        zone_pk = request.GET.get("zone", "")
        zone = zone_for(request.user, int(zone_pk)) if zone_pk.isdigit() else None
        enterprises = gap_enterprises(user=request.user, year=year, gap=gap, zone=zone)
        context["gap"] = {"key": gap, "label": GAP_LABELS[gap], "zone": zone}
        context["page"] = Paginator(enterprises, GAP_PAGE_ROWS).get_page(request.GET.get("page"))
    else:
        counts = gap_counts(user=request.user, year=year)
        context["counts_key"] = gap_counts_key(user=request.user, year=year)
        context["gaps"] = [
            {"key": key, "label": label, "total": counts["totals"][key]}
            for key, label in GAP_LABELS.items()
        ]
        context["zones"] = counts["zones"]
    return render(request, "reviews/gaps.html", context)


# Programme reviews


def reviewer_required(view):
    """Reviewers and administrators only; anyone else gets 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_reviewer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _review_for(pk: int) -> ProgrammeReview:
    """Reviews are joint documents of both bodies: everyone logged in may read them (the
    figures of a draft are computed within the viewer's scope)."""
    return get_object_or_404(
        ProgrammeReview.objects.select_related("programme", "finalised_by"), pk=pk
    )


def _review_figures(review: ProgrammeReview, user) -> tuple[dict, str]:
    """A final review's frozen figures; a draft's live assessment as the viewer sees it. With
    the key that names them for the cache (of the pages' fragments that show them)."""
    if review.is_final:
        return review.frozen_figures, f"review:{review.pk}"
    programme, year = review.programme, review.as_of_year
    return (
        cached_assessment(programme=programme, year=year, user=user),
        assessment_key(programme=programme, year=year, user=user),
    )


def _review_context(review: ProgrammeReview, user) -> dict:
    """What the review's page and its report show. The issuing bodies are those of the signature
    blocks in position order (frozen with the figures of a final review): the first leads, and
    its document style sets the header and the number."""
    figures, figures_key = _review_figures(review, user)
    issuers = figures.get("issuers") or review_issuers(review=review)
    tasks = {area["content_area_id"]: area for area in figures["tasks"]}
    return {
        "review": review,
        "figures": figures,
        "figures_key": figures_key,
        "report_zones": report_zone_rows(figures["breakdowns"]["zone"]),
        "sections": [
            {"section": section, "tasks": tasks.get(section.content_area_id)}
            for section in review.sections.select_related("content_area")
        ],
        "signatures": review.signatures.all(),
        "issuers": issuers,
        "document_style": issuers[0]["document_style"] if issuers else Body.DocumentStyle.PARTY,
        "live_figures": not review.is_final,
    }


@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = ProgrammeReview.objects.select_related("programme")
    return render(
        request,
        "reviews/review_list.html",
        {"reviews": reviews, "can_write": is_reviewer(request.user)},
    )


@require_http_methods(["GET", "POST"])
@reviewer_required
def review_create(request: HttpRequest) -> HttpResponse:
    form = ReviewCreateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        review = create_review(user=request.user, **form.cleaned_data)
        messages.success(request, _("The review is created: write its sections."))
        return redirect("review_edit", pk=review.pk)
    return render(request, "reviews/review_create.html", {"form": form})


@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(pk)
    context = _review_context(review, request.user)
    context["can_write"] = not review.is_final and is_reviewer(request.user)
    return render(request, "reviews/review_detail.html", context)


@require_http_methods(["GET", "POST"])
@reviewer_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(pk)
    if review.is_final:
        messages.error(request, ReviewLocked.message)
        return redirect("review_detail", pk=review.pk)
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, instance=review)
    sections = ReviewSectionFormSet(
        data, instance=review, queryset=ReviewSection.objects.select_related("content_area")
    )
    signatures = ReviewSignatureFormSet(
        data, instance=review, queryset=ReviewSignature.objects.select_related("body")
    )
    if data is not None and all([form.is_valid(), sections.is_valid(), signatures.is_valid()]):
        try:
            update_review(
                review=form.save(commit=False),
                user=request.user,
                sections=sections.save(commit=False),
                signatures=signatures.save(commit=False),
            )
        except ReviewLocked:
            messages.error(request, ReviewLocked.message)
        else:
            messages.success(request, _("The review is saved."))
        return redirect("review_detail", pk=review.pk)
    return render(
        request,
        "reviews/review_edit.html",
        {"review": review, "form": form, "sections": sections, "signatures": signatures},
    )


@require_POST
@reviewer_required
def review_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(pk)
    try:
        finalise_review(review=review, user=request.user)
    except ReviewLocked:
        messages.error(request, ReviewLocked.message)
    else:
        messages.success(
            request, _("The review is final: its report now prints the figures of today.")
        )
    return redirect("review_detail", pk=review.pk)


@require_GET
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report to print; `?_export=csv|xlsx` downloads its table by zone, every zone."""
    review = _review_for(pk)
    context = _review_context(review, request.user)
    file_format = request.GET.get("_export")
    if file_format in ("csv", "xlsx"):
        export = xlsx_response if file_format == "xlsx" else csv_response
        return export(
            filename=f"review-{review.pk}-zones.{file_format}",
            header=ZONE_EXPORT_HEADER,
            rows=zone_export_rows(context["figures"]),
        )
    return render(request, "reviews/report.html", context)


@require_GET
def review_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(pk)
    context = _review_context(review, request.user)

    def build() -> bytes:
        html = render_to_string("reviews/report.html", context, request=request)
        return render_pdf(html, base_url=request.build_absolute_uri("/"))

    key = f"review-pdf:{review.pk}:{context['figures_key']}"
    response = HttpResponse(cached_rendering(key, build), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=report_filename(review)
    )
    return response


# Annual returns

RETURNS_PER_PAGE = 50


def _readonly_rows(annual_return: AnnualReturn, organisations: list) -> dict:
    """The return's figures and ratings as label and value, for those who only read it."""
    ratings = dict(OrganisationRating.Rating.choices)
    return {
        "figures": [
            (
                capfirst(AnnualReturn._meta.get_field(name).verbose_name),
                getattr(annual_return, name),
            )
            for name in COUNT_FIELDS
        ],
        "ratings": [
            (f"{o} ({o.get_kind_display()})", ratings.get(o.year_rating, _("Not rated")))
            for o in organisations
        ],
    }


def _return_body(
    request: HttpRequest,
    *,
    enterprise: Enterprise,
    year: int,
    annual_return: AnnualReturn | None,
    organisations: list,
    may_write: bool,
    form: AnnualReturnForm | None,
    **extra,
) -> str:
    """The return page but for its frame, around its form: status, stored warnings, each role's
    buttons, and the figures as a table for those who get no form; extra goes into the
    context."""
    status = annual_return.status if annual_return else None
    reviewer = is_reviewer(request.user)
    context = {
        "enterprise": enterprise,
        "year": year,
        "annual_return": annual_return,
        "form": form,
        "can_submit": may_write and status in (None, *SUBMITTABLE),
        "can_accept": reviewer and status == AnnualReturn.Status.SUBMITTED,
        "review_form": None,
        "warnings": [],
    }
    if annual_return is not None:
        context["warnings"] = return_warnings(
            figures={name: getattr(annual_return, name) for name in COUNT_FIELDS},
            year=year,
            organisations=organisations,
            ratings={o.pk: o.year_rating for o in organisations},
        )
        if form is None:
            context["readonly"] = _readonly_rows(annual_return, organisations)
        if reviewer and status in RETURNABLE:
            context["review_form"] = ReturnReviewForm(
                initial={"seen_version": annual_return.version}
            )
    context |= extra
    return render_to_string("reviews/_return_edit.html", context, request=request)


def _return_conflict(form: AnnualReturnForm, *, current: AnnualReturn, organisations) -> dict:
    """What enterprises/_conflict.html shows after a refused stale save: who saved meanwhile,
    and each value that differs as it was opened, as they saved it and as typed."""
    change = last_change(current)
    opened, opened_ratings = return_as_opened(
        annual_return=current, version=form.cleaned_data["seen_version"]
    )
    return {
        "by": getattr(change, "history_user", None),
        "at": getattr(change, "history_date", None),
        "rows": form.differences(
            current=current,
            organisations=organisations,
            opened=opened,
            opened_ratings=opened_ratings,
        ),
    }


def _save_return_form(request: HttpRequest, form: AnnualReturnForm, *, creating: bool) -> None:
    """Saves the form's figures and ratings, then submits the return if the official asked."""
    saved = save_return(
        user=request.user,
        enterprise=form.instance.enterprise,
        year=form.instance.year,
        figures=form.figures(),
        ratings=form.ratings(),
        version=None if creating else form.cleaned_data["seen_version"],
    )
    messages.success(request, _("The return for %(year)s is saved.") % {"year": saved.year})
    if request.POST.get("action") == "submit":
        submit_return(user=request.user, annual_return=saved, version=saved.version)
        messages.success(request, _("It is submitted to the reviewers."))


@require_http_methods(["GET", "POST"])
def return_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Create or edit an enterprise's return for a year. Those who may write the enterprise
    get the form (unless the return is accepted); everyone else who may see it reads it."""
    enterprise = enterprise_for(request.user, pk)
    may_write = may_write_enterprise(request.user, enterprise)
    if request.method == "GET":
        return _return_page(request, enterprise=enterprise, year=year, may_write=may_write)
    annual_return = return_for(enterprise=enterprise, year=year)
    if annual_return is None:
        problem = return_year_problem(enterprise=enterprise, year=year)
        if problem:
            return _return_unavailable(request, enterprise=enterprise, year=year, problem=problem)
    if not may_write:
        raise PermissionDenied
    if annual_return is not None and annual_return.is_locked:
        messages.error(request, ReturnLocked.message)
        return redirect("return_edit", pk=enterprise.pk, year=year)

    organisations = organisations_to_rate(enterprise=enterprise, year=year)
    form = AnnualReturnForm(
        request.POST,
        instance=annual_return or AnnualReturn(enterprise=enterprise, year=year),
        organisations=organisations,
    )
    conflict = None
    if form.is_valid():
        try:
            _save_return_form(request, form, creating=annual_return is None)
        except StaleEdit as stale:
            annual_return = stale.current
            organisations = organisations_to_rate(enterprise=enterprise, year=year)
            conflict = _return_conflict(form, current=annual_return, organisations=organisations)
            form = None if annual_return.is_locked else form.at_version(annual_return.version)
        except DuplicateReturn as error:
            form.add_error(None, str(error))
        except ReturnError as error:
            messages.error(request, str(error))
            return redirect("return_edit", pk=enterprise.pk, year=year)
        else:
            return redirect("return_edit", pk=enterprise.pk, year=year)

    body = _return_body(
        request,
        enterprise=enterprise,
        year=year,
        annual_return=annual_return,
        organisations=organisations,
        may_write=may_write,
        form=form,
        conflict=conflict,
    )
    return _return_frame(request, enterprise=enterprise, year=year, body=body)


CSRF_PLACEHOLDER = "csrf-token-of-this-request"


def _return_page(
    request: HttpRequest, *, enterprise: Enterprise, year: int, may_write: bool
) -> HttpResponse:
    """A return as it stands, rendered once until the next write for each kind of reader (who
    may write it, who may review it) and language; each request puts its own CSRF token in."""

    def body() -> str | None:
        annual_return = return_for(enterprise=enterprise, year=year)
        if annual_return is None and return_year_problem(enterprise=enterprise, year=year):
            return None
        organisations = organisations_to_rate(enterprise=enterprise, year=year)
        form = None
        if may_write and not (annual_return is not None and annual_return.is_locked):
            form = AnnualReturnForm(
                instance=annual_return or AnnualReturn(enterprise=enterprise, year=year),
                organisations=organisations,
            )
        return _return_body(
            request,
            enterprise=enterprise,
            year=year,
            annual_return=annual_return,
            organisations=organisations,
            may_write=may_write,
            form=form,
            csrf_token=CSRF_PLACEHOLDER,
        )

    reader = f"{may_write}:{is_reviewer(request.user)}"
    key = f"return-page:{enterprise.pk}:{year}:{reader}:{timezone.localdate()}"
    html = cached_rendering(key, body)
    if html is None:
        problem = return_year_problem(enterprise=enterprise, year=year)
        return _return_unavailable(request, enterprise=enterprise, year=year, problem=problem)
    body_html = mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))
    return _return_frame(request, enterprise=enterprise, year=year, body=body_html)


def _return_frame(request: HttpRequest, *, enterprise: Enterprise, year: int, body: str):
    context = {"enterprise": enterprise, "year": year, "body": body}
    return render(request, "reviews/return_edit.html", context)


def _return_unavailable(request: HttpRequest, *, enterprise: Enterprise, year: int, problem):
    context = {"enterprise": enterprise, "year": year, "problem": problem}
    return render(request, "reviews/return_unavailable.html", context, status=404)


@require_POST
def return_review(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """A reviewer accepts a return, or returns it (also an accepted one) with a reason."""
    enterprise = enterprise_for(request.user, pk)
    annual_return = return_for(enterprise=enterprise, year=year)
    if annual_return is None:
        raise Http404
    if not is_reviewer(request.user):
        raise PermissionDenied
    form = ReturnReviewForm(request.POST)
    if not form.is_valid():
        organisations = organisations_to_rate(enterprise=enterprise, year=year)
        body = _return_body(
            request,
            enterprise=enterprise,
            year=year,
            annual_return=annual_return,
            organisations=organisations,
            may_write=may_write_enterprise(request.user, enterprise),
            form=None,
            review_form=form,
        )
        return _return_frame(request, enterprise=enterprise, year=year, body=body)
    version = form.cleaned_data["seen_version"]
    try:
        if form.cleaned_data["action"] == ReturnReviewForm.ACCEPT:
            accept_return(user=request.user, annual_return=annual_return, version=version)
            messages.success(request, _("The return is accepted; it is read-only now."))
        else:
            return_return(
                user=request.user,
                annual_return=annual_return,
                version=version,
                reason=form.cleaned_data["return_reason"],
            )
            messages.success(request, _("The return is returned to the officials."))
    except StaleEdit:
        messages.error(
            request,
            _("Someone changed this return after you opened it: look at it again, then decide."),
        )
    except ReturnError as error:
        messages.error(request, str(error))
    return redirect("return_edit", pk=enterprise.pk, year=year)


@require_GET
def return_list(request: HttpRequest) -> HttpResponse:
    """The returns the user may see, submitted ones first, filtered by year, status and zone."""
    filter_form = ReturnQueueFilterForm(request.GET, user=request.user)
    returns = return_queue(user=request.user, **filter_form.filters())
    page = Paginator(returns, RETURNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reviews/return_list.html", {"filter_form": filter_form, "page": page})
