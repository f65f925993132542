from __future__ import annotations

from django.contrib import admin

from .models import Draft, FiredRule, HintReveal, Submission


class FiredRuleInline(admin.TabularInline):
    model = FiredRule
    extra = 0
    can_delete = False
    readonly_fields = ("rule", "count")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "exercise", "status", "passed", "check_number", "findings_count", "created_at")
    list_filter = ("status", "passed", "topic", "exercise")
    search_fields = ("user__username", "exercise")
    date_hierarchy = "created_at"
    inlines = [FiredRuleInline]
    # Submissions are evidence of what a learner sent: read-only here.
    readonly_fields = [field.name for field in Submission._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "exercise", "updated_at")
    search_fields = ("user__username", "exercise")


@admin.register(HintReveal)
class HintRevealAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "exercise", "level", "revealed_at")
    list_filter = ("topic", "exercise", "level")
    search_fields = ("user__username",)
