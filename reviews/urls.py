from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("gaps/", views.gaps, name="gaps"),
    # Programme reviews
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/finalise/", views.review_finalise, name="review_finalise"),
    path("reviews/<int:pk>/report/", views.review_report, name="review_report"),
    path("reviews/<int:pk>/report.pdf", views.review_report_pdf, name="review_report_pdf"),
    # Annual returns
    path("enterprises/<int:pk>/returns/<int:year>/", views.return_edit, name="return_edit"),
    path(
        "enterprises/<int:pk>/returns/<int:year>/review/",
        views.return_review,
        name="return_review",
    ),
    path("returns/", views.return_list, name="return_list"),
]
