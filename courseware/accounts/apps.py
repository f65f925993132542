from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "courseware.accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the session carry-over on login)
