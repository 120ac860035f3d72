"""A review's printed report: the print view, its table by zone as a download, and the PDF."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from coordination.cache import cached_rendering
from enterprises.exports import EXPORT_FORMATS, export_response

from ..documents.pdf import render_pdf, report_filename
from ..exports import zone_table
from ..selectors.programme_reviews import review_context, review_for
from .preview import wants_preview


@require_GET
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report to print; `?_export=csv|xlsx` downloads its table by zone, every zone."""
    review = review_for(pk)
    context = review_context(review, request.user, preview=wants_preview(request))
    file_format = request.GET.get("_export")
    if file_format in EXPORT_FORMATS:
        return export_response(zone_table(context["figures"], review=review), file_format)
    return render(request, "reviews/report.html", context)


@require_GET
def review_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_for(pk)
    context = review_context(review, request.user, preview=wants_preview(request))

    def build() -> bytes:
        html = render_to_string("reviews/report.html", context, request=request)
        return render_pdf(html, base_url=request.build_absolute_uri("/"))

    key = f"review-pdf:{review.pk}:{context['figures_key']}"
    response = HttpResponse(cached_rendering(key, build), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=report_filename(review)
    )
    return response
