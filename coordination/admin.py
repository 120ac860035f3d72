"""The admin for the programme's contents: bodies, programmes, content areas, tasks, indicators."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import models
from .history_admin import HistoryAdmin
from .selectors import bodies_current_first


class ProgrammeBodyInline(admin.TabularInline):
    model = models.ProgrammeBody
    extra = 0
    autocomplete_fields = ["body"]


class ContentAreaInline(admin.TabularInline):
    model = models.ContentArea
    extra = 0
    fields = ["position", "title"]
    show_change_link = True


class IndicatorInline(admin.TabularInline):
    model = models.Indicator
    extra = 0
    fields = [
        "code",
        "name",
        "content_area",
        "metric",
        "direction",
        "baseline_year",
        "baseline_value",
        "target_value",
        "carried_from",
    ]
    readonly_fields = ["carried_from"]
    autocomplete_fields = ["content_area"]
    show_change_link = True


class TaskInline(admin.StackedInline):
    model = models.Task
    extra = 0
    fields = [
        "title",
        ("lead_body", "coordinating_bodies"),
        ("due_on", "status", "completed_on"),
        "result",
    ]
    autocomplete_fields = ["lead_body", "coordinating_bodies"]
    show_change_link = True


class IndicatorTargetInline(admin.TabularInline):
    model = models.IndicatorTarget
    extra = 0


@admin.register(models.Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "now", "short_name", "symbol", "kind", "document_style", "parent"]
    list_filter = ["kind", "document_style"]
    search_fields = ["name", "short_name", "symbol"]
    list_select_related = ["parent", "successor"]
    autocomplete_fields = ["parent", "successor"]

    def get_queryset(self, request):
        """The bodies acting today first, then the former ones."""
        return bodies_current_first(super().get_queryset(request), day=timezone.localdate())

    @admin.display(description=_("now"))
    def now(self, body: models.Body) -> str:
        """The body acting in a former one's place today ("nay là …"), else nothing."""
        day = timezone.localdate()
        return "" if body.is_current_on(day) else str(body.as_of(day))


@admin.register(models.Programme)
class ProgrammeAdmin(HistoryAdmin):
    list_display = ["title", "number", "start_year", "end_year", "signed_on"]
    list_filter = ["start_year", "end_year"]
    search_fields = ["title", "number"]
    autocomplete_fields = ["follows"]
    inlines = [ProgrammeBodyInline, ContentAreaInline, IndicatorInline]


@admin.register(models.ProgrammeBody)
class ProgrammeBodyAdmin(admin.ModelAdmin):
    list_display = ["programme", "body", "role", "position"]
    list_filter = ["role"]
    search_fields = ["programme__title", "body__name", "body__symbol"]
    list_select_related = ["programme", "body"]
    autocomplete_fields = ["programme", "body"]


@admin.register(models.ContentArea)
class ContentAreaAdmin(HistoryAdmin):
    list_display = ["title", "position", "programme"]
    list_filter = ["programme"]
    search_fields = ["title", "description"]
    list_select_related = ["programme"]
    autocomplete_fields = ["programme"]
    inlines = [TaskInline]


@admin.register(models.Task)
class TaskAdmin(HistoryAdmin):
    list_display = ["title", "content_area", "lead_body", "due_on", "status", "completed_on"]
    list_filter = ["status", "lead_body", "content_area__programme", "due_on"]
    search_fields = ["title", "description", "result"]
    list_select_related = ["content_area", "lead_body"]
    autocomplete_fields = ["content_area", "lead_body", "coordinating_bodies"]
    date_hierarchy = "due_on"


@admin.register(models.Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = [
        "code",
        "name",
        "programme",
        "metric",
        "direction",
        "baseline_year",
        "baseline_value",
        "target_value",
    ]
    list_filter = ["programme", "metric", "direction"]
    search_fields = ["code", "name"]
    list_select_related = ["programme"]
    autocomplete_fields = ["programme", "content_area", "carried_from"]
    inlines = [IndicatorTargetInline]


@admin.register(models.IndicatorTarget)
class IndicatorTargetAdmin(HistoryAdmin):
    list_display = ["indicator", "year", "value", "actual_value"]
    list_filter = ["year", "indicator__programme"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator"]


@admin.register(models.UserPreference)
class UserPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "reminders"]
    list_filter = ["language", "reminders"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
