"""Annual returns: the return page (entering, submitting, reviewing) and the queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination.query import int_param
from coordination.roles import is_reviewer
from coordination.versioning import StaleEdit
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_for, may_write_enterprise

from ..forms.cycle import BulkReviewForm
from ..forms.returns import AnnualReturnForm, ReturnQueueFilterForm, ReturnReviewForm
from ..models import COUNT_FIELDS, AnnualReturn, OrganisationRating
from ..rules import return_warnings
from ..selectors.calendar import YearLock, year_lock
from ..selectors.cycle import bulk_summary, open_quality_flags
from ..selectors.returns import (
    organisations_to_rate,
    previous_accepted_figures,
    return_for,
    return_queue,
    return_year_problem,
)
from ..selectors.timeline import return_timeline
from ..services.cycle import bulk_review
from ..services.errors import DuplicateReturn, ReturnLocked, ReturnRefused, YearLocked
from ..services.returns import (
    RETURNABLE,
    SUBMITTABLE,
    accept_return,
    save_return,
    send_back_return,
    submit_return,
)

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


def _return_page_response(
    request: HttpRequest,
    *,
    enterprise: Enterprise,
    year: int,
    annual_return: AnnualReturn | None,
    organisations: list,
    form: AnnualReturnForm | None,
    lock: YearLock | None = None,
    **extra,
) -> HttpResponse:
    """The return page around its form: status, stored warnings, each role's buttons, and the
    figures as a table for those who get no form; `lock` is the year's, when the caller has it;
    extra goes into the context."""
    status = annual_return.status if annual_return else None
    may_write = may_write_enterprise(request.user, enterprise)
    reviewer = is_reviewer(request.user)
    lock = lock or year_lock(enterprise=enterprise, year=year)
    context = {
        "year_lock": lock,
        "enterprise": enterprise,
        "year": year,
        "annual_return": annual_return,
        "form": form,
        "can_submit": may_write and status in (None, *SUBMITTABLE) and not lock.closed,
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
        if annual_return.submitted_at is not None:  # flags are raised on submission
            context["quality_flags"] = open_quality_flags(annual_return)
        context["timeline"] = return_timeline(annual_return)
        if reviewer and status in RETURNABLE:
            context["review_form"] = ReturnReviewForm(
                initial={"seen_version": annual_return.version}
            )
    context |= extra
    return render(request, "reviews/return_edit.html", context)


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
    annual_return = return_for(enterprise=enterprise, year=year)
    if annual_return is None:
        problem = return_year_problem(enterprise=enterprise, year=year)
        if problem:
            return _return_unavailable(request, enterprise=enterprise, year=year, problem=problem)
    posted = request.method == "POST"
    if posted and not may_write:
        raise PermissionDenied
    if posted and annual_return is not None and annual_return.is_locked:
        messages.error(request, ReturnLocked.message)
        return redirect("return_edit", pk=enterprise.pk, year=year)

    organisations = organisations_to_rate(enterprise=enterprise, year=year)
    lock = year_lock(enterprise=enterprise, year=year)
    editable = may_write and not lock.closed and not (annual_return and annual_return.is_locked)
    form = conflict = None
    if posted or editable:  # a POST gets its form back with why it was refused, even when closed
        form = AnnualReturnForm(
            request.POST if posted else None,
            instance=annual_return or AnnualReturn(enterprise=enterprise, year=year),
            organisations=organisations,
            previous=previous_accepted_figures(enterprise=enterprise, year=year),
        )
    if posted and form.is_valid():
        try:
            _save_return_form(request, form, creating=annual_return is None)
        except StaleEdit as stale:
            annual_return = stale.current
            organisations = organisations_to_rate(enterprise=enterprise, year=year)
            conflict, form = form.refused(annual_return)
            if annual_return.is_locked:
                form = None
        except (DuplicateReturn, YearLocked) as error:
            form.add_error(None, str(error))
        except ReturnRefused as error:
            messages.error(request, str(error))
            return redirect("return_edit", pk=enterprise.pk, year=year)
        else:
            return redirect("return_edit", pk=enterprise.pk, year=year)

    return _return_page_response(
        request,
        enterprise=enterprise,
        year=year,
        annual_return=annual_return,
        organisations=organisations,
        form=form,
        conflict=conflict,
        lock=lock,
    )


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
        return _return_page_response(
            request,
            enterprise=enterprise,
            year=year,
            annual_return=annual_return,
            organisations=organisations_to_rate(enterprise=enterprise, year=year),
            form=None,
            review_form=form,
        )
    version = form.cleaned_data["seen_version"]
    try:
        if form.cleaned_data["action"] == ReturnReviewForm.ACCEPT:
            accept_return(user=request.user, annual_return=annual_return, version=version)
            messages.success(request, _("The return is accepted; it is read-only now."))
        else:
            send_back_return(
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
    except ReturnRefused as error:
        messages.error(request, str(error))
    return redirect("return_edit", pk=enterprise.pk, year=year)


@require_http_methods(["GET", "POST"])
def return_list(request: HttpRequest) -> HttpResponse:
    """The returns the user may see, submitted ones first, filtered by year, status, zone, time
    of submission and official; reviewers accept or return many at once (POST)."""
    filter_form = ReturnQueueFilterForm(request.GET, user=request.user)
    returns = return_queue(user=request.user, **filter_form.filters())
    reviewer = is_reviewer(request.user)
    bulk_form = None
    if reviewer:
        bulk_form = BulkReviewForm(
            request.POST if request.method == "POST" else None,
            initial={"seen_at": timezone.now(), "action": BulkReviewForm.ACCEPT},
        )
    if request.method == "POST":
        if not reviewer:
            raise PermissionDenied
        if bulk_form.is_valid():
            return _bulk_review(request, bulk_form, returns)
    page = Paginator(returns, RETURNS_PER_PAGE).get_page(int_param(request.GET, "page"))
    context = {"filter_form": filter_form, "page": page, "bulk_form": bulk_form}
    return render(request, "reviews/return_list.html", context)


def _bulk_review(request: HttpRequest, form: BulkReviewForm, returns) -> HttpResponse:
    """Reviews the chosen returns among those the filters match, and shows each one's result."""
    everything = form.cleaned_data["everything"]
    accept = form.cleaned_data["action"] == BulkReviewForm.ACCEPT
    results = bulk_review(
        user=request.user,
        returns=returns,
        seen=None if everything else form.cleaned_data["selected"],
        seen_at=form.cleaned_data["seen_at"] if everything else None,
        accept=accept,
        reason=form.cleaned_data["return_reason"],
        accept_flagged=form.cleaned_data["accept_flagged"],
    )
    context = {"summary": bulk_summary(results), "filters": request.GET.urlencode()}
    return render(request, "reviews/return_bulk_result.html", context)
