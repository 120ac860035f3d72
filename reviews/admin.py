"""The admin for annual returns, ratings and programme reviews."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coordination.admin import IndicatorAdmin
from coordination.history_admin import HistoryAdmin, Lockable
from coordination.models import Indicator
from enterprises.admin import OrganisationAdmin
from enterprises.models import Organisation

from .models import (
    AnnualReturn,
    LockException,
    OrganisationRating,
    ProgrammeReview,
    QualityFlag,
    ReminderSent,
    ReportingYear,
    ReviewSection,
    ReviewSignature,
    SignedCopy,
    ZoneTarget,
)


class OrganisationRatingInline(admin.TabularInline):
    model = OrganisationRating
    extra = 0


admin.site.unregister(Organisation)


@admin.register(Organisation)
class OrganisationWithRatingsAdmin(OrganisationAdmin):
    """The enterprises app's organisation admin, with the ratings this app keeps under it."""

    inlines = [*OrganisationAdmin.inlines, OrganisationRatingInline]


class ZoneTargetInline(admin.TabularInline):
    model = ZoneTarget
    extra = 0
    autocomplete_fields = ["zone"]


admin.site.unregister(Indicator)


@admin.register(Indicator)
class IndicatorWithZoneTargetsAdmin(IndicatorAdmin):
    """The programme app's indicator admin, with the optional targets per zone this app keeps
    (the indicator's own targets are the province's)."""

    inlines = [*IndicatorAdmin.inlines, ZoneTargetInline]


class FinalReviewLock(Lockable):
    """A final review is read-only, with its sections and signatures, and their history cannot
    be reverted: its report prints from its frozen figures. Reopening one is no admin action."""

    review_path = ""  # how to reach the review from the admin's object; empty: it is the review

    def is_locked(self, obj) -> bool:
        review = getattr(obj, self.review_path) if obj is not None and self.review_path else obj
        return review is not None and review.is_final

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "review":
            kwargs["queryset"] = ProgrammeReview.objects.filter(status=ProgrammeReview.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FinalReviewInline(FinalReviewLock):
    """Under a review the admin's object is the review itself."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_add_permission(request, obj)


class ReviewSectionInline(FinalReviewInline, admin.StackedInline):
    model = ReviewSection
    autocomplete_fields = ["content_area"]


class ReviewSignatureInline(FinalReviewInline, admin.TabularInline):
    model = ReviewSignature
    autocomplete_fields = ["body"]


@admin.register(AnnualReturn)
class AnnualReturnAdmin(HistoryAdmin):
    """An accepted return is read-only until a reviewer returns it (in the app), and no revert
    makes a return accepted or unaccepted."""

    list_display = [
        "enterprise",
        "year",
        "status",
        "employees",
        "party_members",
        "union_members",
        "submitted_at",
        "reviewed_by",
    ]
    list_filter = ["year", "status", "enterprise__zone", "enterprise__ownership"]
    search_fields = ["enterprise__name", "enterprise__tax_code", "enterprise__search_text"]
    list_select_related = ["enterprise", "reviewed_by"]
    autocomplete_fields = ["enterprise"]
    readonly_fields = ["version", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"]
    fieldsets = [
        (None, {"fields": ["enterprise", "year", "status", "version"]}),
        (_("Workforce"), {"fields": ["employees", "female_employees"]}),
        (
            _("Party members"),
            {
                "fields": [
                    "party_members",
                    "new_party_members",
                    "new_members_owners",
                    "awareness_trainees",
                    "party_candidates",
                ]
            },
        ),
        (_("Mass organisations"), {"fields": ["union_members", "youth_members", "women_members"]}),
        (
            _("Review"),
            {
                "fields": [
                    "explanation",
                    "return_reason",
                    ("submitted_by", "submitted_at"),
                    ("reviewed_by", "reviewed_at"),
                ]
            },
        ),
    ]

    def is_locked(self, obj) -> bool:
        return obj.is_locked


@admin.register(OrganisationRating)
class OrganisationRatingAdmin(HistoryAdmin):
    list_display = ["organisation", "enterprise", "year", "rating"]
    list_filter = ["year", "rating", "organisation__kind"]
    search_fields = ["organisation__name", "organisation__enterprise__name"]
    list_select_related = ["organisation__enterprise"]
    autocomplete_fields = ["organisation"]

    @admin.display(description=_("enterprise"), ordering="organisation__enterprise__name")
    def enterprise(self, obj: OrganisationRating):
        return obj.organisation.enterprise


@admin.register(ProgrammeReview)
class ProgrammeReviewAdmin(FinalReviewLock, HistoryAdmin):
    list_display = ["title", "programme", "kind", "number", "as_of_year", "held_on", "status"]
    list_filter = ["kind", "status", "programme", "as_of_year"]
    search_fields = ["title", "number", "place", "summary"]
    list_select_related = ["programme"]
    autocomplete_fields = ["programme"]
    readonly_fields = ["status", "finalised_by", "finalised_at", "frozen_figures"]
    date_hierarchy = "held_on"
    inlines = [ReviewSectionInline, ReviewSignatureInline]


@admin.register(ReviewSection)
class ReviewSectionAdmin(FinalReviewLock, HistoryAdmin):
    review_path = "review"
    list_display = ["review", "content_area"]
    list_filter = ["review__programme", "review__status"]
    search_fields = ["review__title", "content_area__title", "results", "solutions"]
    list_select_related = ["review", "content_area"]
    autocomplete_fields = ["review", "content_area"]


@admin.register(ReviewSignature)
class ReviewSignatureAdmin(FinalReviewLock, HistoryAdmin):
    review_path = "review"
    list_display = ["review", "position", "body", "authority", "signer_title", "signer_name"]
    list_filter = ["body", "review__status"]
    search_fields = ["review__title", "signer_name", "body__name", "body__symbol"]
    list_select_related = ["review", "body"]
    autocomplete_fields = ["review", "body"]


@admin.register(ReportingYear)
class ReportingYearAdmin(admin.ModelAdmin):
    """Administrators set or move a year's dates; a year without a row follows the settings
    RETURNS_OPEN, RETURNS_DUE and RETURNS_LOCK."""

    list_display = ["year", "opens_on", "due_on", "locks_on"]
    list_filter = ["locks_on"]
    search_fields = ["year"]


@admin.register(LockException)
class LockExceptionAdmin(admin.ModelAdmin):
    list_display = ["year", "enterprise", "zone", "until", "created_by", "created_at"]
    list_select_related = ["enterprise", "zone", "created_by"]
    list_filter = ["year"]
    search_fields = ["enterprise__name", "enterprise__tax_code", "zone__name", "reason"]
    autocomplete_fields = ["enterprise", "zone"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(QualityFlag)
class QualityFlagAdmin(admin.ModelAdmin):
    list_display = ["annual_return", "rule", "raised_at", "closed_by", "closed_at"]
    list_select_related = ["annual_return__enterprise", "closed_by"]
    list_filter = ["rule", "closed_at"]
    search_fields = ["annual_return__enterprise__name", "annual_return__enterprise__tax_code"]
    autocomplete_fields = ["annual_return", "closed_by"]
    readonly_fields = ["raised_at"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """What the daily reminders sent, to whom; written by send_reminders only."""

    list_display = ["day", "user", "kind", "email", "returns", "sent_at"]
    list_select_related = ["user"]
    list_filter = ["kind", "day"]
    search_fields = ["user__username", "email"]
    autocomplete_fields = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SignedCopy)
class SignedCopyAdmin(admin.ModelAdmin):
    """Read-only: signed copies are uploaded on the review's page, replaced with a reason there,
    and never deleted."""

    list_display = ["original_name", "review", "uploaded_by", "uploaded_at", "replaces"]
    list_select_related = ["review", "uploaded_by", "replaces"]
    list_filter = ["uploaded_at"]
    search_fields = ["original_name", "review__title", "uploaded_by__username"]
    readonly_fields = [field.name for field in SignedCopy._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
