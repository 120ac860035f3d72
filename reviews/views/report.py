"""A review's printed report: the print view, its table by zone as a download, the PDF and the
Word copy (each with the print view's context and access)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from coordination.cache import cached_rendering
from enterprises.exports import EXPORT_FORMATS, export_response

from ..documents.docx import build_docx
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


def _document_response(
    request: HttpRequest, pk: int, *, kind: str, build, content_type: str, attachment: bool
) -> HttpResponse:
    """A rendering of the report, cached per language and figures until a write in what they
    cover (coordination.cache)."""
    review = review_for(pk)
    context = review_context(review, request.user, preview=wants_preview(request))
    key = f"review-{kind}:{review.pk}:{context['figures_key']}"
    content = cached_rendering(
        key, lambda: build(request, context), covering=context["figures_cover"]
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=attachment, filename=report_filename(review, kind)
    )
    return response


def _pdf(request: HttpRequest, context: dict) -> bytes:
    html = render_to_string("reviews/report.html", context, request=request)
    return render_pdf(html, base_url=request.build_absolute_uri("/"))


@require_GET
def review_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_response(
        request, pk, kind="pdf", build=_pdf, content_type="application/pdf", attachment=False
    )


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
def review_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The Word copy to edit: a download."""
    return _document_response(
        request,
        pk,
        kind="docx",
        build=lambda _request, context: build_docx(context),
        content_type=DOCX_TYPE,
        attachment=True,
    )
