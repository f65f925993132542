from __future__ import annotations

from django.apps import AppConfig


class LiveConfig(AppConfig):
    """Instructor-paced live sessions for a room: quiz and exercise rounds on a projector, answered from phones."""

    name = "courseware.live"

    def ready(self) -> None:
        from django.urls import reverse

        from courseware.cohorts.links import register_cohort_link

        def start_live_session(cohort):
            return ("Start a live session", reverse("live:new", args=[cohort.pk]))

        register_cohort_link(start_live_session)
