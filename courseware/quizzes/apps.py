from __future__ import annotations

from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "courseware.quizzes"

    def ready(self) -> None:
        from courseware.accounts.signals import register_carrier
        from courseware.context_processors import register_nav
        from courseware.topics.content import register_extra_loader
        from courseware.topics.hooks import register_hub_section

        from .content import load_quizzes
        from .hooks import hub_section, review_nav
        from .services import session_carry_over

        register_extra_loader(load_quizzes)
        register_hub_section(hub_section)
        register_nav(review_nav)
        register_carrier(session_carry_over)
