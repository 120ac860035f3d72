from django.urls import path

from .views import (
    cycle,
    dashboard,
    gaps,
    programme_reviews,
    programmes,
    report,
    returns,
    signed_copies,
)

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("gaps/", gaps.gaps, name="gaps"),
    path("programmes/<int:pk>/follow/", programmes.programme_follow, name="programme_follow"),
    # Programme reviews
    path("reviews/", programme_reviews.review_list, name="review_list"),
    path("reviews/new/", programme_reviews.review_create, name="review_create"),
    path("reviews/<int:pk>/", programme_reviews.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", programme_reviews.review_edit, name="review_edit"),
    path("reviews/<int:pk>/finalise/", programme_reviews.review_finalise, name="review_finalise"),
    path("reviews/<int:pk>/report/", report.review_report, name="review_report"),
    path("reviews/<int:pk>/report.pdf", report.review_report_pdf, name="review_report_pdf"),
    path("reviews/<int:pk>/report.docx", report.review_report_docx, name="review_report_docx"),
    path("reviews/<int:pk>/signed/", signed_copies.signed_copy_upload, name="signed_copy_upload"),
    path(
        "reviews/<int:pk>/signed/<int:copy_pk>.pdf",
        signed_copies.signed_copy_file,
        name="signed_copy_file",
    ),
    # Annual returns
    path("enterprises/<int:pk>/returns/<int:year>/", returns.return_edit, name="return_edit"),
    path(
        "enterprises/<int:pk>/returns/<int:year>/review/",
        returns.return_review,
        name="return_review",
    ),
    path("returns/", returns.return_list, name="return_list"),
    # The reporting cycle
    path("returns/completeness/", cycle.completeness_page, name="returns_completeness"),
    path("returns/checks/", cycle.quality_checks, name="quality_checks"),
    path("returns/checks/<int:pk>/close/", cycle.quality_flag_close, name="quality_flag_close"),
    path("returns/exceptions/", cycle.lock_exceptions, name="lock_exceptions"),
]
