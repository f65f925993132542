from __future__ import annotations

from django.apps import AppConfig


class RatelimitConfig(AppConfig):
    name = "courseware.ratelimit"
    default_auto_field = "django.db.models.BigAutoField"
