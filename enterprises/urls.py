from django.urls import include, path

from . import views

enterprise_patterns = [
    path("", views.enterprise_detail, name="enterprise_detail"),
    path("edit/", views.enterprise_edit, name="enterprise_edit"),
    path("history/", views.enterprise_history, name="enterprise_history"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
]

organisation_patterns = [
    path("", views.organisation_detail, name="organisation_detail"),
    path("edit/", views.organisation_edit, name="organisation_edit"),
    path("dissolve/", views.organisation_dissolve, name="organisation_dissolve"),
]

urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/import/", views.enterprise_import, name="enterprise_import"),
    path("enterprises/<int:pk>/", include(enterprise_patterns)),
    path("organisations/export/", views.organisation_export, name="organisation_export"),
    path("organisations/<int:pk>/", include(organisation_patterns)),
    path("zones/", views.zone_list, name="zone_list"),
    path("zones/<int:pk>/", views.zone_detail, name="zone_detail"),
]
