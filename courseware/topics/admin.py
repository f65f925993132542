from __future__ import annotations

from django.contrib import admin

from .models import PageRead


@admin.register(PageRead)
class PageReadAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "kind", "read_at")
    list_filter = ("topic", "kind")
    search_fields = ("user__username",)
