from __future__ import annotations

from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "courseware.exercises"

    def ready(self) -> None:
        from courseware.accounts.signals import register_carrier
        from courseware.topics.content import register_extra_loader
        from courseware.topics.hooks import register_hub_section

        from . import checks  # noqa: F401  (registers the sandbox system check)
        from .content import load_exercises
        from .views import hub_section

        register_extra_loader(load_exercises)
        register_hub_section(hub_section)
        from .services import session_drafts_carry_over, visitor_checks_carry_over

        register_carrier(session_drafts_carry_over)
        register_carrier(visitor_checks_carry_over)
