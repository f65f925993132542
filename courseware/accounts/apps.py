from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "courseware.accounts"

    def ready(self) -> None:
        from django.contrib import admin

        from . import checks, signals  # noqa: F401  (registers the deploy checks; connects the session carry-over)
        from .forms import ThrottledAdminLoginForm

        # The admin's login goes through the same throttle as every other login.
        admin.site.login_form = ThrottledAdminLoginForm
