"""The dashboard: the current programme at a glance, and the viewer's to-do list."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from coordination.query import int_param
from coordination.roles import is_administrator, is_reviewer
from coordination.selectors import other_programmes, programme_shown

from ..selectors.assessment import (
    assessment_covers,
    assessment_key,
    assessment_year,
    cached_assessment,
)
from ..selectors.cycle import reporting_year_totals
from ..selectors.dashboard import DASHBOARD_ZONES, largest_zones, todo_for
from .preview import wants_preview


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """A programme (the current one unless `?programme=` asks for another) at a glance for
    the viewer's scope, for a year of the programme."""
    programme = programme_shown(
        requested=int_param(request.GET, "programme"), day=timezone.localdate()
    )
    if programme is None:
        context = {
            "programme": None,
            "can_administer": is_administrator(request.user),
            "todo": todo_for(user=request.user),
            "returns_cycle": reporting_year_totals(user=request.user),
        }
        return render(request, "reviews/dashboard.html", context)
    chosen = assessment_year(
        programme=programme, user=request.user, requested=request.GET.get("year")
    )
    year = chosen.year
    counting = {"programme": programme, "year": year, "user": request.user}
    counting["preview"] = wants_preview(request)
    figures = cached_assessment(**counting)
    zones = "all" if request.GET.get("zones") == "all" else "largest"
    context = {
        "programme": programme,
        "other_programmes": other_programmes(programme),
        "year": year,
        "years": chosen.years,
        "year_problem": chosen.problem,
        "may_preview": is_reviewer(request.user),
        "figures": figures,
        "figures_key": assessment_key(**counting),
        "figures_cover": assessment_covers(programme=programme, year=year, user=request.user),
        "zones": zones,
        "zone_rows": figures["breakdowns"]["zone"]
        if zones == "all"
        else largest_zones(figures["breakdowns"]["zone"], DASHBOARD_ZONES),
        "dashboard_zones": DASHBOARD_ZONES,
        "todo": todo_for(user=request.user, year=year),
        "returns_cycle": reporting_year_totals(user=request.user),
    }
    return render(request, "reviews/dashboard.html", context)
