from __future__ import annotations

from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "courseware.cohorts"

    def ready(self) -> None:
        from courseware.context_processors import register_nav

        def cohorts_nav(request):
            if not request.user.is_authenticated:
                return []
            return [{"label": "Cohorts", "url": "/cohorts/", "current": request.path.startswith("/cohorts/")}]

        register_nav(cohorts_nav)
