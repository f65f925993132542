from __future__ import annotations

from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "courseware.topics"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the content system check)
        from .progress import pages_progress, register_progress

        register_progress(pages_progress)
