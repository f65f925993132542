from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "courseware.dashboard"

    def ready(self) -> None:
        from courseware.context_processors import register_nav

        def dashboard_nav(request):
            return [{"label": "Dashboard", "url": "/dashboard/", "current": request.path.startswith("/dashboard/")}]

        register_nav(dashboard_nav, instructors_only=True)
