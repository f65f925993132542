from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "courseware.accounts"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (registers the deploy checks; connects the session carry-over)
