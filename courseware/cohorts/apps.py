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

        from courseware.topics.progress import register_progress

        from .progress import exercises_progress, quizzes_progress, reviews_progress

        register_progress(quizzes_progress)
        register_progress(exercises_progress)
        register_progress(reviews_progress)
