"""A review's printed report: the print view, its table by zone as a download, the PDF and the
Word copy (each with the print view's context and access)."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from coordination.cache import cached_rendering
from enterprises.exports import EXPORT_FORMATS, export_response

from ..documents.docx import build_docx
from ..documents.pdf import render_pdf, report_filename
from ..exports import zone_table
from ..models import ProgrammeReview
from ..selectors.programme_reviews import review_context, review_figures_key, review_for
from .preview import wants_preview


@require_GET
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report to print; `?_export=csv|xlsx` downloads its table by zone, every zone."""
    review = review_for(pk)
    file_format = request.GET.get("_export")
    if file_format in EXPORT_FORMATS:
        context = review_context(review, request.user, preview=wants_preview(request))
        return export_response(zone_table(context["figures"], review=review), file_format)
    return _document_response(
        request, review, kind="html", build=_html, content_type="text/html; charset=utf-8"
    )


def _document_response(
    request: HttpRequest,
    review: ProgrammeReview,
    *,
    kind: str,
    build,
    content_type: str,
    attachment: bool | None = None,
) -> HttpResponse:
    """A rendering of the report (the print view, which holds no form, the PDF, the Word
    copy): a document, rendered once per language and figures until a write in what they cover
    (coordination.cache), as its rendering costs more than its figures."""
    preview = wants_preview(request)
    figures_key, covering = review_figures_key(review, request.user, preview=preview)

    def render_document():
        return build(request, review_context(review, request.user, preview=preview))

    key = f"review-{kind}:{review.pk}:{figures_key}"
    content = cached_rendering(key, render_document, covering=covering)
    response = HttpResponse(content, content_type=content_type)
    if attachment is not None:
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=attachment, filename=report_filename(review, kind)
        )
    return response


def _html(request: HttpRequest, context: dict) -> str:
    return render_to_string("reviews/report.html", context, request=request)


def _pdf(request: HttpRequest, context: dict) -> bytes:
    return render_pdf(_html(request, context), base_url=request.build_absolute_uri("/"))


@require_GET
def review_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_response(
        request,
        review_for(pk),
        kind="pdf",
        build=_pdf,
        content_type="application/pdf",
        attachment=False,
    )


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
def review_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The Word copy to edit: a download."""
    return _document_response(
        request,
        review_for(pk),
        kind="docx",
        build=lambda _request, context: build_docx(context),
        content_type=DOCX_TYPE,
        attachment=True,
    )
