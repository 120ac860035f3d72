"""The reporting cycle's pages: completeness and timeliness of a year's returns, the
data-quality checks to look at, and the exceptions to a year's lock."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coordination.query import int_param
from coordination.roles import is_reviewer, reviewer_required
from enterprises.exports import EXPORT_FORMATS, export_response
from enterprises.selectors import visible_zones, zone_for

from ..exports import completeness_table
from ..forms.cycle import CloseFlagForm, LockExceptionForm
from ..selectors.cycle import (
    COLUMN_LABELS,
    COLUMNS,
    completeness,
    flag_text,
    quality_queue,
    reporting_year_choice,
    visible_lock_exceptions,
)
from ..services.cycle import close_quality_flag, open_lock_exception
from ..services.errors import ReturnRefused

FLAGS_PER_PAGE = 50


@require_GET
def completeness_page(request: HttpRequest) -> HttpResponse:
    """A year's returns by zone and by official: expected, missing, each status, on time and
    late; `?_export=csv|xlsx` downloads both tables."""
    year, years = reporting_year_choice(int_param(request.GET, "year"))
    figures = completeness(user=request.user, year=year)
    file_format = request.GET.get("_export")
    if file_format in EXPORT_FORMATS:
        return export_response(completeness_table(figures, year=year), file_format)
    links = CountLinks(year)
    context = {
        "year": year,
        "years": years,
        "figures": figures,
        "headings": [COLUMN_LABELS[name] for name in COLUMNS],
        "zone_rows": [
            (zone["name"], links.cells(zone["counts"], f"zone={zone['pk']}"))
            for zone in figures["zones"]
        ],
        "official_rows": [
            (row["official"], links.cells(row["counts"], f"official={row['official'].pk}"))
            for row in figures["officials"]
        ],
        "total": links.cells(figures["total"]),
    }
    return render(request, "reviews/completeness.html", context)


class CountLinks:
    """Each count with the list it opens: expected and missing enterprises in the enterprise
    list, returns of a status or submitted on time or late in the returns queue. The addresses
    are reversed once per page: a national page has some 2,400 counts."""

    def __init__(self, year: int):
        enterprises, returns = reverse("enterprise_list"), reverse("return_list")
        self.columns = []
        for name in COLUMNS:
            if name in ("expected", "missing"):
                path, narrowing = enterprises, {"figure": f"returns_{name}"}
            elif name in ("on_time", "late"):
                path, narrowing = returns, {"timeliness": name}
            else:
                path, narrowing = returns, {"status": name}
            self.columns.append((name, f"{path}?{urlencode({'year': year} | narrowing)}"))

    def cells(self, counts: dict, where: str = "") -> list[dict]:
        """`where` is the row's own parameter (zone=… or official=…)."""
        suffix = f"&{where}" if where else ""
        return [{"count": counts[name], "url": url + suffix} for name, url in self.columns]


@require_GET
def quality_checks(request: HttpRequest) -> HttpResponse:
    """The open data-quality flags of the returns the viewer sees, by zone, a page at a time."""
    year = int_param(request.GET, "year")
    zone_pk = int_param(request.GET, "zone")
    zone = zone_for(request.user, zone_pk) if zone_pk is not None else None
    flags = quality_queue(user=request.user, year=year, zone=zone)
    page = Paginator(flags, FLAGS_PER_PAGE).get_page(int_param(request.GET, "page"))
    context = {
        "page": page,
        "rows": [(flag, flag_text(flag)) for flag in page.object_list],
        "year": year,
        "zone": zone,
        "zones": visible_zones(request.user).order_by("name"),
        "may_close": is_reviewer(request.user),
        "close_form": CloseFlagForm(),
    }
    return render(request, "reviews/quality_checks.html", context)


@require_POST
@reviewer_required
def quality_flag_close(request: HttpRequest, pk: int) -> HttpResponse:
    flags = quality_queue(user=request.user)
    flag = get_object_or_404(flags, pk=pk)
    form = CloseFlagForm(request.POST)
    if form.is_valid():
        try:
            close_quality_flag(user=request.user, flag=flag, note=form.cleaned_data["note"])
            messages.success(request, _("The flag is closed."))
        except ReturnRefused as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Say why the flag is closed."))
    return redirect(request.POST.get("next") or "quality_checks")


@require_http_methods(["GET", "POST"])
@reviewer_required
def lock_exceptions(request: HttpRequest) -> HttpResponse:
    """The exceptions to the years' locks, and a form to open a locked year again."""
    form = LockExceptionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            open_lock_exception(
                user=request.user,
                year=form.cleaned_data["year"],
                enterprise=form.cleaned_data["enterprise"],
                zone=form.cleaned_data["zone"],
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The exception is recorded."))
            return redirect("lock_exceptions")
    exceptions = visible_lock_exceptions(user=request.user)
    context = {
        "form": form,
        "exceptions": exceptions[:200],
        "today": timezone.localdate(),
    }
    return render(request, "reviews/lock_exceptions.html", context)
