from django.urls import path

from . import views

urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/import/", views.enterprise_import, name="enterprise_import"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/history/", views.enterprise_history, name="enterprise_history"),
    path(
        "enterprises/<int:pk>/organisations/new/",
        views.organisation_create,
        name="organisation_create",
    ),
    path("organisations/export/", views.organisation_export, name="organisation_export"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/dissolve/",
        views.organisation_dissolve,
        name="organisation_dissolve",
    ),
    path("zones/", views.zone_list, name="zone_list"),
    path("zones/<int:pk>/", views.zone_detail, name="zone_detail"),
]
