"""Views: thin wiring of requests to selectors, services and templates."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/dashboard.html")
