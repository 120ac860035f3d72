"""The admin for zones, enterprises and their organisations."""

from django.contrib import admin

from coordination.admin import BodyAdmin
from coordination.history_admin import HistoryAdmin
from coordination.models import Body

from .models import Enterprise, Organisation, SuperiorBodyKind, Zone


class SuperiorBodyKindInline(admin.TabularInline):
    model = SuperiorBodyKind
    extra = 0


class BodyWithSuperiorKindsAdmin(BodyAdmin):
    """coordination's body admin with the kinds of organisation a body may stand above (which
    enterprises defines: coordination may not import it)."""

    inlines = [*BodyAdmin.inlines, SuperiorBodyKindInline]


admin.site.unregister(Body)
admin.site.register(Body, BodyWithSuperiorKindsAdmin)


class OrganisationInline(admin.TabularInline):
    model = Organisation
    extra = 0
    fields = ["kind", "form", "name", "founded_on", "dissolved_on", "superior_body", "leader_name"]
    autocomplete_fields = ["superior_body"]
    show_change_link = True


class ZoneInline(admin.TabularInline):
    model = Zone
    fk_name = "parent"
    extra = 0
    fields = ["name", "code", "kind", "area_ha"]
    show_change_link = True
    verbose_name = Zone._meta.verbose_name
    verbose_name_plural = Zone._meta.verbose_name_plural


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "area_ha"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "officials"]
    inlines = [ZoneInline]


@admin.register(Enterprise)
class EnterpriseAdmin(HistoryAdmin):
    list_display = ["name", "tax_code", "zone", "ownership", "investor_country", "status"]
    list_filter = ["zone", "ownership", "status", "investor_country"]
    search_fields = ["name", "tax_code", "search_text"]
    list_select_related = ["zone"]
    autocomplete_fields = ["zone"]
    readonly_fields = ["version"]
    inlines = [OrganisationInline]


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "enterprise", "kind", "form", "founded_on", "dissolved_on"]
    list_filter = ["kind", "form", "enterprise__zone", "founded_on", "dissolved_on"]
    search_fields = ["name", "enterprise__name", "enterprise__tax_code", "leader_name"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise", "superior_body"]
    readonly_fields = ["version"]
