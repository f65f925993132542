from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "courseware.dashboard"

    def ready(self) -> None:
        from courseware.context_processors import register_nav

        def dashboard_nav(request):
            return [{"label": "Dashboard", "url": "/dashboard/", "current": request.path.startswith("/dashboard/")}]

        register_nav(dashboard_nav, instructors_only=True)

        from django.urls import reverse

        from courseware.cohorts.links import register_cohort_link

        def open_dashboard(cohort):
            return ("Open the cohort's dashboard", reverse("dashboard:matrix", args=[cohort.pk]))

        register_cohort_link(open_dashboard)
