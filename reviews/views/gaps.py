"""The gap lists: where organisations could be founded."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from coordination.query import int_param
from coordination.selectors import current_programme
from enterprises.exports import EXPORT_FORMATS, export_response
from enterprises.selectors import scope_covers, zone_for

from ..exports import gap_table
from ..selectors.assessment import assessment_year
from ..selectors.gaps import GAP_LABELS, GAP_PAGE_ROWS, gap_counts, gap_counts_key, gap_enterprises


@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    """Where organisations could be founded, for a year: each gap counted per zone, and one
    gap's enterprises (`?gap=…`, in a zone with `&zone=…`) a page at a time; `?_export=csv|xlsx`
    downloads every enterprise of the three gaps."""
    programme = current_programme(day=timezone.localdate())
    if programme:
        chosen = assessment_year(
            programme=programme, user=request.user, requested=request.GET.get("year")
        )
        year, years, problem = chosen.year, chosen.years, chosen.problem
    else:
        year = timezone.localdate().year
        years, problem = [year], ""
    file_format = request.GET.get("_export")
    if file_format in EXPORT_FORMATS:
        return export_response(gap_table(user=request.user, year=year), file_format)
    context = {"year": year, "years": years, "year_problem": problem}
    gap = request.GET.get("gap")
    if gap in GAP_LABELS:
        zone_pk = int_param(request.GET, "zone")
        zone = zone_for(request.user, zone_pk) if zone_pk is not None else None
        enterprises = gap_enterprises(user=request.user, year=year, gap=gap, zone=zone)
        context["gap"] = {"key": gap, "label": GAP_LABELS[gap], "zone": zone}
        context["page"] = Paginator(enterprises, GAP_PAGE_ROWS).get_page(
            int_param(request.GET, "page")
        )
    else:
        counts = gap_counts(user=request.user, year=year)
        context["counts_key"] = gap_counts_key(user=request.user, year=year)
        context["counts_cover"] = scope_covers(request.user, [year])
        context["gaps"] = [
            {"key": key, "label": label, "total": counts["totals"][key]}
            for key, label in GAP_LABELS.items()
        ]
        context["zones"] = counts["zones"]
    return render(request, "reviews/gaps.html", context)
